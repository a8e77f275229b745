import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveRun } from '../../../src/run/live-run';
import { loadScenario } from '../../../src/scenario';
import { layoutTopology, niceStep, pointOn, tileRole } from '../../../src/ui/topology/layout';

function snapshotOf(file: string, untilUs = 3_000_000) {
  const outcome = loadScenario(readFileSync(`simulations/${file}`, 'utf8'), { fileName: file });
  if (!outcome.ok) throw new Error('invalid');
  const run = new LiveRun(outcome.scenario);
  run.advanceTo(untilUs);
  return run.snapshot();
}

const inside = (inner: { x: number; y: number; w: number; h: number }, outer: { x: number; y: number; w: number; h: number }) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
const overlap = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('topology layout', () => {
  it('places producer, brokers with their tiles, consumer and links without overlaps', () => {
    const snapshot = snapshotOf('failover-acks1.yaml');
    const layout = layoutTopology(snapshot, 860, 430);
    const boxes = [layout.producer, ...layout.brokers, ...layout.consumers];
    for (const box of boxes) expect(inside(box, { x: 0, y: 0, w: 860, h: 430 }), box.id).toBe(true);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
    expect(layout.tiles.map((t) => `${t.broker}:${t.role}`)).toEqual(['0:leader', '1:follower', '2:follower']);
    for (const tile of layout.tiles) expect(inside(tile, layout.brokers[tile.broker]!)).toBe(true);
    expect(layout.links.map((l) => l.id).sort()).toEqual(['broker-0>broker-1', 'broker-0>broker-2', 'broker-0>consumer-0', 'producer>broker-0']);
    const link = layout.links.find((l) => l.hop === 'produce')!;
    expect(pointOn(link.curve, 0)).toEqual([link.curve[0], link.curve[1]]);
    expect(pointOn(link.curve, 1)).toEqual([link.curve[6], link.curve[7]]);
  });

  it('fits a sale-sized cluster (9 brokers, 96 partitions, 48 consumers)', () => {
    const snapshot = snapshotOf('double12.yaml', 10_000);
    const layout = layoutTopology(snapshot, 860, 430);
    expect(layout.brokers).toHaveLength(9);
    expect(layout.tiles).toHaveLength(96 * 3);
    for (const tile of layout.tiles) expect(inside(tile, layout.brokers[tile.broker]!)).toBe(true);
    for (const box of layout.consumers) expect(inside(box, { x: 0, y: 0, w: 860, h: 430 })).toBe(true);
  });

  it('gives each replica the role its tile shows', () => {
    const partition = { id: 0, leader: 1, leaderEpoch: 1, replicas: [0, 1, 2], isr: [1, 2], offline: false, hw: 0, leo: 0, replicaLeo: [0, 0, 0], consumer: 0, committed: 0, lag: 0 };
    expect(tileRole(partition, 1, true)).toBe('leader');
    expect(tileRole(partition, 2, true)).toBe('follower');
    expect(tileRole(partition, 0, true)).toBe('out-of-sync');
    expect(tileRole(partition, 0, false)).toBe('failed');
    expect(tileRole({ ...partition, leader: -1, offline: true }, 2, true)).toBe('offline');
  });

  it('rounds the messages per dot to 1, 2, 5, 10, 20…', () => {
    expect([0.3, 1, 1.5, 3, 7, 11, 4_000].map(niceStep)).toEqual([1, 1, 2, 5, 10, 20, 5_000]);
  });
});
