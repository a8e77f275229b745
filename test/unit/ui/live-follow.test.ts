import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveRun } from '../../../src/run/live-run';
import { loadScenario, type Scenario } from '../../../src/scenario';

function scenario(file: string): Scenario {
  const outcome = loadScenario(readFileSync(`simulations/${file}`, 'utf8'), { fileName: file });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.problem).join('; '));
  return outcome.scenario;
}

describe('following a clicked dot', () => {
  it('picks a message that crossed the clicked link and shows its hops, with the time spent at each', () => {
    const live = new LiveRun(scenario('failover-acks-all.yaml'));
    live.advanceTo(4_000_000);
    expect(live.snapshot().followed).toBeNull();
    const id = live.follow({ from: 'broker-0', to: 'broker-2', hop: 'replicate' });
    expect(id).not.toBeNull();
    const trace = live.snapshot().followed!;
    expect(trace.id).toBe(id);
    expect(trace.steps.map((s) => `${s.hop}@${s.node}`)).toEqual(
      expect.arrayContaining(['created@producer', 'sent@broker-0', 'appended@broker-0', 'replicated@broker-2']),
    );
    const sent = trace.steps.find((s) => s.hop === 'sent')!;
    const appended = trace.steps.find((s) => s.hop === 'appended')!;
    expect(appended.sinceUs).toBe(appended.atUs - sent.atUs);
    expect(appended.sinceUs).toBe(500); // networkLatencyMs 0.5
    expect(trace.offset).toBeGreaterThanOrEqual(0);
    expect(trace.stockKey).toBeNull();
  });

  it('keeps adding hops while the message travels, and stops following on request', () => {
    const live = new LiveRun(scenario('failover-acks-all.yaml'));
    live.advanceTo(3_000_000);
    live.follow({ from: 'producer', to: 'broker-0', hop: 'produce' });
    const before = live.snapshot().followed!.steps.length;
    live.advanceTo(8_000_000);
    const after = live.snapshot().followed!;
    expect(after.steps.length).toBeGreaterThanOrEqual(before);
    expect(after.done).toBe(true);
    expect(after.steps.at(-1)!.hop).toBe('processed');
    live.unfollow();
    expect(live.snapshot().followed).toBeNull();
  });

  it('in a sale, the followed order carries its stock key', () => {
    const live = new LiveRun(scenario('network-partition.yaml'));
    live.advanceTo(3_000_000);
    expect(live.follow({ from: 'producer', to: 'broker-1', hop: 'produce' })).not.toBeNull();
    expect(live.snapshot().followed!.stockKey).toEqual(expect.any(Number));
  });
});
