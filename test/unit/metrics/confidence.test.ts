import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../helpers/mulberry32';
import {
  lag1Autocorrelation,
  confidenceInterval,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from '../../../src/metrics/confidence';

// ---------------------------------------------------------------------------------------------
// Independent references, computed here from first principles.
// ---------------------------------------------------------------------------------------------

/** Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) for integer ν, from r(ν+2) = r(ν)·(ν+1)/ν with r = Γ((ν+1)/2)/Γ(ν/2). */
function tDensityConstant(dof: number): number {
  let ratio = dof % 2 === 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
  for (let v = dof % 2 === 1 ? 1 : 2; v < dof; v += 2) ratio *= (v + 1) / v;
  return ratio / Math.sqrt(dof * Math.PI);
}

/** P(T <= t) for t >= 0 by composite Simpson's rule on the t density over [0, t]. */
function simpsonTCdf(t: number, dof: number, intervals = 20_000): number {
  const c = tDensityConstant(dof);
  const density = (x: number): number => c * Math.pow(1 + (x * x) / dof, -(dof + 1) / 2);
  const h = t / intervals;
  let sum = density(0) + density(t);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

/** Inverts an increasing function on [lo, hi] by bisection. */
function bisect(f: (x: number) => number, target: number, lo: number, hi: number, relTol: number): number {
  while (hi - lo > relTol * hi) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** erf by its Maclaurin series (fine for |x| <= 3 in double precision). */
function erfSeries(x: number): number {
  let term = x; // x^(2n+1) (-1)^n / n!
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const contribution = term / (2 * n + 1);
    sum += contribution;
    if (Math.abs(contribution) < 1e-18 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const phiFromErf = (z: number): number => 0.5 * (1 + erfSeries(z / Math.SQRT2));


/** Standard normal draws by Box–Muller. */
function normalSampler(random: () => number): () => number {
  return () => {
    const u1 = 1 - random(); // in (0, 1], so the log is finite
    const u2 = random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
}

// ---------------------------------------------------------------------------------------------

describe('studentTQuantile', () => {
  it('matches the quantile from numerically integrating the t density', () => {
    for (const dof of [1, 2, 5, 19, 30, 100]) {
      for (const p of [0.9, 0.975, 0.995]) {
        const reference = bisect((t) => simpsonTCdf(t, dof), p, 0, 100, 1e-10);
        const actual = studentTQuantile(p, dof);
        expect(Math.abs(actual - reference) / reference, `dof=${dof} p=${p}`).toBeLessThan(1e-6);
      }
    }
  });

  it('matches the closed forms for 1 and 2 degrees of freedom up to p = 0.9999', () => {
    for (const p of [0.5001, 0.6, 0.75, 0.9, 0.99, 0.999, 0.9999]) {
      const cauchy = Math.tan(Math.PI * (p - 0.5));
      const two = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      expect(Math.abs(studentTQuantile(p, 1) / cauchy - 1)).toBeLessThan(1e-9);
      expect(Math.abs(studentTQuantile(p, 2) / two - 1)).toBeLessThan(1e-9);
    }
  });

  it('inverts studentTCdf for dof 1..1000 and p in [0.5, 0.9999]', () => {
    for (const dof of [1, 3, 4, 7, 12, 50, 250, 999, 1000]) {
      for (const p of [0.5, 0.55, 0.8, 0.95, 0.99, 0.999, 0.9999]) {
        const t = studentTQuantile(p, dof);
        expect(Math.abs(studentTCdf(t, dof) - p)).toBeLessThan(1e-13);
        expect(studentTQuantile(1 - p, dof) + t).toBe(0);
      }
    }
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(1, 4)).toBe(Infinity);
  });

  it('agrees with a published table value', () => {
    // t_{0.995, 7} = 3.499 (every t table); used for the 99 % interval on 8 samples below.
    expect(studentTQuantile(0.995, 7)).toBeCloseTo(3.499483, 6);
  });

  it('approaches normalQuantile as the degrees of freedom grow', () => {
    for (const p of [0.9, 0.975, 0.995]) {
      const z = normalQuantile(p);
      let previousGap = Infinity;
      for (const dof of [10, 100, 1000, 10_000, 1_000_000]) {
        const gap = studentTQuantile(p, dof) - z;
        expect(gap).toBeGreaterThan(0);
        expect(gap).toBeLessThan(previousGap);
        previousGap = gap;
      }
      expect(previousGap).toBeLessThan(1e-5);
      expect(studentTQuantile(p, Infinity)).toBe(z);
    }
  });

  it('rejects invalid arguments', () => {
    expect(() => studentTQuantile(1.1, 3)).toThrow(/p must be/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degreesOfFreedom/);
    expect(() => studentTCdf(1, -2)).toThrow(/degreesOfFreedom/);
  });
});

describe('normalQuantile', () => {
  it('matches the inverse of an erf series', () => {
    const reference = bisect(phiFromErf, 0.995, 0, 10, 1e-15);
    expect(Math.abs(normalQuantile(0.995) - reference)).toBeLessThan(1e-12);
    for (const p of [0.6, 0.9, 0.975, 0.9999]) {
      const z = bisect(phiFromErf, p, 0, 10, 1e-15);
      expect(Math.abs(normalQuantile(p) - z), `p=${p}`).toBeLessThan(1e-9);
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 14);
    }
  });

  it('round-trips through normalCdf, including the far tail', () => {
    for (const p of [1e-300, 1e-20, 1e-8, 0.01, 0.3, 0.5, 0.7, 0.99]) {
      expect(Math.abs(normalCdf(normalQuantile(p)) / p - 1), `p=${p}`).toBeLessThan(1e-12);
    }
    expect(normalCdf(1.5)).toBeCloseTo(phiFromErf(1.5), 14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });
});

describe('confidenceInterval', () => {
  it('computes the t-interval on a hand-computable sample', () => {
    const samples = [2, 4, 4, 4, 5, 5, 7, 9];
    const n = samples.length;
    const mean = samples.reduce((a, b) => a + b, 0) / n; // 40 / 8 = 5
    const s = Math.sqrt(samples.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)); // √(32/7)
    expect(mean).toBe(5);
    expect(s).toBeCloseTo(Math.sqrt(32 / 7), 15);
    const halfWidth = (studentTQuantile(0.995, n - 1) * s) / Math.sqrt(n);

    const ci = confidenceInterval(samples);
    expect(ci.level).toBe(0.99);
    expect(ci.samples).toBe(8);
    expect(ci.mean).toBe(5);
    expect(ci.halfWidth).toBeCloseTo(halfWidth, 12);
    expect(ci.halfWidth).toBeCloseTo((3.499483 * Math.sqrt(32 / 7)) / Math.sqrt(8), 5);
    expect(ci.lower).toBeCloseTo(5 - halfWidth, 12);
    expect(ci.upper).toBeCloseTo(5 + halfWidth, 12);
    expect(ci.relativeHalfWidth).toBeCloseTo(halfWidth / 5, 12);

    const ci95 = confidenceInterval(samples, 0.95);
    expect(ci95.halfWidth).toBeCloseTo((studentTQuantile(0.975, 7) * s) / Math.sqrt(8), 12);
  });

  it('requires at least two finite samples and a level in (0, 1)', () => {
    expect(() => confidenceInterval([])).toThrow(/at least 2 samples/);
    expect(() => confidenceInterval([1])).toThrow(/at least 2 samples/);
    expect(() => confidenceInterval([1, 2], 1)).toThrow(/level/);
    expect(() => confidenceInterval([1, NaN])).toThrow(/finite/);
  });

  it('covers the true mean 99 % of the time (40 000 experiments of 10 normals, seed=1)', () => {
    const draw = normalSampler(mulberry32(1));
    const experiments = 40_000;
    let covered = 0;
    for (let e = 0; e < experiments; e++) {
      const samples = Array.from({ length: 10 }, draw);
      const ci = confidenceInterval(samples, 0.99);
      if (ci.lower <= 0 && 0 <= ci.upper) covered++;
    }
    // The covered fraction is Binomial(n, 0.99) / n. A band of ±4.5 binomial standard
    // deviations fails a correct interval with probability ~7e-6, yet catches a
    // miscalibrated one (normal instead of t quantiles covers ~97 %).
    const standardDeviation = Math.sqrt((0.99 * 0.01) / experiments);
    const fraction = covered / experiments;
    expect(Math.abs(fraction - 0.99), `seed=1 fraction=${fraction}`).toBeLessThanOrEqual(4.5 * standardDeviation);
  });
});

describe('lag1Autocorrelation', () => {
  it('computes the lag-1 autocorrelation by its definition', () => {
    // m = 2.5; deviations ∓1.5: Σ products = 3 · (−2.25), Σ squares = 4 · 2.25.
    expect(lag1Autocorrelation([1, 4, 1, 4])).toBeCloseTo(-0.75, 15);
    expect(lag1Autocorrelation([2, 5, 8])).toBe(0); // (−3·0 + 0·3) / 18
    expect(lag1Autocorrelation([1])).toBeNaN();
    expect(lag1Autocorrelation([3, 3, 3])).toBeNaN();
  });

  it('is near zero for independent data, seed=99', () => {
    const draw = normalSampler(mulberry32(99));
    const values = Array.from({ length: 400 }, draw);
    // Standard error of r1 for 400 independent values is about 1/√400 = 0.05.
    expect(Math.abs(lag1Autocorrelation(values))).toBeLessThan(0.2);
  });
});
