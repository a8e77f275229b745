import type { LivePartition, LiveSnapshot } from '../../run/live-run';

/**
 * Where the topology's boxes, tiles and links go, as pure geometry (testable without a DOM):
 * the producer on the left, brokers in the middle (a grid when there are many), consumers on
 * the right. Links are cubic Bézier curves so that the dots can follow them.
 *
 * In a sale the side columns hold the sale's services as well: on the left, users -> gateway
 * -> order service (the producer) from top to bottom; on the right, the stock service's
 * consumers with the push service below them. The brokers keep the width they had.
 */
export interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export type TileRole = 'leader' | 'follower' | 'eligible' | 'out-of-sync' | 'offline' | 'failed';

export interface Tile {
  broker: number;
  partition: number;
  x: number;
  y: number;
  w: number;
  h: number;
  role: TileRole;
}

export type Curve = [number, number, number, number, number, number, number, number];

export interface Link {
  id: string;
  hop: 'produce' | 'replicate' | 'consume' | 'admit' | 'push';
  from: string;
  to: string;
  curve: Curve;
  /** A link over which nothing passes now (an isolated broker's replication, a cut client link). */
  cut: boolean;
  /** Slower than the scenario's network latency (a live slow-link fault). */
  slow: boolean;
}

export interface TopologyLayout {
  width: number;
  height: number;
  producer: Box;
  brokers: Box[];
  consumers: Box[];
  tiles: Tile[];
  links: Link[];
  /** A sale's gateway and push service boxes (null outside a sale), and where the buyers' label goes (its baseline centre). */
  gateway: Box | null;
  push: Box | null;
  users: { x: number; y: number } | null;
}

/** The role a partition's replica plays on a broker: what its tile shows. */
export function tileRole(partition: LivePartition, broker: number, brokerAlive: boolean): TileRole {
  if (!brokerAlive) return 'failed';
  if (partition.offline) return 'offline';
  if (partition.leader === broker) return 'leader';
  if (partition.isr.includes(broker)) return 'follower';
  // Out of the ISR but still holding everything below the frozen high watermark (KIP-966).
  return partition.elr?.includes(broker) === true ? 'eligible' : 'out-of-sync';
}

const MARGIN = 14;
const TOP = 34; // room for the pane title
const BROKER_LABEL = 26;
/** A line of text at the bottom of a broker box. */
export const BROKER_FOOTER = 18;
/** A sale's service boxes: a name and four lines of counters. */
export const SERVICE_BOX_H = 92;
/** Room for the buyers' label and the link down into the gateway. */
const USERS_LEAD = 40;
/** Between a service box and the box it feeds, for a vertical link. */
const SERVICE_GAP = 26;
const PRODUCER_H = 72;

export function layoutTopology(snapshot: LiveSnapshot, width: number, height: number): TopologyLayout {
  const w = Math.max(width, 320);
  const h = Math.max(height, 200);
  const sideW = Math.min(150, Math.max(110, w * 0.14));
  const sale = snapshot.sale !== null && snapshot.sale !== undefined;
  const usableH = h - TOP - MARGIN;
  const sideGap = Math.max(60, w * 0.09);
  // A sale's service boxes carry four lines of counters: its side columns take a little of the gap to the brokers.
  const saleW = sideW + Math.min(24, sideGap - 50);
  let producer: Box = { id: 'producer', x: MARGIN, y: TOP + usableH / 2 - PRODUCER_H / 2, w: sideW, h: PRODUCER_H };
  let gateway: Box | null = null;
  let users: { x: number; y: number } | null = null;
  if (sale) {
    // users -> gateway -> order service, as one stack centred in the column (squeezed when short).
    const serviceH = Math.max(48, Math.min(SERVICE_BOX_H, usableH - USERS_LEAD - SERVICE_GAP - PRODUCER_H));
    const producerH = Math.max(44, Math.min(PRODUCER_H, usableH - USERS_LEAD - SERVICE_GAP - serviceH));
    const stackH = USERS_LEAD + serviceH + SERVICE_GAP + producerH;
    const top = TOP + Math.max(0, (usableH - stackH) / 2);
    users = { x: MARGIN + saleW / 2, y: top + 13 };
    gateway = { id: 'svc-gateway', x: MARGIN, y: top + USERS_LEAD, w: saleW, h: serviceH };
    producer = { id: 'producer', x: MARGIN, y: gateway.y + serviceH + SERVICE_GAP, w: saleW, h: producerH };
  }

  // Brokers: as many rows as fit at a readable height, then more columns.
  const brokerCount = snapshot.brokers.length;
  const middleX = MARGIN + sideW + sideGap;
  const middleW = w - 2 * middleX;
  const gap = 14;
  const maxRows = Math.max(1, Math.floor((usableH + gap) / (84 + gap)));
  const cols = Math.max(1, Math.ceil(brokerCount / maxRows));
  const rows = Math.max(1, Math.ceil(brokerCount / cols));
  const boxW = Math.min(300, (middleW - (cols - 1) * gap * 2) / cols);
  const boxH = Math.min(150, (usableH - (rows - 1) * gap) / rows);
  const gridW = cols * boxW + (cols - 1) * gap * 2;
  const gridH = rows * boxH + (rows - 1) * gap;
  const gridX = middleX + (middleW - gridW) / 2;
  const gridY = TOP + (usableH - gridH) / 2;
  const brokers: Box[] = snapshot.brokers.map((broker, i) => ({
    id: `broker-${broker.id}`,
    x: gridX + Math.floor(i / rows) * (boxW + gap * 2),
    y: gridY + (i % rows) * (boxH + gap),
    w: boxW,
    h: boxH,
  }));

  // Tiles: every replica a broker holds, as large as they can be and still fit.
  const tiles: Tile[] = [];
  snapshot.brokers.forEach((broker, i) => {
    const box = brokers[i]!;
    const held = snapshot.partitions.filter((p) => p.replicas.includes(broker.id));
    const size = tileSize(held.length, box.w - 16, box.h - BROKER_LABEL - 8 - BROKER_FOOTER);
    const perRow = Math.max(1, Math.floor((box.w - 16 + size.gap) / (size.w + size.gap)));
    held.forEach((partition, k) => {
      tiles.push({
        broker: broker.id,
        partition: partition.id,
        x: box.x + 8 + (k % perRow) * (size.w + size.gap),
        y: box.y + BROKER_LABEL + 4 + Math.floor(k / perRow) * (size.h + size.gap),
        w: size.w,
        h: size.h,
        role: tileRole(partition, broker.id, broker.alive),
      });
    });
  });

  // Consumers: a column of boxes, or a compact grid when there are many (a sale's 48).
  // In a sale the push service takes the bottom of the column.
  const pushH = sale ? Math.max(48, Math.min(SERVICE_BOX_H, usableH * 0.3)) : 0;
  const consumerH = sale ? usableH - pushH - SERVICE_GAP : usableH;
  const consumerCount = Math.max(1, snapshot.consumers.length);
  const cGap = 8;
  let cCols = 1;
  while (cCols < 8 && Math.ceil(consumerCount / cCols) * (30 + cGap) - cGap > consumerH) cCols++;
  const cRows = Math.ceil(consumerCount / cCols);
  const cH = Math.min(76, (consumerH - (cRows - 1) * cGap) / cRows);
  const cAreaW = Math.max(cCols > 2 ? Math.min(sideW * 1.5, w * 0.2) : sideW, sale ? saleW : 0);
  const cW = (cAreaW - (cCols - 1) * 4) / cCols;
  const cTotal = cRows * cH + (cRows - 1) * cGap;
  // A sale's column (consumers, gap, push) is centred as a whole.
  const cTop = TOP + (sale ? Math.max(0, (usableH - (cTotal + SERVICE_GAP + pushH)) / 2) : (usableH - cTotal) / 2);
  const consumers: Box[] = snapshot.consumers.map((consumer, i) => ({
    id: `consumer-${consumer.id}`,
    x: w - MARGIN - cAreaW + Math.floor(i / cRows) * (cW + 4),
    y: cTop + (i % cRows) * (cH + cGap),
    w: cW,
    h: cH,
  }));
  const push: Box | null = sale ? { id: 'svc-push', x: w - MARGIN - cAreaW, y: cTop + cTotal + SERVICE_GAP, w: cAreaW, h: pushH } : null;

  const byId = new Map<string, Box>([producer, ...brokers, ...consumers].map((box) => [box.id, box]));
  const links: Link[] = [];
  const cut = new Set(snapshot.brokers.flatMap((b) => b.cutFrom.map((other) => `${b.id}>${other}`)));
  const leaders = new Set(snapshot.partitions.filter((p) => p.leader >= 0).map((p) => p.leader));
  const clientLink = new Map((snapshot.links ?? []).map((link) => [`${link.a}>${link.b}`, link]));
  const cutClient = (from: string, to: string) => clientLink.get(`${from}>${to}`)?.cut ?? false;
  const slowClient = (from: string, to: string) => clientLink.get(`${from}>${to}`)?.slow ?? false;
  for (const broker of snapshot.brokers) {
    if (!leaders.has(broker.id)) continue;
    links.push({ id: `producer>broker-${broker.id}`, hop: 'produce', from: 'producer', to: `broker-${broker.id}`, curve: straight(producer, byId.get(`broker-${broker.id}`)!), cut: cutClient('producer', `broker-${broker.id}`), slow: slowClient('producer', `broker-${broker.id}`) });
  }
  const replication = new Set<string>();
  const consumption = new Set<string>();
  for (const partition of snapshot.partitions) {
    if (partition.leader < 0) continue;
    for (const follower of partition.replicas) {
      if (follower === partition.leader) continue;
      const key = `broker-${partition.leader}>broker-${follower}`;
      if (replication.has(key)) continue;
      replication.add(key);
      const from = byId.get(`broker-${partition.leader}`)!;
      const to = byId.get(`broker-${follower}`)!;
      links.push({ id: key, hop: 'replicate', from: from.id, to: to.id, curve: arc(from, to), cut: cut.has(`${partition.leader}>${follower}`), slow: false });
    }
    const consumerKey = `broker-${partition.leader}>consumer-${partition.consumer}`;
    if (!consumption.has(consumerKey)) {
      consumption.add(consumerKey);
      const from = byId.get(`broker-${partition.leader}`)!;
      const to = byId.get(`consumer-${partition.consumer}`);
      if (to !== undefined) links.push({ id: consumerKey, hop: 'consume', from: from.id, to: to.id, curve: straight(from, to), cut: cutClient(from.id, to.id), slow: slowClient(from.id, to.id) });
    }
  }
  if (gateway !== null && users !== null) {
    const fromY = users.y + 5;
    links.push({ id: 'users>svc-gateway', hop: 'admit', from: 'users', to: gateway.id, curve: vertical(users.x, fromY, users.x, gateway.y), cut: false, slow: false });
    links.push({ id: 'svc-gateway>producer', hop: 'admit', from: gateway.id, to: 'producer', curve: vertical(users.x, gateway.y + gateway.h, users.x, producer.y), cut: false, slow: false });
  }
  if (push !== null) {
    const x = push.x + push.w / 2;
    links.push({ id: 'consumers>svc-push', hop: 'push', from: 'consumers', to: push.id, curve: vertical(x, cTop + cTotal, x, push.y), cut: false, slow: false });
  }
  return { width: w, height: h, producer, brokers, consumers, tiles, links, gateway, push, users };
}

/** Straight down from (x1, y1) to (x2, y2). */
function vertical(x1: number, y1: number, x2: number, y2: number): Curve {
  const dy = (y2 - y1) / 2;
  return [x1, y1, x1, y1 + dy, x2, y2 - dy, x2, y2];
}

function tileSize(count: number, areaW: number, areaH: number): { w: number; h: number; gap: number } {
  for (let tw = 46; tw >= 12; tw -= 2) {
    const th = Math.round(tw * 0.62);
    const gap = tw >= 30 ? 5 : 3;
    const perRow = Math.max(1, Math.floor((areaW + gap) / (tw + gap)));
    if (Math.ceil(count / perRow) * (th + gap) - gap <= areaH) return { w: tw, h: th, gap };
  }
  return { w: 12, h: 8, gap: 2 };
}

/** From the right edge of `a` to the left edge of `b`, as a gentle S curve. */
function straight(a: Box, b: Box): Curve {
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x;
  const y2 = b.y + b.h / 2;
  const dx = (x2 - x1) / 2;
  return [x1, y1, x1 + dx, y1, x2 - dx, y2, x2, y2];
}

/** Between two brokers: out of the leader's right edge, round and into the follower's right edge. */
function arc(a: Box, b: Box): Curve {
  const down = b.y > a.y ? 1 : -1;
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2 + down * 8;
  const x2 = b.x + b.w;
  const y2 = b.y + b.h / 2 - down * 8;
  const bulge = 26 + Math.min(60, Math.abs(y2 - y1) * 0.18);
  if (Math.abs(a.x - b.x) > 1) {
    // Different columns: a plain S curve between facing edges.
    const left = a.x < b.x ? a : b;
    const right = left === a ? b : a;
    const from: [number, number] = [left.x + left.w, left.y + left.h / 2];
    const to: [number, number] = [right.x, right.y + right.h / 2];
    const dx = (to[0] - from[0]) / 2;
    const curve: Curve = [from[0], from[1], from[0] + dx, from[1], to[0] - dx, to[1], to[0], to[1]];
    return left === a ? curve : [curve[6], curve[7], curve[4], curve[5], curve[2], curve[3], curve[0], curve[1]];
  }
  return [x1, y1, x1 + bulge, y1, x2 + bulge, y2, x2, y2];
}

/** A point on a cubic Bézier curve at t in [0, 1]. */
export function pointOn(curve: Curve, t: number): [number, number] {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return [a * curve[0] + b * curve[2] + c * curve[4] + d * curve[6], a * curve[1] + b * curve[3] + c * curve[5] + d * curve[7]];
}

export function curvePath(curve: Curve): string {
  return `M${curve[0]},${curve[1]} C${curve[2]},${curve[3]} ${curve[4]},${curve[5]} ${curve[6]},${curve[7]}`;
}

/** 1, 2, 5, 10, 20, 50…: the nice number of messages per dot at or above `value`. */
export function niceStep(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}
