import { describe, expect, it } from 'vitest';
import { makeRateCurve, type RateCurve, type RateCurveSpec } from '../../../src/flows/traffic-curve';

/** The Double 11 2020 shape: 583,000 orders/s at +26 s (mq-semantics.md §4.1), from a 20,000/s baseline. */
const DOUBLE_11: RateCurveSpec = {
  kind: 'spike',
  baseline: 20_000,
  peakMultiplier: 29.15,
  atSeconds: 0,
  riseSeconds: 26,
  decaySeconds: 600,
  preheat: { multiplier: 0.5, fromSeconds: -30 },
};

const EVERY_KIND: [string, RateCurveSpec][] = [
  ['constant', { kind: 'constant', rate: 1_500 }],
  ['ramp', { kind: 'ramp', from: 100, to: 900, startSeconds: -10, endSeconds: 30 }],
  ['ramp down', { kind: 'ramp', from: 900, to: 0, startSeconds: 0, endSeconds: 5 }],
  ['step up', { kind: 'step', before: 50, after: 5_000, atSeconds: 0 }],
  ['step down', { kind: 'step', before: 5_000, after: 50, atSeconds: 3.5 }],
  ['spike with preheat', DOUBLE_11],
  ['spike without preheat', { kind: 'spike', baseline: 1_000, peakMultiplier: 10, atSeconds: 5, riseSeconds: 2, decaySeconds: 7 }],
  [
    'spike with a dip before',
    { kind: 'spike', baseline: 1_000, peakMultiplier: 3, atSeconds: 0, riseSeconds: 4, decaySeconds: 9, preheat: { multiplier: 0.2, fromSeconds: -20 } },
  ],
  ['piecewise', { kind: 'piecewise', points: [[-20, 10], [0, 400], [10, 400], [25, 0], [40, 120]] }],
  ['replay', { kind: 'replay', points: [[-20, 10], [0, 400], [10, 0], [25, 90]] }],
];

/** Composite midpoint rule: O(h^2) on smooth pieces, O(h * jump) at a step. */
function midpointIntegral(curve: RateCurve, from: number, to: number, steps: number): number {
  const h = (to - from) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += curve.rateAt(from + (i + 0.5) * h);
  return sum * h;
}

describe('rate curves: values at chosen times', () => {
  it('constant', () => {
    const curve = makeRateCurve({ kind: 'constant', rate: 1_500 });
    expect([-1e9, 0, 12.5, 1e9].map((t) => curve.rateAt(t))).toEqual([1_500, 1_500, 1_500, 1_500]);
  });

  it('ramp: flat, linear between, flat', () => {
    const curve = makeRateCurve({ kind: 'ramp', from: 100, to: 900, startSeconds: -10, endSeconds: 30 });
    expect([-100, -10, 0, 10, 30, 1000].map((t) => curve.rateAt(t))).toEqual([100, 100, 300, 500, 900, 900]);
  });

  it('step: before for t < at, after from at on', () => {
    const curve = makeRateCurve({ kind: 'step', before: 50, after: 5_000, atSeconds: 3.5 });
    expect([3.4999, 3.5, 4].map((t) => curve.rateAt(t))).toEqual([50, 5_000, 5_000]);
  });

  it('spike: baseline, pre-heat plateau, linear rise to the peak at +26 s, exponential decay', () => {
    const curve = makeRateCurve(DOUBLE_11);
    expect(curve.rateAt(-3600)).toBe(20_000);
    expect(curve.rateAt(-30.001)).toBe(20_000);
    expect(curve.rateAt(-30)).toBe(10_000);
    expect(curve.rateAt(-0.001)).toBe(10_000);
    expect(curve.rateAt(0)).toBe(10_000); // the rise starts from the pre-heat level
    expect(curve.rateAt(13)).toBeCloseTo((10_000 + 583_000) / 2, 6);
    expect(curve.rateAt(26)).toBeCloseTo(583_000, 6);
    expect(curve.rateAt(26 + 600)).toBeCloseTo(20_000 + 563_000 / Math.E, 6);
    expect(curve.rateAt(26 + 600 * Math.log(2))).toBeCloseTo(20_000 + 563_000 / 2, 6);
    expect(curve.rateAt(1e7)).toBeCloseTo(20_000, 9);
  });

  it('spike without preheat rises from the baseline', () => {
    const curve = makeRateCurve({ kind: 'spike', baseline: 1_000, peakMultiplier: 10, atSeconds: 5, riseSeconds: 2, decaySeconds: 7 });
    expect([0, 5, 6, 7].map((t) => curve.rateAt(t))).toEqual([1_000, 1_000, 5_500, 10_000]);
    expect(curve.rateAt(14)).toBeCloseTo(1_000 + 9_000 / Math.E, 9);
  });

  it('piecewise: interpolates linearly, flat beyond the ends', () => {
    const curve = makeRateCurve({ kind: 'piecewise', points: [[-20, 10], [0, 400], [10, 400], [25, 0]] });
    expect([-50, -20, -10, 0, 5, 10, 17.5, 25, 99].map((t) => curve.rateAt(t))).toEqual([10, 10, 205, 400, 400, 400, 200, 0, 0]);
  });

  it('replay: each rate holds until the next point, the first before it and the last after', () => {
    const curve = makeRateCurve({ kind: 'replay', points: [[-20, 10], [0, 400], [10, 0], [25, 90]] });
    expect([-50, -20, -0.001, 0, 9.999, 10, 24, 25, 1e6].map((t) => curve.rateAt(t))).toEqual([10, 10, 10, 400, 400, 0, 0, 90, 90]);
  });

  it('a single point is a constant', () => {
    for (const kind of ['piecewise', 'replay'] as const) {
      const curve = makeRateCurve({ kind, points: [[3, 42]] });
      expect([-1, 3, 10].map((t) => curve.rateAt(t)), kind).toEqual([42, 42, 42]);
      expect(curve.integral(-1, 9), kind).toBeCloseTo(420, 9);
    }
  });

  it('rejects invalid specs', () => {
    expect(() => makeRateCurve({ kind: 'ramp', from: 1, to: 2, startSeconds: 5, endSeconds: 5 })).toThrow(/endSeconds/);
    expect(() => makeRateCurve({ kind: 'piecewise', points: [[0, 1], [0, 2]] })).toThrow(/increase strictly/);
    expect(() => makeRateCurve({ kind: 'replay', points: [] })).toThrow(/at least one/);
    expect(() => makeRateCurve({ kind: 'constant', rate: -1 })).toThrow(/rate/);
    expect(() => makeRateCurve({ kind: 'constant', rate: Infinity })).toThrow(/rate/);
    expect(() => makeRateCurve({ ...DOUBLE_11, riseSeconds: 0 } as RateCurveSpec)).toThrow(/riseSeconds/);
    expect(() => makeRateCurve({ ...DOUBLE_11, decaySeconds: -1 } as RateCurveSpec)).toThrow(/decaySeconds/);
    expect(() => makeRateCurve({ ...DOUBLE_11, preheat: { multiplier: 2, fromSeconds: 0 } } as RateCurveSpec)).toThrow(/preheat/);
  });
});

describe('rate curves: integral', () => {
  it.each(EVERY_KIND)('%s: the closed form matches numerical integration over intervals across every breakpoint', (_name, spec) => {
    const curve = makeRateCurve(spec);
    for (const [from, to] of [
      [-40, 60],
      [-25.3, 3.7],
      [0, 26],
      [1.25, 1.5],
      [13, 2000],
    ] as const) {
      const steps = 200_000;
      const exact = curve.integral(from, to);
      const numeric = midpointIntegral(curve, from, to, steps);
      // The midpoint rule is off by up to h * jump / 2 at a step; elsewhere by O(h^2).
      const jumpSlack = ((to - from) / steps) * curve.maxRateBetween(from, to);
      const tolerance = 1e-7 * Math.abs(numeric) + jumpSlack;
      expect(Math.abs(exact - numeric), `${_name} [${from}, ${to}]: ${exact} vs ${numeric}`).toBeLessThanOrEqual(tolerance);
      expect(tolerance, 'the tolerance must stay small next to the integral').toBeLessThan(2e-3 * Math.abs(numeric) + 1e-9);
    }
  });

  it.each(EVERY_KIND)('%s: is additive and zero on an empty interval', (_name, spec) => {
    const curve = makeRateCurve(spec);
    expect(curve.integral(7, 7)).toBe(0);
    const whole = curve.integral(-33, 71);
    expect(curve.integral(-33, -0.5) + curve.integral(-0.5, 26) + curve.integral(26, 71)).toBeCloseTo(whole, 6);
  });

  it('spike: the surge above the baseline holds ((start + peak) / 2 - baseline) * rise + (peak - baseline) * decay orders', () => {
    const curve = makeRateCurve({ kind: 'spike', baseline: 0, peakMultiplier: 1, atSeconds: 0, riseSeconds: 10, decaySeconds: 100 });
    expect(curve.integral(-1e9, Infinity)).toBe(0); // baseline 0: 0 everywhere, and 0 * ∞ must not be NaN
    const surge = makeRateCurve(DOUBLE_11);
    const aboveBaseline = surge.integral(0, 1e6) - 20_000 * 1e6;
    expect(aboveBaseline).toBeCloseTo(((10_000 + 583_000) / 2 - 20_000) * 26 + (583_000 - 20_000) * 600, 1);
  });

  it('exponential tail integrates exactly to infinity, and an unbounded baseline gives Infinity', () => {
    const tail = makeRateCurve({ kind: 'piecewise', points: [[0, 0]] });
    expect(tail.integral(-Infinity, Infinity)).toBe(0);
    expect(makeRateCurve({ kind: 'constant', rate: 1 }).integral(0, Infinity)).toBe(Infinity);
  });

  it('asserts from <= to', () => {
    expect(() => makeRateCurve({ kind: 'constant', rate: 1 }).integral(2, 1)).toThrow(/fromSeconds/);
  });
});

describe('rate curves: maxRateBetween and minRateBetween', () => {
  it.each(EVERY_KIND)('%s: bound the rate on a fine grid over many intervals', (_name, spec) => {
    const curve = makeRateCurve(spec);
    for (const [from, to] of [
      [-40, 60],
      [-30, -29],
      [-0.5, 0.5],
      [0, 1],
      [3, 3.5],
      [3.5, 4.5],
      [25, 27],
      [26, 27],
      [30, 500],
    ] as const) {
      const max = curve.maxRateBetween(from, to);
      const min = curve.minRateBetween(from, to);
      const steps = 20_000;
      let gridMax = -Infinity;
      let gridMin = Infinity;
      for (let i = 0; i <= steps; i++) {
        const rate = curve.rateAt(from + ((to - from) * i) / steps);
        gridMax = Math.max(gridMax, rate);
        gridMin = Math.min(gridMin, rate);
      }
      const label = `${_name} [${from}, ${to}]`;
      expect(max, `${label} max`).toBeGreaterThanOrEqual(gridMax);
      expect(min, `${label} min`).toBeLessThanOrEqual(gridMin);
      // Tight: every piece is monotone, so the grid's ends reach the extremes up to the grid step.
      expect(max - gridMax, `${label} max is loose`).toBeLessThanOrEqual(1e-3 * Math.max(1, max));
      expect(gridMin - min, `${label} min is loose`).toBeLessThanOrEqual(1e-3 * Math.max(1, gridMin));
    }
  });

  it('spike: tight at the peak, and a step does not leak into the interval that starts at it', () => {
    const curve = makeRateCurve(DOUBLE_11);
    expect(curve.maxRateBetween(-60, 3600)).toBeCloseTo(583_000, 6);
    expect(curve.maxRateBetween(25, 26)).toBeCloseTo(583_000, 6);
    expect(curve.maxRateBetween(26, 27)).toBeCloseTo(583_000, 6);
    expect(curve.maxRateBetween(25, 25.5)).toBeLessThan(583_000);
    expect(curve.minRateBetween(-60, 3600)).toBe(10_000);
    const stepDown = makeRateCurve({ kind: 'step', before: 5_000, after: 50, atSeconds: 3 });
    expect(stepDown.maxRateBetween(3, 4)).toBe(50);
    expect(stepDown.maxRateBetween(2, 3)).toBe(5_000); // sup over [2, 3), the closure
    expect(stepDown.maxRateBetween(-Infinity, Infinity)).toBe(5_000);
    expect(stepDown.minRateBetween(-Infinity, Infinity)).toBe(50);
  });

  it('the piece hint gives the same answers in any order of queries', () => {
    const curve = makeRateCurve({ kind: 'replay', points: Array.from({ length: 100 }, (_, i): [number, number] => [i, (i * 37) % 11]) });
    const times = [50.5, 3.2, 99.9, -5, 50.6, 50.4, 0, 98.9, 12];
    const fresh = times.map((t) => makeRateCurve({ kind: 'replay', points: Array.from({ length: 100 }, (_, i): [number, number] => [i, (i * 37) % 11]) }).rateAt(t));
    expect(times.map((t) => curve.rateAt(t))).toEqual(fresh);
    expect(fresh).toEqual([(50 * 37) % 11, (3 * 37) % 11, (99 * 37) % 11, 0, (50 * 37) % 11, (50 * 37) % 11, 0, (98 * 37) % 11, (12 * 37) % 11]);
  });
});
