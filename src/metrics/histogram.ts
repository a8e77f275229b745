/**
 * A log-linear histogram of non-negative integer values (latencies in microseconds).
 *
 * Why log-linear: latencies in a queueing simulation span 1 µs to hours, and what matters is
 * relative precision (p99 = 1.2 ms vs 1.3 ms, or 41 s vs 42 s). Splitting every power of two
 * into 2^significantBits equal sub-buckets gives a relative bucket width of at most
 * 2^-significantBits at every scale, and the memory is fixed by the value range alone, never
 * by the number of samples, so a run of a billion requests costs the same as a run of ten.
 *
 * The bucketing follows the idea of Gil Tene's HdrHistogram. It is written here rather than
 * imported because we need a tiny, dependency-free version that merges across runs and
 * behaves bit-for-bit the same in Node and in a browser Web Worker.
 *
 * Layout (s = significantBits, S = 2^s): values v < 2S are stored exactly at index v. For
 * larger v with floor(log2 v) = e, shift = e - s and the index is shift * S + floor(v / 2^shift),
 * so each bucket of that octave is 2^shift wide and starts at a value >= 2^e.
 */

export interface LogHistogramOptions {
  /** Sub-buckets per power of two are 2^significantBits. Default 10 (relative width <= 0.1 %). */
  significantBits?: number;
  /** Largest value stored in its own bucket; larger values go to the top bucket. Default 2^42. */
  maxValue?: number;
}

export interface HistogramPercentiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

const TWO_POW_32 = 4294967296;

/** floor(log2(v)) for an integer 1 <= v <= 2^53, exact (no Math.log2 rounding). */
function floorLog2(v: number): number {
  return v < TWO_POW_32 ? 31 - Math.clz32(v) : 63 - Math.clz32(Math.floor(v / TWO_POW_32));
}

export class LogHistogram {
  readonly significantBits: number;
  readonly maxValue: number;
  private readonly subBucketCount: number;
  /** powers[k] = 2^k, so bucket arithmetic never depends on Math.pow's accuracy. */
  private readonly powers: Float64Array;
  private readonly counts: Float64Array;
  private total = 0;
  private clamped = 0;
  /** The exact sum of recorded values as an unevaluated pair hi + lo (Knuth's TwoSum). */
  private sumHi = 0;
  private sumLo = 0;
  private minSeen = Infinity;
  private maxSeen = -Infinity;

  constructor(options: LogHistogramOptions = {}) {
    const significantBits = options.significantBits ?? 10;
    const maxValue = options.maxValue ?? 2 ** 42;
    if (!Number.isInteger(significantBits) || significantBits < 1 || significantBits > 20) {
      throw new Error(`LogHistogram: significantBits must be an integer in [1, 20], got ${significantBits}`);
    }
    if (!Number.isSafeInteger(maxValue) || maxValue < 1) {
      throw new Error(`LogHistogram: maxValue must be a safe integer >= 1, got ${maxValue}`);
    }
    this.significantBits = significantBits;
    this.maxValue = maxValue;
    this.subBucketCount = 2 ** significantBits;
    this.powers = new Float64Array(54);
    for (let k = 0, p = 1; k < 54; k++, p *= 2) this.powers[k] = p;
    this.counts = new Float64Array(this.indexOf(maxValue) + 1);
  }

  /** Records `count` occurrences of `value` (floored to an integer). Allocation-free. */
  record(value: number, count = 1): void {
    if (!(value >= 0) || value === Infinity) {
      throw new Error(`LogHistogram.record: value must be a finite number >= 0, got ${value}`);
    }
    if (!(count >= 0) || !Number.isSafeInteger(count)) {
      throw new Error(`LogHistogram.record: count must be a non-negative safe integer, got ${count}`);
    }
    if (count === 0) return;
    const v = Math.floor(value);
    let bucketValue = v;
    if (v > this.maxValue) {
      bucketValue = this.maxValue;
      this.clamped += count;
    }
    this.counts[this.indexOf(bucketValue)]! += count;
    this.total += count;
    this.addToSum(v * count);
    if (v < this.minSeen) this.minSeen = v;
    if (v > this.maxSeen) this.maxSeen = v;
  }

  /**
   * Records one latency: a whole number of µs >= 0 (the simulation's times are integers), so
   * without the checks and flooring of `record`. For the per-message loops of the hot path.
   */
  recordLatency(value: number): void {
    if (value >= 2_147_483_648 || value < this.subBucketCount || value > this.maxValue) {
      this.record(value);
      return;
    }
    // 2^bits <= value < 2^31: the bucket by integer shifts, without a division.
    const shift = 31 - Math.clz32(value) - this.significantBits;
    this.counts[shift * this.subBucketCount + (value >>> shift)]!++;
    this.total++;
    // Whole numbers add exactly below 2^53: the compensated sum is needed only beyond that.
    const sum = this.sumHi + value;
    if (sum < 9_007_199_254_740_992) this.sumHi = sum;
    else this.addToSum(value);
    if (value < this.minSeen) this.minSeen = value;
    if (value > this.maxSeen) this.maxSeen = value;
  }

  get count(): number {
    return this.total;
  }

  /** Exact smallest recorded value; NaN when empty. */
  get min(): number {
    return this.total === 0 ? NaN : this.minSeen;
  }

  /** Exact largest recorded value (even if it was clamped into the top bucket); NaN when empty. */
  get max(): number {
    return this.total === 0 ? NaN : this.maxSeen;
  }

  /** Exact mean of the recorded (floored) values, not of bucket midpoints; NaN when empty. */
  get mean(): number {
    return this.total === 0 ? NaN : (this.sumHi + this.sumLo) / this.total;
  }

  /** How many recorded values exceeded maxValue and were counted in the top bucket. */
  get clampedCount(): number {
    return this.clamped;
  }

  /**
   * The q-quantile: the smallest recorded value v with at least ceil(q * count) values <= v,
   * reported as its bucket's midpoint clamped to [min, max], so it is exact below
   * 2^(significantBits + 1) and within 2^-(significantBits + 1) relative above. NaN when empty.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new Error(`LogHistogram.quantile: q must be in [0, 1], got ${q}`);
    if (this.total === 0) return NaN;
    if (q === 0) return this.minSeen;
    if (q === 1) return this.maxSeen;
    const index = this.indexOfRank(this.rankOf(q));
    return Math.min(this.maxSeen, Math.max(this.minSeen, this.bucketMidpoint(index)));
  }

  percentiles(): HistogramPercentiles {
    return {
      mean: this.mean,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.max,
    };
  }

  /** Adds `other`'s recordings to this histogram; both must have been built with the same options. */
  merge(other: LogHistogram): void {
    if (other.significantBits !== this.significantBits || other.maxValue !== this.maxValue) {
      throw new Error(
        `LogHistogram.merge: options differ (significantBits ${this.significantBits} vs ` +
          `${other.significantBits}, maxValue ${this.maxValue} vs ${other.maxValue})`,
      );
    }
    const source = other.counts;
    for (let i = 0; i < source.length; i++) this.counts[i]! += source[i]!;
    this.total += other.total;
    this.clamped += other.clamped;
    const otherHi = other.sumHi;
    const otherLo = other.sumLo;
    this.addToSum(otherHi);
    this.addToSum(otherLo);
    if (other.minSeen < this.minSeen) this.minSeen = other.minSeen;
    if (other.maxSeen > this.maxSeen) this.maxSeen = other.maxSeen;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.clamped = 0;
    this.sumHi = 0;
    this.sumLo = 0;
    this.minSeen = Infinity;
    this.maxSeen = -Infinity;
  }

  /** Bucket index of an integer 0 <= v <= maxValue. */
  private indexOf(v: number): number {
    if (v < this.subBucketCount) return v;
    const shift = floorLog2(v) - this.significantBits;
    return shift * this.subBucketCount + Math.floor(v / this.powers[shift]!);
  }

  /** Midpoint of the integers [low, low + width - 1] that share bucket `index`. */
  private bucketMidpoint(index: number): number {
    if (index < this.subBucketCount) return index;
    const shift = Math.floor(index / this.subBucketCount) - 1;
    const width = this.powers[shift]!;
    const low = (index - shift * this.subBucketCount) * width;
    return low + (width - 1) / 2;
  }

  /**
   * ceil(q * count), at least 1. The product is nudged down by one ulp first so that a q*count
   * that is mathematically an integer (0.07 * 100 evaluates to 7.000000000000001) is not
   * rounded up to the next rank.
   */
  private rankOf(q: number): number {
    return Math.max(1, Math.ceil(q * this.total * (1 - Number.EPSILON)));
  }

  /** First bucket at which the cumulative count reaches `rank` (1 <= rank <= count). */
  private indexOfRank(rank: number): number {
    const counts = this.counts;
    const last = counts.length - 1;
    let cumulative = 0;
    for (let i = this.indexOf(Math.min(this.minSeen, this.maxValue)); i < last; i++) {
      cumulative += counts[i]!;
      if (cumulative >= rank) return i;
    }
    return last;
  }

  /** sum += x exactly: the rounding error of each addition is carried in sumLo. */
  private addToSum(x: number): void {
    const s = this.sumHi + x;
    const xPart = s - this.sumHi;
    const error = this.sumHi - (s - xPart) + (x - xPart);
    this.sumHi = s;
    this.sumLo += error;
  }
}
