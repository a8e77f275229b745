import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveRun } from '../../../src/run/live-run';
import { loadScenario } from '../../../src/scenario';
import { markerText } from '../../../src/ui/components/Timeline';

describe('rebalance markers on the live timeline', () => {
  it('marks each rebalance of the group with its size and reason, in both languages', () => {
    const outcome = loadScenario(readFileSync('simulations/rebalance-storm.yaml', 'utf8'), { fileName: 'rebalance-storm.yaml' });
    if (!outcome.ok) throw new Error('invalid');
    const live = new LiveRun(outcome.scenario);
    live.advanceTo(30_000_000);
    const rebalances = live.snapshot().markers.filter((m) => m.kind === 'rebalance');
    // The group of 8 steps up on lag, one rebalance per step.
    expect(rebalances.length).toBeGreaterThanOrEqual(2);
    expect(rebalances.every((m) => m.reason === 'scaled')).toBe(true);
    expect(rebalances[0]!.members).toBeGreaterThan(8);
    const scaled = rebalances.find((m) => m.reason === 'scaled')!;
    expect(markerText('en', scaled)).toMatch(/consumer group rebalances to \d+ consumers \(scaled\)$/);
    expect(markerText('zh-CN', scaled)).toMatch(/消费组再均衡为 \d+ 个消费者（扩缩容）$/);
  });
});
