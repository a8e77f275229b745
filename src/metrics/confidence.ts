/**
 * Confidence intervals for simulation output: Student's t quantiles computed from scratch
 * (no tables), the classic t-interval on the mean of replication results or batch means, and
 * a batch-means accumulator. Everything is plain arithmetic on doubles, so results are the
 * same in Node and in a browser Web Worker.
 */

export interface ConfidenceInterval {
  mean: number;
  halfWidth: number;
  level: number;
  samples: number;
  lower: number;
  upper: number;
  /** halfWidth / |mean| (Infinity or NaN when the mean is 0). */
  relativeHalfWidth: number;
}

// ---------------------------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------------------------

/** Lanczos coefficients for g = 7, n = 9 (relative error about 1e-15 for x > 0). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/** Continued fraction for I_x(a, b) by the modified Lentz method (Numerical Recipes' betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const clampTiny = (v: number): number => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / clampTiny(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / clampTiny(1 + even * d);
    c = clampTiny(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / clampTiny(1 + odd * d);
    c = clampTiny(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  throw new Error(`betaContinuedFraction did not converge for a=${a}, b=${b}, x=${x}`);
}

/**
 * Regularized incomplete beta I_x(a, b). Takes both x and y = 1 - x so callers can pass the
 * complement without cancellation.
 */
function incompleteBeta(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(y);
  const front = Math.exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

// ---------------------------------------------------------------------------------------------
// Student's t
// ---------------------------------------------------------------------------------------------

function assertDegreesOfFreedom(dof: number, where: string): void {
  if (!(dof > 0)) throw new Error(`${where}: degreesOfFreedom must be > 0, got ${dof}`);
}

/** P(|T| > t) for t >= 0, i.e. I_{dof/(dof+t²)}(dof/2, 1/2). */
function twoSidedTail(t: number, dof: number): number {
  const t2 = t * t;
  return incompleteBeta(dof / 2, 0.5, dof / (dof + t2), t2 / (dof + t2));
}

/** P(|T| <= t) for t >= 0, i.e. I_{t²/(dof+t²)}(1/2, dof/2); accurate when it is small. */
function centralProbability(t: number, dof: number): number {
  const t2 = t * t;
  return incompleteBeta(0.5, dof / 2, t2 / (dof + t2), dof / (dof + t2));
}

/** ln of the t density's normalising constant Γ((ν+1)/2) / (√(νπ) Γ(ν/2)). */
function logTDensityConstant(dof: number): number {
  return lnGamma((dof + 1) / 2) - lnGamma(dof / 2) - 0.5 * Math.log(dof * Math.PI);
}

/** The CDF of Student's t with `degreesOfFreedom` (> 0, need not be an integer). */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  assertDegreesOfFreedom(degreesOfFreedom, 'studentTCdf');
  if (Number.isNaN(t)) return NaN;
  if (degreesOfFreedom === Infinity) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const half = 0.5 * twoSidedTail(Math.abs(t), degreesOfFreedom);
  return t < 0 ? half : 1 - half;
}

/**
 * Inverse CDF of Student's t. Solves P(|T| > t) = 2(1 - p) (or its complement, whichever is
 * below 1/2, so the equation is well conditioned) by Newton's method on the exact CDF from
 * the incomplete beta function, safeguarded by bisection inside a bracket. Relative accuracy
 * is better than 1e-12 for dof in 1..1000 and p in [0.5, 0.9999] (the tests require 1e-6).
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  assertDegreesOfFreedom(degreesOfFreedom, 'studentTQuantile');
  if (!(p >= 0 && p <= 1)) throw new Error(`studentTQuantile: p must be in [0, 1], got ${p}`);
  if (degreesOfFreedom === Infinity) return normalQuantile(p);
  if (p < 0.5) return -studentTQuantile(1 - p, degreesOfFreedom);
  if (p === 0.5) return 0;
  if (p === 1) return Infinity;
  return solveUpperQuantile(p, degreesOfFreedom);
}

function solveUpperQuantile(p: number, dof: number): number {
  const tail = 2 * (1 - p); // exact for p in [0.5, 1]
  const central = 2 * p - 1; // exact too
  // residual(t) is decreasing in t and its derivative is -2 * density(t).
  const residual =
    tail <= 0.5
      ? (t: number): number => twoSidedTail(t, dof) - tail
      : (t: number): number => central - centralProbability(t, dof);
  const logConstant = logTDensityConstant(dof);
  const density = (t: number): number =>
    Math.exp(logConstant - ((dof + 1) / 2) * Math.log1p((t * t) / dof));

  let t = Math.max(initialGuess(p, dof), Number.MIN_VALUE);
  let lo = 0;
  let hi = Infinity;
  for (let iteration = 0; iteration < 400; iteration++) {
    const r = residual(t);
    if (r === 0) return t;
    if (r > 0) lo = t;
    else hi = t;
    let next = t + r / (2 * density(t));
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * t : lo + (hi - lo) / 2;
    const bracketClosed = hi !== Infinity && hi - lo <= 4 * Number.EPSILON * hi;
    if (bracketClosed || Math.abs(next - t) <= 2 * Number.EPSILON * next) return next;
    t = next;
  }
  return t;
}

/** Cornish–Fisher expansion of the t quantile around the normal one (a starting point only). */
function initialGuess(p: number, dof: number): number {
  const z = normalQuantile(p);
  const z3 = z * z * z;
  const z5 = z3 * z * z;
  return z + (z3 + z) / (4 * dof) + (5 * z5 + 16 * z3 + 3 * z) / (96 * dof * dof);
}

// ---------------------------------------------------------------------------------------------
// Normal
// ---------------------------------------------------------------------------------------------

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

// Wichura, Algorithm AS 241 (PPND16), Applied Statistics 37(3), 1988: coefficients of the
// three rational approximations, constant term first, kept verbatim as published (more
// digits than a double holds; the parser rounds them to the nearest double).
/* eslint-disable no-loss-of-precision */
const AS241_A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const AS241_B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const AS241_C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833,
  7.7454501427834140764e-4,
];
const AS241_D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
  0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
  1.05075007164441684324e-9,
];
const AS241_E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5,
  2.01033439929228813265e-7,
];
const AS241_F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
  2.04426310338993978564e-15,
];
/* eslint-enable no-loss-of-precision */

/** Inverse CDF of the standard normal (Wichura's AS 241, relative accuracy about 1e-16). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_A, r)) / polynomial(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(AS241_C, r) / polynomial(AS241_D, r);
  } else {
    r -= 5;
    value = polynomial(AS241_E, r) / polynomial(AS241_F, r);
  }
  return q < 0 ? -value : value;
}

/** The standard normal CDF Φ(z) = erfc(-z/√2) / 2, with erfc(x) = Q(1/2, x²). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  if (Math.abs(z) > 40) return z > 0 ? 1 : 0; // Φ(-40) underflows to 0 anyway
  const outside = upperIncompleteGammaHalf((z * z) / 2); // P(|Z| > |z|)
  return z < 0 ? 0.5 * outside : 1 - 0.5 * outside;
}

/** Q(1/2, x) = erfc(√x), the regularized upper incomplete gamma at a = 1/2. */
function upperIncompleteGammaHalf(x: number): number {
  const a = 0.5;
  const logFront = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    // Series for the lower function P(a, x), then complement.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * Math.exp(logFront);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(logFront) * h;
}

// ---------------------------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------------------------

/** Neumaier's compensated sum. */
function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const x of values) {
    const s = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - s + x : x - s + sum;
    sum = s;
  }
  return sum + compensation;
}

/**
 * The classic t-interval on the mean of (approximately independent) batch means or replication
 * results: mean ± t_{(1+level)/2, n-1} · s / √n, with s the sample standard deviation (n - 1
 * denominator).
 */
export function confidenceInterval(samples: readonly number[], level = 0.99): ConfidenceInterval {
  const n = samples.length;
  if (n < 2) throw new Error(`confidenceInterval: need at least 2 samples, got ${n}`);
  if (!(level > 0 && level < 1)) throw new Error(`confidenceInterval: level must be in (0, 1), got ${level}`);
  for (const x of samples) {
    if (!Number.isFinite(x)) throw new Error(`confidenceInterval: samples must be finite, got ${x}`);
  }
  const mean = compensatedSum(samples) / n;
  const squares = samples.map((x) => (x - mean) * (x - mean));
  const sd = Math.sqrt(compensatedSum(squares) / (n - 1));
  const halfWidth = (studentTQuantile((1 + level) / 2, n - 1) * sd) / Math.sqrt(n);
  return {
    mean,
    halfWidth,
    level,
    samples: n,
    lower: mean - halfWidth,
    upper: mean + halfWidth,
    relativeHalfWidth: halfWidth / Math.abs(mean),
  };
}

/**
 * Lag-1 sample autocorrelation, Σ (x_i - m)(x_{i+1} - m) / Σ (x_i - m)². Near 0 means batch
 * means can be treated as independent; if it is large, the batches are too short.
 * NaN with fewer than 2 values or no variation.
 */
export function lag1Autocorrelation(values: readonly number[]): number {
  const k = values.length;
  if (k < 2) return NaN;
  const m = compensatedSum(values) / k;
  const deviations = values.map((x) => x - m);
  const products = deviations.slice(1).map((d, i) => d * deviations[i]!);
  const denominator = compensatedSum(deviations.map((d) => d * d));
  return denominator === 0 ? NaN : compensatedSum(products) / denominator;
}
