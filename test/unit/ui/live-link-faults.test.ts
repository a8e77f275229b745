import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveRun } from '../../../src/run/live-run';
import { loadScenario } from '../../../src/scenario';

function failoverRun(): LiveRun {
  const outcome = loadScenario(readFileSync(new URL('../../../simulations/failover-acks-all.yaml', import.meta.url), 'utf8'), {
    fileName: 'failover-acks-all.yaml',
    overrides: [{ path: 'kafka.faults', value: [] }],
  });
  if (!outcome.ok) throw new Error('scenario did not load');
  return new LiveRun(outcome.scenario);
}

describe('live link faults (a trainer clicks a link)', () => {
  it('cutting the producer-leader link stalls produce and shows the link cut; reconnecting drains it', () => {
    const run = failoverRun();
    run.advanceTo(5_000_000);
    const before = run.snapshot().counters.acked;
    run.inject({ kind: 'link-cut', a: 'producer', b: 'broker-0' });
    expect(run.snapshot().links).toEqual([{ a: 'producer', b: 'broker-0', cut: true, slow: false }]);
    run.advanceTo(10_000_000);
    expect(run.snapshot().counters.acked).toBe(before); // nothing reaches the leader
    run.inject({ kind: 'link-heal', a: 'producer', b: 'broker-0' });
    expect(run.snapshot().links).toEqual([]);
    run.advanceTo(60_000_000);
    expect(run.snapshot().counters.acked).toBeGreaterThan(before + 2_000);
    expect(run.snapshot().counters.lost).toBe(0);
  });

  it('a slowed link shows as slow and lengthens produce latency; replaying the recorded faults gives the same run', () => {
    const run = failoverRun();
    run.advanceTo(2_000_000);
    run.inject({ kind: 'link-slow', a: 'producer', b: 'broker-0', latencyMs: 200 });
    expect(run.snapshot().links).toEqual([{ a: 'producer', b: 'broker-0', cut: false, slow: true }]);
    run.advanceTo(8_000_000);
    run.inject({ kind: 'link-normal', a: 'producer', b: 'broker-0' });
    run.advanceTo(20_000_000);
    const summaryHash = run.traceHash();
    const replay = failoverRun();
    for (const { atUs, fault } of run.recording) {
      replay.advanceTo(atUs);
      replay.inject(fault);
    }
    replay.advanceTo(20_000_000);
    expect(replay.traceHash()).toBe(summaryHash);
  });

  it('refuses links to nodes the cluster does not have', () => {
    const run = failoverRun();
    expect(() => run.inject({ kind: 'link-cut', a: 'producer', b: 'broker-7' })).toThrow(/broker-7 is not a node/);
  });
});
