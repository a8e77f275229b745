import * as d3 from 'd3';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { LiveMarker } from '../../run/live-run';
import { CHARTS, chartsFor, rowAt, type ChartDef } from '../charts/defs';
import { formatClock, formatMs, formatNumber, formatTick } from '../format';
import { translate, type Locale } from '../i18n';
import { useApp, useT, type SeriesState } from '../state/store';

/** The bottom row of charts, all on the run's time axis, with a shared hover line. */
export function Charts() {
  const keys = useApp((s) => s.chartSeries.columns.map((c) => c.key).join(','));
  const defs = useMemo(() => (keys === '' ? CHARTS.filter((def) => def.id !== 'business') : chartsFor(keys.split(','))), [keys]);
  return (
    <section className="charts" aria-label="charts">
      {defs.map((def) => (
        <Chart key={def.id} def={def} />
      ))}
    </section>
  );
}

function formatValue(locale: Locale, def: ChartDef, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return def.unit === 'unit.ms' ? formatMs(locale, value) : formatNumber(locale, value, def.integer ? 0 : 1);
}

function Chart({ def }: { def: ChartDef }) {
  const t = useT();
  const id = useId();
  const series = useApp((s) => s.chartSeries);
  const endUs = useApp((s) => s.chartSnapshot?.endUs ?? 0);
  const nowUs = useApp((s) => s.chartSnapshot?.timeUs ?? 0);
  const clockStart = useApp((s) => s.chartSnapshot?.clockStartSeconds ?? 0);
  const saleClock = useApp((s) => s.chartSnapshot?.config.sale ?? false);
  const markers = useApp((s) => s.chartSnapshot?.markers);
  const hover = useApp((s) => s.hoverSeconds);
  const locale = useApp((s) => s.locale);
  const setHover = useApp((s) => s.setHover);
  const plotRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useEffect(() => {
    const plot = plotRef.current!;
    const observer = new ResizeObserver(() => setSize({ width: plot.clientWidth, height: plot.clientHeight }));
    observer.observe(plot);
    return () => observer.disconnect();
  }, []);

  const columns = def.series.map((s) => series.columns.findIndex((c) => c.key === s.key));
  // The shared time axis grows with the run (at least 30 s, a quarter ahead of now), so the
  // first seconds are not squeezed into a corner of a long run's axis.
  const runSeconds = endUs / 1e6;
  const visibleSeconds = Math.min(runSeconds, Math.max(Math.min(30, runSeconds), (nowUs / 1e6) * 1.25));
  const row = rowAt(series.rows, hover);
  const last = series.rows[series.rows.length - 1];

  useEffect(() => {
    if (svgRef.current === null || size.width === 0) return;
    const columnsNow = def.series.map((s) => series.columns.findIndex((c) => c.key === s.key));
    drawChart(svgRef.current, def, series, columnsNow, { start: clockStart, end: clockStart + visibleSeconds, now: clockStart + nowUs / 1e6, sale: saleClock }, markers ?? [], hover, locale, size);
  }, [def, series, visibleSeconds, nowUs, clockStart, saleClock, markers, hover, locale, size]);

  const title = t(def.title);
  const values = def.series.map((s, i) => `${t(s.label)} ${formatValue(locale, def, last?.[columns[i]!])}`).join(', ');
  const onPointer = (event: React.PointerEvent) => {
    const rect = plotRef.current!.getBoundingClientRect();
    const x = event.clientX - rect.left - MARGIN.left;
    const width = rect.width - MARGIN.left - MARGIN.right;
    if (x < 0 || x > width || endUs === 0) return setHover(null);
    setHover(clockStart + (x / width) * visibleSeconds);
  };

  return (
    <figure className="chart" data-testid={`chart-${def.id}`} data-rows={series.rows.length} data-last={last === undefined ? '' : columns.map((c) => last[c]).join(',')}>
      <div className="region chart-body">
      <header>
        <h3 id={`${id}-title`}>{title}</h3>
        <div className="readout" aria-live="off">
          {def.series.map((s, i) => (
            <span key={s.key} data-testid={`readout-${s.key}`}>
              <svg viewBox="0 0 16 8" aria-hidden="true">
                <line className={`series ${s.className}`} x1="0" y1="4" x2="16" y2="4" />
              </svg>
              {t('chart.value', { series: t(s.label), value: formatValue(locale, def, row?.[columns[i]!]) })}
            </span>
          ))}
          {hover !== null && row !== undefined && (
            <span>
              @ {formatClock(locale, row[0]!, saleClock, 0)}
              {saleClock ? '' : ` ${t('unit.s')}`}
            </span>
          )}
        </div>
      </header>
      <div className="plot" ref={plotRef} onPointerMove={onPointer} onPointerLeave={() => setHover(null)}>
        <svg ref={svgRef} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
          <desc id={`${id}-desc`}>
            {last === undefined ? t('chart.noData') : t('chart.desc', { title, time: formatClock(locale, last[0]!, saleClock, 0), values })}
          </desc>
        </svg>
      </div>
      </div>
    </figure>
  );
}

const MARGIN = { top: 6, right: 22, bottom: 30, left: 52 };

function drawChart(
  element: SVGSVGElement,
  def: ChartDef,
  series: SeriesState,
  columns: number[],
  clock: { start: number; end: number; now: number; sale: boolean },
  markers: readonly LiveMarker[],
  hover: number | null,
  locale: Locale,
  size: { width: number; height: number },
): void {
  const svg = d3.select(element);
  const width = Math.max(40, size.width - MARGIN.left - MARGIN.right);
  const height = Math.max(20, size.height - MARGIN.top - MARGIN.bottom);
  let root = svg.select<SVGGElement>('g.root');
  if (root.empty()) {
    root = svg.append('g').attr('class', 'root');
    root.append('g').attr('class', 'grid');
    root.append('g').attr('class', 'rules');
    root.append('g').attr('class', 'lines');
    root.append('g').attr('class', 'axis x');
    root.append('g').attr('class', 'axis y');
    root.append('text').attr('class', 'axis-label x');
    root.append('text').attr('class', 'axis-label y');
    root.append('line').attr('class', 'rule-hover');
    root.append('text').attr('class', 'no-data');
  }
  root.attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const rows = series.rows;
  const x = d3.scaleLinear().domain([clock.start, Math.max(clock.start + 1, clock.end)]).range([0, width]);
  let top = def.minTop;
  let bottom = Infinity;
  for (const row of rows) {
    for (const c of columns) {
      const v = row[c];
      if (v !== undefined && Number.isFinite(v)) {
        top = Math.max(top, v);
        if (v > 0) bottom = Math.min(bottom, v);
      }
    }
  }
  const y =
    def.scale === 'log'
      ? d3
          .scaleLog()
          .domain([Math.max(0.01, Math.min(1, bottom === Infinity ? 1 : bottom) * 0.8), top * 1.3])
          .range([height, 0])
          .clamp(true)
          .nice()
      : d3.scaleLinear().domain([0, top * 1.08]).range([height, 0]).nice();

  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  // Axes and grid only when their scales or labels changed (most updates only add a row).
  const axisKey = `${width}x${height}|${x.domain().join()}|${y.domain().join()}|${locale}|${clock.sale}`;
  const cache = element as SVGSVGElement & { axisKey?: string; drawnRows?: unknown };
  const redrawAxes = cache.axisKey !== axisKey;
  const redrawLines = redrawAxes || cache.drawnRows !== series.rows;
  cache.axisKey = axisKey;
  cache.drawnRows = series.rows;
  const xTicks = Math.max(2, Math.min(6, Math.floor(width / (clock.sale ? 75 : 50))));
  const yTicks = Math.max(2, Math.min(5, Math.floor(height / 24)));
  if (redrawAxes) drawAxes();
  function drawAxes(): void {
  root
    .select<SVGGElement>('g.axis.x')
    .attr('transform', `translate(0,${height})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(xTicks)
        .tickSizeOuter(0)
        .tickFormat((v) => (clock.sale ? formatClock(locale, Number(v), true) : formatTick(locale, Number(v)))),
    );
  const yAxis = d3.axisLeft(y).tickSizeOuter(0);
  if (def.scale === 'log') yAxis.ticks(yTicks, (v: d3.NumberValue) => (isPowerOfTen(Number(v)) ? formatTick(locale, Number(v)) : ''));
  else yAxis.ticks(yTicks).tickFormat((v) => (def.integer && !Number.isInteger(Number(v)) ? '' : formatTick(locale, Number(v))));
  root.select<SVGGElement>('g.axis.y').call(yAxis);
  const gridAxis = d3.axisLeft(y).tickSize(-width).tickFormat(() => '');
  if (def.scale === 'log') gridAxis.tickValues(y.ticks(yTicks).filter((v) => isPowerOfTen(Number(v))));
  else gridAxis.ticks(yTicks);
  root
    .select<SVGGElement>('g.grid')
    .call(gridAxis)
    .selectAll('text')
    .remove();
  root
    .select('text.axis-label.x')
    .attr('x', width)
    .attr('y', height + 26)
    .attr('text-anchor', 'end')
    .text(clock.sale ? '' : t('chart.time'));
  root
    .select('text.axis-label.y')
    .attr('transform', 'rotate(-90)')
    .attr('x', 0)
    .attr('y', -MARGIN.left + 9)
    .attr('text-anchor', 'end')
    .text(`${t(def.unit)}${def.scale === 'log' ? ` (${t('chart.logScale')})` : ''}`);
  }

  const shape = def.curve === 'step' ? d3.curveStepBefore : d3.curveLinear;
  const lines = def.series.map((s, i) => ({ key: s.key, className: s.className, column: columns[i]! }));
  if (redrawLines) {
    const defined = (row: readonly number[] | undefined, column: number): boolean =>
      row !== undefined && Number.isFinite(row[column]!) && (def.scale !== 'log' || row[column]! > 0);
    root
      .select<SVGGElement>('g.lines')
      .selectAll<SVGPathElement, (typeof lines)[number]>('path')
      .data(lines, (d) => d.key)
      .join('path')
      .attr('class', (d) => `series ${d.className}`)
      .attr('d', (d) =>
        d.column < 0
          ? null
          : d3
              .line<readonly number[]>()
              .defined((row) => defined(row, d.column))
              .curve(shape)
              .x((row) => x(row[0]!))
              .y((row) => y(row[d.column]!))(rows),
      );
    // A value with no neighbour (one bucket of deliveries between gaps) is a dot, not an invisible line.
    const isolated = lines.flatMap((line) =>
      line.column < 0
        ? []
        : rows
            .filter((row, i) => defined(row, line.column) && !defined(rows[i - 1], line.column) && !defined(rows[i + 1], line.column))
            .map((row) => ({ key: `${line.key}@${row[0]}`, className: line.className, x: x(row[0]!), y: y(row[line.column]!) })),
    );
    root
      .select<SVGGElement>('g.lines')
      .selectAll<SVGCircleElement, (typeof isolated)[number]>('circle')
      .data(isolated, (d) => d.key)
      .join('circle')
      .attr('class', (d) => `series point ${d.className}`)
      .attr('cx', (d) => d.x)
      .attr('cy', (d) => d.y)
      .attr('r', 2.5);
  }

  const rules = [
    ...markers
      .filter((m) => !m.scheduled && (m.kind === 'fault' || m.kind === 'election'))
      .map((m) => ({ key: `${m.kind}-${m.atUs}-${m.target}`, at: clock.start + m.atUs / 1e6, className: m.kind === 'fault' ? 'rule-fault' : 'rule-election' })),
    { key: 'now', at: clock.now, className: 'rule-now' },
  ];
  root
    .select<SVGGElement>('g.rules')
    .selectAll<SVGLineElement, (typeof rules)[number]>('line')
    .data(rules, (d) => d.key)
    .join('line')
    .attr('class', (d) => d.className)
    .attr('x1', (d) => x(d.at))
    .attr('x2', (d) => x(d.at))
    .attr('y1', 0)
    .attr('y2', height);
  root
    .select('line.rule-hover')
    .attr('display', hover === null ? 'none' : null)
    .attr('x1', x(hover ?? clock.start))
    .attr('x2', x(hover ?? clock.start))
    .attr('y1', 0)
    .attr('y2', height);
  root
    .select('text.no-data')
    .attr('x', width / 2)
    .attr('y', height / 2)
    .attr('text-anchor', 'middle')
    .text(rows.length === 0 ? t('chart.noData') : '');
}

function isPowerOfTen(value: number): boolean {
  const log = Math.log10(value);
  return Math.abs(log - Math.round(log)) < 1e-9;
}
