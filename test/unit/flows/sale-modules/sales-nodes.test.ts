import { describe, expect, it } from 'vitest';
import { SalesNodes } from '../../../../src/flows/sales-nodes';

/**
 * A reference D/1 FIFO node, written from scratch: change i, published at p_i, arrives at
 * a_i = p_i + latency and is applied at c_i = max(a_i, c_{i-1}) + apply.
 */
class ReferenceNode {
  readonly published: number[] = [];
  readonly arrived: number[] = [];
  readonly applied: number[] = [];

  constructor(
    readonly applyUs: number,
    readonly latencyUs: number,
  ) {}

  publish(atUs: number): void {
    const arrives = atUs + this.latencyUs;
    const previous = this.applied.length > 0 ? this.applied[this.applied.length - 1]! : -Infinity;
    this.published.push(atUs);
    this.arrived.push(arrives);
    this.applied.push(Math.max(arrives, previous) + this.applyUs);
  }

  /**
   * Changes not applied at t, as SalesNodes.pending documents it: the changes applied after
   * t, or, while the last change is still on the wire, the queue it will find on arrival
   * (itself included).
   */
  pending(t: number): number {
    if (this.arrived.length === 0) return 0;
    const from = Math.max(t, this.arrived[this.arrived.length - 1]!);
    return this.applied.filter((c) => c > from).length;
  }

  /** Largest queue a change finds on arrival, itself included (FIFO: those ahead not yet applied). */
  maxQueueAtArrival(): number {
    let max = 0;
    for (let j = 0; j < this.arrived.length; j++) {
      let queued = 0;
      for (let i = 0; i <= j; i++) if (this.applied[i]! > this.arrived[j]!) queued++;
      max = Math.max(max, queued);
    }
    return max;
  }
}

describe('SalesNodes: D/1 queue arithmetic', () => {
  it('N changes published at one instant (apply 10 µs, latency 0): divergence N, one fewer every 10 µs, staleness up to 10N', () => {
    const n = 50;
    const nodes = new SalesNodes({ applyUs: [10], latencyUs: 0 });
    for (let i = 0; i < n; i++) nodes.publish(0);
    expect(nodes.published).toBe(n);
    expect(nodes.maxDivergence()).toBe(n);
    for (let t = 0; t <= 10 * n + 20; t++) {
      // Changes applied at 10, 20, ..., 10N: those still pending at t are the ones applied after t.
      const expected = Math.max(0, n - Math.floor(t / 10));
      expect(nodes.pending(0, t), `t=${t}`).toBe(expected);
      expect(nodes.divergence(t), `t=${t}`).toBe(expected);
    }
    expect(nodes.stalenessUs.count).toBe(n);
    expect(nodes.stalenessUs.min).toBe(10);
    expect(nodes.stalenessUs.max).toBe(10 * n);
    expect(nodes.stalenessUs.mean).toBe((10 * (n + 1)) / 2);
    expect(nodes.divergedSeconds(10_000)).toBe((10 * n) / 1e6);
  });

  it.each([
    [15, 10],
    [10, 10],
    [1_000, 999],
  ])('changes every %i µs, applied in %i µs (gap >= apply): divergence never above 1', (gapUs, applyUs) => {
    const nodes = new SalesNodes({ applyUs: [applyUs], latencyUs: 0 });
    const wrong: string[] = [];
    for (let i = 0; i < 200; i++) {
      const t = i * gapUs;
      nodes.publish(t);
      for (let dt = 0; dt < gapUs; dt++) if (nodes.divergence(t + dt) !== (dt < applyUs ? 1 : 0)) wrong.push(`t=${t + dt}`);
    }
    expect(wrong).toEqual([]);
    expect(nodes.maxDivergence()).toBe(1);
    expect(nodes.stalenessUs.max).toBe(applyUs);
    expect(nodes.stalenessUs.min).toBe(applyUs);
  });

  it('two nodes, apply 10 µs and 30 µs, a change every 20 µs: the divergence is the slow node\'s, 1 + ceil(k/3) at change k', () => {
    const nodes = new SalesNodes({ applyUs: [10, 30], latencyUs: 0 });
    const changes = 10;
    for (let k = 0; k < changes; k++) nodes.publish(20 * k);
    // Slow node: busy from 0, change k applied at 30(k+1); on arrival at 20k it finds
    // ceil((30k + 30 - 20k) / 30) = 1 + ceil(k / 3) changes. Largest at k = 9: 4.
    expect(nodes.maxDivergence()).toBe(1 + Math.ceil(9 / 3));
    expect(nodes.pending(0, 180)).toBe(1);
    expect(nodes.pending(1, 180)).toBe(4); // applied at 210, 240, 270, 300 still to come
    expect(nodes.divergence(180)).toBe(4);
    expect(nodes.pending(0, 190)).toBe(0);
    expect(nodes.divergence(190)).toBe(Math.ceil((300 - 190) / 30));
    expect(nodes.divergence(300)).toBe(0);
    // Staleness over both nodes: fast 10 each; slow 30(k+1) - 20k = 30 + 10k, up to 120.
    expect(nodes.stalenessUs.count).toBe(2 * changes);
    expect(nodes.stalenessUs.max).toBe(120);
    expect(nodes.stalenessUs.min).toBe(10);
    // Slow node out of date from 0 to 300 without a break; the fast one 10 µs in every 20.
    expect(nodes.divergedSeconds(1_000)).toBe(300 / 1e6);
  });

  it('divergedSeconds sums the busy intervals: publishes at 0, 5, 30, 100, 100 with apply 10 µs', () => {
    const nodes = new SalesNodes({ applyUs: [10], latencyUs: 0 });
    // Busy [0, 20] (two changes), [30, 40], [100, 120]: 20 + 10 + 20 = 50 µs in all.
    nodes.publish(0);
    expect(nodes.divergedSeconds(7)).toBe(7 / 1e6);
    nodes.publish(5);
    expect(nodes.divergedSeconds(15)).toBe(15 / 1e6);
    expect(nodes.divergedSeconds(25)).toBe(20 / 1e6);
    nodes.publish(30);
    expect(nodes.divergedSeconds(35)).toBe(25 / 1e6);
    expect(nodes.divergedSeconds(99)).toBe(30 / 1e6);
    nodes.publish(100);
    nodes.publish(100);
    expect(nodes.divergedSeconds(110)).toBe(40 / 1e6);
    expect(nodes.divergedSeconds(200)).toBe(50 / 1e6);
    expect(nodes.maxDivergence()).toBe(2);
  });

  it('a change published exactly when the previous one is applied continues the interval without a gap', () => {
    const nodes = new SalesNodes({ applyUs: [10], latencyUs: 0 });
    nodes.publish(0);
    nodes.publish(10);
    nodes.publish(20);
    expect(nodes.divergedSeconds(100)).toBe(30 / 1e6);
    expect(nodes.maxDivergence()).toBe(1);
  });

  it('latency 1 ms: five changes at t=0 arrive at 1,000 µs, are applied at 1,010 ... 1,050 µs', () => {
    const nodes = new SalesNodes({ applyUs: [10], latencyUs: 1_000 });
    for (let i = 0; i < 5; i++) nodes.publish(0);
    expect(nodes.maxDivergence()).toBe(5);
    expect(nodes.stalenessUs.min).toBe(1_010);
    expect(nodes.stalenessUs.max).toBe(1_050);
    // On the wire: the queue the changes will find on arrival (the documented look-ahead).
    expect(nodes.pending(0, 0)).toBe(5);
    expect(nodes.pending(0, 999)).toBe(5);
    expect(nodes.pending(0, 1_000)).toBe(5);
    expect(nodes.pending(0, 1_009)).toBe(5);
    expect(nodes.pending(0, 1_010)).toBe(4);
    expect(nodes.pending(0, 1_049)).toBe(1);
    expect(nodes.pending(0, 1_050)).toBe(0);
    expect(nodes.divergedSeconds(500)).toBe(500 / 1e6);
    expect(nodes.divergedSeconds(5_000)).toBe(1_050 / 1e6);
  });

  it('latency: changes still on the wire do not add to the queue found by the ones ahead of them', () => {
    // Apply 10 µs, latency 100 µs, a change every 5 µs: each change arrives 5 µs after the previous,
    // so the node (rate 1 per 10 µs) falls behind by one change every 10 µs, not by the wire's 20.
    const nodes = new SalesNodes({ applyUs: [10], latencyUs: 100 });
    for (let k = 0; k < 20; k++) nodes.publish(5 * k);
    // Change k arrives at 100 + 5k, applied at 110 + 10k: queued ceil((10 + 5k) / 10) = 1 + ceil(k / 2).
    expect(nodes.maxDivergence()).toBe(1 + Math.ceil(19 / 2));
    expect(nodes.stalenessUs.max).toBe(110 + 10 * 19 - 5 * 19);
  });
});

describe('SalesNodes against a reference D/1 model', () => {
  it.each([
    [0, [7, 13, 40]],
    [50, [7, 13, 40]],
    [1_000, [3, 25]],
  ])('latency %i µs, apply %j: pending, maxDivergence, divergedSeconds and staleness match at every µs', (latencyUs, applyUs) => {
    const nodes = new SalesNodes({ applyUs, latencyUs });
    const references = applyUs.map((apply) => new ReferenceNode(apply, latencyUs));
    // Bursty publish times from a fixed LCG: clumps of changes at one instant, then gaps.
    const times: number[] = [];
    let x = 12_345;
    let t = 0;
    while (times.length < 300) {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      const r = x >>> 16;
      t += r % 4 === 0 ? 0 : r % 60;
      times.push(t);
    }
    const endUs = t + latencyUs + Math.max(...applyUs) * times.length + 10;
    const divergedUs = new Array<number>(applyUs.length).fill(0);
    const wrong: string[] = [];
    let next = 0;
    for (let now = 0; now <= endUs; now++) {
      while (next < times.length && times[next] === now) {
        nodes.publish(now);
        references.forEach((reference) => reference.publish(now));
        next++;
      }
      let maxPending = 0;
      references.forEach((reference, node) => {
        const expected = reference.pending(now);
        if (nodes.pending(node, now) !== expected) wrong.push(`node ${node} t=${now}: ${nodes.pending(node, now)} != ${expected}`);
        if (expected > 0) divergedUs[node]!++;
        maxPending = Math.max(maxPending, expected);
      });
      if (nodes.divergence(now) !== maxPending) wrong.push(`divergence t=${now}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(Math.max(...references.map((reference) => reference.maxQueueAtArrival()))).toBeGreaterThan(3); // a real backlog formed
    // pending > 0 on [publish, applied) and times are whole µs, so counting µs measures the time.
    expect(nodes.divergedSeconds(endUs)).toBeCloseTo(Math.max(...divergedUs) / 1e6, 12);
    expect(nodes.maxDivergence()).toBe(Math.max(...references.map((reference) => reference.maxQueueAtArrival())));
    const staleness = references.flatMap((reference) => reference.applied.map((c, i) => c - reference.published[i]!));
    expect(nodes.stalenessUs.count).toBe(staleness.length);
    expect(nodes.stalenessUs.max).toBe(Math.max(...staleness));
    expect(nodes.stalenessUs.min).toBe(Math.min(...staleness));
    expect(nodes.stalenessUs.mean).toBeCloseTo(staleness.reduce((a, b) => a + b, 0) / staleness.length, 9);
  });
});
