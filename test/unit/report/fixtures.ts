import type { SeriesColumn, TimeSeries } from '../../../src/metrics/time-series';
import type { Summary } from '../../../src/report/summary';

/** Hand-built inputs for the report tests: a Kafka sale run with a broker crash at 5 s. */

const latency = (p99: number) => ({ mean: p99 / 4, p50: p99 / 5, p95: p99 / 2, p99, p999: p99 * 1.5, max: p99 * 2 });

export function sampleSummary(overrides: Partial<Summary> = {}): Summary {
  return {
    schema: 1,
    scenario: 'Double 12: broker crash at the peak',
    seed: 42,
    engineVersion: '0.3.0',
    traceHash: '9f3c2a7b11d04e85',
    simulatedSeconds: 10,
    wallSeconds: 1.234,
    events: 1_234_567,
    messages: {
      produced: 583_000,
      acked: 582_100,
      delivered: 580_000,
      duplicates: 12,
      lost: 467,
      inFlight: 2_033,
      rejected: 500,
      lostByCause: { 'acked-then-leader-failed-unreplicated': 450, 'acks0-network-drop': 17 },
      rejectedByCause: { 'not-enough-replicas': 500 },
    },
    latencyMs: { endToEnd: latency(742), produce: latency(120.5) },
    throughput: { producedPerSecPeak: 583_000, deliveredPerSecPeak: 412_345.5, producedPerSecMean: 58_300, deliveredPerSecMean: 58_000 },
    cluster: {
      leaderElections: 6,
      uncleanElections: 0,
      underReplicatedPartitionSeconds: 31.5,
      offlinePartitionSeconds: 0,
      maxConsumerLag: 1_200_000,
      rebalances: 1,
    },
    business: {
      ordersPlaced: 100_000,
      ordersAccepted: 80_000,
      ordersConfirmed: 75_000,
      ordersRejected: 20_000,
      rejectedByReason: { 'gateway-rate-limit': 15_000, 'out-of-stock': 5_000 },
      oversold: 0,
      processedTwice: 0,
      ordersLost: 0,
      ordersUnpaidReleased: 1_500,
      stockDivergenceMax: 3,
      stockDivergenceSeconds: 1.25,
      orderConfirmLatencyMs: latency(742),
      pushSent: 80_000,
      pushDelivered: 79_990,
      pushRetried: 40,
      pushDeadLettered: 10,
      pushLatencyMs: latency(1_800),
      pushLatencyP99Ms: 1_800,
    },
    faults: [{ atMs: 5_000, kind: 'broker-crash', target: 'broker-2', endedAtMs: 8_000 }],
    timeline: [
      { atMs: 5_300, kind: 'leader-election', label: 'orders-3 leader broker-2 -> broker-1' },
      { atMs: 5_300, kind: 'leader-election', label: 'orders-7 leader broker-2 -> broker-3' },
    ],
    expectations: [
      { name: 'oversold', expected: '= 0', actual: 0, met: true },
      { name: 'p99OrderMsMax', expected: '<= 500 ms', actual: 742, met: false },
    ],
    sloBreaches: [{ slo: 'p99OrderMs <= 500', fromSeconds: 5, toSeconds: 7.5, worst: 1_650 }],
    invariants: { conservation: true, violations: [] },
    ...overrides,
  };
}

const column = (key: string, label: string, unit: string, chart: SeriesColumn['chart']): SeriesColumn => ({ key, label, unit, chart });

export const SAMPLE_COLUMNS: readonly SeriesColumn[] = [
  column('timeSeconds', 'Time', 's', 'throughput'),
  column('producedPerSec', 'Produced', 'msg/s', 'throughput'),
  column('deliveredPerSec', 'Delivered', 'msg/s', 'throughput'),
  column('e2eP50Ms', 'End-to-end p50', 'ms', 'latency'),
  column('e2eP99Ms', 'End-to-end p99', 'ms', 'latency'),
  column('consumerLag', 'Lag, stock service', 'msg', 'lag'),
  column('lostTotal', 'Lost (total)', 'msg', 'loss'),
];

/**
 * `buckets` rows of `bucketSeconds`: traffic that jumps 30x at 2 s, a crash at 5 s that stops
 * delivery (latency NaN: nothing delivered) until 6 s, and loss at the crash.
 */
export function sampleSeries(buckets = 20, bucketSeconds = 0.5, columns: readonly SeriesColumn[] = SAMPLE_COLUMNS): TimeSeries {
  const rows: number[][] = [];
  let lag = 0;
  for (let i = 0; i < buckets; i++) {
    const t = (i + 1) * bucketSeconds;
    const produced = t <= 2 ? 19_433 : 583_000 * (1 - 0.25 * Math.max(0, t - 6) / 4) + 1_000 * Math.sin(i);
    const delivering = !(t > 5 && t <= 6);
    const delivered = delivering ? Math.min(produced + lag / bucketSeconds, 412_345.5) : 0;
    lag = Math.max(0, lag + (produced - delivered) * bucketSeconds);
    const values: Record<string, number> = {
      timeSeconds: t,
      producedPerSec: produced,
      deliveredPerSec: delivered,
      e2eP50Ms: delivering ? 4 + lag / 50_000 : NaN,
      e2eP99Ms: delivering ? 40 + lag / 2_000 + (t > 6 && t < 7 ? 600 : 0) : NaN,
      consumerLag: lag,
      lostTotal: t > 5 ? 467 : 0,
    };
    rows.push(columns.map((c) => values[c.key] ?? NaN));
  }
  return { bucketSeconds, columns, rows };
}
