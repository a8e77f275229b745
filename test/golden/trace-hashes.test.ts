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
  // within the handler that freed a slot or filled a batch; a consumer fetch that will find
  // nothing parks at the leader without an arrival event. Every Kafka run changes; queue models
  // are as in 0.1.0.
  '0.3.0': {
    'mm1.yaml': 'abde296915910f2e',
    'mm1-half-load.yaml': 'bf3ae5d928311468',
    'mmc.yaml': '638575d62f2289ed',
    'mmc-half-load.yaml': 'd6c33c2046269808',
    'md1.yaml': 'e8deacf1c60dc784',
    'md1-half-load.json': '3e073ccb04479954',
    'failover-acks1.yaml': 'f52b101c5476ab18',
    'failover-acks-all.yaml': '1b7a149cacc2f81f',
    'retry-reordering.yaml': '654215734f8f4c77',
    // These two runs last 600 s and 420 s: leadership goes back to the preferred replica, broker 0,
    // at the controller's imbalance check 300 s after the partition lost it.
    'elr-failover.yaml': '978d8efc0a43d4df',
    'power-failure.yaml': 'c0d0f750c74dee5c',
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
