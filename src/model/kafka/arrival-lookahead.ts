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
  /**
   * Per partition, a ring of the drawn, not handed-over arrival times (a power of two long,
   * grown on its own: a partition that a hot key fills does not grow the others), with its
   * head and length in typed arrays rather than in an object per partition.
   */
  private readonly pendingTimes: Float64Array[];
  private readonly pendingHead: Int32Array;
  private readonly pendingLength: Int32Array;
  /** The exact (unrounded) time of the last arrival of the blocks made so far. */
  private exactUs = 0;
  /** Time of the last arrival drawn. */
  private lastUs = 0;
  private done = false;

  private readonly meanGapSeconds: number;
  private readonly stopAtUs: number;
  /** The block's arrival times (µs) and partitions, made from the two streams together. */
  private readonly blockTimes = new Float64Array(DRAW_BLOCK);
  private readonly blockPartitions = new Int32Array(DRAW_BLOCK);
  private readonly uniforms = new Float64Array(DRAW_BLOCK);
  private drawn = DRAW_BLOCK;

  constructor(
    private readonly partitions: number,
    private readonly arrivals: PoissonArrivals,
  ) {
    assert(arrivals.ratePerSecond > 0, 'Poisson arrivals need a rate > 0');
    assert(Number.isInteger(arrivals.keys) && arrivals.keys >= 1 && arrivals.keys <= 2 ** 32, () => `keys must be a whole number in [1, 2^32], got ${arrivals.keys}`);
    this.meanGapSeconds = 1 / arrivals.ratePerSecond;
    this.stopAtUs = arrivals.stopAtUs;
    this.pendingTimes = Array.from({ length: partitions }, () => new Float64Array(32));
    this.pendingHead = new Int32Array(partitions);
    this.pendingLength = new Int32Array(partitions);
  }

  /** Time of the last arrival drawn; Infinity once the application has stopped (nothing more will come). */
  get drawnUntilUs(): number {
    return this.done ? Infinity : this.lastUs;
  }

  /** Draws the next arrival; returns its partition, or -1 once the application has stopped sending. */
  draw(): number {
    if (this.done) return -1;
    if (this.drawn === DRAW_BLOCK) this.drawBlock();
    const atUs = this.blockTimes[this.drawn]!;
    const partition = this.blockPartitions[this.drawn++]!;
    if (atUs >= this.stopAtUs) {
      this.done = true;
      return -1;
    }
    if (this.tail - this.head === this.times.length) this.grow();
    const slot = this.tail++ & (this.times.length - 1);
    this.times[slot] = atUs;
    this.partitionOf[slot] = partition;
    this.lastUs = atUs;
    let ring = this.pendingTimes[partition]!;
    if (this.pendingLength[partition] === ring.length) ring = this.growPending(partition);
    ring[(this.pendingHead[partition]! + this.pendingLength[partition]!++) & (ring.length - 1)] = atUs;
    return partition;
  }

  /**
   * The next DRAW_BLOCK arrival times and partitions, each stream's uniforms in one call and
   * each conversion in its own loop (the same numbers as one draw at a time: this runs for
   * every message). A gap is exponential as makeSampler draws it (-mean · ln(1 - u), in µs);
   * a key is uniform as RandomStream.nextInt draws it, placed by murmur2.
   */
  private drawBlock(): void {
    const uniforms = this.uniforms;
    this.arrivals.gaps.fillFloats(uniforms);
    const meanGapSeconds = this.meanGapSeconds;
    // Gaps add up in exact time and only the arrival is rounded to the µs grid: rounding each
    // gap would bias the rate when gaps are a few µs (at 10^6/s, +4 %).
    let exactUs = this.exactUs;
    let atUs = this.lastUs;
    for (let i = 0; i < DRAW_BLOCK; i++) {
      exactUs += -meanGapSeconds * Math.log(1 - uniforms[i]!) * 1_000_000;
      atUs = Math.max(atUs, Math.round(exactUs));
      this.blockTimes[i] = atUs;
    }
    this.exactUs = exactUs;
    this.arrivals.keyDraws.fillFloats(uniforms);
    const keys = this.arrivals.keys;
    for (let i = 0; i < DRAW_BLOCK; i++) this.blockPartitions[i] = partitionForNumericKey(Math.floor(uniforms[i]! * keys), this.partitions);
    this.drawn = 0;
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
    this.pendingHead[partition] = (this.pendingHead[partition]! + 1) & (this.pendingTimes[partition]!.length - 1);
    this.pendingLength[partition]!--;
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
    return this.pendingLength[partition]!;
  }

  /** Time of the k-th (from 0) drawn, not handed-over arrival of `partition`. */
  pendingTimeUs(partition: number, k: number): number {
    const ring = this.pendingTimes[partition]!;
    return ring[(this.pendingHead[partition]! + k) & (ring.length - 1)]!;
  }

  /** Doubles the partition's full ring, which starts again at 0; returns it. */
  private growPending(partition: number): Float64Array {
    const old = this.pendingTimes[partition]!;
    const ring = new Float64Array(old.length * 2);
    for (let k = 0; k < old.length; k++) ring[k] = old[(this.pendingHead[partition]! + k) & (old.length - 1)]!;
    this.pendingHead[partition] = 0;
    this.pendingTimes[partition] = ring;
    return ring;
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
