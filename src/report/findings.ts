import { formatNumber } from './format';
import type { ReportStrings } from './report-strings';
import type { Summary } from './summary';

/**
 * "Findings in plain words": the few sentences a reader needs first, generated from the
 * numbers of summary.json. Safety first (loss, oversell, conservation), then latency and the
 * scenario's own expectations. Plain text: the caller escapes it.
 */
export type FindingTone = 'good' | 'bad' | 'info';

export interface Finding {
  readonly tone: FindingTone;
  readonly text: string;
}

const SLO_BREACHES_LISTED_MAX = 5;

export function reportFindings(summary: Summary, strings: ReportStrings): Finding[] {
  return [
    ...messageFindings(summary, strings),
    ...businessFindings(summary, strings),
    { tone: 'info', text: strings.findings.endToEndP99(formatNumber(summary.latencyMs.endToEnd.p99)) },
    ...clusterFindings(summary, strings),
    ...expectationFindings(summary, strings),
    ...sloFindings(summary, strings),
    summary.invariants.conservation
      ? { tone: 'good', text: strings.findings.conservationHolds }
      : { tone: 'bad', text: strings.findings.conservationViolated(summary.invariants.violations.join('; ')) },
  ];
}

/** Entries of a count-by-cause record, largest first, then by name (stable across runs). */
export function byCount(record: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(record)
    .filter(([, count]) => count > 0)
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
}

function messageFindings(summary: Summary, strings: ReportStrings): Finding[] {
  const { messages } = summary;
  const { findings } = strings;
  const out: Finding[] = [];
  const causes = byCount(messages.lostByCause);
  for (const [cause, count] of causes) out.push({ tone: 'bad', text: findings.lostByCause(formatNumber(count), cause) });
  const unexplained = messages.lost - causes.reduce((sum, [, count]) => sum + count, 0);
  if (unexplained > 0) out.push({ tone: 'bad', text: findings.lostWithoutCause(formatNumber(unexplained)) });
  if (messages.lost === 0) out.push({ tone: 'good', text: findings.noLoss });
  if (messages.duplicates > 0) out.push({ tone: 'bad', text: findings.duplicates(formatNumber(messages.duplicates)) });
  for (const [cause, count] of byCount(messages.rejectedByCause)) {
    out.push({ tone: 'info', text: findings.rejectedByCause(formatNumber(count), cause) });
  }
  return out;
}

function businessFindings(summary: Summary, strings: ReportStrings): Finding[] {
  const business = summary.business;
  if (!business) return [];
  const { findings } = strings;
  const out: Finding[] = [
    business.oversold === 0
      ? { tone: 'good', text: findings.noOversell }
      : { tone: 'bad', text: findings.oversold(formatNumber(business.oversold)) },
  ];
  if (business.processedTwice > 0) out.push({ tone: 'bad', text: findings.processedTwice(formatNumber(business.processedTwice)) });
  if (business.ordersLost > 0) out.push({ tone: 'bad', text: findings.ordersLost(formatNumber(business.ordersLost)) });
  out.push({ tone: 'info', text: findings.ordersAccepted(
      formatNumber(business.ordersAccepted),
      formatNumber(business.ordersPlaced),
      formatNumber(business.ordersConfirmed),
      formatNumber(business.ordersRejected),
    ) });
  out.push({ tone: 'info', text: findings.orderConfirmP99(formatNumber(business.orderConfirmLatencyMs.p99)) });
  return out;
}

function clusterFindings(summary: Summary, strings: ReportStrings): Finding[] {
  const cluster = summary.cluster;
  if (!cluster || cluster.leaderElections === 0) return [];
  return [
    {
      tone: cluster.uncleanElections > 0 ? 'bad' : 'info',
      text: strings.findings.elections(formatNumber(cluster.leaderElections), formatNumber(cluster.uncleanElections)),
    },
    ...((cluster.elrElections ?? 0) > 0 ? [{ tone: 'info' as const, text: strings.findings.elrElections(formatNumber(cluster.elrElections ?? 0)) }] : []),
    ...((cluster.preferredElections ?? 0) > 0
      ? [{ tone: 'info' as const, text: strings.findings.preferredElections(formatNumber(cluster.preferredElections ?? 0)) }]
      : []),
  ];
}

function expectationFindings(summary: Summary, strings: ReportStrings): Finding[] {
  const expectations = summary.expectations ?? [];
  if (expectations.length === 0) return [];
  const missed = expectations.filter((expectation) => !expectation.met);
  if (missed.length === 0) return [{ tone: 'good', text: strings.findings.expectationsAllMet(formatNumber(expectations.length)) }];
  const names = missed.map((expectation) => expectation.name).join(', ');
  return [{ tone: 'bad', text: strings.findings.expectationsMissed(formatNumber(missed.length), formatNumber(expectations.length), names) }];
}

function sloFindings(summary: Summary, strings: ReportStrings): Finding[] {
  const breaches = summary.sloBreaches ?? [];
  const out: Finding[] = breaches.slice(0, SLO_BREACHES_LISTED_MAX).map((breach) => ({
    tone: 'bad',
    text: strings.findings.sloBreach(breach.slo, formatNumber(breach.fromSeconds), formatNumber(breach.toSeconds), formatNumber(breach.worst)),
  }));
  if (breaches.length > SLO_BREACHES_LISTED_MAX) {
    out.push({ tone: 'bad', text: strings.findings.moreSloBreaches(formatNumber(breaches.length - SLO_BREACHES_LISTED_MAX)) });
  }
  return out;
}
