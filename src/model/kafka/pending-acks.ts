/**
 * The acks=all produce requests a partition's leader holds until the high watermark passes
 * them, in append order: (request id, leader that appended it, end offset, when the leader's
 * own write is done). A ring in typed arrays: one is added per record batch, so an object per
 * entry would be garbage at the rate of the batches.
 */
export class PendingAcks {
  private requestIds = new Float64Array(16);
  private leaders = new Int32Array(16);
  private endOffsets = new Float64Array(16);
  private readyUs = new Float64Array(16);
  private head = 0;
  /** Entries held. */
  length = 0;

  push(requestId: number, leader: number, endOffset: number, readyUs: number): void {
    if (this.length === this.leaders.length) this.grow();
    const slot = (this.head + this.length++) & (this.leaders.length - 1);
    this.requestIds[slot] = requestId;
    this.leaders[slot] = leader;
    this.endOffsets[slot] = endOffset;
    this.readyUs[slot] = readyUs;
  }

  requestId(i: number): number {
    return this.requestIds[(this.head + i) & (this.leaders.length - 1)]!;
  }

  leader(i: number): number {
    return this.leaders[(this.head + i) & (this.leaders.length - 1)]!;
  }

  endOffset(i: number): number {
    return this.endOffsets[(this.head + i) & (this.leaders.length - 1)]!;
  }

  readyAtUs(i: number): number {
    return this.readyUs[(this.head + i) & (this.leaders.length - 1)]!;
  }

  /** Drops the `count` oldest entries. */
  dropFirst(count: number): void {
    this.head = (this.head + count) & (this.leaders.length - 1);
    this.length -= count;
  }

  /**
   * Keeps, in order, the entries `keep(i)` accepts; calls `removed(i)` for each other one (in
   * order, before any is removed, so its fields can still be read).
   */
  retain(keep: (i: number) => boolean, removed: (i: number) => void): void {
    const kept: number[] = [];
    for (let i = 0; i < this.length; i++) {
      if (keep(i)) kept.push(i);
      else removed(i);
    }
    if (kept.length === this.length) return;
    const entries = kept.map((i) => [this.requestId(i), this.leader(i), this.endOffset(i), this.readyAtUs(i)] as const);
    this.length = 0;
    for (const [requestId, leader, endOffset, readyUs] of entries) this.push(requestId, leader, endOffset, readyUs);
  }

  private grow(): void {
    const capacity = this.leaders.length * 2;
    const mask = this.leaders.length - 1;
    const requestIds = new Float64Array(capacity);
    const leaders = new Int32Array(capacity);
    const endOffsets = new Float64Array(capacity);
    const readyUs = new Float64Array(capacity);
    for (let i = 0; i < this.length; i++) {
      const from = (this.head + i) & mask;
      requestIds[i] = this.requestIds[from]!;
      leaders[i] = this.leaders[from]!;
      endOffsets[i] = this.endOffsets[from]!;
      readyUs[i] = this.readyUs[from]!;
    }
    this.requestIds = requestIds;
    this.leaders = leaders;
    this.endOffsets = endOffsets;
    this.readyUs = readyUs;
    this.head = 0;
  }
}
