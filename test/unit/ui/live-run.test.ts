import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/run';
import { LiveRun, type RecordedFault } from '../../../src/run/live-run';
import { loadScenario, type Scenario } from '../../../src/scenario';

function scenario(file: string): Scenario {
  const outcome = loadScenario(readFileSync(`simulations/${file}`, 'utf8'), { fileName: file });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.problem).join('; '));
  return outcome.scenario;
}

describe('LiveRun', () => {
  it('gives runScenario’s trace hash however the run is sliced', () => {
    const s = scenario('failover-acks1.yaml');
    const expected = runScenario(s).traceHash;
    const live = new LiveRun(s);
    let t = 0;
    while (!live.done) {
      t += 137_531; // uneven steps, like wall-clock frames
      live.advanceTo(t, { sliceEvents: 97, shouldStop: () => false });
      live.snapshot();
    }
    expect(live.traceHash()).toBe(expected);
    const other = runScenario(s, { seed: 7 }).traceHash;
    const liveSeed = new LiveRun(s, { seed: 7 });
    liveSeed.advanceTo(Infinity);
    expect(liveSeed.traceHash()).toBe(other);
    expect(other).not.toBe(expected);
  });

  it('replays injected faults to the same trace hash', () => {
    const s = scenario('failover-acks-all.yaml');
    const live = new LiveRun(s);
    live.advanceTo(2_345_678);
    for (let i = 0; i < 33; i++) live.stepEvent(); // stop in the middle of an instant if it happens
    live.inject({ kind: 'broker-crash', broker: 1 });
    live.advanceTo(4_000_000, { sliceEvents: 10, shouldStop: () => false });
    live.inject({ kind: 'consumer-kill', consumer: 0 });
    live.advanceTo(6_500_000);
    live.inject({ kind: 'consumer-restart', consumer: 0 });
    live.inject({ kind: 'broker-restart', broker: 1 });
    live.advanceTo(40_000_000);
    const faults: RecordedFault[] = live.recording;
    expect(faults).toHaveLength(4);
    const replay = new LiveRun(s, { replay: faults });
    replay.advanceTo(40_000_000);
    expect(replay.traceHash()).toBe(live.traceHash());
    expect(replay.faults).toEqual(live.faults);
    // A run without the faults differs.
    const plain = new LiveRun(s);
    plain.advanceTo(40_000_000);
    expect(plain.traceHash()).not.toBe(live.traceHash());
  });

  it('shows the failover: leader change, ISR shrink, markers and a time series', () => {
    const s = scenario('failover-acks1.yaml');
    const live = new LiveRun(s);
    live.advanceTo(3_000_000);
    let snap = live.snapshot();
    expect(snap.partitions[0]).toMatchObject({ leader: 0, isr: [0, 1, 2], offline: false });
    expect(snap.brokers.every((b) => b.alive)).toBe(true);
    expect(snap.series.columns.map((c) => c.key)).toEqual(expect.arrayContaining(['timeSeconds', 'producedPerSec', 'e2eP99Ms', 'consumerLag', 'minIsr', 'lostTotal']));
    expect(snap.series.rows).toHaveLength(3);
    expect(snap.latest.producedPerSec).toBeGreaterThan(50);
    expect(snap.flows.some((f) => f.hop === 'produce' && f.to === 'broker-0')).toBe(true);
    expect(snap.markers.filter((m) => m.scheduled)).toHaveLength(4); // isolate, heal, crash, restart
    live.advanceTo(19_900_000);
    snap = live.snapshot({ rowsFrom: 3 });
    expect(snap.series.firstRow).toBe(3);
    expect(snap.series.rows).toHaveLength(16);
    expect(snap.partitions[0]!.leader).not.toBe(0);
    expect(snap.partitions[0]!.isr).not.toContain(0);
    expect(snap.counters.isrShrinks).toBeGreaterThanOrEqual(1);
    expect(snap.counters.leaderElections).toBeGreaterThanOrEqual(1);
    expect(snap.markers.some((m) => m.kind === 'election' && m.partition === 0)).toBe(true);
    expect(snap.markers.some((m) => m.kind === 'fault' && m.fault === 'broker-crash' && !m.scheduled)).toBe(true);
    live.advanceTo(Infinity);
    snap = live.snapshot();
    expect(snap.done).toBe(true);
    expect(snap.counters.lost).toBeGreaterThan(300);
    expect(snap.counters.lostByCause['acked-then-leader-failed-unreplicated']).toBe(snap.counters.lost);
    const { produced, delivered, lost, inFlight, rejected } = snap.counters;
    expect(delivered + lost + inFlight + rejected).toBe(produced);
  });

  it('gives a sale’s gateway and push service their numbers, without changing the run', () => {
    const s = scenario('double12.yaml');
    const live = new LiveRun(s);
    let snap = live.snapshot();
    expect(snap.sale).not.toBeNull();
    expect(snap.sale!.gateway.placedPerSec).toBe(0); // no complete bucket yet, like `latest`
    live.advanceTo(12_000_000); // 00:00:02 on the sale clock: the surge has begun
    snap = live.snapshot();
    expect(snap.nodes.filter((n) => n.role === 'service').map((n) => n.id)).toEqual(['svc-gateway', 'svc-push']);
    const { gateway, push } = snap.sale!;
    // Rates over the last bucket of the series: the gateway's orders are the chart's orders.
    expect(gateway.placedPerSec).toBeGreaterThan(50_000);
    expect(gateway.placedPerSec).toBe(snap.latest.ordersPerSec);
    expect(gateway.admittedPerSec).toBe(gateway.placedPerSec); // 600,000/s limit, no backlog limit: nothing refused
    expect(gateway.refusedPerSec).toEqual({ 'rate-limited': 0, 'shed-backlog': 0 });
    expect(gateway.placed).toBe(gateway.admitted + gateway.refused['rate-limited'] + gateway.refused['shed-backlog']);
    expect(gateway.admitted).toBe(snap.counters.produced);
    expect(gateway.backlog).toBeGreaterThan(0);
    expect(gateway.maxBacklog).toBeNull();
    expect(gateway.burst).toBe(20_000);
    expect(gateway.rateLimitPerSecond).toBe(600_000);
    expect(gateway.tokens).toBeGreaterThanOrEqual(0);
    expect(gateway.tokens).toBeLessThanOrEqual(20_000);
    // 2 million promotions at 23:59:55 wait for the 150,000/s throttle, which runs flat out.
    expect(push.ratePerSecond).toBe(150_000);
    expect(push.sentPerSec).toBeGreaterThan(140_000);
    expect(push.sentPerSec).toBeLessThanOrEqual(150_000);
    expect(push.deliveredPerSec).toBeLessThanOrEqual(push.sentPerSec);
    expect(push.sentPerSec).toBe(snap.latest.pushDeliveredPerSec! + (push.sentPerSec - push.deliveredPerSec));
    expect(push.queued).toBeGreaterThan(500_000);
    expect(push.sent).toBe(push.delivered + push.retried + push.deadLettered);
    expect(push.retried).toBeGreaterThan(0);
    expect(push.created).toBe(push.delivered + push.deadLettered + push.queued + push.retrying);
    // Dots: orders into the gateway and on to the order service, pushes out of the stock service.
    live.advanceTo(12_500_000);
    const flows = live.flows();
    const flow = (id: string) => flows.find((f) => `${f.from}>${f.to}` === id);
    expect(flow('users>svc-gateway')).toMatchObject({ hop: 'admit' });
    expect(flow('svc-gateway>producer')).toMatchObject({ hop: 'admit' });
    expect(flow('consumers>svc-push')).toMatchObject({ hop: 'push' });
    expect(flow('users>svc-gateway')!.messages).toBeGreaterThan(20_000);
    // Outside a sale: no services.
    const plain = new LiveRun(scenario('failover-acks1.yaml'));
    plain.advanceTo(3_000_000);
    const plainSnap = plain.snapshot();
    expect(plainSnap.sale).toBeNull();
    expect(plainSnap.nodes.some((n) => n.role === 'service')).toBe(false);
    expect(plainSnap.flows.some((f) => f.hop === 'admit' || f.hop === 'push')).toBe(false);
  });

  it('counts the orders a sale’s gateway refuses, by reason', () => {
    const base = scenario('double12.yaml');
    const limited = new LiveRun({ ...base, sale: { ...base.sale!, gateway: { ...base.sale!.gateway, rateLimitPerSecond: 30_000, burst: 1_000 } } });
    limited.advanceTo(12_000_000);
    let gateway = limited.snapshot().sale!.gateway;
    expect(gateway.refusedPerSec['rate-limited']).toBeGreaterThan(20_000);
    expect(gateway.admittedPerSec).toBeGreaterThan(29_000);
    expect(gateway.admittedPerSec).toBeLessThanOrEqual(30_000 + 1_000);
    expect(gateway.refused['rate-limited']).toBeGreaterThan(0);
    expect(gateway.tokens).toBeLessThan(1_000);
    const shedding = new LiveRun({ ...base, sale: { ...base.sale!, gateway: { ...base.sale!.gateway, maxBacklog: 2_000 } } });
    shedding.advanceTo(12_000_000);
    gateway = shedding.snapshot().sale!.gateway;
    expect(gateway.refusedPerSec['shed-backlog']).toBeGreaterThan(0);
    expect(gateway.refused['shed-backlog']).toBeGreaterThan(0);
    expect(gateway.maxBacklog).toBe(2_000);
    expect(gateway.backlog).toBeLessThanOrEqual(2_000);
  });

  it('gives a sale runScenario’s trace hash while its snapshots are taken', () => {
    const s = scenario('order-failover-acks-all.yaml');
    const expected = runScenario(s).traceHash;
    const live = new LiveRun(s);
    let t = 0;
    while (!live.done) {
      t += 251_113;
      live.advanceTo(t);
      live.flows();
      live.snapshot();
    }
    expect(live.traceHash()).toBe(expected);
  });

  it('refuses faults on nodes that do not exist', () => {
    const live = new LiveRun(scenario('failover-acks1.yaml'));
    expect(() => live.inject({ kind: 'broker-crash', broker: 3 })).toThrow(/broker 3/);
    expect(() => live.inject({ kind: 'consumer-kill', consumer: 1 })).toThrow(/consumer 1/);
  });
});
