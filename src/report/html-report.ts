import type { ChartId, SeriesColumn, TimeSeries } from '../metrics/time-series';
import { byCount, reportFindings } from './findings';
import { formatNumber, formatPercent, formatQuantity } from './format';
import { html, trusted, type Markup, type MarkupValue } from './markup';
import { reportStrings, type ReportLang, type ReportStrings } from './report-strings';
import type { Estimate, LatencySummaryMs, Summary } from './summary';
import { REPORT_CSS, REPORT_CSS_SHA256 } from './report-css';
import { svgLineChart, type ChartMarker } from './svg-chart';

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, no URL) that opens from
 * disk, carries its own `default-src 'none'` CSP (its stylesheet allowed by hash) and prints on
 * A4. Every text that came from the scenario goes through the escaping `html` template.
 */
export interface HtmlReportInput {
  summary: Summary;
  series: TimeSeries | null;
  /** The tool and version, e.g. `queuelab 0.1.0`. */
  generatedBy: string;
  lang?: ReportLang;
}

/** The order the charts appear in. */
export const CHART_ORDER: readonly ChartId[] = ['throughput', 'latency', 'lag', 'replication', 'loss', 'business'];

/** Nothing may load, run or submit; the one inline <style> is allowed by its hash. */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${REPORT_CSS_SHA256}'; base-uri 'none'; form-action 'none'`;

interface Context {
  readonly summary: Summary;
  readonly strings: ReportStrings;
  readonly lang: ReportLang;
}

export function htmlReport(input: HtmlReportInput): string {
  const lang = input.lang ?? 'en';
  const context: Context = { summary: input.summary, strings: reportStrings(lang), lang };
  const { strings, summary } = context;
  const page = html`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${input.generatedBy}">
<title>${summary.scenario} · ${strings.reportName}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<main>
${header(context, input.generatedBy)}
${findingsSection(context)}
${expectationsSection(context)}
${chartsSection(context, input.series)}
${tablesSection(context)}
<footer>${strings.reportName} · ${strings.generatedBy(input.generatedBy)} · ${strings.meta.traceHash} <code>${summary.traceHash}</code></footer>
</main>
</body>
</html>
`;
  return page.text;
}

function header({ summary, strings }: Context, generatedBy: string): Markup {
  const item = (label: string, value: MarkupValue): Markup => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<header>
<h1>${summary.scenario}</h1>
<p class="subtitle">${strings.reportName} · ${strings.generatedBy(generatedBy)}</p>
<dl class="meta">${[
    item(strings.meta.seed, String(summary.seed)),
    item(strings.meta.engineVersion, summary.engineVersion),
    item(strings.meta.traceHash, html`<code>${summary.traceHash}</code>`),
    item(strings.meta.simulated, formatQuantity(summary.simulatedSeconds, strings.units.seconds)),
    item(strings.meta.events, formatNumber(summary.events)),
  ]}</dl>
</header>`;
}

function findingsSection({ summary, strings }: Context): Markup {
  const items = reportFindings(summary, strings).map((finding) => html`<li class="${finding.tone}">${finding.text}</li>`);
  return html`<section class="findings" id="findings"><h2>${strings.headings.findings}</h2><ul class="findings">${items}</ul></section>`;
}

function expectationsSection({ summary, strings }: Context): Markup | null {
  const expectations = summary.expectations ?? [];
  const breaches = summary.sloBreaches ?? [];
  if (expectations.length === 0 && breaches.length === 0) return null;
  const { table } = strings;
  const expectationTable =
    expectations.length === 0
      ? null
      : dataTable(
          [table.name, table.expected, num(table.actual), table.result],
          expectations.map((e) => [
            html`<code>${e.name}</code>`,
            e.expected,
            num(formatNumber(e.actual)),
            e.met ? html`<span class="met">✓ ${table.met}</span>` : html`<span class="missed">✗ ${table.missed}</span>`,
          ]),
        );
  const breachTable =
    breaches.length === 0
      ? null
      : html`<h3>${strings.headings.sloBreaches}</h3>${dataTable(
          [strings.slo.name, num(strings.slo.from), num(strings.slo.to), num(strings.slo.worst)],
          breaches.map((b) => [
            html`<code>${b.slo}</code>`,
            num(formatQuantity(b.fromSeconds, strings.units.seconds)),
            num(formatQuantity(b.toSeconds, strings.units.seconds)),
            num(formatNumber(b.worst)),
          ]),
        )}`;
  return html`<section class="expectations" id="expectations"><h2>${strings.headings.expectations}</h2>${expectationTable}${breachTable}</section>`;
}

// ---------------------------------------------------------------------------------------------
// Charts

function chartsSection(context: Context, series: TimeSeries | null): Markup {
  const { strings } = context;
  const figures = series === null ? [] : CHART_ORDER.map((id) => chartFigure(context, series, id)).filter((f) => f !== null);
  const content = figures.length === 0 ? html`<p class="note">${strings.chart.noSeries}</p>` : figures;
  return html`<section class="charts" id="charts"><h2>${strings.headings.charts}</h2>${content}</section>`;
}

/** The columns of one chart, grouped by unit: a chart that mixes units gets one panel per unit. */
function panelsOf(series: TimeSeries, chart: ChartId): { unit: string; indexes: number[] }[] {
  const panels: { unit: string; indexes: number[] }[] = [];
  series.columns.forEach((column: SeriesColumn, index) => {
    if (index === 0 || column.chart !== chart) return;
    const panel = panels.find((p) => p.unit === column.unit);
    if (panel) panel.indexes.push(index);
    else panels.push({ unit: column.unit, indexes: [index] });
  });
  return panels;
}

function chartFigure(context: Context, series: TimeSeries, chart: ChartId): Markup | null {
  const panels = panelsOf(series, chart);
  if (panels.length === 0) return null;
  const { strings, summary, lang } = context;
  const times = series.rows.map((row) => row[0] ?? NaN);
  const first = times[0];
  const xStart = first === undefined ? 0 : Math.min(0, first - series.bucketSeconds);
  const xEnd = Math.max(summary.simulatedSeconds, times[times.length - 1] ?? 0);
  const markers = chartMarkers(summary);
  // svgLineChart builds its SVG with the same escaping template, so its output is markup.
  const svgs = panels.map((panel) =>
    trusted(
      svgLineChart({
        title: `${strings.charts[chart]} (${panel.unit})`,
        times,
        xDomain: [xStart, xEnd],
        xAxisLabel: strings.chart.time,
        yAxisLabel: panel.unit,
        unit: panel.unit,
        lines: panel.indexes.map((index) => ({ label: series.columns[index]?.label ?? '', values: series.rows.map((row) => row[index] ?? NaN) })),
        markers,
        markerLegend: { fault: strings.chart.faultLegend, event: strings.chart.eventLegend },
        compactStyle: lang === 'zh-CN' ? 'zh' : 'si',
        noDataLabel: strings.chart.noData,
      }),
    ),
  );
  return html`<figure class="chart" data-chart="${chart}"><figcaption>${strings.charts[chart]}</figcaption>${svgs}</figure>`;
}

function chartMarkers(summary: Summary): ChartMarker[] {
  const faults: ChartMarker[] = summary.faults.map((fault) => ({
    kind: 'fault',
    atSeconds: fault.atMs / 1000,
    untilSeconds: fault.endedAtMs === null ? null : fault.endedAtMs / 1000,
    label: fault.kind,
    detail: `${fault.kind} ${fault.target} @ ${formatNumber(fault.atMs / 1000)} s`,
  }));
  const events: ChartMarker[] = (summary.timeline ?? []).map((entry) => ({
    kind: 'event',
    atSeconds: entry.atMs / 1000,
    label: entry.kind,
    detail: `${entry.label} @ ${formatNumber(entry.atMs / 1000)} s`,
  }));
  return [...faults, ...events];
}

// ---------------------------------------------------------------------------------------------
// Tables

function tablesSection(context: Context): Markup {
  const { strings } = context;
  return html`<section class="tables" id="tables"><h2>${strings.headings.tables}</h2>${[
    messagesBlock(context),
    latencyBlock(context),
    throughputBlock(context),
    clusterBlock(context),
    businessBlock(context),
    queueingBlock(context),
    faultsBlock(context),
  ]}</section>`;
}

type Cell = MarkupValue | NumericCell;

class NumericCell {
  constructor(readonly content: MarkupValue) {}
}

/** A right-aligned, tabular cell. */
function num(content: MarkupValue): NumericCell {
  return new NumericCell(content);
}

function cell(tag: 'td' | 'th', content: Cell, className?: string): Markup {
  const numeric = content instanceof NumericCell;
  const classes = [numeric ? 'num' : '', className ?? ''].filter((c) => c !== '').join(' ');
  const inner = content instanceof NumericCell ? content.content : content;
  return classes === '' ? html`<${trusted(tag)}>${inner}</${trusted(tag)}>` : html`<${trusted(tag)} class="${classes}">${inner}</${trusted(tag)}>`;
}

interface Row {
  readonly cells: readonly Cell[];
  readonly sub?: boolean;
}

function dataTable(headings: readonly Cell[], rows: readonly (readonly Cell[] | Row)[], className?: string): Markup {
  const body = rows.map((row) => {
    const { cells, sub } = 'cells' in row ? row : { cells: row, sub: false };
    return html`<tr${sub ? trusted(' class="sub"') : null}>${cells.map((c) => cell('td', c))}</tr>`;
  });
  const classes = className === undefined ? null : html` class="${className}"`;
  return html`<table${classes}><thead><tr>${headings.map((h) => cell('th', h))}</tr></thead><tbody>${body}</tbody></table>`;
}

function block(id: string, title: string, content: MarkupValue): Markup {
  return html`<div class="block" id="${id}"><h3>${title}</h3>${content}</div>`;
}

/** Two-column measure/value table; causes become indented sub-rows. */
function measureTable(strings: ReportStrings, rows: readonly Row[]): Markup {
  return dataTable([strings.table.measure, num(strings.table.value)], rows, 'measures');
}

function causeRows(record: Readonly<Record<string, number>>, unit: string): Row[] {
  return byCount(record).map(([cause, count]) => ({ cells: [html`<code>${cause}</code>`, num(formatQuantity(count, unit))], sub: true }));
}

function messagesBlock({ summary, strings }: Context): Markup {
  const m = summary.messages;
  const s = strings.messages;
  const unit = strings.units.messages;
  const row = (label: string, value: number): Row => ({ cells: [label, num(formatQuantity(value, unit))] });
  const conservation = summary.invariants.conservation
    ? html`<span class="met">✓ ${s.holds}</span>`
    : html`<span class="missed">✗ ${s.violated}</span>`;
  const violations = summary.invariants.violations.map((v) => ({ cells: [html`<code>${v}</code>`, ''], sub: true }));
  return block('table-messages', strings.headings.messages, measureTable(strings, [
    row(s.produced, m.produced),
    row(s.acked, m.acked),
    row(s.delivered, m.delivered),
    row(s.lost, m.lost),
    ...causeRows(m.lostByCause, unit),
    row(s.rejected, m.rejected),
    ...causeRows(m.rejectedByCause, unit),
    row(s.duplicates, m.duplicates),
    row(s.inFlight, m.inFlight),
    { cells: [s.conservation, num(conservation)] },
    ...violations,
  ]));
}

function percentileTable(strings: ReportStrings, rows: readonly [string, LatencySummaryMs][]): Markup {
  const ms = strings.units.milliseconds;
  const { latency } = strings;
  const headings: Cell[] = [strings.table.measure, num(latency.mean), num('p50'), num('p95'), num('p99'), num('p99.9'), num(latency.max)];
  return dataTable(
    headings,
    rows.map(([name, l]) => [name, ...[l.mean, l.p50, l.p95, l.p99, l.p999, l.max].map((v) => num(formatQuantity(v, ms)))]),
  );
}

function latencyName(strings: ReportStrings, key: string): string {
  const names: Readonly<Record<string, string>> = strings.latency.names;
  return names[key] ?? key;
}

function latencyBlock({ summary, strings }: Context): Markup {
  const rows = Object.entries(summary.latencyMs)
    .filter((entry): entry is [string, LatencySummaryMs] => entry[1] !== undefined)
    .map(([key, value]): [string, LatencySummaryMs] => [latencyName(strings, key), value]);
  return block('table-latency', strings.headings.latency, percentileTable(strings, rows));
}

function throughputBlock({ summary, strings }: Context): Markup {
  const t = summary.throughput;
  const s = strings.throughput;
  const unit = strings.units.messagesPerSecond;
  const row = (label: string, value: number): Row => ({ cells: [label, num(formatQuantity(value, unit))] });
  return block('table-throughput', strings.headings.throughput, measureTable(strings, [
    row(s.producedPeak, t.producedPerSecPeak),
    row(s.producedMean, t.producedPerSecMean),
    row(s.deliveredPeak, t.deliveredPerSecPeak),
    row(s.deliveredMean, t.deliveredPerSecMean),
  ]));
}

function clusterBlock({ summary, strings }: Context): Markup | null {
  const c = summary.cluster;
  if (!c) return null;
  const s = strings.cluster;
  const { units } = strings;
  const row = (label: string, value: number, unit = ''): Row => ({ cells: [label, num(formatQuantity(value, unit))] });
  return block('table-cluster', strings.headings.cluster, measureTable(strings, [
    row(s.leaderElections, c.leaderElections),
    row(s.uncleanElections, c.uncleanElections),
    ...((c.elrElections ?? 0) > 0 ? [row(s.elrElections, c.elrElections ?? 0)] : []),
    ...((c.preferredElections ?? 0) > 0 ? [row(s.preferredElections, c.preferredElections ?? 0)] : []),
    row(s.underReplicatedPartitionSeconds, c.underReplicatedPartitionSeconds, units.partitionSeconds),
    row(s.offlinePartitionSeconds, c.offlinePartitionSeconds, units.partitionSeconds),
    row(s.maxConsumerLag, c.maxConsumerLag, units.messages),
    row(s.rebalances, c.rebalances),
    ...((c.membersRemoved ?? 0) > 0 ? [row(s.membersRemoved, c.membersRemoved ?? 0)] : []),
    ...((c.commitsFailed ?? 0) > 0 ? [row(s.commitsFailed, c.commitsFailed ?? 0)] : []),
    ...(c.recordsPerBatch === undefined ? [] : [row(s.recordsPerBatch, c.recordsPerBatch)]),
    ...((c.reorderedBatches ?? 0) > 0 ? [row(s.reorderedBatches, c.reorderedBatches ?? 0)] : []),
  ]));
}

function businessBlock({ summary, strings }: Context): Markup | null {
  const b = summary.business;
  if (!b) return null;
  const s = strings.business;
  const { units } = strings;
  const row = (label: string, value: number, unit: string): Row => ({ cells: [label, num(formatQuantity(value, unit))] });
  const table = measureTable(strings, [
    row(s.ordersPlaced, b.ordersPlaced, units.orders),
    row(s.ordersAccepted, b.ordersAccepted, units.orders),
    row(s.ordersRejected, b.ordersRejected, units.orders),
    ...causeRows(b.rejectedByReason, units.orders),
    row(s.oversold, b.oversold, units.stockUnits),
    row(s.processedTwice, b.processedTwice, units.orders),
    row(s.ordersLost, b.ordersLost, units.orders),
    row(s.ordersUnpaidReleased, b.ordersUnpaidReleased, units.orders),
    row(s.stockDivergenceMax, b.stockDivergenceMax, units.stockUnits),
    row(s.stockDivergenceSeconds, b.stockDivergenceSeconds, units.seconds),
    row(s.pushSent, b.pushSent, units.messages),
    row(s.pushDelivered, b.pushDelivered, units.messages),
    row(s.pushRetried, b.pushRetried, units.messages),
    row(s.pushDeadLettered, b.pushDeadLettered, units.messages),
    row(s.pushLatencyP99, b.pushLatencyP99Ms, units.milliseconds),
  ]);
  const latency = percentileTable(strings, [
    [strings.latency.names.orderConfirm, b.orderConfirmLatencyMs],
    [strings.latency.names.push, b.pushLatencyMs],
  ]);
  return html`${block('table-business', strings.headings.business, table)}${block('table-business-latency', strings.headings.businessLatency, latency)}`;
}

function queueingBlock(context: Context): Markup | null {
  const { summary, strings } = context;
  const q = summary.queueing;
  if (!q) return null;
  const s = strings.queueing;
  const optional = (value: number | null, format: (v: number) => string): string => (value === null ? strings.table.none : format(value));
  const text = (label: string, value: Cell): Row => ({ cells: [label, value] });
  const table = measureTable(strings, [
    text(s.model, html`<code>${q.model}</code>`),
    text(s.servers, num(formatNumber(q.servers))),
    text(s.arrivalRate, num(formatQuantity(q.arrivalRatePerSecond, strings.units.perSecond))),
    text(s.utilisation, num(optional(q.utilisation, formatPercent))),
    text(s.confidenceLevel, num(formatPercent(q.confidenceLevel))),
    text(s.batches, num(formatNumber(q.batches))),
    text(s.customersPerBatch, num(formatQuantity(q.customersPerBatch, strings.units.customers))),
    text(s.warmupCustomers, num(formatQuantity(q.warmupCustomers, strings.units.customers))),
    text(s.batchLag1Autocorrelation, num(optional(q.batchLag1Autocorrelation, (v) => formatNumber(v, 3)))),
    ...(q.theoryNote === null ? [] : [text(s.theoryNote, q.theoryNote)]),
    ...(q.measurementNote === null ? [] : [text(s.measurementNote, q.measurementNote)]),
  ]);
  return html`${block('table-queueing', strings.headings.queueing, table)}${queueingEstimates(context)}`;
}

function queueingEstimates({ summary, strings }: Context): Markup | null {
  const q = summary.queueing;
  if (!q) return null;
  const s = strings.queueing;
  const { units, table } = strings;
  const estimates: [string, Estimate | null, string][] = [
    [s.sojournMean, q.sojournSecondsMean, units.seconds],
    [s.waitMean, q.waitSecondsMean, units.seconds],
    [s.inSystemMean, q.inSystemMean, units.customers],
    [s.sojournP99, q.sojournSecondsP99, units.seconds],
  ];
  const rows = estimates
    .filter((entry): entry is [string, Estimate, string] => entry[1] !== null)
    .map(([label, e, unit]) => {
      const inside = e.theoryInInterval === null ? table.none : e.theoryInInterval ? html`<span class="met">✓ ${table.yes}</span>` : html`<span class="missed">✗ ${table.no}</span>`;
      return [label, num(`${formatNumber(e.measured, 4)} ± ${formatQuantity(e.halfWidth, unit, 4)}`), num(e.theory === null ? table.none : formatQuantity(e.theory, unit, 4)), num(inside)];
    });
  const little = q.littleLaw;
  const littleRow =
    little === null
      ? []
      : [[s.littleLaw, num(s.littleLawValue(formatNumber(little.inSystemTimeAverage, 4), formatNumber(little.arrivalRateTimesSojourn, 4), formatPercent(little.relativeDifference))), '', '']];
  if (rows.length === 0 && littleRow.length === 0) return null;
  return block('table-queueing-estimates', strings.headings.queueingEstimates, dataTable([s.quantity, num(s.measured), num(s.theory), num(s.theoryInInterval)], [...rows, ...littleRow]));
}

function faultsBlock({ summary, strings }: Context): Markup {
  const f = strings.faults;
  const seconds = strings.units.seconds;
  if (summary.faults.length === 0) return block('table-faults', strings.headings.faults, html`<p class="note">${strings.table.none}</p>`);
  const rows = summary.faults.map((fault) => [
    html`<code>${fault.kind}</code>`,
    fault.target,
    num(formatQuantity(fault.atMs / 1000, seconds)),
    num(fault.endedAtMs === null ? f.notEnded : formatQuantity(fault.endedAtMs / 1000, seconds)),
  ]);
  return block('table-faults', strings.headings.faults, dataTable([f.kind, f.target, num(f.at), num(f.ended)], rows));
}
