import { describe, expect, it } from 'vitest';
import { ArrivalProcess, type ArrivalOptions } from '../../../src/flows/arrivals';
import { makeRateCurve, type RateCurve, type RateCurveSpec } from '../../../src/flows/traffic-curve';
import { RandomStream } from '../../../src/engine/random';

/** A Double-11-shaped minute at a tenth of the real rate: 2,000/s baseline, peak 58,300/s at +26 s. */
const SPIKE: RateCurveSpec = {
  kind: 'spike',
  baseline: 2_000,
  peakMultiplier: 29.15,
  atSeconds: 0,
  riseSeconds: 26,
  decaySeconds: 120,
  preheat: { multiplier: 0.5, fromSeconds: -20 },
};

function allArrivals(process: ArrivalProcess): number[] {
  const times: number[] = [];
  for (let t = process.nextArrivalUs(); t !== Infinity; t = process.nextArrivalUs()) times.push(t);
  return times;
}

/** Counts of arrivals (µs since origin) in consecutive windows of widthUs from 0. */
function countsPerWindow(times: readonly number[], widthUs: number, windows: number): number[] {
  const counts = new Array<number>(windows).fill(0);
  for (const t of times) counts[Math.floor(t / widthUs)]!++;
  return counts;
}

interface Drawn {
  curve: RateCurve;
  process: ArrivalProcess;
  times: number[];
}

function arrivalsOf(spec: RateCurveSpec, seed: number, start: number, end: number, options?: ArrivalOptions): Drawn {
  const curve = makeRateCurve(spec);
  const process = new ArrivalProcess(curve, new RandomStream(seed, 'traffic/arrivals'), start, end, options);
  return { curve, process, times: allArrivals(process) };
}

describe('ArrivalProcess: counts match the curve', () => {
  it.each([1, 2, 3])('the count over a 60 s spike matches the integral within 4 sd, seed=%i', (seed) => {
    const { curve, process, times } = arrivalsOf(SPIKE, seed, -30, 30);
    const mean = curve.integral(-30, 30);
    const sd = Math.sqrt(mean);
    expect(Math.abs(times.length - mean), `seed=${seed}: ${times.length} arrivals, expected ${mean.toFixed(0)} ± ${sd.toFixed(0)}`).toBeLessThan(4 * sd);
    // The 1 s bound wastes few candidates on this curve.
    expect(process.arrivals).toBe(times.length);
    expect(process.arrivals / process.candidates, `seed=${seed}: thinning efficiency`).toBeGreaterThan(0.9);
  });

  it('the count in every 250 ms window matches the integral there: chi-square over 240 windows, seed=4', () => {
    const { curve, times } = arrivalsOf(SPIKE, 4, -30, 30);
    const widthUs = 250_000;
    const counts = countsPerWindow(times, widthUs, 240);
    let chiSquare = 0;
    let worst = 0;
    counts.forEach((observed, i) => {
      const expected = curve.integral(-30 + i / 4, -30 + (i + 1) / 4);
      chiSquare += (observed - expected) ** 2 / expected;
      worst = Math.max(worst, Math.abs(observed - expected) / Math.sqrt(expected));
    });
    // 99.9 % critical value of chi-square with 240 degrees of freedom: 320.2
    expect(chiSquare, 'seed=4 chi-square').toBeLessThan(320.2);
    expect(worst, 'seed=4 worst window in sd').toBeLessThan(4.5);
  });

  it('a step inside a window: each side gets its own rate, seed=5', () => {
    // windows of 1 s from 0; the step at 0.3 s sits inside the first
    const { times } = arrivalsOf({ kind: 'step', before: 10_000, after: 100_000, atSeconds: 0.3 }, 5, 0, 1.3);
    const before = times.filter((t) => t < 300_000).length;
    const after = times.length - before;
    expect(Math.abs(before - 3_000), `seed=5 before: ${before}`).toBeLessThan(4 * Math.sqrt(3_000));
    expect(Math.abs(after - 100_000), `seed=5 after: ${after}`).toBeLessThan(4 * Math.sqrt(100_000));
  });

  it('a constant curve is Poisson: index of dispersion of 100 ms counts ≈ 1, seed=6', () => {
    const { times } = arrivalsOf({ kind: 'constant', rate: 1_000 }, 6, 0, 300);
    const counts = countsPerWindow(times, 100_000, 3_000);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((sum, c) => sum + (c - mean) ** 2, 0) / (counts.length - 1);
    expect(Math.abs(mean - 100), `seed=6 mean ${mean}`).toBeLessThan(4 * Math.sqrt(100 / counts.length));
    // (m - 1) D is chi-square with m - 1 degrees of freedom: sd of D ≈ sqrt(2 / (m - 1)) = 0.026
    expect(Math.abs(variance / mean - 1), `seed=6 dispersion ${variance / mean}`).toBeLessThan(4 * Math.sqrt(2 / (counts.length - 1)));
  });

  it('a varying curve is Poisson too: index of dispersion of counts against their own means ≈ 1, seed=7', () => {
    const { curve, times } = arrivalsOf({ kind: 'piecewise', points: [[0, 500], [100, 3_000], [200, 200]] }, 7, 0, 200);
    const counts = countsPerWindow(times, 100_000, 2_000);
    let dispersion = 0;
    counts.forEach((c, i) => {
      const expected = curve.integral(i / 10, (i + 1) / 10);
      dispersion += (c - expected) ** 2 / expected;
    });
    dispersion /= counts.length;
    expect(Math.abs(dispersion - 1), `seed=7 dispersion ${dispersion}`).toBeLessThan(4 * Math.sqrt(2 / counts.length));
  });
});

describe('ArrivalProcess: times', () => {
  it('are integer microseconds, non-decreasing, all in [start, end), then Infinity for good', () => {
    const { process, times } = arrivalsOf(SPIKE, 8, -1.5, 2.25);
    expect(times.length).toBeGreaterThan(1_000);
    expect(times.every((t) => Number.isInteger(t))).toBe(true);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times[times.length - 1]).toBeLessThan(3_750_000);
    expect([process.nextArrivalUs(), process.nextArrivalUs()]).toEqual([Infinity, Infinity]);
  });

  it('count from originSeconds: with origin -60 s, start -1.5 s is at 58.5 s', () => {
    const { times } = arrivalsOf(SPIKE, 8, -1.5, 2.25, { originSeconds: -60 });
    expect(times[0]).toBeGreaterThanOrEqual(58_500_000);
    expect(times[times.length - 1]).toBeLessThan(63_750_000);
    // the same draws as with the default origin, shifted
    const shifted = arrivalsOf(SPIKE, 8, -1.5, 2.25).times.map((t) => t + 58_500_000);
    expect(times).toEqual(shifted);
  });

  it('at the real 2020 peak rate, crowd into microseconds without leaving [start, end)', () => {
    const { times } = arrivalsOf({ kind: 'constant', rate: 583_000 }, 9, 0, 0.2);
    expect(Math.abs(times.length - 116_600)).toBeLessThan(4 * Math.sqrt(116_600));
    expect(times[times.length - 1]).toBeLessThan(200_000);
    expect(new Set(times).size).toBeLessThan(times.length); // several arrivals share a microsecond
  });

  it('are deterministic for a seed and differ for another', () => {
    const first = arrivalsOf(SPIKE, 10, -5, 5).times;
    expect(arrivalsOf(SPIKE, 10, -5, 5).times).toEqual(first);
    const other = arrivalsOf(SPIKE, 11, -5, 5).times;
    expect(other.slice(0, 100)).not.toEqual(first.slice(0, 100));
  });

  it('skip windows of rate 0 without drawing, and keep counting after them', () => {
    const spec: RateCurveSpec = { kind: 'replay', points: [[0, 2_000], [2, 0], [50.5, 2_000]] };
    const { times } = arrivalsOf(spec, 12, 0, 52.5);
    expect(times.some((t) => t >= 2_000_000 && t < 50_500_000)).toBe(false);
    const early = times.filter((t) => t < 2_000_000).length;
    const late = times.filter((t) => t >= 50_500_000).length;
    expect(Math.abs(early - 4_000), `seed=12 early ${early}`).toBeLessThan(4 * Math.sqrt(4_000));
    expect(Math.abs(late - 4_000), `seed=12 late ${late}`).toBeLessThan(4 * Math.sqrt(4_000));

    const stream = new RandomStream(13, 'silent');
    const silent = new ArrivalProcess(makeRateCurve({ kind: 'constant', rate: 0 }), stream, 0, 86_400);
    expect(silent.nextArrivalUs()).toBe(Infinity);
    expect(silent.candidates).toBe(0);
    expect(stream.nextUint32()).toBe(new RandomStream(13, 'silent').nextUint32()); // nothing drawn
  });

  it('an empty interval has no arrivals', () => {
    expect(arrivalsOf(SPIKE, 14, 5, 5).times).toEqual([]);
  });

  it('validates its arguments', () => {
    const curve = makeRateCurve(SPIKE);
    const stream = new RandomStream(1, 'x');
    expect(() => new ArrivalProcess(curve, stream, 5, 4)).toThrow(/endSeconds/);
    expect(() => new ArrivalProcess(curve, stream, 0, 1, { windowUs: 0.5 })).toThrow(/windowUs/);
    expect(() => new ArrivalProcess(curve, stream, -10, 1, { originSeconds: 0 })).toThrow(/originSeconds/);
  });

  it('a window size changes the draws but not the law: 10 ms windows, seed=15', () => {
    const { curve, times } = arrivalsOf(SPIKE, 15, -30, 30, { windowUs: 10_000 });
    const mean = curve.integral(-30, 30);
    expect(Math.abs(times.length - mean), `seed=15: ${times.length} vs ${mean}`).toBeLessThan(4 * Math.sqrt(mean));
  });

  it('is fast: a million arrivals at the peak rate in well under a second', () => {
    const process = new ArrivalProcess(makeRateCurve(SPIKE), new RandomStream(16, 'speed'), 20, 40);
    const started = performance.now();
    let count = 0;
    while (process.nextArrivalUs() !== Infinity) count++;
    const elapsedMs = performance.now() - started;
    expect(count).toBeGreaterThan(900_000);
    expect(elapsedMs, `${count} arrivals took ${elapsedMs.toFixed(0)} ms`).toBeLessThan(1_500);
  });
});
