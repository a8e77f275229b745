import { confidenceInterval, lag1Autocorrelation, type ConfidenceInterval } from '../metrics/confidence';
import { stationModelName } from '../model/queueing/theory';
import type { HistogramPercentiles, LogHistogram } from '../metrics/histogram';
import type { RateMeter } from '../metrics/rate-meter';
import type { FaultRecord, KafkaRunResult, QueueRunResult, RunResult } from '../run';
import { evaluateExpectations, sloBreaches } from './expectations';

/**
 * summary.json, schema 1 (DESIGN.md "Contracts"). Fields may be added; none is renamed or
 * removed without bumping `schema`. `wallSeconds` is the only field that differs between two
 * runs of the same scenario and seed.
 */
export const SUMMARY_SCHEMA = 1;
export const CONFIDENCE_LEVEL = 0.99;

/** Latency percentiles in milliseconds. */
export type LatencySummaryMs = HistogramPercentiles;

/** A measured mean with its confidence interval, next to the closed form when there is one. */
export interface Estimate {
  measured: number;
  halfWidth: number;
  relativeHalfWidth: number;
  theory: number | null;
  /** Whether the theory lies inside the interval; null when there is no theory. */
  theoryInInterval: boolean | null;
}

export interface QueueingSummary {
  model: string;
  servers: number;
  arrivalRatePerSecond: number;
  utilisation: number | null;
  theoryNote: string | null;
  confidenceLevel: number;
  batches: number;
  customersPerBatch: number;
  warmupCustomers: number;
  batchLag1Autocorrelation: number | null;
  /** Why there are no intervals, when fewer than 2 batches were measured; else null. */
  measurementNote: string | null;
  sojournSecondsMean: Estimate | null;
  waitSecondsMean: Estimate | null;
  inSystemMean: Estimate | null;
  sojournSecondsP99: Estimate | null;
  littleLaw: { inSystemTimeAverage: number; arrivalRateTimesSojourn: number; relativeDifference: number } | null;
}

export interface ClusterSummary {
  leaderElections: number;
  uncleanElections: number;
  /** Leaders taken from the eligible leader replicas (KIP-966); absent in older summaries. */
  elrElections?: number;
  /** Leaderships moved back to the preferred replica by the automatic leader rebalance (in leaderElections too). */
  preferredElections?: number;
  underReplicatedPartitionSeconds: number;
  offlinePartitionSeconds: number;
  maxConsumerLag: number;
  rebalances: number;
  /** Consumers the group coordinator removed (session timeout, max.poll.interval.ms), and commits refused to removed consumers. */
  membersRemoved?: number;
  commitsFailed?: number;
  /** Produce requests sent (retries included), the record batches they carried, and records per batch. */
  produceRequests?: number;
  recordBatches?: number;
  recordsPerBatch?: number;
  /** Batches a leader appended behind a later batch: per-key order broken (retries without idempotence, F9). */
  reorderedBatches?: number;
  /** Further consumer groups reading the topic (kafka.consumers.groups > 1): records processed, lag, latency. */
  readerGroups?: { processed: number; maxConsumerLag: number; endToEndP99Ms: number }[];
}

/** The sale's business outcome (issue 4): what an architect reads first. */
export interface BusinessSummary {
  ordersPlaced: number;
  ordersAccepted: number;
  ordersConfirmed: number;
  ordersRejected: number;
  /** Why orders were turned away: gateway rate limit, queue-depth shedding, out of stock... */
  rejectedByReason: Record<string, number>;
  /** Units confirmed beyond the stock there was. Zero in a correct design. */
  oversold: number;
  /** Orders whose stock was deducted more than once. */
  processedTwice: number;
  /** Orders accepted at the gateway that never got a confirmation or a rejection. */
  ordersLost: number;
  ordersUnpaidReleased: number;
  /** Largest difference, in units, between a sales node's stock view and the stock service. */
  stockDivergenceMax: number;
  /** Seconds during which at least one sales node's view differed from the truth. */
  stockDivergenceSeconds: number;
  orderConfirmLatencyMs: LatencySummaryMs;
  pushSent: number;
  pushDelivered: number;
  pushRetried: number;
  pushDeadLettered: number;
  pushLatencyMs: LatencySummaryMs;
  pushLatencyP99Ms: number;
}

/** One `expect` entry of the scenario, checked against the run. */
export interface ExpectationResult {
  /** The scenario's key, e.g. `oversold` or `p99OrderMsMax`. */
  name: string;
  /** What the scenario asked for, in words: "= 0", "<= 800 ms". */
  expected: string;
  actual: number;
  met: boolean;
}

/** An SLO missed during one or more time buckets. */
export interface SloBreach {
  slo: string;
  fromSeconds: number;
  toSeconds: number;
  worst: number;
}

export interface Summary {
  schema: number;
  scenario: string;
  seed: number;
  engineVersion: string;
  traceHash: string;
  simulatedSeconds: number;
  wallSeconds: number;
  events: number;
  messages: {
    produced: number;
    acked: number;
    delivered: number;
    duplicates: number;
    lost: number;
    inFlight: number;
    rejected: number;
    lostByCause: Record<string, number>;
    rejectedByCause: Record<string, number>;
    /** Kafka runs: why messages were delivered again. */
    duplicatesByCause?: Record<string, number>;
  };
  latencyMs: {
    endToEnd: LatencySummaryMs;
    /** Queue models: time waiting for a server, and the service itself. */
    queueWait?: LatencySummaryMs;
    service?: LatencySummaryMs;
    /** Kafka: from send to acknowledgement. */
    produce?: LatencySummaryMs;
  };
  throughput: { producedPerSecPeak: number; deliveredPerSecPeak: number; producedPerSecMean: number; deliveredPerSecMean: number };
  /** Queue models only: measured against theory. */
  queueing?: QueueingSummary;
  /** Kafka only. */
  cluster?: ClusterSummary;
  /** Sale scenarios only. */
  business?: BusinessSummary;
  faults: FaultRecord[];
  /** Elections and other cluster events worth a marker on the timeline. */
  timeline?: { atMs: number; kind: string; label: string }[];
  expectations?: ExpectationResult[];
  sloBreaches?: SloBreach[];
  invariants: { conservation: boolean; violations: string[] };
}

type Messages = Summary['messages'];

export function buildSummary(result: RunResult): Summary {
  const common = {
    schema: SUMMARY_SCHEMA,
    scenario: result.scenario.title,
    seed: result.seed,
    engineVersion: result.engineVersion,
    traceHash: result.traceHash,
    simulatedSeconds: result.simulatedSeconds,
    wallSeconds: result.wallSeconds,
    events: result.events,
  };
  const throughput = (messages: Messages, produced: RateMeter, delivered: RateMeter) => ({
    producedPerSecPeak: produced.peakPerSecond(),
    deliveredPerSecPeak: delivered.peakPerSecond(),
    producedPerSecMean: perSecond(messages.produced, result.simulatedSeconds),
    deliveredPerSecMean: perSecond(messages.delivered, result.simulatedSeconds),
  });
  if (result.model === 'kafka') {
    const { ledger, cluster, group, producer } = result.system;
    const messages: Messages = ledger.totals();
    const business = result.sale === null ? undefined : businessSummary(result);
    const summary: Summary = {
      ...common,
      messages,
      latencyMs: { endToEnd: latencyMs(group.endToEndLatencyUs), produce: latencyMs(producer.produceLatencyUs) },
      throughput: throughput(messages, producer.sentPerSecond, group.deliveredPerSecond),
      cluster: {
        leaderElections: cluster.leaderElections,
        uncleanElections: cluster.uncleanElections,
        elrElections: cluster.elrElections,
        preferredElections: cluster.preferredElections,
        underReplicatedPartitionSeconds: cluster.underReplicatedPartitionUs / 1e6,
        offlinePartitionSeconds: cluster.offlinePartitionUs / 1e6,
        maxConsumerLag: Math.max(group.maxLag, seriesMax(result, 'consumerLag')),
        rebalances: group.rebalances,
        membersRemoved: group.membersRemoved,
        commitsFailed: group.commitsFailed,
        produceRequests: producer.requestsSent,
        recordBatches: producer.batchesSent,
        recordsPerBatch: producer.batchesSent === 0 ? 0 : producer.recordsSent / producer.batchesSent,
        reorderedBatches: cluster.reorderedBatches,
        ...(result.system.readers.length === 0
          ? {}
          : {
              readerGroups: result.system.readers.map((reader) => ({
                processed: reader.endToEndLatencyUs.count,
                maxConsumerLag: reader.maxLag,
                endToEndP99Ms: latencyMs(reader.endToEndLatencyUs).p99,
              })),
            }),
      },
      ...(business === undefined ? {} : { business }),
      faults: result.faults,
      timeline: result.timeline,
      invariants: conservation(messages, [...result.midRunAudit, ...result.system.audit(), ...orderAudit(result)]),
    };
    summary.sloBreaches = sloBreaches(result.series, result.scenario.slo);
    if (result.scenario.expect !== undefined) summary.expectations = evaluateExpectations(summary, result.scenario.expect);
    return summary;
  }
  const { station } = result;
  const messages: Messages = {
    produced: station.arrived,
    acked: station.arrived,
    delivered: station.departed,
    duplicates: 0,
    lost: 0,
    inFlight: station.inSystem,
    rejected: 0,
    lostByCause: {},
    rejectedByCause: {},
  };
  return {
    ...common,
    messages,
    latencyMs: {
      endToEnd: latencyMs(station.sojournUs),
      queueWait: latencyMs(station.waitUs),
      service: latencyMs(station.serviceUs),
    },
    throughput: throughput(messages, station.arrivalsPerSecond, station.departuresPerSecond),
    queueing: queueingSummary(result),
    faults: [],
    invariants: conservation(messages, []),
  };
}

function businessSummary(result: KafkaRunResult): BusinessSummary {
  const sale = result.sale!;
  const rejectedByReason: Record<string, number> = {};
  for (const [reason, count] of Object.entries(sale.rejected)) if (count > 0) rejectedByReason[reason] = count;
  const pushLatencyMs = latencyMs(sale.push.latencyUs);
  return {
    ordersPlaced: sale.ordersPlaced,
    ordersAccepted: sale.ordersAccepted,
    ordersConfirmed: sale.ordersConfirmed,
    ordersRejected: sale.ordersRejected(),
    rejectedByReason,
    oversold: sale.stock.oversold,
    processedTwice: sale.stock.processedTwice,
    ordersLost: sale.ordersLost(),
    ordersUnpaidReleased: sale.stock.released,
    stockDivergenceMax: sale.salesNodes.maxDivergence(),
    stockDivergenceSeconds: sale.salesNodes.divergedSeconds(result.simulatedSeconds * 1e6),
    orderConfirmLatencyMs: latencyMs(sale.confirmLatencyUs),
    pushSent: sale.push.created,
    pushDelivered: sale.push.delivered,
    pushRetried: sale.push.retried,
    pushDeadLettered: sale.push.deadLettered,
    pushLatencyMs,
    pushLatencyP99Ms: pushLatencyMs.p99,
  };
}

/**
 * Every order is accounted too: placed = turned away at the gateway + admitted, and admitted
 * = confirmed + rejected after admission + lost by the cluster + still undecided. Every push:
 * created = delivered + dead-lettered + waiting.
 */
function orderAudit(result: KafkaRunResult): string[] {
  const sale = result.sale;
  if (sale === null) return [];
  const violations: string[] = [];
  const atGateway = sale.rejected['rate-limited'] + sale.rejected['shed-backlog'];
  if (sale.ordersPlaced !== atGateway + sale.ordersAccepted) {
    violations.push(`orders placed ${sale.ordersPlaced} != turned away ${atGateway} + admitted ${sale.ordersAccepted}`);
  }
  const afterAdmission = sale.ordersConfirmed + sale.rejected['sold-out'] + sale.rejected['produce-failed'] + sale.backlog;
  if (afterAdmission !== sale.ordersAccepted) {
    violations.push(`orders admitted ${sale.ordersAccepted} != confirmed + rejected after admission + undecided = ${afterAdmission}`);
  }
  const push = sale.push;
  if (push.created !== push.delivered + push.deadLettered + push.waiting) {
    violations.push(`pushes created ${push.created} != delivered ${push.delivered} + dead-lettered ${push.deadLettered} + waiting ${push.waiting}`);
  }
  return violations;
}

function seriesMax(result: KafkaRunResult, key: string): number {
  const column = result.series.columns.findIndex((candidate) => candidate.key === key);
  let max = 0;
  for (const row of result.series.rows) if (row[column]! > max) max = row[column]!;
  return max;
}

function conservation(messages: Messages, audit: string[]): Summary['invariants'] {
  const accounted = messages.delivered + messages.lost + messages.inFlight + messages.rejected;
  const violations = [...audit];
  if (accounted !== messages.produced) {
    violations.push(`produced ${messages.produced} != delivered + lost + in flight + rejected = ${accounted}`);
  }
  return { conservation: violations.length === 0, violations };
}

function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}

/** Percentiles of a µs histogram, in ms; all zero when nothing was recorded. */
function latencyMs(histogram: LogHistogram): LatencySummaryMs {
  if (histogram.count === 0) return { mean: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const { mean, p50, p95, p99, p999, max } = histogram.percentiles();
  return { mean: mean / 1000, p50: p50 / 1000, p95: p95 / 1000, p99: p99 / 1000, p999: p999 / 1000, max: max / 1000 };
}

function estimate(samples: number[], theory: number | null): Estimate | null {
  if (samples.length < 2) return null;
  const interval: ConfidenceInterval = confidenceInterval(samples, CONFIDENCE_LEVEL);
  return {
    measured: interval.mean,
    halfWidth: interval.halfWidth,
    relativeHalfWidth: interval.relativeHalfWidth,
    theory,
    theoryInInterval: theory === null ? null : Math.abs(theory - interval.mean) <= interval.halfWidth,
  };
}

/** Batch means of the station's per-batch sums; only batches whose window closed count. */
function queueingSummary(result: QueueRunResult): QueueingSummary {
  const { station, theory: outcome } = result;
  const queue = result.scenario.queue!;
  const batches = station.batches;
  const closed: number[] = [];
  for (let b = 0; b < batches.windowSeconds.length; b++) if (batches.windowSeconds[b]! > 0) closed.push(b);
  const perCustomer = (sums: Float64Array) => closed.map((b) => sums[b]! / batches.batchSize);
  const sojournMeans = perCustomer(batches.sojournSecondsSum);
  const theory = outcome.ok ? outcome.theory : null;
  const sojournP99s = closed.map((b) => batches.sojournHistograms[b]!.quantile(0.99) / 1_000_000);
  const inSystem = closed.map((b) => batches.customerSecondsInSystem[b]! / batches.windowSeconds[b]!);
  const timeAverageInSystem = station.measuredCustomerSeconds / station.measuredWindowSeconds;
  const arrivalRate = station.measuredArrivals / station.measuredWindowSeconds;
  const sojournMean = sojournMeans.reduce((sum, value) => sum + value, 0) / sojournMeans.length;
  const measured = closed.length >= 2;
  return {
    model: stationModelName(queue.servers, queue.serviceSeconds),
    servers: queue.servers,
    arrivalRatePerSecond: queue.arrivalRatePerSecond,
    utilisation: theory?.utilisation ?? null,
    theoryNote: outcome.ok ? null : outcome.reason,
    confidenceLevel: CONFIDENCE_LEVEL,
    batches: closed.length,
    customersPerBatch: batches.batchSize,
    warmupCustomers: queue.warmupCustomers,
    batchLag1Autocorrelation: measured ? lag1Autocorrelation(sojournMeans) : null,
    measurementNote: measured
      ? null
      : `only ${closed.length} of ${batches.windowSeconds.length} measured batches completed before the run stopped; ` +
        'intervals need at least 2: run longer (a later --until) or measure fewer customers',
    sojournSecondsMean: estimate(sojournMeans, theory?.sojournSecondsMean ?? null),
    waitSecondsMean: estimate(perCustomer(batches.waitSecondsSum), theory?.waitSecondsMean ?? null),
    inSystemMean: estimate(inSystem, theory?.inSystemMean ?? null),
    sojournSecondsP99: estimate(sojournP99s, theory?.sojournSecondsP99 ?? null),
    littleLaw: measured
      ? {
          inSystemTimeAverage: timeAverageInSystem,
          arrivalRateTimesSojourn: arrivalRate * sojournMean,
          relativeDifference: Math.abs(timeAverageInSystem - arrivalRate * sojournMean) / timeAverageInSystem,
        }
      : null,
  };
}
