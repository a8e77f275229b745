import type { Estimate, LatencySummaryMs, QueueingSummary, Summary } from '../report/summary';

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

function significant(value: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, 4 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 6));
}

function estimateRow(label: string, estimate: Estimate | null): string {
  if (estimate === null) return `  ${label.padEnd(24)}—`;
  const measured = `${significant(estimate.measured)} ± ${significant(estimate.halfWidth)} (${(estimate.relativeHalfWidth * 100).toFixed(2)} %)`;
  const theory = estimate.theory === null ? '—' : significant(estimate.theory);
  const verdict = estimate.theoryInInterval === null ? '' : estimate.theoryInInterval ? 'inside' : 'OUTSIDE';
  return `  ${label.padEnd(24)}${measured.padEnd(34)}${theory.padEnd(12)}${verdict}`;
}

/** The human-readable result of `queuelab run`. */
export function formatRun(summary: Summary, fileName: string): string {
  const m = summary.messages;
  const eventsPerSecond = summary.wallSeconds > 0 ? summary.events / summary.wallSeconds : 0;
  const lines = [
    `${summary.scenario}  (${fileName}, seed ${summary.seed})`,
    `  ${count(summary.events)} events in ${summary.wallSeconds.toFixed(2)} s wall (${(eventsPerSecond / 1e6).toFixed(1)} M events/s), ` +
      `${count(summary.simulatedSeconds)} s simulated, trace hash ${summary.traceHash}`,
    summary.queueing === undefined
      ? `  messages: ${count(m.produced)} produced, ${count(m.delivered)} delivered, ${count(m.inFlight)} in flight, ` +
        `${count(m.lost)} lost, ${count(m.rejected)} rejected (conservation ${summary.invariants.conservation ? 'holds' : 'BROKEN'})`
      : `  customers: ${count(m.produced)} arrived, ${count(m.delivered)} served, ${count(m.inFlight)} in system ` +
        `(conservation ${summary.invariants.conservation ? 'holds' : 'BROKEN'})`,
    `  throughput: peak ${significant(summary.throughput.producedPerSecPeak)}/s in, ${significant(summary.throughput.deliveredPerSecPeak)}/s out ` +
      `(mean ${significant(summary.throughput.producedPerSecMean)}/s in, ${significant(summary.throughput.deliveredPerSecMean)}/s out)`,
    ...(summary.queueing === undefined ? kafkaLines(summary) : queueingLines(summary.queueing)),
    ...businessLines(summary),
    ...(summary.sloBreaches ?? []).map(
      (b) => `  SLO breached: ${b.slo} from ${significant(b.fromSeconds)} s to ${significant(b.toSeconds)} s (worst ${significant(b.worst)})`,
    ),
    ...expectationLines(summary),
  ];
  if (summary.invariants.violations.length > 0) lines.push(...summary.invariants.violations.map((v) => `  VIOLATION: ${v}`));
  return `${lines.join('\n')}\n`;
}

function queueingLines(q: QueueingSummary): string[] {
  const lines = [
    '',
    `  ${q.model}${q.utilisation === null ? '' : `, utilisation ρ = ${q.utilisation.toFixed(3)}`}; ${q.batches} batches of ` +
      `${count(q.customersPerBatch)} customers after ${count(q.warmupCustomers)} warm-up; ${q.confidenceLevel * 100} % confidence`,
    `  ${'quantity'.padEnd(24)}${'measured ± half-width'.padEnd(34)}${'theory'.padEnd(12)}theory in interval`,
    estimateRow('mean sojourn W (s)', q.sojournSecondsMean),
    estimateRow('mean wait Wq (s)', q.waitSecondsMean),
    estimateRow('mean in system L', q.inSystemMean),
    estimateRow('p99 sojourn (s)', q.sojournSecondsP99),
  ];
  if (q.littleLaw !== null) {
    lines.push(
      `  Little's law: L = ${significant(q.littleLaw.inSystemTimeAverage)} (time average), λW = ` +
        `${significant(q.littleLaw.arrivalRateTimesSojourn)}, relative difference ${q.littleLaw.relativeDifference.toExponential(1)}`,
    );
  }
  if (q.measurementNote !== null) lines.push(`  no intervals: ${q.measurementNote}`);
  if (q.theoryNote !== null) lines.push(`  no closed form: ${q.theoryNote}`);
  return lines;
}

function businessLines(summary: Summary): string[] {
  const b = summary.business;
  if (b === undefined) return [];
  const reasons = Object.entries(b.rejectedByReason)
    .map(([reason, n]) => `${count(n)} ${reason}`)
    .join(', ');
  return [
    '',
    `  orders: ${count(b.ordersPlaced)} placed, ${count(b.ordersAccepted)} admitted, ${count(b.ordersRejected)} rejected${reasons === '' ? '' : ` (${reasons})`}, ${count(b.ordersLost)} lost`,
    `  stock: ${count(b.oversold)} oversold, ${count(b.processedTwice)} processed twice, ${count(b.ordersUnpaidReleased)} unpaid released; ` +
      `sales nodes up to ${count(b.stockDivergenceMax)} units behind, out of date ${significant(b.stockDivergenceSeconds)} s`,
    `  order confirmation    p50 ${significant(b.orderConfirmLatencyMs.p50)}  p99 ${significant(b.orderConfirmLatencyMs.p99)}  max ${significant(b.orderConfirmLatencyMs.max)} ms`,
    `  push: ${count(b.pushSent)} sent, ${count(b.pushDelivered)} delivered, ${count(b.pushRetried)} retried, ${count(b.pushDeadLettered)} dead-lettered; ` +
      `p99 ${significant(b.pushLatencyMs.p99)} ms`,
  ];
}

function expectationLines(summary: Summary): string[] {
  const expectations = summary.expectations ?? [];
  if (expectations.length === 0) return [];
  const missed = expectations.filter((e) => !e.met).length;
  return [
    '',
    `  expectations: ${expectations.length - missed} met, ${missed} missed`,
    ...expectations.map((e) => `    ${e.met ? 'met   ' : 'MISSED'} ${e.name} ${e.expected}: got ${Number.isNaN(e.actual) ? 'nothing' : Number.isInteger(e.actual) ? count(e.actual) : significant(e.actual)}`),
  ];
}

function kafkaLines(summary: Summary): string[] {
  const m = summary.messages;
  const causes = (byCause: Record<string, number>) =>
    Object.entries(byCause)
      .filter(([, n]) => n > 0)
      .map(([cause, n]) => `${count(n)} ${cause}`)
      .join(', ');
  const latency = (label: string, l: LatencySummaryMs | undefined) =>
    l === undefined ? [] : [`  ${label.padEnd(22)}p50 ${significant(l.p50)}  p99 ${significant(l.p99)}  max ${significant(l.max)} ms`];
  const c = summary.cluster;
  return [
    `  acknowledged ${count(m.acked)}, delivered twice ${count(m.duplicates)}` +
      (m.duplicates > 0 && m.duplicatesByCause !== undefined ? ` (${causes(m.duplicatesByCause)})` : ''),
    ...(m.lost > 0 ? [`  lost: ${causes(m.lostByCause)}`] : []),
    ...(m.rejected > 0 ? [`  rejected to the application: ${causes(m.rejectedByCause)}`] : []),
    ...latency('end-to-end latency', summary.latencyMs.endToEnd),
    ...latency('produce latency', summary.latencyMs.produce),
    ...(c === undefined
      ? []
      : [
          `  leader elections ${c.leaderElections} (unclean ${c.uncleanElections}), offline ${significant(c.offlinePartitionSeconds)} partition-s, ` +
            `under-replicated ${significant(c.underReplicatedPartitionSeconds)} partition-s, max consumer lag ${count(c.maxConsumerLag)}`,
          ...(c.produceRequests === undefined
            ? []
            : [
                `  produce requests ${count(c.produceRequests)}, record batches ${count(c.recordBatches ?? 0)} (${significant(c.recordsPerBatch ?? 0)} records each), ` +
                  `batches reordered by retries ${count(c.reorderedBatches ?? 0)}`,
              ]),
        ]),
    ...summary.faults.map((f) => `  fault: ${f.kind} ${f.target} at ${f.atMs / 1000} s${f.endedAtMs === null ? '' : `, until ${f.endedAtMs / 1000} s`}`),
  ];
}
