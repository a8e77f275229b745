import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveRun } from '../../../src/run/live-run';
import { loadScenario } from '../../../src/scenario';
import { layoutTopology, niceStep, pointOn, tileRole } from '../../../src/ui/topology/layout';

// 4 s: after group.initial.rebalance.delay.ms (3 s) has let the group assign its partitions.
function snapshotOf(file: string, untilUs = 4_000_000) {
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

  it('puts a sale’s gateway before the order service and its push service after the stock service, clear of every box', () => {
    const snapshot = snapshotOf('double12.yaml', 10_000);
    for (const [width, height] of [
      [860, 430],
      [1100, 600],
      [600, 330],
    ] as const) {
      const layout = layoutTopology(snapshot, width, height);
      const at = `${width}x${height}`;
      const gateway = layout.gateway!;
      const push = layout.push!;
      expect(gateway, at).toMatchObject({ id: 'svc-gateway' });
      expect(push, at).toMatchObject({ id: 'svc-push' });
      const boxes = [gateway, push, layout.producer, ...layout.brokers, ...layout.consumers];
      for (const box of boxes) expect(inside(box, { x: 0, y: 30, w: width, h: height - 30 }), `${at} ${box.id}`).toBe(true);
      for (const service of [gateway, push]) {
        for (const box of boxes) if (box !== service) expect(overlap(service, box), `${at} ${service.id} / ${box.id}`).toBe(false);
        expect(service.h, at).toBeGreaterThanOrEqual(48);
        expect(service.w, at).toBeGreaterThanOrEqual(110);
      }
      // users -> gateway -> order service, top to bottom in the left column; the brokers to their right.
      const users = layout.users!;
      expect(users.y, at).toBeLessThan(gateway.y);
      expect(users.y, at).toBeGreaterThan(34);
      expect(gateway.y + gateway.h, at).toBeLessThan(layout.producer.y);
      expect(gateway.x, at).toBe(layout.producer.x);
      expect(Math.max(gateway.x + gateway.w, layout.producer.x + layout.producer.w), at).toBeLessThan(Math.min(...layout.brokers.map((b) => b.x)));
      // The push service below the stock service's consumers, in their column, right of the brokers.
      for (const consumer of layout.consumers) expect(consumer.y + consumer.h, `${at} ${consumer.id}`).toBeLessThan(push.y);
      expect(push.x, at).toBeGreaterThan(Math.max(...layout.brokers.map((b) => b.x + b.w)));
      // Their links carry the dots: from box edge to box edge.
      const link = (id: string) => layout.links.find((l) => l.id === id)!;
      expect(link('users>svc-gateway'), at).toMatchObject({ hop: 'admit', to: 'svc-gateway' });
      expect(pointOn(link('users>svc-gateway').curve, 1)[1], at).toBe(gateway.y);
      expect(pointOn(link('svc-gateway>producer').curve, 0)[1], at).toBe(gateway.y + gateway.h);
      expect(pointOn(link('svc-gateway>producer').curve, 1)[1], at).toBe(layout.producer.y);
      expect(link('consumers>svc-push'), at).toMatchObject({ hop: 'push', from: 'consumers' });
      expect(pointOn(link('consumers>svc-push').curve, 1)[1], at).toBe(push.y);
      expect(pointOn(link('consumers>svc-push').curve, 0)[1], at).toBe(Math.max(...layout.consumers.map((c) => c.y + c.h)));
    }
  });

  it('keeps the services out of a plain Kafka run', () => {
    const layout = layoutTopology(snapshotOf('failover-acks1.yaml'), 860, 430);
    expect(layout.gateway).toBeNull();
    expect(layout.push).toBeNull();
    expect(layout.users).toBeNull();
    expect(layout.links.some((l) => l.hop === 'admit' || l.hop === 'push')).toBe(false);
  });

  it('gives each replica the role its tile shows', () => {
    const partition = { id: 0, leader: 1, leaderEpoch: 1, replicas: [0, 1, 2], isr: [1, 2], offline: false, hw: 0, leo: 0, replicaLeo: [0, 0, 0], consumer: 0, committed: 0, lag: 0 };
    expect(tileRole(partition, 1, true)).toBe('leader');
    expect(tileRole(partition, 2, true)).toBe('follower');
    expect(tileRole(partition, 0, true)).toBe('out-of-sync');
    expect(tileRole({ ...partition, elr: [0] }, 0, true)).toBe('eligible'); // out of the ISR, in the ELR (KIP-966)
    expect(tileRole(partition, 0, false)).toBe('failed');
    expect(tileRole({ ...partition, leader: -1, offline: true }, 2, true)).toBe('offline');
  });

  it('rounds the messages per dot to 1, 2, 5, 10, 20…', () => {
    expect([0.3, 1, 1.5, 3, 7, 11, 4_000].map(niceStep)).toEqual([1, 1, 2, 5, 10, 20, 5_000]);
  });
});
