import { assert } from '../engine/assert';
import type { RandomStream } from '../engine/random';
import type { RateCurve } from './traffic-curve';

export interface ArrivalOptions {
  /** The time, in curve seconds, that microsecond 0 stands for. Default startSeconds. */
  originSeconds?: number;
  /** Length of a thinning window, in whole microseconds. Default 1,000,000 (1 s). */
  windowUs?: number;
}

const MICROSECONDS_PER_SECOND = 1_000_000;

/**
 * A non-homogeneous Poisson process with intensity `curve.rateAt(t)` on [startSeconds,
 * endSeconds), by thinning (Lewis & Shedler 1979) with a piecewise-constant bound.
 *
 * Time is cut into windows of `windowUs` (1 s by default), aligned on the start. In each window
 * the bound is λ* = curve.maxRateBetween(window), an exact supremum of the rate there.
 * Candidates are a homogeneous Poisson process of rate λ* (exponential gaps); a candidate at t
 * is kept with probability rate(t) / λ*. When a gap runs past the window's end the overshoot is
 * dropped and the next window starts afresh at its own start: by memorylessness the candidates
 * stay a Poisson process of rate λ*(t), so the kept ones are exactly Poisson with rate(t).
 * A window with λ* = 0 is skipped without a draw.
 *
 * Two shortcuts that change nothing in distribution: when the curve is flat over the window
 * (min = max) every candidate is kept without an acceptance draw; otherwise a uniform below
 * min / λ* accepts without evaluating the curve (a squeeze).
 *
 * Why this bound: a window of 1 s keeps the bound close to the curve (a 26 s rise or a decay
 * over minutes changes little within a second), so well over 90 % of candidates are kept on the
 * spike, and asking the curve for one supremum per window costs nothing next to the ~600,000
 * arrivals a second of the peak holds.
 *
 * Times come out as integer microseconds since `originSeconds` (the floor of the exact time),
 * non-decreasing; several arrivals can share a microsecond at peak rates. After the end,
 * nextArrivalUs returns Infinity. Drawing allocates nothing.
 */
export class ArrivalProcess {
  private readonly originSeconds: number;
  private readonly windowUs: number;
  private readonly endUs: number;
  private windowStartUs: number;
  private windowLengthUs = 0;
  /** Time of the last candidate in the current window, µs after its start (not rounded). */
  private offsetUs = 0;
  private boundPerSecond = 0;
  private minPerSecond = 0;
  private meanGapUs = Infinity;
  private done = false;
  private candidateCount = 0;
  private arrivalCount = 0;

  constructor(
    private readonly curve: RateCurve,
    private readonly stream: RandomStream,
    readonly startSeconds: number,
    readonly endSeconds: number,
    options: ArrivalOptions = {},
  ) {
    assert(Number.isFinite(startSeconds) && Number.isFinite(endSeconds), 'arrivals: start and end must be finite seconds');
    assert(endSeconds >= startSeconds, () => `arrivals: endSeconds (${endSeconds}) must not be before startSeconds (${startSeconds})`);
    this.originSeconds = options.originSeconds ?? startSeconds;
    this.windowUs = options.windowUs ?? MICROSECONDS_PER_SECOND;
    assert(Number.isSafeInteger(this.windowUs) && this.windowUs > 0, () => `arrivals: windowUs must be a positive integer, got ${this.windowUs}`);
    const startUs = Math.round((startSeconds - this.originSeconds) * MICROSECONDS_PER_SECOND);
    this.endUs = Math.round((endSeconds - this.originSeconds) * MICROSECONDS_PER_SECOND);
    assert(startUs >= 0, () => `arrivals: startSeconds (${startSeconds}) must not be before originSeconds (${this.originSeconds})`);
    assert(Number.isSafeInteger(this.endUs), 'arrivals: endSeconds is too far from originSeconds for integer microseconds');
    this.windowStartUs = startUs;
    this.enterWindow(startUs);
  }

  /** Candidates drawn so far (kept and rejected): arrivals / candidates is the thinning efficiency. */
  get candidates(): number {
    return this.candidateCount;
  }

  /** Arrivals returned so far. */
  get arrivals(): number {
    return this.arrivalCount;
  }

  /** The next arrival, in integer µs since originSeconds; Infinity once past endSeconds. */
  nextArrivalUs(): number {
    const stream = this.stream;
    for (;;) {
      if (this.done) return Infinity;
      if (this.boundPerSecond > 0) this.offsetUs -= this.meanGapUs * Math.log(stream.nextOpenFloat());
      if (this.boundPerSecond === 0 || this.offsetUs >= this.windowLengthUs) {
        this.enterWindow(this.windowStartUs + this.windowLengthUs);
        continue;
      }
      this.candidateCount++;
      if (this.minPerSecond !== this.boundPerSecond) {
        const level = stream.nextFloat() * this.boundPerSecond;
        if (level >= this.minPerSecond) {
          const seconds = this.originSeconds + (this.windowStartUs + this.offsetUs) / MICROSECONDS_PER_SECOND;
          if (level >= this.curve.rateAt(seconds)) continue;
        }
      }
      this.arrivalCount++;
      return this.windowStartUs + Math.floor(this.offsetUs);
    }
  }

  /** Moves to the window starting at `startUs`, or to the end. */
  private enterWindow(startUs: number): void {
    if (startUs >= this.endUs) {
      this.done = true;
      return;
    }
    this.windowStartUs = startUs;
    this.windowLengthUs = Math.min(this.windowUs, this.endUs - startUs);
    this.offsetUs = 0;
    const fromSeconds = this.originSeconds + startUs / MICROSECONDS_PER_SECOND;
    const toSeconds = this.originSeconds + (startUs + this.windowLengthUs) / MICROSECONDS_PER_SECOND;
    this.boundPerSecond = this.curve.maxRateBetween(fromSeconds, toSeconds);
    this.minPerSecond = this.curve.minRateBetween(fromSeconds, toSeconds);
    assert(Number.isFinite(this.boundPerSecond) && this.boundPerSecond >= 0, () => `arrivals: the rate bound must be finite and >= 0, got ${this.boundPerSecond}`);
    this.meanGapUs = this.boundPerSecond > 0 ? MICROSECONDS_PER_SECOND / this.boundPerSecond : Infinity;
  }
}
