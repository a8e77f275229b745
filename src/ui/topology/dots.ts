import type { LiveFlow } from '../../run/live-run';
import { niceStep, pointOn, type Link, type TopologyLayout } from './layout';

/**
 * The canvas layer of moving dots: each dot is a sample of the messages that crossed a hop since
 * the previous snapshot. The number of messages per dot (the level of detail) is chosen so that
 * about TARGET_DOTS_PER_SECOND dots are born per wall second, whatever the speed. With
 * reduced motion, nothing moves: each link is drawn thicker the more messages cross it.
 * Motion means messages: when the run is paused, no dot is born.
 */
const TARGET_DOTS_PER_SECOND = 90;
const MAX_DOTS = 400;
const TRAVEL_MS = 900;

interface Dot {
  link: Link;
  bornMs: number;
}

export class DotAnimator {
  private readonly context: CanvasRenderingContext2D | null;
  private links = new Map<string, Link>();
  private dots: Dot[] = [];
  private readonly carry = new Map<string, number>();
  private readonly heat = new Map<string, number>();
  private perDot = 1;
  private windowMessages = 0;
  private windowStartMs = 0;
  private frame = 0;
  // A sale's orders into the gateway are the producer's colour; its pushes are the consumers'.
  private colors: Record<Link['hop'], string> = { produce: '#7c3aed', replicate: '#0b5cc4', consume: '#00796b', admit: '#7c3aed', push: '#00796b' };
  private width = 0;
  private height = 0;
  private drewLastFrame = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onLevelOfDetail: (messagesPerDot: number) => void,
    private reducedMotion: boolean,
  ) {
    this.context = canvas.getContext('2d');
  }

  setReducedMotion(reduced: boolean): void {
    this.reducedMotion = reduced;
    this.dots = [];
  }

  /** Reads the role colours from the CSS tokens (after a theme change). */
  readColors(): void {
    const style = getComputedStyle(document.documentElement);
    const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const producer = read('--producer', '#7c3aed');
    const consumer = read('--consumer', '#00796b');
    this.colors = { produce: producer, replicate: read('--leader', '#0b5cc4'), consume: consumer, admit: producer, push: consumer };
  }

  setLayout(layout: TopologyLayout): void {
    this.links = new Map(layout.links.map((link) => [link.id, link]));
    const ratio = window.devicePixelRatio || 1;
    if (this.width !== layout.width || this.height !== layout.height) {
      this.width = layout.width;
      this.height = layout.height;
      this.canvas.width = Math.round(layout.width * ratio);
      this.canvas.height = Math.round(layout.height * ratio);
      this.context?.setTransform(ratio, 0, 0, ratio, 0, 0);
    }
    // Dots on links that no longer exist (a leader moved) jump to the new link of the same ends, or go.
    this.dots = this.dots.filter((dot) => this.links.has(dot.link.id)).map((dot) => ({ ...dot, link: this.links.get(dot.link.id)! }));
  }

  addFlows(flows: readonly LiveFlow[], nowMs: number, spreadMs: number): void {
    let total = 0;
    for (const flow of flows) {
      total += flow.messages;
      const id = `${flow.from}>${flow.to}`;
      const link = this.links.get(id);
      if (link === undefined) continue;
      this.heat.set(id, (this.heat.get(id) ?? 0) + flow.messages);
      if (this.reducedMotion) continue;
      const carried = (this.carry.get(id) ?? 0) + flow.messages / this.perDot;
      const born = Math.floor(carried);
      this.carry.set(id, carried - born);
      for (let i = 0; i < born && this.dots.length < MAX_DOTS; i++) {
        this.dots.push({ link, bornMs: nowMs + (born > 1 ? (i / born) * spreadMs : 0) });
      }
    }
    this.windowMessages += total;
    // Coarsen at once when the stream is clearly denser than the level allows (a jump in speed).
    const soFar = (this.windowMessages * 1000) / Math.max(100, nowMs - this.windowStartMs);
    const needed = niceStep(soFar / TARGET_DOTS_PER_SECOND);
    if (needed >= this.perDot * 4) {
      this.perDot = needed;
      this.onLevelOfDetail(needed);
    }
    if (nowMs - this.windowStartMs >= 1000) {
      const perSecond = (this.windowMessages * 1000) / Math.max(1, nowMs - this.windowStartMs);
      const next = niceStep(perSecond / TARGET_DOTS_PER_SECOND);
      // A coarser level at once, a finer one only when clearly finer: no flicker.
      if (perSecond > 0 && (next > this.perDot || next * 4 <= this.perDot)) {
        this.perDot = next;
        this.onLevelOfDetail(next);
      }
      for (const [id, value] of this.heat) this.heat.set(id, value * 0.5);
      this.windowMessages = 0;
      this.windowStartMs = nowMs;
    }
  }

  /**
   * The link of the dot drawn nearest to (x, y) within `radius` px, for "follow this dot". The
   * radius is generous (dots are 4 px and move several px a frame): a moving target is hard to hit.
   */
  dotNear(x: number, y: number, nowMs: number, radius = 14): Link | null {
    let best: Link | null = null;
    let bestDistance = radius * radius;
    for (const dot of this.dots) {
      const t = (nowMs - dot.bornMs) / TRAVEL_MS;
      if (t < 0 || t > 1) continue;
      const [dx, dy] = pointOn(dot.link.curve, t);
      const distance = (dx - x) ** 2 + (dy - y) ** 2;
      if (distance <= bestDistance) {
        bestDistance = distance;
        best = dot.link;
      }
    }
    return best;
  }

  start(): void {
    const loop = (nowMs: number) => {
      this.draw(nowMs);
      this.frame = requestAnimationFrame(loop);
    };
    this.frame = requestAnimationFrame(loop);
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
  }

  private draw(nowMs: number): void {
    const context = this.context;
    if (context === null) return;
    if (this.reducedMotion) {
      context.clearRect(0, 0, this.width, this.height);
      return this.drawHeat(context);
    }
    // An untouched canvas is not repainted: leave it alone while no message moves.
    if (this.dots.length === 0) {
      if (this.drewLastFrame) context.clearRect(0, 0, this.width, this.height);
      this.drewLastFrame = false;
      return;
    }
    context.clearRect(0, 0, this.width, this.height);
    this.drewLastFrame = true;
    const alive: Dot[] = [];
    // One path per hop colour: a few fills per frame however many dots there are.
    for (const hop of ['produce', 'replicate', 'consume', 'admit', 'push'] as const) {
      context.fillStyle = this.colors[hop];
      context.beginPath();
      for (const dot of this.dots) {
        if (dot.link.hop !== hop) continue;
        const t = (nowMs - dot.bornMs) / TRAVEL_MS;
        if (t > 1) continue;
        alive.push(dot);
        if (t < 0) continue;
        const [x, y] = pointOn(dot.link.curve, t);
        context.moveTo(x + 4, y);
        context.arc(x, y, 4, 0, Math.PI * 2);
      }
      context.fill();
    }
    this.dots = alive;
  }

  private drawHeat(context: CanvasRenderingContext2D): void {
    let max = 0;
    for (const value of this.heat.values()) max = Math.max(max, value);
    if (max === 0) return;
    context.globalAlpha = 0.55;
    for (const [id, value] of this.heat) {
      const link = this.links.get(id);
      if (link === undefined || value <= 0) continue;
      const c = link.curve;
      context.strokeStyle = this.colors[link.hop];
      context.lineWidth = 1 + 9 * (value / max);
      context.beginPath();
      context.moveTo(c[0], c[1]);
      context.bezierCurveTo(c[2], c[3], c[4], c[5], c[6], c[7]);
      context.stroke();
    }
    context.globalAlpha = 1;
  }
}
