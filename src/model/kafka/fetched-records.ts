/**
 * The records a consumer has fetched and not yet processed, in fetch order, kept as runs of
 * consecutive message ids of one partition (a fetch brings whole record batches, so a run is
 * a batch or the rest of one): pushing a fetch and processing a run cost the same whatever
 * the number of records in it. A growable ring of (first id, count, partition) in typed arrays.
 */
export class FetchedRecords {
  private firstIds = new Float64Array(64);
  private counts = new Float64Array(64);
  private partitions = new Int32Array(64);
  private head = 0;
  private runs = 0;
  private total = 0;

  /** Records held, over all runs. */
  get length(): number {
    return this.total;
  }

  push(firstId: number, count: number, partition: number): void {
    if (count <= 0) return;
    if (this.runs === this.counts.length) this.grow();
    const tail = (this.head + this.runs) & (this.counts.length - 1);
    this.firstIds[tail] = firstId;
    this.counts[tail] = count;
    this.partitions[tail] = partition;
    this.runs++;
    this.total += count;
  }

  /** First message id of the oldest run (the next record to process). */
  get headFirstId(): number {
    return this.firstIds[this.head]!;
  }

  get headCount(): number {
    return this.counts[this.head]!;
  }

  get headPartition(): number {
    return this.partitions[this.head]!;
  }

  /** Removes the first `count` records of the oldest run (at most its length). */
  take(count: number): void {
    const left = this.counts[this.head]! - count;
    this.total -= count;
    if (left > 0) {
      this.counts[this.head] = left;
      this.firstIds[this.head]! += count;
      return;
    }
    this.head = (this.head + 1) & (this.counts.length - 1);
    this.runs--;
  }

  /** The smallest message id held (Infinity when empty). */
  minId(): number {
    let least = Infinity;
    for (let i = 0; i < this.runs; i++) least = Math.min(least, this.firstIds[(this.head + i) & (this.counts.length - 1)]!);
    return least;
  }

  /** Calls `visit` for every run, oldest first, and empties the holder. */
  drain(visit: (firstId: number, count: number, partition: number) => void): void {
    while (this.runs > 0) {
      const firstId = this.headFirstId;
      const count = this.headCount;
      const partition = this.headPartition;
      this.take(count);
      visit(firstId, count, partition);
    }
  }

  private grow(): void {
    const capacity = this.counts.length * 2;
    const firstIds = new Float64Array(capacity);
    const counts = new Float64Array(capacity);
    const partitions = new Int32Array(capacity);
    for (let i = 0; i < this.runs; i++) {
      const from = (this.head + i) & (this.counts.length - 1);
      firstIds[i] = this.firstIds[from]!;
      counts[i] = this.counts[from]!;
      partitions[i] = this.partitions[from]!;
    }
    this.firstIds = firstIds;
    this.counts = counts;
    this.partitions = partitions;
    this.head = 0;
  }
}
