import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/engine';
import { randomCase, runCase } from './random-cases';

/**
 * Hundreds of random small clusters with random fault schedules (crashes with restarts,
 * nodes cut off and reconnected). Safety: the conservation audit holds in every run and no
 * message vanishes silently. Liveness: once every fault has healed, the system drains, and
 * every message ends delivered, lost with a cause, or rejected to the application.
 * Determinism: every case run twice gives the same trace hash and the same figures.
 */
const CASES = 200;
const SEED = 1;

describe(`random clusters with random faults (${CASES} cases, seed=${SEED})`, () => {
  const random = new RandomStream(SEED, 'random-faults');
  const cases = Array.from({ length: CASES }, () => randomCase(random));

  it('conserve every message, drain after the faults heal, and replay bit for bit', () => {
    const seen = { elections: 0, unclean: 0, lost: 0, rejected: 0, duplicates: 0 };
    for (const [index, testCase] of cases.entries()) {
      const label = `seed=${SEED} case=${index} ${JSON.stringify(testCase)}`;
      const first = runCase(testCase, SEED);
      const r = first.result;
      expect(r.audit, label).toEqual([]);
      expect(r.produced, label).toBe(r.delivered + r.lost + r.inFlight + r.rejected);
      expect(r.inFlight, `${label} ${JSON.stringify(r)}`).toBe(0);
      const lostByCause = Object.values(r.lostByCause).reduce((sum, n) => sum + n, 0);
      expect(lostByCause, label).toBe(r.lost);
      const atLeastOnce = testCase.overrides.group?.commit === 'after-processing';
      if (testCase.overrides.producer?.acks === 'all' && !testCase.overrides.cluster?.uncleanLeaderElection && atLeastOnce) {
        // acks=all without unclean election never loses an acknowledged write (§1.6), and a
        // group that commits after processing never skips one (§1.8).
        expect(r.lost, `${label} ${JSON.stringify(r)}`).toBe(0);
      }
      const second = runCase(testCase, SEED);
      expect(second.hash, label).toBe(first.hash);
      expect(second.result, label).toEqual(r);
      seen.elections += r.elections > 0 ? 1 : 0;
      seen.unclean += r.uncleanElections > 0 ? 1 : 0;
      seen.lost += r.lost > 0 ? 1 : 0;
      seen.rejected += r.rejected > 0 ? 1 : 0;
      seen.duplicates += r.duplicates > 0 ? 1 : 0;
    }
    // The schedules must actually exercise failover, loss, rejection and redelivery.
    for (const [what, cases] of Object.entries(seen)) expect(cases, `cases with ${what}: ${JSON.stringify(seen)}`).toBeGreaterThan(3);
  });
});
