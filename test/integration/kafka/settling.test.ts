import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/engine';
import { randomCase, runCase } from './random-cases';

/**
 * The ledger forgets the state of messages whose fate is decided, and the logs forget batches
 * nobody can read, truncate or elect below any more (docs/model.md, "Accounting"). Forgetting
 * must change nothing: each random cluster (crashes, cuts, power failures, unclean elections,
 * eligible leader replicas, consumer crashes, reading groups) runs once keeping everything and
 * once with a 4-message ledger window, which settles and trims at almost every batch; the
 * figures and the trace hash must be the same. An assertion inside the ledger or the log
 * fails the run if an event touches a message or batch that was already forgotten.
 */
const CASES = 150;
const SEED = 7;

describe(`settling forgets only what no event can touch (${CASES} random clusters, seed=${SEED})`, () => {
  const random = new RandomStream(SEED, 'settling');
  const cases = Array.from({ length: CASES }, () => randomCase(random, true));

  it('gives the same figures and trace hash with a tiny window as with no settling at all', () => {
    let settledRuns = 0;
    let trimmedRuns = 0;
    let drainedRuns = 0;
    const kinds = new Set<string>();
    for (const [index, testCase] of cases.entries()) {
      const label = `seed=${SEED} case=${index} ${JSON.stringify(testCase)}`;
      const keepAll = runCase(testCase, SEED, (system) => {
        system.ledger.liveFloor = () => 0;
      });
      const settling = runCase({ ...testCase, overrides: { ...testCase.overrides, ledgerWindow: 4 } }, SEED);
      expect(settling.result, label).toEqual(keepAll.result);
      expect(settling.hash, label).toBe(keepAll.hash);
      expect(settling.result.audit, label).toEqual([]);
      expect(keepAll.system.ledger.firstLiveId, label).toBe(0);
      if (settling.system.ledger.firstLiveId > 0) settledRuns++;
      // Once every fault has healed and every group has read and committed everything, nothing
      // is left in play. (A group whose last commit failed, its coordinator out of reach, keeps
      // its committed offset, and what lies beyond it, until it commits again.)
      settling.system.ledger.settle();
      const { cluster: c, group, readers } = settling.system;
      const committedAll = c.partitions.every((_, p) => [group, ...readers].every((g) => g.committedOffset(p) === c.highWatermark(p)));
      if (settling.result.inFlight === 0 && committedAll) {
        drainedRuns++;
        expect(settling.system.ledger.liveMessages, label).toBe(0);
      }
      const trimmed = c.partitions.some((state, p) => state.replicas.some((b) => c.replica(b, p).log.firstBatchIndex > 0));
      if (trimmed) trimmedRuns++;
      for (const fault of testCase.faults) kinds.add(fault.kind);
      if (settling.result.uncleanElections > 0) kinds.add('unclean');
      if (settling.result.lost > 0) kinds.add('lost');
    }
    // Forgetting must actually happen, under every kind of fault.
    expect(settledRuns).toBeGreaterThan(CASES * 0.6);
    expect(trimmedRuns).toBeGreaterThan(CASES * 0.9);
    expect(drainedRuns).toBeGreaterThan(CASES * 0.5);
    expect([...kinds].sort()).toEqual(['consumer', 'crash', 'isolate', 'lost', 'power', 'unclean']);
  });
});
