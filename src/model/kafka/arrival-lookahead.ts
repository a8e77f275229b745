import { assert, type RandomStream } from '../../engine';
import type { RateMeter } from '../../metrics/rate-meter';
import { partitionForNumericKey } from './partitioner';

/** Uniform draws taken from each stream at a time. */
const DRAW_BLOCK = 256;

export interface PoissonArrivals {
  ratePerSecond: number;
  /** Keys are uniform over 0..keys-1, placed by murmur2 (partitionForNumericKey). */
  keys: number;
  /** The streams of the gaps and of the keys. */
  gaps: RandomStream;
  keyDraws: RandomStream;
  /** The application stops sending at this time (µs). */
  stopAtUs: number;
}

/**
 * The Poisson driver's arrivals, drawn ahead of time, in time order: the producer hands them
 * to its accumulator only when something needs them (an arrival that fills a batch, a linger
 * deadline, an observer), so that arrivals which only join an open batch cost no event.
 *
 * The drawn, not yet handed-over arrivals are kept twice: in one ring in draw order (what the
 * producer hands over, in order, so every batch gets exactly its records) and per partition
 * (so that the producer can see when a partition's next batch will open or fill without
 * scanning the others).
 */
export class ArrivalLookahead {
  private times = new Float64Array(1024);
  private partitionOf = new Int32Array(1024);
  /** Absolute indices: next to hand over, next to draw into, next to count as produced. */
  private head = 0;
  private tail = 0;
  private counted = 0;
  private readonly perPartition: PartitionTimes[];
  /** The exact (unrounded) time of the last arrival drawn. */
  private exactUs = 0;
  private lastUs = 0;
  private done = false;

  private readonly meanGapSeconds: number;
  private readonly gapDraws = new Float64Array(DRAW_BLOCK);
  private readonly keyDraws = new Float64Array(DRAW_BLOCK);
  private drawn = DRAW_BLOCK;

  constructor(
    private readonly partitions: number,
    private readonly arrivals: PoissonArrivals,
  ) {
    assert(arrivals.ratePerSecond > 0, 'Poisson arrivals need a rate > 0');
    assert(Number.isInteger(arrivals.keys) && arrivals.keys >= 1 && arrivals.keys <= 2 ** 32, () => `keys must be a whole number in [1, 2^32], got ${arrivals.keys}`);
    this.meanGapSeconds = 1 / arrivals.ratePerSecond;
    this.perPartition = Array.from({ length: partitions }, () => new PartitionTimes());
  }

  /** Time of the last arrival drawn; Infinity once the application has stopped (nothing more will come). */
  get drawnUntilUs(): number {
    return this.done ? Infinity : this.lastUs;
  }

  /** Draws the next arrival; returns its partition, or -1 once the application has stopped sending. */
  draw(): number {
    if (this.done) return -1;
    // Uniform numbers come from the two streams in blocks (the same numbers as one draw at a
    // time: this runs for every message, and a double returned from a call is boxed).
    if (this.drawn === DRAW_BLOCK) {
      this.arrivals.gaps.fillFloats(this.gapDraws);
      this.arrivals.keyDraws.fillFloats(this.keyDraws);
      this.drawn = 0;
    }
    const keyDraw = this.keyDraws[this.drawn]!;
    // An exponential gap, as makeSampler draws it (-mean · ln(1 - u)), in µs.
    this.exactUs += -this.meanGapSeconds * Math.log(1 - this.gapDraws[this.drawn++]!) * 1_000_000;
    // Gaps add up in exact time and only the arrival is rounded to the µs grid: rounding each
    // gap would bias the rate when gaps are a few µs (at 10^6/s, +4 %).
    const atUs = Math.max(this.lastUs, Math.round(this.exactUs));
    if (atUs >= this.arrivals.stopAtUs) {
      this.done = true;
      return -1;
    }
    // A uniform key, as RandomStream.nextInt draws it, placed by murmur2.
    const partition = partitionForNumericKey(Math.floor(keyDraw * this.arrivals.keys), this.partitions);
    if (this.tail - this.head === this.times.length) this.grow();
    const slot = this.tail++ & (this.times.length - 1);
    this.times[slot] = atUs;
    this.partitionOf[slot] = partition;
    this.lastUs = atUs;
    this.perPartition[partition]!.push(atUs);
    return partition;
  }

  /** Time of the next arrival to hand over (Infinity when none is drawn). */
  get nextTimeUs(): number {
    return this.head === this.tail ? Infinity : this.times[this.head & (this.times.length - 1)]!;
  }

  /**
   * Hands over the next arrival, which `countUpTo` has counted: returns its partition;
   * `takenUs` holds its time.
   */
  take(): number {
    assert(this.head < this.counted, 'no counted arrival to take');
    const slot = this.head & (this.times.length - 1);
    const partition = this.partitionOf[slot]!;
    this.takenUs = this.times[slot]!;
    this.head++;
    this.perPartition[partition]!.shift();
    return partition;
  }

  takenUs = 0;

  /**
   * Counts the arrivals up to `nowUs` not counted yet as produced, into `meter` by time;
   * returns how many. They stay drawn until taken. The meter gets one record per run of
   * arrivals in one of its buckets rather than one per arrival.
   */
  countUpTo(nowUs: number, meter: RateMeter): number {
    const mask = this.times.length - 1;
    let counted = this.counted;
    let run = 0;
    let runUs = 0;
    let runEndUs = -Infinity;
    for (; counted < this.tail; counted++) {
      const timeUs = this.times[counted & mask]!;
      if (timeUs > nowUs) break;
      if (timeUs >= runEndUs) {
        if (run > 0) meter.record(runUs, run);
        run = 0;
        runUs = timeUs;
        runEndUs = meter.bucketEndUs(timeUs);
      }
      run++;
    }
    if (run > 0) meter.record(runUs, run);
    const newly = counted - this.counted;
    this.counted = counted;
    return newly;
  }

  /** Drawn, not handed-over arrivals of `partition`. */
  pendingCount(partition: number): number {
    return this.perPartition[partition]!.length;
  }

  /** Time of the k-th (from 0) drawn, not handed-over arrival of `partition`. */
  pendingTimeUs(partition: number, k: number): number {
    return this.perPartition[partition]!.at(k);
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const partitionOf = new Int32Array(capacity);
    for (let index = this.head; index < this.tail; index++) {
      times[index & (capacity - 1)] = this.times[index & (this.times.length - 1)]!;
      partitionOf[index & (capacity - 1)] = this.partitionOf[index & (this.times.length - 1)]!;
    }
    this.times = times;
    this.partitionOf = partitionOf;
  }
}

/** A growable ring of times. */
class PartitionTimes {
  private times = new Float64Array(32);
  private head = 0;
  length = 0;

  push(timeUs: number): void {
    if (this.length === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      for (let i = 0; i < this.length; i++) times[i] = this.at(i);
      this.times = times;
      this.head = 0;
    }
    this.times[(this.head + this.length++) & (this.times.length - 1)] = timeUs;
  }

  shift(): void {
    this.head = (this.head + 1) & (this.times.length - 1);
    this.length--;
  }

  at(k: number): number {
    return this.times[(this.head + k) & (this.times.length - 1)]!;
  }
}
