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
 * high watermark, which is what lost acknowledged data before Kafka 0.11. The epochs live in
 * an epoch cache of (epoch, start offset) entries, as Kafka's LeaderEpochFileCache keeps them,
 * so that the answer does not need the batches themselves.
 *
 * The log forgets its oldest batches when the cluster says nobody can read, truncate or
 * elect below an offset any more (`trimBelow`, Kafka's log start offset after retention):
 * memory then follows what is still in play, not the length of the run. Batch indices are
 * absolute (the first batch ever appended is index 0), so trimming shifts no index; only
 * indices from `firstBatchIndex` on may be read.
 */
export class ReplicaLog {
  private baseOffsets = new Float64Array(64);
  private counts = new Float64Array(64);
  private epochs = new Int32Array(64);
  private firstMessageIds = new Float64Array(64);
  /** The idempotent producer's sequence number of each batch (-1: none), replicated with it. */
  private sequences = new Float64Array(64);
  /** Absolute index of the batch in slot 0 of the arrays. */
  private slotBase = 0;
  /** Absolute index of the first batch still kept (the log start). */
  private first = 0;
  /** Absolute index one past the last batch. */
  private entries = 0;
  private endOffset = 0;
  /** The epoch cache: the epochs in this log, each with the offset of its first batch. */
  private cacheEpochs: number[] = [];
  private cacheStarts: number[] = [];

  /** Log end offset (LEO): the offset the next record will get. */
  get logEndOffset(): number {
    return this.endOffset;
  }

  /** Batches appended and not truncated, the forgotten ones included: indices run up to this. */
  get batchCount(): number {
    return this.entries;
  }

  /** Absolute index of the oldest batch still kept. */
  get firstBatchIndex(): number {
    return this.first;
  }

  /** Offset of the oldest record still kept (Kafka's log start offset); the LEO when nothing is. */
  get startOffset(): number {
    return this.first < this.entries ? this.baseOffsets[this.first - this.slotBase]! : this.endOffset;
  }

  /** Epoch of the last batch, or -1 for an empty log (the epoch cache's last entry, kept at hand). */
  get lastEpoch(): number {
    return this.lastCachedEpoch;
  }

  private lastCachedEpoch = -1;

  append(count: number, epoch: number, firstMessageId: number, sequence = -1): void {
    assert(count > 0 && Number.isInteger(count), () => `batch record count must be a positive integer, got ${count}`);
    assert(Number.isInteger(epoch) && epoch >= 0 && epoch < 2 ** 31, () => `epoch must be a whole number in [0, 2^31), got ${epoch}`);
    assert(epoch >= this.lastEpoch, () => `epoch ${epoch} appended after epoch ${this.lastEpoch}`);
    if (epoch !== this.lastCachedEpoch) {
      this.cacheEpochs.push(epoch);
      this.cacheStarts.push(this.endOffset);
      this.lastCachedEpoch = epoch;
    }
    if (this.entries - this.slotBase === this.counts.length) this.makeRoom();
    const slot = this.entries++ - this.slotBase;
    this.baseOffsets[slot] = this.endOffset;
    this.counts[slot] = count;
    this.epochs[slot] = epoch;
    this.firstMessageIds[slot] = firstMessageId;
    this.sequences[slot] = sequence;
    this.endOffset += count;
  }

  /**
   * The producer's last sequence number in this log, -1 when none: what the leader expects the
   * next batch to follow. Kafka rebuilds this producer state from the log on every replica
   * (KIP-98), so a new leader knows it too. (Trimming keeps the last batch, so it is known.)
   */
  get lastSequence(): number {
    return this.entries === 0 ? -1 : this.sequences[this.entries - 1 - this.slotBase]!;
  }

  /** First message id of the last batch, -1 for an empty log. */
  get lastFirstMessageId(): number {
    return this.entries === 0 ? -1 : this.firstMessageIds[this.entries - 1 - this.slotBase]!;
  }

  /**
   * Offset just past the batch with `sequence`, or -1 when the log does not hold it (any more):
   * the answer to a retried batch the log already has. Sequences grow along the log, so the scan
   * back from the end stops at the first smaller one (retries are of the last few batches).
   */
  endOffsetOfSequence(sequence: number): number {
    for (let index = this.entries - 1; index >= this.first && this.batchSequence(index) >= sequence; index--) {
      if (this.batchSequence(index) === sequence) return this.batchBaseOffset(index) + this.batchRecordCount(index);
    }
    return -1;
  }

  /**
   * Index of the batch that holds `offset`, or `batchCount` when offset >= LEO. The offset must
   * not be below the log start (`startOffset`): those batches are forgotten.
   */
  batchIndexAt(offset: number): number {
    let low = this.first;
    let high = this.entries; // first batch whose end is beyond offset
    assert(low === high || offset >= this.baseOffsets[low - this.slotBase]!, () => `offset ${offset} is below the log start ${this.startOffset}`);
    while (low < high) {
      const middle = (low + high) >>> 1;
      const slot = middle - this.slotBase;
      if (this.baseOffsets[slot]! + this.counts[slot]! <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  batchBaseOffset(index: number): number {
    return this.baseOffsets[this.slotOf(index)]!;
  }

  batchRecordCount(index: number): number {
    return this.counts[this.slotOf(index)]!;
  }

  batchEpoch(index: number): number {
    return this.epochs[this.slotOf(index)]!;
  }

  batchFirstMessageId(index: number): number {
    return this.firstMessageIds[this.slotOf(index)]!;
  }

  batchSequence(index: number): number {
    return this.sequences[this.slotOf(index)]!;
  }

  /**
   * Copies whole batches from `offset` on into `out` from position `at`, as [count, epoch, first
   * message id, sequence] quadruples, while their records stay within `maxRecords` (always at
   * least one batch when `atLeastOne`): what a fetch response carries. Returns the records
   * copied; `copiedValues` holds the next free position. `out` grows when needed (`grownOut`).
   */
  copyBatches(offset: number, maxRecords: number, atLeastOne: boolean, out: Float64Array, at: number): number {
    let target = out;
    let records = 0;
    let position = at;
    for (let slot = this.batchIndexAt(offset) - this.slotBase; slot < this.entries - this.slotBase; slot++) {
      const count = this.counts[slot]!;
      if ((records > 0 || !atLeastOne) && records + count > maxRecords) break;
      if (position + 4 > target.length) target = grownTypedArray(target, target.length * 2);
      target[position++] = count;
      target[position++] = this.epochs[slot]!;
      target[position++] = this.firstMessageIds[slot]!;
      target[position++] = this.sequences[slot]!;
      records += count;
    }
    this.copiedValues = position;
    this.grownOut = target;
    return records;
  }

  copiedValues = 0;
  grownOut: Float64Array = new Float64Array(0);

  /** The smallest message id in the batches from `index` to the end (Infinity when none). */
  minMessageIdFrom(index: number): number {
    let least = Infinity;
    for (let slot = Math.max(index, this.first) - this.slotBase; slot < this.entries - this.slotBase; slot++) {
      if (this.firstMessageIds[slot]! < least) least = this.firstMessageIds[slot]!;
    }
    return least;
  }

  /**
   * End offset of `epoch` in this log: the start offset of the first later epoch, or the LEO
   * when no later epoch exists (the answer to OffsetsForLeaderEpoch).
   */
  endOffsetForEpoch(epoch: number): number {
    const later = this.firstCacheEntryAfter(epoch);
    return later < this.cacheEpochs.length ? this.cacheStarts[later]! : this.endOffset;
  }

  /**
   * The OffsetsForLeaderEpoch answer: the largest epoch in this log at or below `epoch` and
   * where it ends (-1 and 0 when the log has nothing that old). A follower whose last epoch
   * the leader never had truncates to the smaller of this end and its own end of that epoch.
   */
  lastEpochAtOrBelow(epoch: number): { epoch: number; endOffset: number } {
    const later = this.firstCacheEntryAfter(epoch);
    if (later === 0) return { epoch: -1, endOffset: 0 };
    return { epoch: this.cacheEpochs[later - 1]!, endOffset: later < this.cacheEpochs.length ? this.cacheStarts[later]! : this.endOffset };
  }

  /** Epochs never decrease along the log: binary search for the first cache entry of a later one. */
  private firstCacheEntryAfter(epoch: number): number {
    let low = 0;
    let high = this.cacheEpochs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cacheEpochs[middle]! <= epoch) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Removes every batch at or beyond `offset` (which must be a batch boundary, not below the log
   * start) and reports each removed batch, newest first, so the caller can account for the
   * messages it held.
   */
  truncateTo(offset: number, onRemoved: (firstMessageId: number, count: number, baseOffset: number) => void): void {
    assert(offset >= 0, () => `cannot truncate to a negative offset (${offset})`);
    if (offset >= this.endOffset) return;
    const keep = this.batchIndexAt(offset);
    assert(keep === this.entries || this.batchBaseOffset(keep) === offset, () => `truncation at ${offset} would split a batch`);
    for (let index = this.entries - 1; index >= keep; index--) {
      onRemoved(this.batchFirstMessageId(index), this.batchRecordCount(index), this.batchBaseOffset(index));
    }
    this.entries = keep;
    this.endOffset = offset;
    while (this.cacheStarts.length > 0 && this.cacheStarts[this.cacheStarts.length - 1]! >= offset) {
      this.cacheStarts.pop();
      this.cacheEpochs.pop();
    }
    this.lastCachedEpoch = this.cacheEpochs.length === 0 ? -1 : this.cacheEpochs[this.cacheEpochs.length - 1]!;
  }

  /**
   * Forgets the batches that end at or below `offset`, always keeping the last one (its epoch,
   * sequence and first id answer the next append). The epoch cache stays whole: divergence
   * checks may still ask about old epochs.
   */
  trimBelow(offset: number): void {
    while (this.first < this.entries - 1) {
      const slot = this.first - this.slotBase;
      if (this.baseOffsets[slot]! + this.counts[slot]! > offset) break;
      this.first++;
    }
  }

  private slotOf(index: number): number {
    assert(index >= this.first && index < this.entries, () => `batch ${index} is not kept (log holds ${this.first}..${this.entries - 1})`);
    return index - this.slotBase;
  }

  /** Slides the kept batches to the front when at least half the arrays are forgotten ones, else grows. */
  private makeRoom(): void {
    const forgotten = this.first - this.slotBase;
    if (forgotten * 2 >= this.counts.length) {
      const kept = this.entries - this.first;
      for (const column of [this.baseOffsets, this.counts, this.epochs, this.firstMessageIds, this.sequences]) {
        column.copyWithin(0, forgotten, forgotten + kept);
      }
      this.slotBase = this.first;
      return;
    }
    const capacity = this.counts.length * 2;
    this.baseOffsets = grownTypedArray(this.baseOffsets, capacity);
    this.counts = grownTypedArray(this.counts, capacity);
    this.epochs = grownTypedArray(this.epochs, capacity);
    this.firstMessageIds = grownTypedArray(this.firstMessageIds, capacity);
    this.sequences = grownTypedArray(this.sequences, capacity);
  }
}
