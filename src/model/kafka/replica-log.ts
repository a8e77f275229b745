import { assert, grownTypedArray } from '../../engine';

/**
 * One replica's copy of a partition log, kept as record batches rather than records: each
 * entry is a batch of `count` records with consecutive offsets, written in one leader epoch,
 * holding the messages `firstMessageId .. firstMessageId + count - 1` (ids come from the
 * producer and let the ledger say which messages a truncation destroyed).
 *
 * Batches are atomic in Kafka: replication copies whole batches and truncation on failover
 * cuts at batch boundaries, so nothing here splits a batch.
 *
 * Leader epochs follow KIP-101: a replica that follows a new leader truncates to the end
 * offset of its own last epoch as the leader knows it (`endOffsetForEpoch`), never to its
 * high watermark, which is what lost acknowledged data before Kafka 0.11.
 */
export class ReplicaLog {
  private baseOffsets = new Float64Array(64);
  private counts = new Float64Array(64);
  private epochs = new Int32Array(64);
  private firstMessageIds = new Float64Array(64);
  /** The idempotent producer's sequence number of each batch (-1: none), replicated with it. */
  private sequences = new Float64Array(64);
  private entries = 0;
  private endOffset = 0;

  /** Log end offset (LEO): the offset the next record will get. */
  get logEndOffset(): number {
    return this.endOffset;
  }

  get batchCount(): number {
    return this.entries;
  }

  /** Epoch of the last batch, or -1 for an empty log. */
  get lastEpoch(): number {
    return this.entries === 0 ? -1 : this.epochs[this.entries - 1]!;
  }

  append(count: number, epoch: number, firstMessageId: number, sequence = -1): void {
    assert(count > 0 && Number.isInteger(count), `batch record count must be a positive integer, got ${count}`);
    assert(Number.isInteger(epoch) && epoch >= 0 && epoch < 2 ** 31, `epoch must be a whole number in [0, 2^31), got ${epoch}`);
    assert(epoch >= this.lastEpoch, `epoch ${epoch} appended after epoch ${this.lastEpoch}`);
    if (this.entries === this.counts.length) this.grow();
    const index = this.entries++;
    this.baseOffsets[index] = this.endOffset;
    this.counts[index] = count;
    this.epochs[index] = epoch;
    this.firstMessageIds[index] = firstMessageId;
    this.sequences[index] = sequence;
    this.endOffset += count;
  }

  /**
   * The producer's last sequence number in this log, -1 when none: what the leader expects the
   * next batch to follow. Kafka rebuilds this producer state from the log on every replica
   * (KIP-98), so a new leader knows it too.
   */
  get lastSequence(): number {
    return this.entries === 0 ? -1 : this.sequences[this.entries - 1]!;
  }

  /**
   * Offset just past the batch with `sequence`, or -1 when the log does not hold it: the answer
   * to a retried batch the log already has. Sequences grow along the log, so the scan back from
   * the end stops at the first smaller one (retries are of the last few batches).
   */
  endOffsetOfSequence(sequence: number): number {
    for (let index = this.entries - 1; index >= 0 && this.sequences[index]! >= sequence; index--) {
      if (this.sequences[index] === sequence) return this.baseOffsets[index]! + this.counts[index]!;
    }
    return -1;
  }

  /** Index of the batch that holds `offset`, or the number of batches when offset >= LEO. */
  batchIndexAt(offset: number): number {
    let low = 0;
    let high = this.entries; // first batch whose end is beyond offset
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.baseOffsets[middle]! + this.counts[middle]! <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  batchBaseOffset(index: number): number {
    return this.baseOffsets[index]!;
  }

  batchRecordCount(index: number): number {
    return this.counts[index]!;
  }

  batchEpoch(index: number): number {
    return this.epochs[index]!;
  }

  batchFirstMessageId(index: number): number {
    return this.firstMessageIds[index]!;
  }

  batchSequence(index: number): number {
    return this.sequences[index]!;
  }

  /**
   * End offset of `epoch` in this log: the base offset of the first batch written in a later
   * epoch, or the LEO when no later epoch exists (the answer to OffsetsForLeaderEpoch).
   */
  endOffsetForEpoch(epoch: number): number {
    const later = this.firstBatchAfterEpoch(epoch);
    return later < this.entries ? this.baseOffsets[later]! : this.endOffset;
  }

  /**
   * The OffsetsForLeaderEpoch answer: the largest epoch in this log at or below `epoch` and
   * where it ends (-1 and 0 when the log has nothing that old). A follower whose last epoch
   * the leader never had truncates to the smaller of this end and its own end of that epoch.
   */
  lastEpochAtOrBelow(epoch: number): { epoch: number; endOffset: number } {
    const later = this.firstBatchAfterEpoch(epoch);
    if (later === 0) return { epoch: -1, endOffset: 0 };
    return { epoch: this.epochs[later - 1]!, endOffset: later < this.entries ? this.baseOffsets[later]! : this.endOffset };
  }

  /** Epochs never decrease along the log: binary search for the first batch of a later one. */
  private firstBatchAfterEpoch(epoch: number): number {
    let low = 0;
    let high = this.entries;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.epochs[middle]! <= epoch) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Removes every batch at or beyond `offset` (which must be a batch boundary) and reports
   * each removed batch, newest first, so the caller can account for the messages it held.
   */
  truncateTo(offset: number, onRemoved: (firstMessageId: number, count: number, baseOffset: number) => void): void {
    assert(offset >= 0, `cannot truncate to a negative offset (${offset})`);
    if (offset >= this.endOffset) return;
    const keep = this.batchIndexAt(offset);
    assert(keep === this.entries || this.baseOffsets[keep] === offset, `truncation at ${offset} would split a batch`);
    for (let index = this.entries - 1; index >= keep; index--) {
      onRemoved(this.firstMessageIds[index]!, this.counts[index]!, this.baseOffsets[index]!);
    }
    this.entries = keep;
    this.endOffset = offset;
  }

  private grow(): void {
    const capacity = this.counts.length * 2;
    this.baseOffsets = grownTypedArray(this.baseOffsets, capacity);
    this.counts = grownTypedArray(this.counts, capacity);
    this.epochs = grownTypedArray(this.epochs, capacity);
    this.firstMessageIds = grownTypedArray(this.firstMessageIds, capacity);
    this.sequences = grownTypedArray(this.sequences, capacity);
  }

}
