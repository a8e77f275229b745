import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/engine';
import { runSimulation } from '../helpers/run-file';

/**
 * Golden trace hashes of every scenario in simulations/ (queue models cut to 20,000 customers
 * so the check is quick). A change that alters event order, random draws or hashing changes these: if that
 * is intended, bump ENGINE_VERSION and update the table (print the new hashes with
 * `npx queuelab run <file> --set queue.customers=20000`), and say why in the commit.
 */
const GOLDEN: Record<string, Record<string, string>> = {
  // 0.3.0: followers fetch in one session per broker pair (KIP-227) and long-poll waits share
  // one timer; the producer's driver wakes only for arrivals that fill a batch or whose batch's
  // linger runs out, linger deadlines have their own timer and the sender drains per broker
  // within the handler that freed a slot or filled a batch. Every Kafka run changes; queue
  // models are as in 0.1.0.
  '0.3.0': {
    'mm1.yaml': 'abde296915910f2e',
    'mm1-half-load.yaml': 'bf3ae5d928311468',
    'mmc.yaml': '638575d62f2289ed',
    'mmc-half-load.yaml': 'd6c33c2046269808',
    'md1.yaml': 'e8deacf1c60dc784',
    'md1-half-load.json': '3e073ccb04479954',
    'failover-acks1.yaml': 'a43bdf22bbeb542e',
    'failover-acks-all.yaml': 'bb29943113b846d4',
    'retry-reordering.yaml': 'efb8837e5fe57333',
    // These two runs last 600 s and 420 s: leadership goes back to the preferred replica, broker 0,
    // at the controller's imbalance check 300 s after the partition lost it.
    'elr-failover.yaml': '38e0c7634cc556f5',
    'power-failure.yaml': 'ed0715d32c373f50',
  },
};

describe(`golden trace hashes (engine ${ENGINE_VERSION})`, () => {
  const table = GOLDEN[ENGINE_VERSION];

  it('has a table for this engine version', () => {
    expect(table, `add GOLDEN['${ENGINE_VERSION}']`).toBeDefined();
  });

  it.each(Object.entries(table ?? {}))('%s', (file, hash) => {
    const shorter = /^(mm|md)/.test(file) ? [{ path: 'queue.customers', value: 20_000 }] : [];
    const summary = runSimulation(file, shorter);
    expect(summary.traceHash, `${file} seed=${summary.seed}`).toBe(hash);
  });
});
