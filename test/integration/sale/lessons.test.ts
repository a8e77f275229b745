import { describe, expect, it } from 'vitest';
import { business, column, runSale, set } from './harness';

/**
 * Every sale file in simulations/ teaches one thing; these tests run each (shortened where
 * the lesson survives it) and assert that thing in numbers.
 */
describe('double12.yaml: the queue shaves the midnight peak', () => {
  // One tenth of the rates (58,300 orders/s at the peak, 20,000/s of stock service capacity).
  const { summary, series } = runSale('double12.yaml', [
    set('sale.traffic.curve.baseline', 2_000),
    set('sale.gateway.rateLimitPerSecond', 60_000),
    set('sale.gateway.burst', 2_000),
    set('kafka.consumers.processingSeconds', { kind: 'constant', value: 0.0024 }),
    set('sale.push.ratePerSecond', 15_000),
    set('sale.push.promotion', { atSeconds: -5, users: 200_000 }),
    set('sale.salesNodes.applyMicros', [20, 20, 20, 40]),
  ]);
  const capacity = 48 / 0.0024;

  it('producer rate spikes far above the consumers, whose rate stays flat at their capacity', () => {
    const produced = column(series, 'producedPerSec');
    const delivered = column(series, 'deliveredPerSec');
    const lag = column(series, 'consumerLag');
    expect(Math.max(...produced.map((p) => p.v))).toBeGreaterThan(50_000);
    expect(Math.max(...delivered.map((p) => p.v))).toBeLessThanOrEqual(capacity * 1.01);
    // Around the lag's peak every consumer has a backlog, and the group delivers at its
    // capacity second after second: the peak is shaved flat. (As the lag drains, partitions
    // empty one by one and the rate tails off.)
    const peakLag = Math.max(...lag.map((p) => p.v));
    const backlogged = delivered.filter((_, i) => lag[i]!.v > 0.75 * peakLag && (lag[i - 1]?.v ?? 0) > 0.75 * peakLag);
    expect(backlogged.length).toBeGreaterThanOrEqual(5);
    for (const bucket of backlogged) expect(Math.abs(bucket.v - capacity) / capacity).toBeLessThan(0.02);
  });

  it('lag rises after midnight and drains before the end', () => {
    const lag = column(series, 'consumerLag');
    const peak = lag.reduce((best, p) => (p.v > best.v ? p : best));
    expect(peak.v).toBeGreaterThan(100_000);
    expect(peak.t).toBeGreaterThan(0);
    expect(lag[lag.length - 1]!.v).toBe(0);
  });

  it('sells nothing twice and loses nothing; its expectations are met', () => {
    const b = business(summary);
    expect(b.oversold).toBe(0);
    expect(b.ordersLost).toBe(0);
    expect(summary.messages.lost).toBe(0);
    expect(b.rejectedByReason['sold-out'] ?? 0).toBeGreaterThan(0); // hot SKUs run out
    expect(summary.invariants).toEqual({ conservation: true, violations: [] });
    expect(summary.expectations?.every((e) => e.met)).toBe(true);
  });
});

describe('order-failover pair: acks=1 loses acknowledged orders, acks=all does not', () => {
  const slower = [set('sale.traffic.curve.rate', 1_000)];

  it('acks=1: orders acknowledged by the cut-off leader are lost, with that cause', () => {
    const { summary } = runSale('order-failover-acks1.yaml', slower);
    const b = business(summary);
    expect(b.ordersLost).toBeGreaterThan(100);
    expect(summary.messages.lostByCause).toEqual({ 'acked-then-leader-failed-unreplicated': b.ordersLost });
    expect(summary.cluster?.leaderElections).toBeGreaterThan(0);
    expect(summary.timeline?.some((event) => event.kind === 'election')).toBe(true);
    expect(summary.invariants.conservation).toBe(true);
  });

  it('acks=all with min.insync.replicas=2: nothing lost; the price is latency during the failover', () => {
    const { summary } = runSale('order-failover-acks-all.yaml', slower);
    const b = business(summary);
    expect(b.ordersLost).toBe(0);
    expect(summary.messages.lost).toBe(0);
    expect(b.orderConfirmLatencyMs.p99).toBeGreaterThan(1_000);
    expect(summary.invariants.conservation).toBe(true);
  });
});

describe('hot-sku-oversell.yaml: a lost-update race oversells; either fix stops it', () => {
  const stockUnits = 10 * 500;

  it('read-then-write keyed by user confirms more units than there are', () => {
    const { summary } = runSale('hot-sku-oversell.yaml');
    const b = business(summary);
    expect(b.oversold).toBeGreaterThan(0);
    expect(b.ordersAccepted - b.ordersRejected - b.ordersLost).toBe(stockUnits + b.oversold);
  });

  it('an atomic conditional decrement sells exactly the stock', () => {
    const { summary } = runSale('hot-sku-oversell.yaml', [set('sale.stock.deduction', 'atomic')]);
    const b = business(summary);
    expect(b.oversold).toBe(0);
    expect(b.ordersAccepted - b.ordersRejected).toBe(stockUnits);
  });

  it('keying orders by SKU serialises each SKU on one consumer, so even read-then-write is safe', () => {
    const { summary } = runSale('hot-sku-oversell.yaml', [set('sale.keyBy', 'sku')]);
    expect(business(summary).oversold).toBe(0);
  });
});

describe('push-storm.yaml: push latency is bounded by the throttle', () => {
  // A tenth of the campaign and of the rates: the bound users / (throttle - order pushes) stays 33.3 s.
  const { summary, series } = runSale('push-storm.yaml', [
    set('sale.traffic.curve.rate', 1_000),
    set('sale.push.ratePerSecond', 10_000),
    set('sale.push.promotion', { atSeconds: -10, users: 300_000 }),
  ]);
  const boundMs = (300_000 / (10_000 - 1_000)) * 1000;

  it('p99 push latency sits just under users / spare throttle capacity', () => {
    const b = business(summary);
    expect(b.pushLatencyMs.p99).toBeLessThanOrEqual(boundMs * 1.01);
    expect(b.pushLatencyMs.p99).toBeGreaterThan(boundMs * 0.95);
  });

  it('the backlog falls in a straight line at the spare capacity', () => {
    const backlog = column(series, 'pushBacklog').filter((p) => p.v > 20_000);
    const slopes = backlog.slice(1).map((p, i) => backlog[i]!.v - p.v);
    for (const slope of slopes.slice(1, -1)) expect(Math.abs(slope - 9_000)).toBeLessThan(9_000 * 0.05);
  });

  it('every push is accounted; only triple failures are dead-lettered', () => {
    const b = business(summary);
    expect(b.pushDelivered + b.pushDeadLettered).toBe(b.pushSent);
    expect(b.pushRetried / b.pushSent).toBeCloseTo(0.01 + 0.0001, 3);
    expect(b.pushDeadLettered).toBeLessThan(10);
  });
});

describe('network-partition.yaml: a leader cut off from its followers', () => {
  const slower = set('sale.traffic.curve.rate', 2_000);

  it('with the ISR intact, orders wait for the network and nothing is lost or elected', () => {
    const { summary } = runSale('network-partition.yaml', [slower]);
    expect(summary.messages.lost).toBe(0);
    expect(business(summary).ordersLost).toBe(0);
    expect(summary.cluster?.leaderElections).toBe(0);
    expect(business(summary).orderConfirmLatencyMs.max).toBeGreaterThan(15_000);
  });

  it('with replica.lag.time.max.ms 5 s, the ISR shrinks to the leader and still nothing is lost', () => {
    const { summary, series } = runSale('network-partition.yaml', [slower, set('kafka.replicaLagTimeMaxMs', 5_000)]);
    const minIsr = column(series, 'minIsr');
    expect(Math.min(...minIsr.map((p) => p.v))).toBe(1);
    expect(minIsr[minIsr.length - 1]!.v).toBe(3);
    expect(summary.messages.lost).toBe(0);
  });
});

describe('consumer-crash-storm.yaml: at-least-once redelivery against an idempotent stock service', () => {
  it('redelivered orders are skipped, not deducted twice', () => {
    const { summary } = runSale('consumer-crash-storm.yaml');
    expect(summary.messages.duplicates).toBeGreaterThan(0);
    expect(business(summary).processedTwice).toBe(0);
  });

  it('without idempotence every redelivered order is deducted again', () => {
    const { summary } = runSale('consumer-crash-storm.yaml', [set('sale.stock.idempotent', false)]);
    expect(business(summary).processedTwice).toBe(summary.messages.duplicates);
    expect(summary.messages.duplicates).toBeGreaterThan(0);
  });

  it('committing before processing trades duplicates for lost orders (at-most-once)', () => {
    const { summary } = runSale('consumer-crash-storm.yaml', [set('kafka.consumers.commit', 'before-processing')]);
    expect(summary.messages.duplicates).toBe(0);
    expect(business(summary).ordersLost).toBeGreaterThan(0);
    expect(Object.keys(summary.messages.lostByCause)).toEqual(['at-most-once-consumer-crash']);
  });
});

describe('rebalance-storm.yaml: scaling out on lag, eager against cooperative', () => {
  const shorter = [set('sale.traffic.endSeconds', 45), set('sale.drainSeconds', 40)];
  const eager = runSale('rebalance-storm.yaml', shorter);
  const cooperative = runSale('rebalance-storm.yaml', [...shorter, set('kafka.consumers.rebalance', 'cooperative')]);

  it('steps the group up to its maximum, one rebalance per step, each marked on the timeline', () => {
    const consumers = column(eager.series, 'consumers').map((p) => p.v);
    expect(consumers[0]).toBe(8);
    expect(Math.max(...consumers)).toBe(32);
    expect(eager.summary.cluster?.rebalances).toBe(6);
    expect(eager.summary.timeline?.filter((event) => event.kind === 'rebalance')).toHaveLength(6);
  });

  it('an eager rebalance stops all consumption while it lasts', () => {
    const delivered = column(eager.series, 'deliveredPerSec');
    // The first scale-out starts at 7 s; the consumers then finish what they had already polled
    // (up to a second's worth at 0.5 ms a record), after which nothing is processed until 25 s.
    const during = delivered.filter((p) => p.t > 9 && p.t <= 25);
    expect(during.every((p) => p.v === 0)).toBe(true);
  });

  it('cooperative rebalances keep unmoved partitions flowing, so the lag peaks far lower', () => {
    const delivered = column(cooperative.series, 'deliveredPerSec').filter((p) => p.t > 8 && p.t <= 25);
    expect(delivered.every((p) => p.v > 0)).toBe(true);
    const eagerPeak = eager.summary.cluster!.maxConsumerLag;
    const cooperativePeak = cooperative.summary.cluster!.maxConsumerLag;
    expect(cooperativePeak).toBeLessThan(eagerPeak * 0.6);
  });

  it('rebalances lose and duplicate nothing (records polled are processed and committed before moving)', () => {
    for (const run of [eager, cooperative]) {
      expect(run.summary.messages.lost).toBe(0);
      expect(run.summary.messages.duplicates).toBe(0);
      expect(run.summary.messages.inFlight).toBe(0);
      expect(run.summary.invariants.conservation).toBe(true);
    }
  });
});
