import { assert } from '../engine/assert';
import type { RandomStream } from '../engine/random';

/**
 * Item popularity with hot-item skew: rank k (0 = the most popular of n items) is drawn with
 * probability (k + 1)^-s / H(n, s), where H(n, s) = Σ_{i=1..n} i^-s. s = 0 is uniform; s ≈ 1
 * is the classic web/e-commerce skew (with n = 1,000 and s = 1, the top 10 items take 39 %).
 *
 * Algorithm: rejection-inversion (Hörmann & Derflinger 1996, "Rejection-inversion to generate
 * variates from monotone discrete distributions"; the form of Apache Commons RNG's
 * RejectionInversionZipfSampler). It inverts the integral of a continuous hat over the ranks
 * and accepts with a cheap test; the expected number of tries is below 1.1 for every s and n.
 * Chosen over an alias table because it needs O(1) memory and O(1) set-up for any n (an alias
 * table for n = 1e6 is 12 MB and a million Math.pow calls to build, per sampler), it is exact,
 * and one code path serves every n up to 2^32. A draw costs one uniform, a log1p and an exp,
 * and rarely a second log and pow.
 */
export class ZipfSampler {
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly squeeze: number;
  private normaliser = 0;

  /**
   * @param n number of items, an integer in [1, 2^32]
   * @param exponent the skew s >= 0
   */
  constructor(
    readonly n: number,
    readonly exponent: number,
    private readonly stream: RandomStream,
  ) {
    assert(Number.isInteger(n) && n >= 1 && n <= 4294967296, () => `zipf: n must be an integer in [1, 2^32], got ${n}`);
    assert(Number.isFinite(exponent) && exponent >= 0, () => `zipf: exponent must be >= 0, got ${exponent}`);
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.squeeze = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  /** A rank in [0, n), 0 the most popular. */
  next(): number {
    if (this.exponent === 0) return this.stream.nextInt(this.n);
    const n = this.n;
    // Bounded in practice: each try accepts with probability > 0.9; 1,000 rejections in a row
    // would mean broken arithmetic, not bad luck.
    for (let attempt = 0; attempt < 1000; attempt++) {
      // u is uniform on (hIntegralX1, hIntegralN]
      const u = this.hIntegralN + this.stream.nextFloat() * (this.hIntegralX1 - this.hIntegralN);
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.squeeze || u >= this.hIntegral(k + 0.5) - this.h(k)) return k - 1;
    }
    assert(false, () => `zipf: no draw accepted in 1000 tries (n=${n}, s=${this.exponent})`);
  }

  /** P(next() = k), for an integer rank k in [0, n). */
  probability(k: number): number {
    assert(Number.isInteger(k) && k >= 0 && k < this.n, () => `zipf: rank must be an integer in [0, ${this.n}), got ${k}`);
    if (this.normaliser === 0) this.normaliser = generalizedHarmonic(this.n, this.exponent);
    return Math.pow(k + 1, -this.exponent) / this.normaliser;
  }

  /** h(x) = x^-s, the unnormalised probability of rank x (1-based). */
  private h(x: number): number {
    return Math.exp(-this.exponent * Math.log(x));
  }

  /** H(x) = ∫_1^x t^-s dt = (x^(1-s) - 1) / (1 - s), and log x at s = 1, written to be exact near s = 1. */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return expm1OverX((1 - this.exponent) * logX) * logX;
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.exponent);
    if (t < -1) t = -1; // rounding can push it just below; the true value is >= -1
    return Math.exp(log1pOverX(t) * x);
  }
}

/** log(1 + x) / x, with its series near 0. */
function log1pOverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (1 / 2 - x * (1 / 3 - x * (1 / 4)));
}

/** (e^x - 1) / x, with its series near 0. */
function expm1OverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * (1 / 2) * (1 + x * (1 / 3) * (1 + x * (1 / 4)));
}

const DIRECT_TERMS = 1000;

/**
 * H(n, s) = Σ_{i=1..n} i^-s. The first 1,000 terms are summed directly (smallest first), the rest
 * by Euler–Maclaurin up to the f''' term (itself ~1e-15 relative at 1,000; the remainder is below 1e-19); so
 * n = 1e9 costs the same as n = 1e3.
 */
export function generalizedHarmonic(n: number, s: number): number {
  assert(Number.isInteger(n) && n >= 0, () => `generalizedHarmonic: n must be an integer >= 0, got ${n}`);
  assert(Number.isFinite(s) && s >= 0, () => `generalizedHarmonic: s must be >= 0, got ${s}`);
  const direct = Math.min(n, DIRECT_TERMS);
  let sum = 0;
  for (let i = direct; i >= 1; i--) sum += Math.pow(i, -s);
  if (n <= DIRECT_TERMS) return sum;
  // Σ_{i=a..b} f(i), a = DIRECT_TERMS + 1, b = n, f(x) = x^-s:
  // ∫_a^b f + (f(a) + f(b))/2 + B2/2! (f'(b) - f'(a)) + B4/4! (f'''(b) - f'''(a)), B2 = 1/6, B4 = -1/30
  const a = DIRECT_TERMS + 1;
  const b = n;
  const logRatio = Math.log(b / a);
  const integral = Math.pow(a, 1 - s) * expm1OverX((1 - s) * logRatio) * logRatio;
  const f = (x: number): number => Math.pow(x, -s);
  const d1 = (x: number): number => -s * Math.pow(x, -s - 1);
  const d3 = (x: number): number => -s * (s + 1) * (s + 2) * Math.pow(x, -s - 3);
  const tail = integral + (f(a) + f(b)) / 2 + (d1(b) - d1(a)) / 12 - (d3(b) - d3(a)) / 720;
  return sum + tail;
}

/** The fraction of draws that fall in the top `topK` ranks of n with exponent s: H(K, s) / H(n, s). */
export function sharePerRank(n: number, s: number, topK: number): number {
  assert(Number.isInteger(n) && n >= 1, () => `sharePerRank: n must be an integer >= 1, got ${n}`);
  assert(Number.isInteger(topK) && topK >= 0, () => `sharePerRank: topK must be an integer >= 0, got ${topK}`);
  if (topK >= n) return 1;
  return generalizedHarmonic(topK, s) / generalizedHarmonic(n, s);
}
