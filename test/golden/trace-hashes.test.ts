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
  // 0.2.0: the batching producer (sender and linger events, TCP-ordered links), consumer
  // heartbeats, the initial rebalance delay, records processed in zero time completed without an
  // event and the Poisson driver waking only for arrivals that act change every Kafka run; queue
  // models are as in 0.1.0.
  '0.2.0': {
    'mm1.yaml': 'abde296915910f2e',
    'mm1-half-load.yaml': 'bf3ae5d928311468',
    'mmc.yaml': '638575d62f2289ed',
    'mmc-half-load.yaml': 'd6c33c2046269808',
    'md1.yaml': 'e8deacf1c60dc784',
    'md1-half-load.json': '3e073ccb04479954',
    'failover-acks1.yaml': '768cfa917b3fb4a9',
    'failover-acks-all.yaml': 'b8cf25f5bd8e86ae',
    'retry-reordering.yaml': '5b8be75ca0dd7f62',
    // These two runs last 600 s and 420 s: leadership goes back to the preferred replica, broker 0,
    // at the controller's imbalance check 300 s after the partition lost it (357 s and 371 s).
    'elr-failover.yaml': '635c62bd176f9b0d',
    'power-failure.yaml': '0e1e9ab85e52f595',
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
