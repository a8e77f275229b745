import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LiveSnapshot } from '../../run/live-run';
import { formatNumber, formatTick } from '../format';
import { translate, type Locale, type MessageKey } from '../i18n';
import { onFlows } from '../state/sim-client';
import { useApp, useT, type LinkTarget, type NodeTarget, type Selection } from '../state/store';
import { DotAnimator } from '../topology/dots';
import { curvePath, layoutTopology, type Box, type Link, type TileRole, type TopologyLayout } from '../topology/layout';
import { FollowPanel } from './FollowPanel';
import { NodeMenu } from './NodeMenu';

/**
 * The centre of attention: producer -> brokers (with partition tiles) -> consumers, drawn with
 * D3 into an SVG, and a canvas on top where dots (messages) move along the links. A sale adds
 * its gateway before the order service (the producer) and its push service after the stock
 * service (the consumers), each with its live counters.
 */
const ROLE_LABEL: Record<TileRole, MessageKey> = {
  leader: 'legend.leader',
  follower: 'legend.follower',
  eligible: 'legend.eligible',
  'out-of-sync': 'legend.outOfSync',
  offline: 'legend.offline',
  failed: 'legend.failed',
};

export function Topology() {
  const t = useT();
  const snapshot = useApp((s) => s.topology);
  const selection = useApp((s) => s.selection);
  const locale = useApp((s) => s.locale);
  const theme = useApp((s) => s.theme);
  const menu = useApp((s) => s.menu);
  const stageRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const animatorRef = useRef<DotAnimator | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [perDot, setPerDot] = useState(1);
  const [reducedMotion, setReducedMotion] = useState(() => window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  const lastRun = useRef({ runId: -1, timeUs: -1, wallMs: 0 });
  const structure = useRef('');
  const lastText = useRef(0);

  useEffect(() => {
    const stage = stageRef.current!;
    const observer = new ResizeObserver(() => setSize({ width: stage.clientWidth, height: stage.clientHeight }));
    observer.observe(stage);
    const query = window.matchMedia('(prefers-reduced-motion: reduce)');
    const onMotion = () => setReducedMotion(query.matches);
    query.addEventListener('change', onMotion);
    return () => {
      observer.disconnect();
      query.removeEventListener('change', onMotion);
    };
  }, []);

  useEffect(() => {
    const animator = new DotAnimator(canvasRef.current!, setPerDot, reducedMotion);
    animatorRef.current = animator;
    animator.readColors();
    animator.start();
    // Every snapshot's flows, straight from the worker (the store only sees every third or so).
    const off = onFlows((flows, runId, timeUs) => {
      const now = performance.now();
      const last = lastRun.current;
      // The first snapshot of a run (or after a seek) carries everything since t = 0: not a flow.
      // Dots are born spread over the time until the next snapshot is due, so the stream looks continuous.
      if (last.runId === runId && timeUs > last.timeUs) animator.addFlows(flows, now, Math.min(250, now - last.wallMs));
      lastRun.current = { runId, timeUs, wallMs: now };
    });
    return () => {
      off();
      animator.stop();
    };
    // The animator lives as long as the component; motion and theme changes are passed in below.
  }, []);
  useEffect(() => animatorRef.current?.setReducedMotion(reducedMotion), [reducedMotion]);
  useEffect(() => animatorRef.current?.readColors(), [theme]);

  const layout = useMemo(
    () => (snapshot !== null && size.width > 0 && size.height > 0 ? layoutTopology(snapshot, size.width, size.height) : null),
    [snapshot, size],
  );

  useEffect(() => {
    const svg = svgRef.current;
    if (svg === null) return;
    if (layout === null || snapshot === null) {
      d3.select(svg).selectAll('*').remove();
      return;
    }
    const app = useApp.getState();
    // Boxes, tiles and links change only with the cluster's state; most updates only change numbers.
    const key = structureKey(snapshot, layout, locale, selection);
    const textOnly = key === structure.current;
    // Numbers in the boxes need not change 20 times a second: 4 is plenty and saves SVG layouts.
    const now = performance.now();
    if (textOnly && now - lastText.current < 250 && !snapshot.done) return;
    lastText.current = now;
    structure.current = key;
    drawTopology(svg, layout, snapshot, locale, selection, textOnly, {
      openMenu: (target, box) => app.openMenu({ target, x: Math.min(box.x + box.w - 20, layout.width - 190), y: box.y + 22 }),
      selectTile: (partition, broker, box) => {
        app.openMenu({ target: { kind: 'broker', id: broker }, x: Math.min(box.x + box.w + 4, layout.width - 190), y: box.y });
        app.select({ kind: 'partition', id: partition, broker });
      },
    });
    if (!textOnly) animatorRef.current?.setLayout(layout);
  }, [layout, snapshot, locale, selection]);

  return (
    <section className="topology" aria-labelledby="topology-title">
      <h2 id="topology-title">{t('topology.title')}</h2>
      {/* A click on a moving dot follows a message of that link; any other click goes on to the boxes. */}
      <div
        className="stage"
        ref={stageRef}
        onClickCapture={(event) => {
          const rect = stageRef.current!.getBoundingClientRect();
          const link = animatorRef.current?.dotNear(event.clientX - rect.left, event.clientY - rect.top, performance.now());
          if (link === null || link === undefined) return;
          event.stopPropagation();
          useApp.getState().follow({ from: link.from, to: link.to, hop: link.hop });
        }}
      >
        <svg ref={svgRef} data-testid="topology" role="group" aria-labelledby="topology-title" />
        <canvas ref={canvasRef} aria-hidden="true" />
        {snapshot === null && <div className="empty">{t('topology.empty')}</div>}
        {menu !== null && snapshot !== null && <NodeMenu menu={menu} snapshot={snapshot} />}
        {snapshot?.followed != null && <FollowPanel trace={snapshot.followed} clockStartSeconds={snapshot.clockStartSeconds} />}
      </div>
      <div className="topo-footer">
        <span className="lod" data-testid="lod">
          {reducedMotion ? t('topology.reducedMotion') : perDot === 1 ? t('topology.lodOne') : t('topology.lod', { n: formatNumber(locale, perDot) })}
        </span>
        {!reducedMotion && <span className="legend-item">{t('follow.hint')}</span>}
        {(Object.keys(ROLE_LABEL) as TileRole[]).filter((role) => role !== 'eligible' || snapshot?.partitions.some((p) => (p.elr?.length ?? 0) > 0)).map((role) => (
          <span className="legend-item" key={role}>
            <svg viewBox="0 0 22 14" aria-hidden="true">
              <g className={`tile role-${role}`}>
                <rect x="2" y="2" width="18" height="10" rx="2" />
              </g>
            </svg>
            {t(ROLE_LABEL[role])}
          </span>
        ))}
      </div>
    </section>
  );
}

/** Client links take faults (cut, slow down); replication and a sale's service links do not. */
function faultable(hop: Link['hop']): boolean {
  return hop === 'produce' || hop === 'consume';
}

/** Rates and counts in a service box: short (`76.2K`, `7.62万`) so that four lines fit its width. */
function short(locale: Locale, value: number): string {
  return formatTick(locale, Math.round(value));
}

/**
 * A sale's gateway and push service as boxes: admitted and refused orders per second (refused
 * in the warning colour while it grows), the token bucket (warning colour while it is what
 * refuses) and the backlog (warning colour while it sheds); pushes sent per second, queued,
 * retried and dead-lettered, and the throttle.
 */
function saleServices(layout: TopologyLayout, snapshot: LiveSnapshot, locale: Locale) {
  const sale = snapshot.sale;
  if (sale === null || sale === undefined || layout.gateway === null || layout.push === null) return [];
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const { gateway, push } = sale;
  const limited = gateway.refusedPerSec['rate-limited'];
  const shed = gateway.refusedPerSec['shed-backlog'];
  const refusedPerSec = limited + shed;
  return [
    {
      box: layout.gateway,
      kind: 'service' as const,
      id: 0,
      key: 'svc-gateway',
      label: t('topology.gateway'),
      sub: [
        t('topology.gatewayAdmitted', { n: short(locale, gateway.admittedPerSec) }),
        t('topology.gatewayRefused', { n: short(locale, refusedPerSec) }),
        gateway.tokens === null || gateway.burst === null
          ? t('topology.gatewayNoLimit')
          : t('topology.gatewayTokens', { tokens: short(locale, Math.floor(gateway.tokens)), burst: short(locale, gateway.burst) }),
        gateway.maxBacklog === null
          ? t('topology.gatewayBacklog', { n: short(locale, gateway.backlog) })
          : t('topology.gatewayBacklogMax', { n: short(locale, gateway.backlog), max: short(locale, gateway.maxBacklog) }),
      ],
      warn: [false, refusedPerSec > 0, limited > 0, shed > 0],
      aria: t('topology.gatewayLabel', {
        admitted: formatNumber(locale, gateway.admittedPerSec),
        refused: formatNumber(locale, refusedPerSec),
        limited: formatNumber(locale, limited),
        shed: formatNumber(locale, shed),
        refusedTotal: formatNumber(locale, gateway.refused['rate-limited'] + gateway.refused['shed-backlog']),
        backlog: formatNumber(locale, gateway.backlog),
      }),
    },
    {
      box: layout.push,
      kind: 'service' as const,
      id: 1,
      key: 'svc-push',
      label: t('topology.push'),
      sub: [
        t('topology.pushSent', { n: short(locale, push.sentPerSec) }),
        t('topology.pushQueued', { n: short(locale, push.queued) }),
        t('topology.pushRetries', { retried: short(locale, push.retried), dead: short(locale, push.deadLettered) }),
        t('topology.pushThrottle', { n: short(locale, push.ratePerSecond) }),
      ],
      aria: t('topology.pushLabel', {
        sent: formatNumber(locale, push.sentPerSec),
        rate: formatNumber(locale, push.ratePerSecond),
        queued: formatNumber(locale, push.queued),
        retrying: formatNumber(locale, push.retrying),
        retried: formatNumber(locale, push.retried),
        dead: formatNumber(locale, push.deadLettered),
      }),
    },
  ];
}

interface Handlers {
  openMenu(target: NodeTarget | LinkTarget, box: Box): void;
  selectTile(partition: number, broker: number, box: Box): void;
}

function isSelected(selection: Selection | null, kind: Selection['kind'], id: number): boolean {
  return selection !== null && selection.kind === kind && selection.id === id;
}

function structureKey(snapshot: LiveSnapshot, layout: TopologyLayout, locale: Locale, selection: Selection | null): string {
  return JSON.stringify([
    layout.width,
    layout.height,
    snapshot.config.sale,
    locale,
    selection,
    snapshot.nodes.map((node) => node.status),
    snapshot.brokers.map((b) => b.cutFrom),
    snapshot.links,
    snapshot.partitions.map((p) => [p.leader, p.isr, p.consumer]),
  ]);
}

function drawTopology(
  svgElement: SVGSVGElement,
  layout: TopologyLayout,
  snapshot: LiveSnapshot,
  locale: Locale,
  selection: Selection | null,
  textOnly: boolean,
  on: Handlers,
): void {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const svg = d3.select(svgElement);
  svg.attr('viewBox', `0 0 ${layout.width} ${layout.height}`);
  if (svg.select('defs').empty()) {
    const pattern = svg
      .append('defs')
      .append('pattern')
      .attr('id', 'hatch')
      .attr('patternUnits', 'userSpaceOnUse')
      .attr('width', 6)
      .attr('height', 6)
      .attr('patternTransform', 'rotate(45)');
    pattern.append('line').attr('class', 'hatch-line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6);
    svg.append('g').attr('class', 'links');
    svg.append('g').attr('class', 'annotations');
    svg.append('g').attr('class', 'nodes');
    svg.append('g').attr('class', 'tiles');
  }

  if (!textOnly) {
    svg
    .select<SVGGElement>('g.links')
    .selectAll<SVGPathElement, (typeof layout.links)[number]>('path')
    .data(layout.links, (link) => link.id)
    .join('path')
    .attr('class', (link) => `link ${link.hop}${link.cut ? ' cut' : ''}${link.slow ? ' slow' : ''}${faultable(link.hop) ? ' clickable' : ''}`)
    .attr('data-testid', (link) => `link-${link.from}-${link.to}`)
    .attr('d', (link) => curvePath(link.curve))
    // Client links take faults by click (cut, heal, slow down); replication follows the brokers' menus,
    // and a sale's links to and from its services take none.
    .on('click', (event: MouseEvent, link) => {
      if (!faultable(link.hop)) return;
      const [x, y] = d3.pointer(event);
      on.openMenu({ kind: 'link', a: link.from, b: link.to }, { id: link.id, x: x - 10, y: y - 22, w: 30, h: 10 });
    });
  }

  const status = (key: string) => t(`status.${key}` as MessageKey);
  const nodeStatus = new Map(snapshot.nodes.map((node) => [node.id, node.status]));

  /** `key` is the node's id in the snapshot (`producer`, `broker-0`, `svc-gateway`); `warn` marks lines in the warning colour. */
  type NodeDatum = { box: Box; kind: 'producer' | 'broker' | 'consumer' | 'service'; id: number; key: string; label: string; sub: string[]; warn?: boolean[]; aria: string };
  const nodes: NodeDatum[] = [
    {
      box: layout.producer,
      kind: 'producer',
      id: 0,
      key: 'producer',
      // In a sale the producer is the order service behind the gateway: it sends what the gateway admits to the orders topic.
      label: snapshot.config.sale ? t('topology.orderService') : t('topology.producer'),
      sub: [
        `${formatNumber(locale, snapshot.latest.producedPerSec ?? 0)} ${t(snapshot.config.sale ? 'unit.ordersPerSec' : 'unit.msgPerSec')}`,
        `acks=${snapshot.config.acks}`,
      ],
      aria: snapshot.config.sale ? t('topology.orderService') : t('topology.producer'),
    },
    ...saleServices(layout, snapshot, locale),
    ...snapshot.brokers.map((broker, i): NodeDatum => {
      const leads = snapshot.partitions.filter((p) => p.leader === broker.id).length;
      const replicas = snapshot.partitions.filter((p) => p.replicas.includes(broker.id)).length;
      const messages = snapshot.partitions.reduce((sum, p) => {
        const r = p.replicas.indexOf(broker.id);
        return r < 0 ? sum : sum + p.replicaLeo[r]!;
      }, 0);
      return {
        box: layout.brokers[i]!,
        kind: 'broker',
        id: broker.id,
        key: `broker-${broker.id}`,
        label: t('topology.broker', { id: broker.id }),
        sub: [
          layout.brokers[i]!.w >= 230
            ? t('topology.brokerSub', { leads, replicas, messages: formatNumber(locale, messages) })
            : t('topology.brokerSubShort', { leads, replicas, messages: formatTick(locale, messages) }),
        ],
        aria: t('topology.brokerLabel', { id: broker.id, status: status(nodeStatus.get(`broker-${broker.id}`) ?? 'up'), leads, replicas }),
      };
    }),
    ...snapshot.consumers.map((consumer, i): NodeDatum => {
      const lag = snapshot.partitions.filter((p) => p.consumer === consumer.id).reduce((sum, p) => sum + p.lag, 0);
      const partitions = consumer.partitions.map((p) => `P${p}`).join(' ');
      const box = layout.consumers[i]!;
      const compact = box.h < 44 || box.w < 90;
      return {
        box,
        kind: 'consumer',
        id: consumer.id,
        key: `consumer-${consumer.id}`,
        // Too narrow for two digits (a sale's 48 consumers in a small pane): the box alone, its name in its aria label.
        label: compact ? (box.w < 20 ? '' : String(consumer.id)) : t(snapshot.config.sale ? 'topology.stockConsumer' : 'topology.consumer', { id: consumer.id }),
        sub: compact ? [] : [partitions, `${t('detail.lag')} ${formatNumber(locale, lag)}`].filter((line) => line !== '').slice(0, box.h >= 64 ? 2 : 1),
        aria: t('topology.consumerLabel', { id: consumer.id, status: status(nodeStatus.get(`consumer-${consumer.id}`) ?? 'up'), partitions: partitions || '–' }),
      };
    }),
  ];
  const nodeKey = (d: NodeDatum) => d.key;
  // Brokers and consumers take faults by click; the producer and a sale's services do not.
  const interactive = (d: NodeDatum) => d.kind === 'broker' || d.kind === 'consumer';
  // A service box shows as many lines of counters as its height holds (it is squeezed in a short pane).
  const subLines = (d: NodeDatum) =>
    (d.kind === 'service' ? d.sub.slice(0, Math.max(1, Math.floor((d.box.h - 30) / 15))) : d.sub).map((line, i) => ({
      line,
      warn: d.warn?.[i] === true,
      x: d.box.x + 9,
      dy: i === 0 ? 0 : d.kind === 'service' ? '1.25em' : '1.3em',
    }));
  if (textOnly) {
    const updated = svg.select<SVGGElement>('g.nodes').selectAll<SVGGElement, NodeDatum>('g.node').data(nodes, nodeKey);
    updated
      .filter((d) => d.kind === 'service')
      .attr('aria-label', (d) => d.aria)
      .select('title')
      .text((d) => d.aria);
    updated
      .select('text.node-sub')
      .selectAll<SVGTSpanElement, { line: string; warn: boolean }>('tspan')
      .data(subLines)
      .attr('class', (d) => (d.warn ? 'warn' : null))
      .text((d) => d.line);
    return;
  }
  const node = svg
    .select<SVGGElement>('g.nodes')
    .selectAll<SVGGElement, NodeDatum>('g.node')
    .data(nodes, nodeKey)
    .join((enter) => {
      const g = enter.append('g');
      g.append('title');
      g.append('rect').attr('class', 'node-box').attr('rx', 8);
      g.append('text').attr('class', 'node-label');
      g.append('text').attr('class', 'node-sub');
      const badge = g.append('g').attr('class', 'badge');
      badge.append('rect').attr('class', 'badge-bg').attr('rx', 4);
      badge.append('text').attr('class', 'badge-text');
      return g;
    })
    .attr('class', (d) => {
      const state = nodeStatus.get(nodeKey(d)) ?? 'up';
      const selected = interactive(d) && isSelected(selection, d.kind as Selection['kind'], d.id);
      const compact = d.kind === 'consumer' && d.sub.length === 0;
      return `node ${d.kind}${d.kind === 'service' ? ` ${d.key}` : ''} status-${state}${selected ? ' selected' : ''}${compact ? ' compact' : ''}`;
    })
    .attr('data-testid', nodeKey)
    .attr('data-status', (d) => nodeStatus.get(nodeKey(d)) ?? 'up')
    .attr('role', (d) => (interactive(d) ? 'button' : 'img'))
    .attr('tabindex', (d) => (interactive(d) ? 0 : null))
    .attr('aria-label', (d) => d.aria)
    .attr('aria-haspopup', (d) => (interactive(d) ? 'menu' : null));
  // A service's counters in full (and why orders are refused) on hover.
  node.select('title').text((d) => (d.kind === 'service' ? d.aria : ''));
  node
    .select('rect.node-box')
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h);
  node
    .select('text.node-label')
    .attr('x', (d) => (d.sub.length === 0 && d.kind === 'consumer' ? d.box.x + d.box.w / 2 : d.box.x + 9))
    .attr('text-anchor', (d) => (d.sub.length === 0 && d.kind === 'consumer' ? 'middle' : null))
    .attr('dominant-baseline', (d) => (d.sub.length === 0 && d.kind === 'consumer' ? 'central' : null))
    .attr('y', (d) => (d.kind === 'broker' || d.sub.length > 1 ? d.box.y + 20 : d.sub.length === 0 ? d.box.y + d.box.h / 2 : d.box.y + Math.min(26, d.box.h / 2)))
    .text((d) => d.label);
  node
    .select('text.node-sub')
    .attr('y', (d) =>
      d.kind === 'broker' ? d.box.y + d.box.h - 6 : d.kind === 'service' ? d.box.y + 38 : d.sub.length > 1 ? d.box.y + 40 : d.box.y + Math.min(46, d.box.h - 8),
    )
    .selectAll('tspan')
    .data(subLines)
    .join('tspan')
    .attr('class', (d) => (d.warn ? 'warn' : null))
    .attr('x', (d) => d.x)
    .attr('dy', (d) => d.dy)
    .text((d) => d.line);
  const badge = node.select<SVGGElement>('g.badge').attr('display', (d) => ((nodeStatus.get(nodeKey(d)) ?? 'up') === 'up' ? 'none' : null));
  badge
    .select('text.badge-text')
    .text((d) => status(nodeStatus.get(nodeKey(d)) ?? 'up'))
    .attr('x', (d) => d.box.x + d.box.w - 8)
    .attr('y', (d) => d.box.y + 17)
    .attr('text-anchor', 'end');
  badge.each(function (d) {
    const group = d3.select(this);
    const text = group.select<SVGTextElement>('text').node();
    if (text === null || group.attr('display') === 'none') return;
    const bbox = text.getBBox();
    group
      .select('rect')
      .attr('class', `badge-bg badge-${nodeStatus.get(nodeKey(d)) ?? 'up'}`)
      .attr('x', bbox.x - 4)
      .attr('y', bbox.y - 1)
      .attr('width', bbox.width + 8)
      .attr('height', bbox.height + 2);
  });
  node
    .on('click', (event: MouseEvent, d) => {
      if (d.kind !== 'broker' && d.kind !== 'consumer') return;
      event.stopPropagation();
      on.openMenu({ kind: d.kind, id: d.id }, d.box);
    })
    .on('keydown', (event: KeyboardEvent, d) => {
      if ((d.kind !== 'broker' && d.kind !== 'consumer') || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      event.stopPropagation();
      on.openMenu({ kind: d.kind, id: d.id }, d.box);
    });

  // Where a sale's orders come from: the buyers, above the gateway.
  svg
    .select<SVGGElement>('g.annotations')
    .selectAll<SVGTextElement, { x: number; y: number }>('text.users-label')
    .data(layout.users === null ? [] : [layout.users])
    .join('text')
    .attr('class', 'users-label')
    .attr('data-testid', 'users')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('text-anchor', 'middle')
    .text(t('topology.users'));

  const tile = svg
    .select<SVGGElement>('g.tiles')
    .selectAll<SVGGElement, (typeof layout.tiles)[number]>('g.tile')
    .data(layout.tiles, (d) => `${d.broker}-${d.partition}`)
    .join((enter) => {
      const g = enter.append('g');
      g.append('rect').attr('rx', 3);
      g.append('text').attr('text-anchor', 'middle').attr('dominant-baseline', 'central');
      g.append('title');
      return g;
    })
    .attr('class', (d) => {
      const selected = selection?.kind === 'partition' && selection.id === d.partition && (selection.broker === null || selection.broker === d.broker);
      return `tile role-${d.role}${selected ? ' selected' : ''}`;
    })
    .attr('data-testid', (d) => `tile-b${d.broker}-p${d.partition}`)
    .attr('data-role', (d) => d.role);
  tile
    .select('rect')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('width', (d) => d.w)
    .attr('height', (d) => d.h);
  tile
    .select('text')
    .attr('x', (d) => d.x + d.w / 2)
    .attr('y', (d) => d.y + d.h / 2)
    .attr('font-size', (d) => (d.w >= 30 ? 12 : 9))
    .text((d) => (d.w >= 20 ? `P${d.partition}${d.role === 'offline' ? '✕' : ''}` : ''));
  tile.select('title').text((d) => t('topology.tileLabel', { partition: d.partition, broker: d.broker, role: t(ROLE_LABEL[d.role]) }));
  tile.on('click', (event: MouseEvent, d) => {
    event.stopPropagation();
    const box = layout.brokers.find((b) => b.id === `broker-${d.broker}`)!;
    on.selectTile(d.partition, d.broker, box);
  });
}
