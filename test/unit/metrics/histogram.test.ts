import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../helpers/mulberry32';
import { LogHistogram } from '../../../src/metrics/histogram';

/** The reference definition: the smallest value with at least ceil(q*n) values <= it. */
function exactQuantile(sorted: readonly number[], q: number): number {
  if (q === 0) return sorted[0]!;
  const rank = Math.max(1, Math.ceil(q * sorted.length * (1 - Number.EPSILON)));
  return sorted[rank - 1]!;
}


const QUANTILES = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1];

describe('LogHistogram', () => {
  it('is exact below 2^significantBits', () => {
    for (const significantBits of [4, 10]) {
      const h = new LogHistogram({ significantBits });
      const limit = 2 ** significantBits;
      const values: number[] = [];
      for (let v = 0; v < limit; v++) {
        const copies = 1 + (v % 3);
        h.record(v, copies);
        for (let c = 0; c < copies; c++) values.push(v);
      }
      for (let rank = 1; rank <= values.length; rank++) {
        const q = rank / values.length;
        expect(h.quantile(q)).toBe(exactQuantile(values, q));
      }
      expect(h.min).toBe(0);
      expect(h.max).toBe(limit - 1);
    }
  });

  it('keeps quantiles of 1..1_000_000 within 2^-10 relative of the exact order statistic', () => {
    const h = new LogHistogram();
    const sorted: number[] = [];
    for (let v = 1; v <= 1_000_000; v++) {
      h.record(v);
      sorted.push(v);
    }
    for (const q of [0.5, 0.99, 0.999]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 2 ** -10);
    }
    expect(h.quantile(0)).toBe(1);
    expect(h.quantile(1)).toBe(1_000_000);
    expect(h.mean).toBe(500_000.5);
    expect(h.count).toBe(1_000_000);
  });

  it('keeps every quantile of a heavy-tailed sample within 2^-10 relative, seed=42', () => {
    const random = mulberry32(42);
    const h = new LogHistogram();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = Math.floor(Math.exp(random() * 23)); // 1 µs .. ~2.7 hours, log-uniform
      h.record(v);
      values.push(v);
    }
    values.sort((x, y) => x - y);
    for (const q of QUANTILES) {
      const exact = exactQuantile(values, q);
      expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 2 ** -10);
    }
  });

  it('reports exact min, max and mean rather than bucket values', () => {
    const h = new LogHistogram();
    for (const v of [12_345, 987_654_321, 1_000_003, 77_777]) h.record(v);
    expect(h.min).toBe(12_345);
    expect(h.max).toBe(987_654_321);
    expect(h.mean).toBe((12_345 + 987_654_321 + 1_000_003 + 77_777) / 4);
    expect(h.quantile(0)).toBe(12_345);
    expect(h.quantile(1)).toBe(987_654_321);
  });

  it('keeps the sum exact where naive double addition would lose it', () => {
    const h = new LogHistogram();
    h.record(2 ** 53); // above maxValue: clamped into the top bucket, but the sum stays exact
    for (let i = 0; i < 10; i++) h.record(1); // 2^53 + 1 rounds back to 2^53 in a plain double sum
    expect(h.mean).toBe(Number(2n ** 53n + 10n) / 11);
    expect(h.clampedCount).toBe(1);
  });

  it('floors non-integer values and supports counts above 2^32', () => {
    const h = new LogHistogram();
    h.record(2.9);
    expect(h.min).toBe(2);
    expect(h.mean).toBe(2);
    h.reset();
    h.record(5, 2 ** 33);
    h.record(7, 2 ** 33);
    expect(h.count).toBe(2 ** 34);
    expect(h.quantile(0.5)).toBe(5);
    expect(h.quantile(0.5000001)).toBe(7);
    expect(h.mean).toBe(6);
  });

  it('merging equals recording both streams into one histogram', () => {
    const random = mulberry32(7);
    const a = new LogHistogram();
    const b = new LogHistogram();
    const both = new LogHistogram();
    for (let i = 0; i < 20_000; i++) {
      const v = Math.floor(Math.exp(random() * 25));
      (i % 3 === 0 ? a : b).record(v);
      both.record(v);
    }
    b.record(2 ** 50); // clamped in b and in both
    both.record(2 ** 50);
    a.merge(b);
    expect(a.count).toBe(both.count);
    expect(a.min).toBe(both.min);
    expect(a.max).toBe(both.max);
    expect(a.mean).toBe(both.mean);
    expect(a.clampedCount).toBe(1);
    for (const q of QUANTILES) expect(a.quantile(q)).toBe(both.quantile(q));
  });

  it('refuses to merge histograms with different options', () => {
    const a = new LogHistogram();
    expect(() => a.merge(new LogHistogram({ significantBits: 8 }))).toThrow(/options differ/);
    expect(() => a.merge(new LogHistogram({ maxValue: 2 ** 30 }))).toThrow(/options differ/);
  });

  it('clamps values above maxValue into the top bucket and counts them', () => {
    const h = new LogHistogram({ maxValue: 1_000_000 });
    h.record(10);
    h.record(5_000_000, 3);
    h.record(1_000_000);
    expect(h.clampedCount).toBe(3);
    expect(h.count).toBe(5);
    expect(h.max).toBe(5_000_000);
    // The clamped values sit in maxValue's bucket (width 2^9 at 10^6 with 10 significant bits).
    expect(Math.abs(h.quantile(0.5) - 1_000_000)).toBeLessThanOrEqual(512);
    expect(h.quantile(1)).toBe(5_000_000);
  });

  it('reset empties everything', () => {
    const h = new LogHistogram();
    h.record(3);
    h.record(10 ** 12);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.clampedCount).toBe(0);
    expect(h.min).toBeNaN();
    expect(h.max).toBeNaN();
    expect(h.mean).toBeNaN();
    expect(h.quantile(0.5)).toBeNaN();
    h.record(42);
    expect(h.percentiles()).toEqual({ mean: 42, p50: 42, p95: 42, p99: 42, p999: 42, max: 42 });
  });

  it('percentiles() matches quantile()', () => {
    const h = new LogHistogram();
    for (let v = 0; v < 100_000; v += 7) h.record(v);
    expect(h.percentiles()).toEqual({
      mean: h.mean,
      p50: h.quantile(0.5),
      p95: h.quantile(0.95),
      p99: h.quantile(0.99),
      p999: h.quantile(0.999),
      max: h.max,
    });
  });

  it('rejects invalid input', () => {
    const h = new LogHistogram();
    expect(() => h.record(-1)).toThrow(/-1/);
    expect(() => h.record(-0.5)).toThrow(/-0\.5/);
    expect(() => h.record(NaN)).toThrow(/NaN/);
    expect(() => h.record(Infinity)).toThrow(/Infinity/);
    expect(() => h.record(1, -1)).toThrow(/count/);
    expect(() => h.record(1, 1.5)).toThrow(/count/);
    expect(() => h.quantile(1.5)).toThrow(/1\.5/);
    expect(() => h.quantile(NaN)).toThrow(/NaN/);
    expect(() => new LogHistogram({ significantBits: 0 })).toThrow(/significantBits/);
    expect(() => new LogHistogram({ maxValue: 0 })).toThrow(/maxValue/);
    expect(h.count).toBe(0);
  });
});

describe('LogHistogram.recordLatency', () => {
  it('files every whole value exactly where record does, across the shift boundaries and beyond 2^31', () => {
    const values: number[] = [];
    for (let v = 0; v < 5_000; v++) values.push(v);
    for (let e = 11; e < 44; e++) for (const d of [-1, 0, 1, 12_345]) values.push(2 ** e + d);
    values.push(2_147_483_647, 2_147_483_648, 3_000_000_000);
    for (const options of [{}, { significantBits: 3 }, { maxValue: 1_000_000 }]) {
      const fast = new LogHistogram(options);
      const checked = new LogHistogram(options);
      for (const v of values) {
        fast.recordLatency(v);
        checked.record(v);
      }
      for (const q of [0.001, 0.1, 0.5, 0.9, 0.99, 0.999]) expect(fast.quantile(q)).toBe(checked.quantile(q));
      expect([fast.count, fast.mean, fast.min, fast.max, fast.clampedCount]).toEqual([checked.count, checked.mean, checked.min, checked.max, checked.clampedCount]);
    }
  });

  it('keeps the sum exact past 2^53, where adding whole numbers starts to round', () => {
    const fast = new LogHistogram();
    const checked = new LogHistogram();
    let exact = 0n;
    const pairs = 2 ** 22 + 3; // (2^31 - 1 + 3) * pairs > 2^53
    for (let i = 0; i < pairs; i++) {
      for (const v of [2_147_483_647, 3]) {
        fast.recordLatency(v);
        checked.record(v);
        exact += BigInt(v);
      }
    }
    expect(exact > 2n ** 53n).toBe(true);
    expect(fast.mean).toBe(checked.mean);
    expect(fast.mean).toBe(Number(exact) / (2 * pairs));
  });
});

