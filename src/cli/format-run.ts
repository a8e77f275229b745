import type { Estimate, Summary } from '../report/summary';

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
  const q = summary.queueing;
  const m = summary.messages;
  const eventsPerSecond = summary.wallSeconds > 0 ? summary.events / summary.wallSeconds : 0;
  const lines = [
    `${summary.scenario}  (${fileName}, seed ${summary.seed})`,
    `  ${count(summary.events)} events in ${summary.wallSeconds.toFixed(2)} s wall (${(eventsPerSecond / 1e6).toFixed(1)} M events/s), ` +
      `${count(summary.simulatedSeconds)} s simulated, trace hash ${summary.traceHash}`,
    `  customers: ${count(m.produced)} arrived, ${count(m.delivered)} served, ${count(m.inFlight)} in system, ` +
      `${count(m.lost)} lost, ${count(m.rejected)} rejected (conservation ${summary.invariants.conservation ? 'holds' : 'BROKEN'})`,
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
  if (summary.invariants.violations.length > 0) lines.push(...summary.invariants.violations.map((v) => `  VIOLATION: ${v}`));
  return `${lines.join('\n')}\n`;
}
