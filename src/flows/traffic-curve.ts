import { assert } from '../engine/assert';

/**
 * Rate curves: orders per second as a pure function of simulated time, in seconds relative to
 * the sale's midnight (negative before it). A spec is plain data (it comes from scenario files
 * or a CSV); `makeRateCurve` turns it into an object once.
 *
 * Every kind compiles to a short list of pieces, each monotone on its interval:
 *   linear       r(t) = r0 + slope * (t - t0)                      (constants are slope 0)
 *   exponential  r(t) = base + amplitude * exp(-(t - t0) / tau)
 * so `rateAt`, `maxRateBetween` (the supremum over an interval, an exact upper bound the
 * thinning in arrivals.ts relies on) and `integral` (closed form per piece) are all generic.
 * Pieces own [t0, t1): at a step the curve takes the value after the step.
 */
export type RatePoint = readonly [seconds: number, rate: number];

export type RateCurveSpec =
  | { kind: 'constant'; rate: number }
  /** `from` until startSeconds, linear to `to` at endSeconds, `to` after. */
  | { kind: 'ramp'; from: number; to: number; startSeconds: number; endSeconds: number }
  /** `before` for t < atSeconds, `after` from atSeconds on. */
  | { kind: 'step'; before: number; after: number; atSeconds: number }
  /** The midnight surge; see `spikePieces` for the shape. */
  | {
      kind: 'spike';
      baseline: number;
      peakMultiplier: number;
      atSeconds: number;
      riseSeconds: number;
      decaySeconds: number;
      preheat?: { multiplier: number; fromSeconds: number } | undefined;
    }
  /** Linear interpolation between [seconds, rate] points, flat beyond the first and last. */
  | { kind: 'piecewise'; points: ReadonlyArray<RatePoint> }
  /** Step-wise: each rate holds until the next point; the first rate before it, the last after. */
  | { kind: 'replay'; points: ReadonlyArray<RatePoint> };

export interface RateCurve {
  /** Orders per second at `seconds`. */
  rateAt(seconds: number): number;
  /** The supremum of the rate over [fromSeconds, toSeconds]: never below rateAt(t) for t in it. */
  maxRateBetween(fromSeconds: number, toSeconds: number): number;
  /** The infimum of the rate over [fromSeconds, toSeconds]: never above rateAt(t) for t in it. */
  minRateBetween(fromSeconds: number, toSeconds: number): number;
  /** Expected orders in [fromSeconds, toSeconds]: ∫ rate dt, exact per piece. */
  integral(fromSeconds: number, toSeconds: number): number;
}

const LINEAR = 0;
const EXPONENTIAL = 1;

/** Pieces in structure-of-arrays form; piece i covers [start[i], start[i+1]), the last to +∞. */
interface Pieces {
  start: number[];
  shape: number[];
  /** linear: r0 at start; exponential: base */
  a: number[];
  /** linear: slope per second; exponential: amplitude at start */
  b: number[];
  /** exponential: time constant tau in seconds; linear: unused */
  c: number[];
}

function newPieces(firstRate: number): Pieces {
  return { start: [-Infinity], shape: [LINEAR], a: [firstRate], b: [0], c: [0] };
}

function addLinear(pieces: Pieces, startSeconds: number, rate: number, slope: number): void {
  pieces.start.push(startSeconds);
  pieces.shape.push(LINEAR);
  pieces.a.push(rate);
  pieces.b.push(slope);
  pieces.c.push(0);
}

function addExponential(pieces: Pieces, startSeconds: number, base: number, amplitude: number, tau: number): void {
  pieces.start.push(startSeconds);
  pieces.shape.push(EXPONENTIAL);
  pieces.a.push(base);
  pieces.b.push(amplitude);
  pieces.c.push(tau);
}

function assertRate(rate: number, what: string): void {
  assert(Number.isFinite(rate) && rate >= 0, () => `${what} must be a finite rate >= 0 orders/s, got ${rate}`);
}

function assertTime(seconds: number, what: string): void {
  assert(Number.isFinite(seconds), () => `${what} must be a finite time in seconds, got ${seconds}`);
}

function assertPoints(points: ReadonlyArray<RatePoint>, kind: string): void {
  assert(points.length >= 1, () => `${kind}: needs at least one [seconds, rate] point`);
  for (let i = 0; i < points.length; i++) {
    assertTime(points[i]![0], `${kind}: points[${i}] time`);
    assertRate(points[i]![1], `${kind}: points[${i}] rate`);
    if (i > 0) assert(points[i]![0] > points[i - 1]![0], () => `${kind}: point times must increase strictly (points[${i}])`);
  }
}

/**
 * The midnight surge (mq-semantics.md §4.2, "suggested model": baseline, a step at t = 0 to the
 * peak within ~30 s, decay over ~60 min; 2020's 583,000 orders/s came 26 s after midnight):
 *
 *   t < fromSeconds                  baseline
 *   fromSeconds <= t < atSeconds     baseline * preheat.multiplier      (only with preheat)
 *   at <= t < at + rise              linear from the level just before `at` (baseline, or the
 *                                    pre-heat plateau) up to peak = baseline * peakMultiplier
 *   t >= at + rise                   baseline + (peak - baseline) * exp(-(t - at - rise) / decay)
 *
 * So the curve is continuous from `at` on, peaks at at + rise, and is back within 1 % of the
 * distance to the baseline after 4.6 * decaySeconds (§4.2's "decay over ~60 min" is thus
 * decaySeconds ≈ 780). From `at` on, the orders above the baseline total
 * ((start + peak) / 2 - baseline) * rise + (peak - baseline) * decay, with start the level at `at`.
 * No Double 12 peak is published (§4.1 [U]); scenarios choose the numbers.
 */
function spikePieces(spec: Extract<RateCurveSpec, { kind: 'spike' }>): Pieces {
  const { baseline, peakMultiplier, atSeconds, riseSeconds, decaySeconds, preheat } = spec;
  assertRate(baseline, 'spike: baseline');
  assert(Number.isFinite(peakMultiplier) && peakMultiplier >= 0, () => `spike: peakMultiplier must be >= 0, got ${peakMultiplier}`);
  assertTime(atSeconds, 'spike: atSeconds');
  assert(Number.isFinite(riseSeconds) && riseSeconds > 0, () => `spike: riseSeconds must be > 0, got ${riseSeconds}`);
  assert(Number.isFinite(decaySeconds) && decaySeconds > 0, () => `spike: decaySeconds must be > 0, got ${decaySeconds}`);
  const peak = baseline * peakMultiplier;
  const pieces = newPieces(baseline);
  let levelBeforeSurge = baseline;
  if (preheat !== undefined) {
    assert(Number.isFinite(preheat.multiplier) && preheat.multiplier >= 0, () => `spike: preheat.multiplier must be >= 0, got ${preheat.multiplier}`);
    assertTime(preheat.fromSeconds, 'spike: preheat.fromSeconds');
    assert(preheat.fromSeconds < atSeconds, 'spike: preheat.fromSeconds must be before atSeconds');
    levelBeforeSurge = baseline * preheat.multiplier;
    addLinear(pieces, preheat.fromSeconds, levelBeforeSurge, 0);
  }
  addLinear(pieces, atSeconds, levelBeforeSurge, (peak - levelBeforeSurge) / riseSeconds);
  addExponential(pieces, atSeconds + riseSeconds, baseline, peak - baseline, decaySeconds);
  return pieces;
}

function piecesOf(spec: RateCurveSpec): Pieces {
  switch (spec.kind) {
    case 'constant':
      assertRate(spec.rate, 'constant: rate');
      return newPieces(spec.rate);
    case 'ramp': {
      const { from, to, startSeconds, endSeconds } = spec;
      assertRate(from, 'ramp: from');
      assertRate(to, 'ramp: to');
      assertTime(startSeconds, 'ramp: startSeconds');
      assertTime(endSeconds, 'ramp: endSeconds');
      assert(endSeconds > startSeconds, () => `ramp: endSeconds (${endSeconds}) must be after startSeconds (${startSeconds})`);
      const pieces = newPieces(from);
      addLinear(pieces, startSeconds, from, (to - from) / (endSeconds - startSeconds));
      addLinear(pieces, endSeconds, to, 0);
      return pieces;
    }
    case 'step': {
      assertRate(spec.before, 'step: before');
      assertRate(spec.after, 'step: after');
      assertTime(spec.atSeconds, 'step: atSeconds');
      const pieces = newPieces(spec.before);
      addLinear(pieces, spec.atSeconds, spec.after, 0);
      return pieces;
    }
    case 'spike':
      return spikePieces(spec);
    case 'piecewise': {
      const points = spec.points;
      assertPoints(points, 'piecewise');
      const pieces = newPieces(points[0]![1]);
      for (let i = 0; i + 1 < points.length; i++) {
        const [t0, r0] = points[i]!;
        const [t1, r1] = points[i + 1]!;
        addLinear(pieces, t0, r0, (r1 - r0) / (t1 - t0));
      }
      const [tLast, rLast] = points[points.length - 1]!;
      addLinear(pieces, tLast, rLast, 0);
      return pieces;
    }
    case 'replay': {
      const points = spec.points;
      assertPoints(points, 'replay');
      const pieces = newPieces(points[0]![1]);
      for (const [seconds, rate] of points) addLinear(pieces, seconds, rate, 0);
      return pieces;
    }
  }
}

/** A rate curve from its spec. Asserts that the spec is valid (the schema and trafficRules say why first). */
export function makeRateCurve(spec: RateCurveSpec): RateCurve {
  return new PiecewiseCurve(piecesOf(spec));
}

class PiecewiseCurve implements RateCurve {
  private readonly start: Float64Array;
  private readonly shape: Uint8Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
  private readonly count: number;
  /** The piece of the last rateAt: arrivals ask in increasing time, so this is usually right. */
  private hint = 0;

  constructor(pieces: Pieces) {
    this.start = Float64Array.from(pieces.start);
    this.shape = Uint8Array.from(pieces.shape);
    this.a = Float64Array.from(pieces.a);
    this.b = Float64Array.from(pieces.b);
    this.c = Float64Array.from(pieces.c);
    this.count = pieces.start.length;
    for (let i = 1; i < this.count; i++) assert(this.start[i]! > this.start[i - 1]!, 'rate curve pieces must start in increasing time');
  }

  rateAt(seconds: number): number {
    assert(!Number.isNaN(seconds), 'rateAt: time is NaN');
    let piece = this.hint;
    if (!(this.start[piece]! <= seconds && (piece + 1 === this.count || seconds < this.start[piece + 1]!))) {
      piece = this.pieceAt(seconds);
      this.hint = piece;
    }
    return this.valueIn(piece, seconds);
  }

  maxRateBetween(fromSeconds: number, toSeconds: number): number {
    return this.extremeBetween(fromSeconds, toSeconds, true);
  }

  minRateBetween(fromSeconds: number, toSeconds: number): number {
    return this.extremeBetween(fromSeconds, toSeconds, false);
  }

  integral(fromSeconds: number, toSeconds: number): number {
    assertInterval(fromSeconds, toSeconds, 'integral');
    let total = 0;
    for (let piece = this.pieceAt(fromSeconds); piece < this.count && this.start[piece]! <= toSeconds; piece++) {
      const low = Math.max(fromSeconds, this.start[piece]!);
      const high = piece + 1 < this.count ? Math.min(toSeconds, this.start[piece + 1]!) : toSeconds;
      if (high > low) total += this.integralIn(piece, low, high);
    }
    return total;
  }

  /** The last piece starting at or before `seconds` (piece 0 starts at -∞). */
  private pieceAt(seconds: number): number {
    let low = 0;
    let high = this.count; // invariant: start[low] <= seconds < start[high] (start[count] = +∞)
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (this.start[middle]! <= seconds) low = middle;
      else high = middle;
    }
    return low;
  }

  /** The piece's own formula, also at its right end (the left limit there). */
  private valueIn(piece: number, seconds: number): number {
    if (this.shape[piece] === LINEAR) {
      const slope = this.b[piece]!;
      return slope === 0 ? this.a[piece]! : this.a[piece]! + slope * (seconds - this.start[piece]!);
    }
    return this.a[piece]! + this.b[piece]! * Math.exp(-(seconds - this.start[piece]!) / this.c[piece]!);
  }

  private integralIn(piece: number, low: number, high: number): number {
    if (this.shape[piece] === LINEAR) {
      if (this.b[piece] === 0) return this.a[piece] === 0 ? 0 : this.a[piece]! * (high - low); // 0 * ∞ is 0 here
      return ((high - low) * (this.valueIn(piece, low) + this.valueIn(piece, high))) / 2;
    }
    const base = this.a[piece]!;
    const amplitude = this.b[piece]!;
    const tau = this.c[piece]!;
    const decayed = Math.exp(-(low - this.start[piece]!) / tau);
    // amplitude * tau * (e^{-(low-t0)/tau} - e^{-(high-t0)/tau}), without cancellation for short spans
    const aboveBase = high === Infinity ? amplitude * tau * decayed : -amplitude * tau * decayed * Math.expm1(-(high - low) / tau);
    return (base === 0 ? 0 : base * (high - low)) + aboveBase;
  }

  /**
   * Every piece is monotone, so its extremes over an interval are at the clipped ends; the
   * right end is the piece's left limit, so the result is the supremum (infimum) over the closed
   * interval, an exact bound. A piece that ends where the interval starts does not count.
   */
  private extremeBetween(fromSeconds: number, toSeconds: number, maximum: boolean): number {
    assertInterval(fromSeconds, toSeconds, maximum ? 'maxRateBetween' : 'minRateBetween');
    let extreme = maximum ? -Infinity : Infinity;
    for (let piece = this.pieceAt(fromSeconds); piece < this.count && this.start[piece]! <= toSeconds; piece++) {
      const low = Math.max(fromSeconds, this.start[piece]!);
      const high = piece + 1 < this.count ? Math.min(toSeconds, this.start[piece + 1]!) : toSeconds;
      let atLow = this.valueIn(piece, low);
      let atHigh = this.valueIn(piece, high);
      if (this.shape[piece] === EXPONENTIAL) {
        // Math.exp is not guaranteed monotone to the last bit; widen by a few ulps to stay a bound.
        const widen = maximum ? 1 + 4 * Number.EPSILON : 1 - 4 * Number.EPSILON;
        atLow *= widen;
        atHigh *= widen;
      }
      extreme = maximum ? Math.max(extreme, atLow, atHigh) : Math.min(extreme, atLow, atHigh);
    }
    return maximum ? extreme : Math.max(0, extreme);
  }
}

function assertInterval(fromSeconds: number, toSeconds: number, what: string): void {
  assert(!Number.isNaN(fromSeconds) && !Number.isNaN(toSeconds), () => `${what}: time is NaN`);
  assert(fromSeconds <= toSeconds, () => `${what}: fromSeconds (${fromSeconds}) must be <= toSeconds (${toSeconds})`);
}

const MAX_CSV_PROBLEMS = 50;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEADERS = ['seconds,rate', 'time,rate'];

/**
 * A CSV of rates: an optional header `seconds,rate` (or `time,rate`), then one `seconds,rate`
 * row per line, times strictly increasing (negative before midnight), rates >= 0 orders/s.
 * Blank lines and lines starting with `#` are skipped. The points are meant for a `replay`
 * curve: each rate holds until the next row. Every problem is reported, as
 * `${sourceName}:${line}: problem (hint)`, up to MAX_CSV_PROBLEMS.
 */
export function parseRateCsv(text: string, sourceName: string): { points: [number, number][] } | { problems: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const points: [number, number][] = [];
  const problems: string[] = [];
  const report = (line: number, problem: string, hint: string): void => {
    if (problems.length < MAX_CSV_PROBLEMS) problems.push(`${sourceName}:${line}: ${problem} (${hint})`);
    else if (problems.length === MAX_CSV_PROBLEMS) problems.push(`${sourceName}:${line}: more problems not shown (fix the ones above first)`);
  };
  let seenFirstRow = false;
  let previousTime = -Infinity;
  let previousTimeLine = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const row = lines[index]!.trim();
    if (row === '' || row.startsWith('#')) continue;
    const fields = row.split(',').map((field) => field.trim());
    const isFirstRow = !seenFirstRow;
    seenFirstRow = true;
    if (isFirstRow && !NUMBER.test(fields[0]!)) {
      const header = fields.join(',').toLowerCase();
      if (!HEADERS.includes(header)) {
        report(line, `unknown header "${row}"`, 'the first line is either the header seconds,rate (or time,rate) or a first data row');
      }
      continue;
    }
    if (fields.length !== 2) {
      report(line, `has ${fields.length} ${fields.length === 1 ? 'column' : 'columns'}, expected 2`, 'write one seconds,rate pair per line, e.g. 26,583000');
      continue;
    }
    const [timeText, rateText] = fields as [string, string];
    const timeOk = NUMBER.test(timeText);
    const rateOk = NUMBER.test(rateText);
    if (!timeOk) report(line, `time "${timeText}" is not a number`, 'seconds relative to midnight, e.g. -60 or 26.5');
    if (!rateOk) report(line, `rate "${rateText}" is not a number`, 'orders per second, e.g. 583000');
    if (!timeOk || !rateOk) continue;
    const seconds = Number(timeText);
    const rate = Number(rateText);
    let good = true;
    if (!Number.isFinite(seconds) || !Number.isFinite(rate)) {
      report(line, 'has a number too large to use', 'times and rates must be finite');
      continue;
    }
    if (rate < 0) {
      report(line, `rate ${rateText} is negative`, 'rates are orders per second, 0 or more');
      good = false;
    }
    if (seconds <= previousTime) {
      report(line, `time ${timeText} is not after ${previousTime} on line ${previousTimeLine}`, 'times must increase strictly, one row per time');
      good = false;
    } else {
      previousTime = seconds;
      previousTimeLine = line;
    }
    if (good) points.push([seconds, rate]);
  }
  if (problems.length === 0 && points.length === 0) {
    report(1, 'has no data rows', 'write a header seconds,rate then one seconds,rate row per line');
  }
  return problems.length > 0 ? { problems } : { points };
}
