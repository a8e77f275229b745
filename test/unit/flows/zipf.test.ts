import { describe, expect, it } from 'vitest';
import { generalizedHarmonic, sharePerRank, ZipfSampler } from '../../../src/flows/zipf';
import { RandomStream } from '../../../src/engine/random';

/** Upper 99.9 % critical values of chi-square. */
const CHI_SQUARE_999: Record<number, number> = { 50: 86.66, 99: 148.23, 100: 149.45 };

/**
 * Chi-square of the first `topRanks` ranks one by one and the rest lumped in one bin,
 * against probability(k): topRanks degrees of freedom.
 */
function chiSquareTopRanks(sampler: ZipfSampler, draws: number, topRanks: number): number {
  const counts = new Array<number>(topRanks + 1).fill(0);
  for (let i = 0; i < draws; i++) {
    const k = sampler.next();
    counts[Math.min(k, topRanks)]!++;
  }
  let topProbability = 0;
  let chiSquare = 0;
  for (let k = 0; k < topRanks; k++) {
    const expected = draws * sampler.probability(k);
    topProbability += sampler.probability(k);
    chiSquare += (counts[k]! - expected) ** 2 / expected;
  }
  const restExpected = draws * (1 - topProbability);
  chiSquare += (counts[topRanks]! - restExpected) ** 2 / restExpected;
  return chiSquare;
}

describe('ZipfSampler', () => {
  it.each([
    [1_000, 1, 1],
    [1_000, 0.6, 2],
    [1_000, 2.5, 3],
    [1_000_000, 1.1, 4],
  ])('n=%i s=%f: frequencies of the top 50 ranks match probability(k), chi-square at the 0.999 level, seed=%i', (n, s, seed) => {
    const sampler = new ZipfSampler(n, s, new RandomStream(seed, 'zipf/items'));
    const chiSquare = chiSquareTopRanks(sampler, 500_000, 50);
    expect(chiSquare, `n=${n} s=${s} seed=${seed}`).toBeLessThan(CHI_SQUARE_999[50]!);
  });

  it('s=0 is uniform: chi-square over 100 items, and probability 1/n, seed=5', () => {
    const sampler = new ZipfSampler(100, 0, new RandomStream(5, 'zipf/uniform'));
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 500_000; i++) counts[sampler.next()]!++;
    const chiSquare = counts.reduce((sum, c) => sum + (c - 5_000) ** 2 / 5_000, 0);
    expect(chiSquare, 'seed=5').toBeLessThan(CHI_SQUARE_999[99]!);
    expect(sampler.probability(0)).toBeCloseTo(0.01, 15);
    expect(sampler.probability(99)).toBeCloseTo(0.01, 15);
  });

  it('a tiny skew is close to uniform and still exact: n=20 s=0.01, seed=6', () => {
    const sampler = new ZipfSampler(20, 0.01, new RandomStream(6, 'zipf/tiny'));
    const counts = new Array<number>(20).fill(0);
    const draws = 400_000;
    for (let i = 0; i < draws; i++) counts[sampler.next()]!++;
    const chiSquare = counts.reduce((sum, c, k) => sum + (c - draws * sampler.probability(k)) ** 2 / (draws * sampler.probability(k)), 0);
    expect(chiSquare, 'seed=6').toBeLessThan(43.82); // 99.9 % critical value, 19 degrees of freedom
  });

  it('n=1e6 works and is fast: draws in range, mean rank as theory says, s=1, seed=7', () => {
    const n = 1_000_000;
    const sampler = new ZipfSampler(n, 1, new RandomStream(7, 'zipf/million'));
    const draws = 1_000_000;
    const started = performance.now();
    let sum = 0;
    let outOfRange = 0;
    let max = 0;
    for (let i = 0; i < draws; i++) {
      const k = sampler.next();
      if (!(Number.isInteger(k) && k >= 0 && k < n)) outOfRange++;
      sum += k;
      max = Math.max(max, k);
    }
    const elapsedMs = performance.now() - started;
    expect(outOfRange).toBe(0);
    expect(max, 'the tail is reached').toBeGreaterThan(900_000);
    // s = 1: E[k + 1] = H(n, 0) / H(n, 1) = n / H_n, E[(k + 1)^2] = (n (n + 1) / 2) / H_n
    const harmonic = generalizedHarmonic(n, 1);
    const meanRank = n / harmonic - 1;
    const sdRank = Math.sqrt((n * (n + 1)) / 2 / harmonic - (n / harmonic) ** 2);
    expect(Math.abs(sum / draws - meanRank), `seed=7 mean rank ${sum / draws} vs ${meanRank}`).toBeLessThan((4 * sdRank) / Math.sqrt(draws));
    expect(elapsedMs, `${draws} draws took ${elapsedMs.toFixed(0)} ms`).toBeLessThan(1_000);
  });

  it('is deterministic for a seed and differs for another', () => {
    const draw = (seed: number): number[] => {
      const sampler = new ZipfSampler(10_000, 1, new RandomStream(seed, 'zipf/items'));
      return Array.from({ length: 200 }, () => sampler.next());
    };
    expect(draw(8)).toEqual(draw(8));
    expect(draw(9)).not.toEqual(draw(8));
  });

  it('n=1 always gives 0; probabilities sum to 1 and fall with rank', () => {
    const one = new ZipfSampler(1, 1.5, new RandomStream(1, 'zipf/one'));
    expect(Array.from({ length: 50 }, () => one.next())).toEqual(new Array<number>(50).fill(0));
    expect(one.probability(0)).toBe(1);
    const sampler = new ZipfSampler(5_000, 1.2, new RandomStream(1, 'zipf/sum'));
    let total = 0;
    for (let k = 0; k < 5_000; k++) total += sampler.probability(k);
    expect(total).toBeCloseTo(1, 12);
    expect(sampler.probability(0) / sampler.probability(1)).toBeCloseTo(2 ** 1.2, 12);
  });

  it('rejects bad arguments', () => {
    const stream = new RandomStream(1, 'zipf/bad');
    expect(() => new ZipfSampler(0, 1, stream)).toThrow(/n must be/);
    expect(() => new ZipfSampler(2.5, 1, stream)).toThrow(/n must be/);
    expect(() => new ZipfSampler(10, -0.1, stream)).toThrow(/exponent/);
    expect(() => new ZipfSampler(10, 1, stream).probability(10)).toThrow(/rank/);
  });
});

describe('generalizedHarmonic and sharePerRank', () => {
  it('matches direct summation, including past the Euler–Maclaurin switch at 1,000 terms', () => {
    for (const s of [0, 0.3, 0.99, 1, 1.01, 2, 4]) {
      for (const n of [1, 999, 1_000, 1_001, 1_002, 123_457]) {
        let direct = 0;
        for (let i = n; i >= 1; i--) direct += Math.pow(i, -s);
        const value = generalizedHarmonic(n, s);
        expect(Math.abs(value - direct) / direct, `n=${n} s=${s}: ${value} vs ${direct}`).toBeLessThan(1e-13);
      }
    }
  });

  it('H(1e6, 1) against the asymptotic series ln n + γ + 1/(2n) - 1/(12n²), and H(n, 0) = n', () => {
    const n = 1e6;
    const eulerGamma = 0.5772156649015329;
    expect(generalizedHarmonic(n, 1)).toBeCloseTo(Math.log(n) + eulerGamma + 1 / (2 * n) - 1 / (12 * n * n), 12);
    expect(generalizedHarmonic(n, 0)).toBeCloseTo(n, 6);
    expect(generalizedHarmonic(0, 1)).toBe(0);
  });

  it('sharePerRank: the top 10 of 1,000 items at s=1 take H_10 / H_1000 = 39.1 %, and draws agree, seed=10', () => {
    const harmonic10 = 7_381 / 2_520;
    const harmonic1000 = 7.485470860550345;
    expect(sharePerRank(1_000, 1, 10)).toBeCloseTo(harmonic10 / harmonic1000, 12);
    expect(sharePerRank(1_000, 1, 0)).toBe(0);
    expect(sharePerRank(1_000, 1, 1_000)).toBe(1);
    expect(sharePerRank(1_000, 0, 10)).toBeCloseTo(0.01, 14);
    const sampler = new ZipfSampler(1_000, 1, new RandomStream(10, 'zipf/share'));
    const draws = 200_000;
    let top = 0;
    for (let i = 0; i < draws; i++) if (sampler.next() < 10) top++;
    const p = sharePerRank(1_000, 1, 10);
    expect(Math.abs(top / draws - p), 'seed=10').toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws));
  });
});
