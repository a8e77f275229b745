import type { TimeSeries } from '../metrics/time-series';
import { EXPECT_BOUNDS, EXPECT_METRICS, type ExpectMetric, type ExpectSpec, type SloMetric, type SloSpec } from '../scenario';
import type { ExpectationResult, SloBreach, Summary } from './summary';

/**
 * Where each expectation's value comes from in summary.json. A metric that does not apply
 * to the run (a business figure in a run without a sale) reads as null and is reported as
 * missed, with the reason in its `expected` text.
 */
const METRIC_VALUES: Record<ExpectMetric, (summary: Summary) => number | null> = {
  produced: (s) => s.messages.produced,
  delivered: (s) => s.messages.delivered,
  lost: (s) => s.messages.lost,
  rejected: (s) => s.messages.rejected,
  duplicates: (s) => s.messages.duplicates,
  inFlight: (s) => s.messages.inFlight,
  oversold: (s) => s.business?.oversold ?? null,
  processedTwice: (s) => s.business?.processedTwice ?? null,
  ordersLost: (s) => s.business?.ordersLost ?? null,
  ordersAccepted: (s) => s.business?.ordersAccepted ?? null,
  ordersRejected: (s) => s.business?.ordersRejected ?? null,
  stockDivergenceMax: (s) => s.business?.stockDivergenceMax ?? null,
  pushDelivered: (s) => s.business?.pushDelivered ?? null,
  pushDeadLettered: (s) => s.business?.pushDeadLettered ?? null,
  p99OrderMs: (s) => s.business?.orderConfirmLatencyMs.p99 ?? null,
  p99EndToEndMs: (s) => s.latencyMs.endToEnd.p99,
  p99ProduceMs: (s) => s.latencyMs.produce?.p99 ?? null,
  p99PushMs: (s) => s.business?.pushLatencyP99Ms ?? null,
  maxConsumerLag: (s) => s.cluster?.maxConsumerLag ?? null,
  leaderElections: (s) => s.cluster?.leaderElections ?? null,
  uncleanElections: (s) => s.cluster?.uncleanElections ?? null,
  elrElections: (s) => s.cluster?.elrElections ?? null,
  preferredElections: (s) => s.cluster?.preferredElections ?? null,
  reorderedBatches: (s) => s.cluster?.reorderedBatches ?? null,
  recordsPerBatch: (s) => s.cluster?.recordsPerBatch ?? null,
  sloBreaches: (s) => s.sloBreaches?.length ?? 0,
};

export function evaluateExpectations(summary: Summary, expect: ExpectSpec): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  for (const metric of Object.keys(EXPECT_METRICS) as ExpectMetric[]) {
    for (const bound of EXPECT_BOUNDS) {
      const name = `${metric}${bound}`;
      const wanted = expect[name];
      if (wanted === undefined) continue;
      const actual = METRIC_VALUES[metric](summary);
      const relation = bound === '' ? '=' : bound === 'Min' ? '>=' : '<=';
      if (actual === null) {
        results.push({ name, expected: `${relation} ${wanted} (not measured in this run)`, actual: NaN, met: false });
        continue;
      }
      const met = bound === '' ? actual === wanted : bound === 'Min' ? actual >= wanted : actual <= wanted;
      results.push({ name, expected: `${relation} ${wanted}`, actual, met });
    }
  }
  return results;
}

/** The time-series column each SLO metric watches. */
const SLO_COLUMNS: Record<SloMetric, string> = {
  p99OrderMs: 'orderP99Ms',
  p99EndToEndMs: 'e2eP99Ms',
  consumerLag: 'consumerLag',
  oversold: 'oversoldTotal',
  stockDivergence: 'stockDivergence',
  pushBacklog: 'pushBacklog',
  underReplicated: 'underReplicated',
  offline: 'offline',
};

/** Runs of consecutive buckets where an SLO's value was above its bound. */
export function sloBreaches(series: TimeSeries, slos: readonly SloSpec[]): SloBreach[] {
  const breaches: SloBreach[] = [];
  for (const slo of slos) {
    const name = slo.name ?? `${slo.metric} <= ${slo.max}`;
    const column = series.columns.findIndex((candidate) => candidate.key === SLO_COLUMNS[slo.metric]);
    if (column < 0) continue;
    let open: SloBreach | null = null;
    series.rows.forEach((row, index) => {
      const value = row[column]!;
      const end = row[0]!;
      const start = index === 0 ? end - series.bucketSeconds : series.rows[index - 1]![0]!;
      if (value > slo.max) {
        if (open === null) open = { slo: name, fromSeconds: start, toSeconds: end, worst: value };
        else {
          open.toSeconds = end;
          open.worst = Math.max(open.worst, value);
        }
      } else if (open !== null) {
        breaches.push(open);
        open = null;
      }
    });
    if (open !== null) breaches.push(open);
  }
  return breaches;
}
