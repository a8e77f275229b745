import * as d3 from 'd3';
import { useEffect, useRef, useState } from 'react';
import type { LiveMarker } from '../../run/live-run';
import { formatClock, formatTick } from '../format';
import { translate, translateDynamic, type Locale } from '../i18n';
import { useApp, useT } from '../state/store';

/**
 * The run's timeline: faults (x), elections (o), ISR changes and offline partitions on the same
 * time axis as the charts; the current time; drag (or arrow keys) to go back and replay.
 */
const PAD = { left: 30, right: 30 };

export interface RunClock {
  start: number;
  sale: boolean;
}

export function clockText(locale: Locale, clock: RunClock, runSeconds: number, fractionDigits = 1): string {
  const text = formatClock(locale, clock.start + runSeconds, clock.sale, fractionDigits);
  return clock.sale ? text : `${text} ${translate(locale, 'unit.s')}`;
}

export function markerText(locale: Locale, marker: LiveMarker, clock: RunClock = { start: 0, sale: false }): string {
  const at = clockText(locale, clock, marker.atUs / 1e6);
  const isr = (marker.isr ?? []).join(', ');
  let text: string;
  switch (marker.kind) {
    case 'fault':
      text = translateDynamic(locale, `fault.${marker.fault ?? ''}`, marker.label, { target: marker.target });
      break;
    case 'election':
      text = translate(locale, marker.elr === true ? 'marker.electionElr' : marker.preferred === true ? 'marker.electionPreferred' : 'marker.election', {
        partition: marker.partition ?? '',
        leader: translate(locale, 'topology.broker', { id: marker.leader ?? '' }),
      });
      break;
    case 'offline':
      text = translate(locale, 'marker.offline', { partition: marker.partition ?? '' });
      break;
    case 'isr-shrink':
      text = translate(locale, 'marker.isrShrink', { partition: marker.partition ?? '', isr });
      break;
    case 'isr-expand':
      text = translate(locale, 'marker.isrExpand', { partition: marker.partition ?? '', isr });
      break;
    case 'rebalance':
      text = translate(locale, 'marker.rebalance', {
        members: marker.members ?? '',
        reason: translateDynamic(locale, `reason.${marker.reason ?? ''}`, marker.reason ?? ''),
      });
      break;
  }
  return `${at}: ${text}${marker.scheduled ? ` (${translate(locale, 'timeline.scheduled')})` : ''}`;
}

export function Timeline() {
  const t = useT();
  const snapshot = useApp((s) => s.snapshot);
  const endUs = useApp((s) => s.endUs);
  const locale = useApp((s) => s.locale);
  const seek = useApp((s) => s.seek);
  const bucketSeconds = useApp((s) => s.series.bucketSeconds);
  const trackRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [preview, setPreview] = useState<number | null>(null);
  const dragging = useRef(false);
  const nowUs = snapshot?.timeUs ?? 0;
  const clockStart = snapshot?.clockStartSeconds ?? 0;
  const sale = snapshot?.config.sale ?? false;
  const markers = snapshot?.markers;

  useEffect(() => {
    const track = trackRef.current!;
    const observer = new ResizeObserver(() => setSize({ width: track.clientWidth, height: track.clientHeight }));
    observer.observe(track);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (svgRef.current === null || size.width === 0) return;
    drawTimeline(svgRef.current, size.width, size.height, endUs, nowUs, preview, markers ?? [], locale, { start: clockStart, sale });
  }, [size, endUs, nowUs, preview, markers, locale, clockStart, sale]);

  const timeAt = (clientX: number): number => {
    const rect = trackRef.current!.getBoundingClientRect();
    const fraction = (clientX - rect.left - PAD.left) / (rect.width - PAD.left - PAD.right);
    return Math.round(Math.min(1, Math.max(0, fraction)) * endUs);
  };
  const disabled = snapshot === null || endUs === 0;

  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <div className="tl-head">
        <h2 id="timeline-title">{t('timeline.title')}</h2>
        <div className="tl-legend">
          <span>
            <span className="sym fault">✕</span> {t('timeline.fault')}
          </span>
          <span>
            <span className="sym election">○</span> {t('timeline.election')}
          </span>
          <span>
            <span className="sym isr">▼</span> {t('timeline.isr')}
          </span>
          <span>
            <span className="sym rebalance">◇</span> {t('timeline.rebalance')}
          </span>
        </div>
      </div>
      <div
        ref={trackRef}
        className="tl-track"
        role="slider"
        tabIndex={disabled ? -1 : 0}
        aria-label={t('timeline.label')}
        aria-valuemin={0}
        aria-valuemax={Math.round(endUs / 1e6)}
        aria-valuenow={Math.round(nowUs / 1e5) / 10}
        aria-valuetext={clockText(locale, { start: clockStart, sale }, nowUs / 1e6)}
        aria-disabled={disabled}
        data-testid="timeline"
        onPointerDown={(event) => {
          if (disabled) return;
          dragging.current = true;
          event.currentTarget.setPointerCapture(event.pointerId);
          setPreview(timeAt(event.clientX));
        }}
        onPointerMove={(event) => {
          if (dragging.current) setPreview(timeAt(event.clientX));
        }}
        onPointerUp={(event) => {
          if (!dragging.current) return;
          dragging.current = false;
          const target = timeAt(event.clientX);
          setPreview(null);
          seek(target);
        }}
        onPointerCancel={() => {
          dragging.current = false;
          setPreview(null);
        }}
        onKeyDown={(event) => {
          if (disabled) return;
          const stepUs = bucketSeconds * 1e6 * (event.shiftKey ? 10 : 1);
          if (event.key === 'ArrowLeft') seek(Math.max(0, nowUs - stepUs));
          else if (event.key === 'ArrowRight') seek(Math.min(endUs, nowUs + stepUs));
          else if (event.key === 'Home') seek(0);
          else return;
          event.preventDefault();
          event.stopPropagation();
        }}
      >
        <svg ref={svgRef} aria-hidden="true" />
      </div>
    </section>
  );
}

function drawTimeline(
  element: SVGSVGElement,
  width: number,
  height: number,
  endUs: number,
  nowUs: number,
  previewUs: number | null,
  markers: readonly LiveMarker[],
  locale: Locale,
  clock: RunClock,
): void {
  const svg = d3.select(element);
  svg.attr('viewBox', `0 0 ${width} ${height}`);
  const x = d3.scaleLinear().domain([0, Math.max(1, endUs / 1e6)]).range([PAD.left, width - PAD.right]);
  let root = svg.select<SVGGElement>('g.root');
  if (root.empty()) {
    root = svg.append('g').attr('class', 'root');
    root.append('rect').attr('class', 'tl-bar');
    root.append('rect').attr('class', 'tl-done');
    root.append('g').attr('class', 'axis x');
    root.append('g').attr('class', 'markers');
    root.append('line').attr('class', 'tl-now');
    root.append('path').attr('class', 'tl-handle');
    root.append('line').attr('class', 'tl-preview');
  }
  const barY = 6;
  const barH = Math.max(16, height - 32);
  const nowX = x(nowUs / 1e6);
  root
    .select('rect.tl-done')
    .attr('x', x(0))
    .attr('y', barY)
    .attr('width', Math.max(0, nowX - x(0)))
    .attr('height', barH)
    .attr('rx', 4);
  root.select('line.tl-now').attr('x1', nowX).attr('x2', nowX).attr('y1', barY - 3).attr('y2', barY + barH + 3);
  root.select('path.tl-handle').attr('d', `M${nowX - 6},${barY - 6}h12l-6,7Z`);
  root
    .select('line.tl-preview')
    .attr('display', previewUs === null ? 'none' : null)
    .attr('x1', x((previewUs ?? 0) / 1e6))
    .attr('x2', x((previewUs ?? 0) / 1e6))
    .attr('y1', barY - 4)
    .attr('y2', barY + barH + 4);
  // The axis and the markers change rarely: redraw them only when something they show changed.
  const last = markers[markers.length - 1];
  const key = `${width}x${height}|${endUs}|${locale}|${clock.start}|${clock.sale}|${markers.length}|${last?.atUs}|${markers.filter((m) => m.scheduled).length}`;
  const cache = element as SVGSVGElement & { drawnKey?: string };
  if (cache.drawnKey === key) return;
  cache.drawnKey = key;
  root.select('rect.tl-bar').attr('x', x(0)).attr('y', barY).attr('width', x.range()[1]! - x(0)).attr('height', barH).attr('rx', 4);
  root
    .select<SVGGElement>('g.axis.x')
    .attr('transform', `translate(0,${barY + barH})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(Math.max(2, Math.floor(width / 90)))
        .tickSizeOuter(0)
        .tickFormat((v) => (clock.sale ? formatClock(locale, clock.start + Number(v), true) : `${formatTick(locale, Number(v))} ${translate(locale, 'unit.s')}`)),
    );
  const lane = (m: LiveMarker) => (m.kind === 'fault' ? 0 : m.kind === 'election' || m.kind === 'offline' ? 1 : 2);
  const laneY = (m: LiveMarker) => barY + ((lane(m) + 0.5) * barH) / 3;
  const symbol = (m: LiveMarker): string => {
    const cx = x(m.atUs / 1e6);
    const cy = laneY(m);
    const r = Math.min(5, barH / 7);
    if (m.kind === 'fault') return `M${cx - r},${cy - r}L${cx + r},${cy + r}M${cx - r},${cy + r}L${cx + r},${cy - r}`;
    if (m.kind === 'election') return `M${cx + r},${cy}A${r},${r} 0 1,1 ${cx - r},${cy}A${r},${r} 0 1,1 ${cx + r},${cy}`;
    if (m.kind === 'offline') return `M${cx - r},${cy - r}h${2 * r}v${2 * r}h${-2 * r}Z`;
    if (m.kind === 'rebalance') return `M${cx},${cy - r}L${cx + r},${cy}L${cx},${cy + r}L${cx - r},${cy}Z`;
    return `M${cx - r},${cy - r * 0.8}h${2 * r}L${cx},${cy + r}Z`;
  };
  const className = (m: LiveMarker) =>
    m.kind === 'fault'
      ? `m-fault${m.scheduled ? ' scheduled' : ''}`
      : m.kind === 'election'
        ? 'm-election'
        : m.kind === 'offline'
          ? 'm-offline'
          : m.kind === 'rebalance'
            ? 'm-rebalance'
            : 'm-isr';
  const marks = root
    .select<SVGGElement>('g.markers')
    .selectAll<SVGPathElement, LiveMarker>('path')
    .data(markers, (m) => `${m.kind}|${m.atUs}|${m.target}|${m.label}|${m.scheduled ? 1 : 0}`)
    .join((enter) => {
      const path = enter.append('path');
      path.append('title');
      return path;
    })
    .attr('class', className)
    .attr('data-kind', (m) => m.kind)
    .attr('d', symbol);
  marks.select('title').text((m) => markerText(locale, m, clock));
}
