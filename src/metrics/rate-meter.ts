/**
 * Counts per time bucket, for peak and mean rates: how many orders per second arrived at the
 * worst moment of a sale, not just on average. Buckets start one second wide; when a run
 * outgrows BUCKETS_MAX of them, neighbours merge and the width doubles, so memory stays
 * constant in run length and a peak is always the peak over the current bucket width.
 */
const BUCKETS_MAX = 4_096;

export class RateMeter {
  private readonly buckets = new Float64Array(BUCKETS_MAX);
  private lastBucket = -1;
  total = 0;

  constructor(private bucketWidthUs = 1_000_000) {}

  get bucketUs(): number {
    return this.bucketWidthUs;
  }

  record(timeUs: number, count = 1): void {
    let bucket = Math.floor(timeUs / this.bucketWidthUs);
    while (bucket >= BUCKETS_MAX) {
      this.coarsen();
      bucket = Math.floor(timeUs / this.bucketWidthUs);
    }
    this.buckets[bucket]! += count;
    if (bucket > this.lastBucket) this.lastBucket = bucket;
    this.total += count;
  }

  /**
   * Where the bucket holding `timeUs` ends now: records of times below it, from `timeUs` on,
   * may go in as one record (buckets only ever merge).
   */
  bucketEndUs(timeUs: number): number {
    return (Math.floor(timeUs / this.bucketWidthUs) + 1) * this.bucketWidthUs;
  }

  /** The highest bucket count, as a rate per second. */
  peakPerSecond(): number {
    let peak = 0;
    for (let bucket = 0; bucket <= this.lastBucket; bucket++) peak = Math.max(peak, this.buckets[bucket]!);
    return (peak * 1_000_000) / this.bucketWidthUs;
  }

  /** Counts per bucket up to the last one that saw anything. */
  series(): number[] {
    return Array.from(this.buckets.subarray(0, this.lastBucket + 1));
  }

  private coarsen(): void {
    for (let bucket = 0; bucket < BUCKETS_MAX / 2; bucket++) {
      this.buckets[bucket] = this.buckets[2 * bucket]! + this.buckets[2 * bucket + 1]!;
    }
    this.buckets.fill(0, BUCKETS_MAX / 2);
    this.lastBucket = Math.floor(this.lastBucket / 2);
    this.bucketWidthUs *= 2;
  }
}
