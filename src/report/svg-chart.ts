import { formatNumber, formatTick, type CompactStyle } from './format';
import { html, trusted, type Markup } from './markup';

/**
 * A static SVG line chart as a string: axes with nice ticks, one line per series with a gap
 * where a value is NaN, a legend, fault bands and event markers, and SVG <title> elements for
 * hover values (no script). It is drawn for print first: fixed viewBox, scales to its box.
 */

export interface ChartLine {
  readonly label: string;
  /** One value per entry of `times`; NaN leaves a gap. */
  readonly values: readonly number[];
}

export interface ChartMarker {
  /** A fault gets a dashed line and a shaded band; an event (an election) a dotted line. */
  readonly kind: 'fault' | 'event';
  readonly atSeconds: number;
  /** Faults: where the band ends; null when the fault was not over by the end of the run. */
  readonly untilSeconds?: number | null;
  /** Short text drawn above the plot. */
  readonly label: string;
  /** Longer text for the hover title. */
  readonly detail?: string;
}

export interface LineChartOptions {
  /** Accessible name of the chart. */
  readonly title: string;
  /** The x of each row, in seconds. */
  readonly times: readonly number[];
  readonly xDomain: readonly [number, number];
  readonly xAxisLabel: string;
  readonly yAxisLabel: string;
  /** The unit of every line, for hover values. */
  readonly unit: string;
  readonly lines: readonly ChartLine[];
  readonly markers?: readonly ChartMarker[];
  /** Legend text for the two marker kinds; a kind is listed only when drawn. */
  readonly markerLegend?: { readonly fault: string; readonly event: string };
  /** viewBox width; the SVG scales to the width of its box. */
  readonly width?: number;
  readonly plotHeight?: number;
  readonly compactStyle?: CompactStyle;
  /** Shown in the plot when no line has a single value. */
  readonly noDataLabel?: string;
  /** Adds the xmlns attribute, for a .svg file of its own. */
  readonly standalone?: boolean;
}

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), each with its own dash. */
export const LINE_STYLES: readonly { readonly colour: string; readonly dash: string }[] = [
  { colour: '#0072B2', dash: '' },
  { colour: '#D55E00', dash: '8 3' },
  { colour: '#009E73', dash: '2 2.5' },
  { colour: '#CC79A7', dash: '9 3 2 3' },
  { colour: '#E69F00', dash: '4 2' },
  { colour: '#56B4E9', dash: '12 3 2 3 2 3' },
  { colour: '#000000', dash: '1.5 4' },
];

const TICK_FONT = 11;
const MARKER_FONT = 10;
const LEGEND_FONT = 11;
const MARKER_ROW = 12;
const MARKER_ROWS_MAX = 3;
const LEGEND_ROW = 17;
const HOVER_RECTS_MAX = 400;
const LEFT_MIN = 72;
const RIGHT_MIN = 16;
const RIGHT_MAX = 140;
const TEXT = '#222';
const GRID = '#d9d9d9';
const MARKER = '#333';

export interface Ticks {
  readonly ticks: number[];
  readonly step: number;
  /** The range extended to whole steps. */
  readonly domain: [number, number];
}

/** 1, 2 or 5 times a power of ten, about `count` steps from min to max. */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(step)));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i <= Math.round((hi - lo) / step); i++) ticks.push(Number((lo + i * step).toFixed(decimals)));
  return { ticks, step, domain: [lo, hi] };
}

/** Estimated width of a label: CJK characters are square, Latin ones about 0.6 em. */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const character of text) ems += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(character) ? 1 : 0.6;
  return ems * fontSize;
}

interface Frame {
  readonly width: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly x: (seconds: number) => number;
  readonly y: (value: number) => number;
}

export function svgLineChart(options: LineChartOptions): string {
  const width = options.width ?? 720;
  const plotHeight = options.plotHeight ?? 180;
  const yTicks = valueTicks(options.lines);
  const maxAbs = Math.max(...yTicks.ticks.map(Math.abs));
  const yLabels = yTicks.ticks.map((value) => formatTick(value, yTicks.step, maxAbs, options.compactStyle));
  // A fixed left margin unless the tick labels need more, so that stacked charts line up in time.
  const tickLabelWidth = Math.max(...yLabels.map((label) => textWidth(label, TICK_FONT)));
  const left = Math.max(LEFT_MIN, Math.ceil(26 + tickLabelWidth));
  const [x0, x1] = options.xDomain[1] > options.xDomain[0] ? options.xDomain : [options.xDomain[0], options.xDomain[0] + 1];
  const right = rightMargin(options.markers ?? [], [x0, x1], left, width);
  const x = (seconds: number): number => left + ((seconds - x0) / (x1 - x0)) * (width - left - right);
  const markers = placeMarkerLabels(groupMarkers(options.markers ?? [], x), width - 4);
  const rows = markers.reduce((most, marker) => Math.max(most, marker.row + 1), 0);
  const top = 8 + rows * MARKER_ROW + (rows > 0 ? 4 : 0);
  const bottom = top + plotHeight;
  const [lo, hi] = yTicks.domain;
  const y = (value: number): number => bottom - ((value - lo) / (hi - lo)) * plotHeight;
  const frame: Frame = { width, left, right, top, bottom, x, y };
  const legend = legendItems(options, markers);
  const legendRows = layoutLegend(legend, left, width - 4);
  const height = bottom + 42 + legendRows.rowCount * LEGEND_ROW;
  const body = [
    faultBands(markers, frame),
    yAxis(yTicks.ticks, yLabels, options.yAxisLabel, frame, Math.max(12, left - tickLabelWidth - 16)),
    xAxis(niceTicks(x0, x1, Math.max(2, Math.round((width - left - right) / 80))).ticks.filter((t) => t >= x0 - 1e-9 && t <= x1 + 1e-9), options.xAxisLabel, frame),
    options.lines.map((line, index) => linePath(line, options.times, index, frame)),
    markerLines(markers, frame),
    noDataNote(options, frame),
    hoverRects(options, markers, frame),
    legendRows.markup(bottom + 40),
  ];
  const xmlns = options.standalone ? trusted(' xmlns="http://www.w3.org/2000/svg"') : null;
  return html`<svg${xmlns} class="line-chart" viewBox="0 0 ${width} ${round(height)}" role="img" aria-label="${options.title}" font-size="${TICK_FONT}" fill="${TEXT}"><title>${options.title}</title><rect class="plot-area" x="${round(left)}" y="${top}" width="${round(width - left - right)}" height="${plotHeight}" fill="none" stroke="#999" stroke-width="0.8"/>${body}</svg>`.text;
}

/** Nice y ticks from 0 (or the negative minimum); a line running along the top edge gets headroom. */
function valueTicks(lines: readonly ChartLine[]): Ticks {
  const [min, max] = valueExtent(lines);
  const ticks = niceTicks(min, max);
  const [lo, hi] = ticks.domain;
  return hi - max < 0.008 * (hi - lo) && max > 0 ? niceTicks(min, max + 0.03 * (hi - lo)) : ticks;
}

/** Room on the right for the label of a marker near the end of the run, up to RIGHT_MAX. */
function rightMargin(markers: readonly ChartMarker[], [x0, x1]: readonly [number, number], left: number, width: number): number {
  let needed = RIGHT_MIN;
  for (const marker of markers) {
    if (marker.atSeconds < x0 || marker.atSeconds > x1) continue;
    const fraction = (marker.atSeconds - x0) / (x1 - x0);
    const labelWidth = textWidth(marker.kind === 'event' ? `${marker.label} ×99` : marker.label, MARKER_FONT);
    // The right margin r at which left + fraction * (width - left - r) + 3 + labelWidth = width - 4.
    if (fraction > 0) needed = Math.max(needed, width - left - (width - 7 - labelWidth - left) / fraction);
  }
  return Math.ceil(Math.min(RIGHT_MAX, Math.max(RIGHT_MIN, needed)));
}

function valueExtent(lines: readonly ChartLine[]): [number, number] {
  let min = 0;
  let max = -Infinity;
  for (const line of lines) {
    for (const value of line.values) {
      if (!Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return [min, max > min ? max : min + 1];
}

function yAxis(ticks: readonly number[], labels: readonly string[], title: string, frame: Frame, titleX: number): Markup {
  const grid = ticks.map(
    (tick, i) =>
      html`<line x1="${round(frame.left)}" x2="${round(frame.width - frame.right)}" y1="${round(frame.y(tick))}" y2="${round(frame.y(tick))}" stroke="${GRID}" stroke-width="0.7"/><text x="${round(frame.left - 5)}" y="${round(frame.y(tick) + 3.8)}" text-anchor="end">${labels[i] ?? ''}</text>`,
  );
  const middle = round((frame.top + frame.bottom) / 2);
  return html`<g class="y-axis">${grid}<text class="axis-title" transform="translate(${round(titleX)} ${middle}) rotate(-90)" text-anchor="middle" font-weight="700">${title}</text></g>`;
}

function xAxis(ticks: readonly number[], title: string, frame: Frame): Markup {
  const step = ticks.length > 1 ? (ticks[1] ?? 0) - (ticks[0] ?? 0) : 1;
  const marks = ticks.map(
    (tick) =>
      html`<line x1="${round(frame.x(tick))}" x2="${round(frame.x(tick))}" y1="${frame.bottom}" y2="${frame.bottom + 4}" stroke="#666"/><text x="${round(frame.x(tick))}" y="${frame.bottom + 16}" text-anchor="middle">${formatTick(tick, step, 0)}</text>`,
  );
  const middle = round((frame.left + frame.width - frame.right) / 2);
  return html`<g class="x-axis">${marks}<text class="axis-title" x="${middle}" y="${frame.bottom + 32}" text-anchor="middle" font-weight="700">${title}</text></g>`;
}

function linePath(line: ChartLine, times: readonly number[], index: number, frame: Frame): Markup {
  const style = lineStyle(index);
  const segments: string[] = [];
  const dots: Markup[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 1) segments.push(`M${run.join('L')}`);
    else if (run.length === 1) {
      const [px = '0', py = '0'] = (run[0] ?? '').split(',');
      dots.push(html`<circle cx="${px}" cy="${py}" r="2" fill="${style.colour}"/>`);
    }
    run = [];
  };
  for (let i = 0; i < times.length; i++) {
    const value = line.values[i] ?? NaN;
    const time = times[i] ?? NaN;
    if (Number.isFinite(value) && Number.isFinite(time)) run.push(`${round(frame.x(time))},${round(frame.y(value))}`);
    else flush();
  }
  flush();
  const dash = style.dash === '' ? null : html` stroke-dasharray="${style.dash}"`;
  return html`<g class="series" data-series="${index}"><path d="${segments.join('')}" fill="none" stroke="${style.colour}" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="butt"${dash}/>${dots}</g>`;
}

/** Past the seventh line the colours repeat, each with another dash: no two lines look the same. */
export function lineStyle(index: number): { colour: string; dash: string } {
  const count = LINE_STYLES.length;
  const colour = LINE_STYLES[index % count]?.colour ?? '#000';
  const dash = LINE_STYLES[(index + Math.floor(index / count) * 3) % count]?.dash ?? '';
  return { colour, dash };
}

/** A marker as drawn: events within a few pixels are merged into one (`leader-election ×12`). */
interface PlacedMarker {
  readonly kind: 'fault' | 'event';
  readonly atSeconds: number;
  readonly untilSeconds: number | null;
  readonly px: number;
  text: string;
  readonly details: string[];
  /** Label row above the plot; -1 when there was no room for the label. */
  row: number;
  anchor: 'start' | 'end';
}

const MERGE_PX = 4;

function groupMarkers(markers: readonly ChartMarker[], x: (seconds: number) => number): PlacedMarker[] {
  const sorted = [...markers].sort((a, b) => a.atSeconds - b.atSeconds || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const placed: PlacedMarker[] = [];
  const eventLabels = new Map<PlacedMarker, string[]>();
  let cluster: PlacedMarker | null = null;
  for (const marker of sorted) {
    const px = x(marker.atSeconds);
    const detail = marker.detail ?? marker.label;
    if (marker.kind === 'event' && cluster !== null && px - cluster.px < MERGE_PX) {
      cluster.details.push(detail);
      eventLabels.get(cluster)?.push(marker.label);
      continue;
    }
    const drawn: PlacedMarker = { kind: marker.kind, atSeconds: marker.atSeconds, untilSeconds: marker.untilSeconds ?? null, px, text: marker.label, details: [detail], row: -1, anchor: 'start' };
    placed.push(drawn);
    if (marker.kind === 'event') {
      cluster = drawn;
      eventLabels.set(drawn, [marker.label]);
    }
  }
  for (const [marker, labels] of eventLabels) marker.text = clusterText(labels);
  return placed;
}

/** `leader-election`, `leader-election ×3`, `isr-shrink + leader-election ×9`. */
function clusterText(labels: readonly string[]): string {
  const distinct = [...new Set(labels)].sort();
  const names = distinct.length <= 2 ? distinct.join(' + ') : `${distinct.slice(0, 2).join(' + ')} …`;
  return labels.length === 1 ? names : `${names} ×${labels.length}`;
}

/**
 * Greedy, left to right: each label goes to the first row where it touches no other label, no
 * marker line from a higher row crosses it, and its own line crosses no label lower down; to
 * the right of its line if it fits, else to the left. Failing that, the first row where it
 * touches no other label (the text's white halo interrupts a crossing line). A marker that
 * still finds no row keeps its line and hover title but draws no label.
 */
function placeMarkerLabels(markers: PlacedMarker[], rightEdge: number): PlacedMarker[] {
  const spans: LabelSpan[] = [];
  for (const marker of markers) {
    const width = textWidth(marker.text, MARKER_FONT);
    const anchors: ('start' | 'end')[] = marker.px + 3 + width > rightEdge ? ['end'] : ['start', 'end'];
    const candidates = [true, false].flatMap((strict) => anchors.map((anchor) => ({ strict, anchor })));
    for (const { strict, anchor } of candidates) {
      const start = anchor === 'start' ? marker.px + 3 : marker.px - 3 - width;
      const span = { row: 0, start, end: start + width, px: marker.px };
      const row = firstFreeRow(spans, span, strict);
      if (row < 0) continue;
      Object.assign(marker, { row, anchor });
      spans.push({ ...span, row });
      break;
    }
  }
  return markers;
}

interface LabelSpan {
  row: number;
  start: number;
  end: number;
  /** The x of the label's marker line, which runs from the label's row down to the plot. */
  px: number;
}

function firstFreeRow(spans: readonly LabelSpan[], label: LabelSpan, strict: boolean): number {
  const apart = (other: LabelSpan, row: number): boolean =>
    (other.row !== row || other.end + 6 <= label.start || label.end + 6 <= other.start) &&
    (!strict || other.row >= row || other.px < label.start - 2 || other.px > label.end + 2) &&
    (!strict || other.row <= row || label.px < other.start - 2 || label.px > other.end + 2);
  for (let row = 0; row < MARKER_ROWS_MAX; row++) if (spans.every((other) => apart(other, row))) return row;
  return -1;
}

function faultBands(markers: readonly PlacedMarker[], frame: Frame): Markup[] {
  const plotRight = frame.width - frame.right;
  return markers
    .filter((marker) => marker.kind === 'fault')
    .map((marker) => {
      const from = Math.max(frame.left, Math.min(plotRight, marker.px));
      const to = Math.max(from, Math.min(plotRight, marker.untilSeconds === null ? plotRight : frame.x(marker.untilSeconds)));
      return html`<rect class="fault-band" x="${round(from)}" y="${frame.top}" width="${round(to - from)}" height="${frame.bottom - frame.top}" fill="#888" fill-opacity="0.13"/>`;
    });
}

function markerLines(markers: readonly PlacedMarker[], frame: Frame): Markup[] {
  return markers
    .filter((marker) => marker.px >= frame.left - 0.5 && marker.px <= frame.width - frame.right + 0.5)
    .map((marker) => {
      const px = round(marker.px);
      const dash = marker.kind === 'fault' ? '5 3' : '1.5 2.5';
      const labelY = 8 + marker.row * MARKER_ROW + MARKER_FONT - 1;
      const label =
        marker.row < 0
          ? null
          : html`<text x="${round(marker.anchor === 'start' ? marker.px + 3 : marker.px - 3)}" y="${labelY}" text-anchor="${marker.anchor}" font-size="${MARKER_FONT}" fill="${MARKER}" stroke="#fff" stroke-width="3" paint-order="stroke">${marker.text}<title>${marker.details.join('\n')}</title></text>`;
      const notch = marker.kind === 'event' ? html`<path d="M${px - 3.5},${frame.top}L${px + 3.5},${frame.top}L${px},${frame.top + 5}Z" fill="${MARKER}"/>` : null;
      const top = marker.row < 0 ? frame.top : labelY - MARKER_FONT + 1;
      return html`<g class="marker ${marker.kind}" data-at-seconds="${round(marker.atSeconds, 6)}"><line x1="${px}" x2="${px}" y1="${round(top)}" y2="${frame.bottom}" stroke="${MARKER}" stroke-width="1.2" stroke-dasharray="${dash}"/>${notch}${label}</g>`;
    });
}

function noDataNote(options: LineChartOptions, frame: Frame): Markup | null {
  if (options.lines.some((line) => line.values.some(Number.isFinite))) return null;
  const text = options.noDataLabel ?? 'no data';
  return html`<text x="${round((frame.left + frame.width - frame.right) / 2)}" y="${round((frame.top + frame.bottom) / 2)}" text-anchor="middle" fill="#666">${text}</text>`;
}

/** Transparent bucket-wide rectangles whose <title> lists every line's value at that time. */
function hoverRects(options: LineChartOptions, markers: readonly PlacedMarker[], frame: Frame): Markup {
  const { times } = options;
  const stride = Math.max(1, Math.ceil(times.length / HOVER_RECTS_MAX));
  const rects: Markup[] = [];
  for (let i = 0; i < times.length; i += stride) {
    const last = Math.min(times.length, i + stride) - 1;
    const start = i > 0 ? (times[i - 1] ?? 0) : (times[0] ?? 0) - ((times[1] ?? 0) - (times[0] ?? 0) || 0);
    const end = times[last] ?? start;
    const from = Math.max(frame.left, frame.x(Math.max(start, options.xDomain[0])));
    const to = Math.min(frame.width - frame.right, frame.x(end));
    if (!(to > from)) continue;
    const lines = options.lines.map((line) => `${line.label}: ${formatNumber(line.values[last] ?? NaN)} ${options.unit}`);
    const events = markers.filter((m) => m.atSeconds > start && m.atSeconds <= end).flatMap((m) => m.details);
    const text = [`${options.xAxisLabel}: ${formatNumber(end)}`, ...lines, ...events].join('\n');
    rects.push(html`<rect x="${round(from)}" y="${frame.top}" width="${round(to - from)}" height="${frame.bottom - frame.top}" fill="transparent"><title>${text}</title></rect>`);
  }
  return html`<g class="hover">${rects}</g>`;
}

interface LegendItem {
  readonly label: string;
  readonly swatch: Markup;
}

function legendItems(options: LineChartOptions, markers: readonly PlacedMarker[]): LegendItem[] {
  const items: LegendItem[] = options.lines.map((line, index) => {
    const style = lineStyle(index);
    const dash = style.dash === '' ? null : html` stroke-dasharray="${style.dash}"`;
    return { label: line.label, swatch: html`<line x1="0" x2="26" y1="0" y2="0" stroke="${style.colour}" stroke-width="2.2"${dash}/>` };
  });
  const legend = options.markerLegend;
  if (legend && markers.some((m) => m.kind === 'fault')) {
    items.push({
      label: legend.fault,
      swatch: html`<rect x="0" y="-6" width="26" height="12" fill="#888" fill-opacity="0.13"/><line x1="2" x2="2" y1="-6" y2="6" stroke="${MARKER}" stroke-width="1.2" stroke-dasharray="3 2"/>`,
    });
  }
  if (legend && markers.some((m) => m.kind === 'event')) {
    items.push({
      label: legend.event,
      swatch: html`<line x1="13" x2="13" y1="-6" y2="6" stroke="${MARKER}" stroke-width="1.2" stroke-dasharray="1.5 2"/><path d="M9.5,-6L16.5,-6L13,-1Z" fill="${MARKER}"/>`,
    });
  }
  return items;
}

function layoutLegend(items: readonly LegendItem[], left: number, right: number): { rowCount: number; markup: (top: number) => Markup } {
  const positions: { x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const item of items) {
    const width = 32 + textWidth(item.label, LEGEND_FONT) + 14;
    if (x > left && x + width > right) {
      row++;
      x = left;
    }
    positions.push({ x, row });
    x += width;
  }
  const rowCount = items.length === 0 ? 0 : row + 1;
  const markup = (top: number): Markup =>
    html`<g class="legend" font-size="${LEGEND_FONT}">${items.map((item, i) => {
      const at = positions[i] ?? { x: left, row: 0 };
      const cy = round(top + at.row * LEGEND_ROW + 6);
      return html`<g transform="translate(${round(at.x)} ${cy})">${item.swatch}<text x="32" y="4">${item.label}</text></g>`;
    })}</g>`;
  return { rowCount, markup };
}

function round(value: number, decimals = 1): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
