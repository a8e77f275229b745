import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../src/engine';
import { ReplicaLog } from '../../../src/model/kafka/replica-log';

/** One batch as the test describes it: record count, leader epoch, first message id. */
interface Batch {
  count: number;
  epoch: number;
  firstMessageId: number;
}

function logOf(batches: readonly Batch[]): ReplicaLog {
  const log = new ReplicaLog();
  for (const batch of batches) log.append(batch.count, batch.epoch, batch.firstMessageId);
  return log;
}

/** Base offsets of `batches` when appended to an empty log, computed by summing counts. */
function baseOffsetsOf(batches: readonly Batch[]): number[] {
  const bases: number[] = [];
  let next = 0;
  for (const batch of batches) {
    bases.push(next);
    next += batch.count;
  }
  return bases;
}

/**
 * The OffsetsForLeaderEpoch answer as the doc comment defines it, by a linear scan: the base
 * offset of the first batch written in an epoch later than `epoch`, or the LEO if none.
 */
function endOffsetForEpochByScan(batches: readonly Batch[], epoch: number): number {
  let offset = 0;
  for (const batch of batches) {
    if (batch.epoch > epoch) return offset;
    offset += batch.count;
  }
  return offset;
}

/** Removed batches as reported by truncateTo, in call order. */
function truncateCollecting(log: ReplicaLog, offset: number): [number, number, number][] {
  const removed: [number, number, number][] = [];
  log.truncateTo(offset, (firstMessageId, count, baseOffset) => removed.push([firstMessageId, count, baseOffset]));
  return removed;
}

// Counts 2, 3, 1, 4, 2, 5 (total 17); epochs [0, 0, 1, 1, 1, 3] (epoch 2 absent);
// message ids unrelated to offsets so that a mix-up between the two shows.
const EPOCH_BATCHES: readonly Batch[] = [
  { count: 2, epoch: 0, firstMessageId: 100 },
  { count: 3, epoch: 0, firstMessageId: 200 },
  { count: 1, epoch: 1, firstMessageId: 300 },
  { count: 4, epoch: 1, firstMessageId: 400 },
  { count: 2, epoch: 1, firstMessageId: 500 },
  { count: 5, epoch: 3, firstMessageId: 600 },
];

describe('ReplicaLog: append and log end offset', () => {
  it('starts empty: LEO 0, no batches, last epoch -1', () => {
    const log = new ReplicaLog();
    expect(log.logEndOffset).toBe(0);
    expect(log.batchCount).toBe(0);
    expect(log.lastEpoch).toBe(-1);
  });

  it('advances the LEO by each batch count and stores every field of every batch', () => {
    const log = logOf(EPOCH_BATCHES);
    const bases = baseOffsetsOf(EPOCH_BATCHES);
    expect(log.logEndOffset).toBe(2 + 3 + 1 + 4 + 2 + 5);
    expect(log.batchCount).toBe(6);
    expect(log.lastEpoch).toBe(3);
    expect(bases).toEqual([0, 2, 5, 6, 10, 12]);
    EPOCH_BATCHES.forEach((batch, index) => {
      expect(log.batchBaseOffset(index)).toBe(bases[index]);
      expect(log.batchRecordCount(index)).toBe(batch.count);
      expect(log.batchEpoch(index)).toBe(batch.epoch);
      expect(log.batchFirstMessageId(index)).toBe(batch.firstMessageId);
    });
  });

  it('tracks the LEO after each single append', () => {
    const log = new ReplicaLog();
    log.append(1, 0, 0);
    expect(log.logEndOffset).toBe(1);
    log.append(7, 0, 1);
    expect(log.logEndOffset).toBe(8);
    log.append(1, 4, 8);
    expect(log.logEndOffset).toBe(9);
    expect(log.lastEpoch).toBe(4);
  });

  it('accepts the same epoch again and a later epoch', () => {
    const log = new ReplicaLog();
    log.append(1, 2, 0);
    log.append(1, 2, 1);
    log.append(1, 5, 2);
    expect(log.batchCount).toBe(3);
    expect(log.lastEpoch).toBe(5);
  });

  it('refuses an older epoch and leaves the log unchanged', () => {
    const log = logOf([{ count: 3, epoch: 2, firstMessageId: 0 }]);
    expect(() => log.append(1, 1, 3)).toThrow(AssertionError);
    expect(() => log.append(1, 1, 3)).toThrow('epoch 1 appended after epoch 2');
    expect(log.batchCount).toBe(1);
    expect(log.logEndOffset).toBe(3);
    expect(log.lastEpoch).toBe(2);
  });

  it('refuses a record count that is zero, negative or fractional', () => {
    const log = new ReplicaLog();
    expect(() => log.append(0, 0, 0)).toThrow(AssertionError);
    expect(() => log.append(-2, 0, 0)).toThrow(AssertionError);
    expect(() => log.append(1.5, 0, 0)).toThrow(AssertionError);
    expect(log.batchCount).toBe(0);
    expect(log.logEndOffset).toBe(0);
  });

  it('keeps every batch when growing far past the initial capacity (10,000 batches)', () => {
    const log = new ReplicaLog();
    const batches = 10_000;
    // Count 1..3 cycling, epoch rising every 1,000 batches, ids 7 * index + 11.
    const countOf = (index: number): number => (index % 3) + 1;
    const epochOf = (index: number): number => Math.floor(index / 1_000);
    const idOf = (index: number): number => 7 * index + 11;
    for (let index = 0; index < batches; index++) log.append(countOf(index), epochOf(index), idOf(index));

    let expectedBase = 0;
    for (let index = 0; index < batches; index++) {
      // One combined check per batch keeps the 10,000-iteration loop fast.
      const actual = [log.batchBaseOffset(index), log.batchRecordCount(index), log.batchEpoch(index), log.batchFirstMessageId(index)];
      const expected = [expectedBase, countOf(index), epochOf(index), idOf(index)];
      if (actual.some((value, i) => value !== expected[i])) expect({ index, actual }).toEqual({ index, actual: expected });
      expectedBase += countOf(index);
    }
    // 3,334 batches of 1, 3,333 of 2 and 3,333 of 3.
    expect(expectedBase).toBe(3_334 * 1 + 3_333 * 2 + 3_333 * 3);
    expect(log.logEndOffset).toBe(expectedBase);
    expect(log.batchCount).toBe(batches);
    expect(log.lastEpoch).toBe(9);
    expect(log.batchIndexAt(expectedBase - 1)).toBe(batches - 1);
    expect(log.endOffsetForEpoch(4)).toBe(log.batchBaseOffset(5_000));
  });
});

describe('ReplicaLog: batchIndexAt', () => {
  const log = logOf(EPOCH_BATCHES); // bases 0, 2, 5, 6, 10, 12; LEO 17

  it('finds the batch for an offset at the start of each batch', () => {
    expect([0, 2, 5, 6, 10, 12].map((offset) => log.batchIndexAt(offset))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('finds the batch for offsets inside and at the last record of batches', () => {
    expect(log.batchIndexAt(1)).toBe(0); // last record of batch 0
    expect(log.batchIndexAt(3)).toBe(1);
    expect(log.batchIndexAt(4)).toBe(1); // last record of batch 1
    expect(log.batchIndexAt(7)).toBe(3);
    expect(log.batchIndexAt(9)).toBe(3); // last record of batch 3
    expect(log.batchIndexAt(11)).toBe(4);
    expect(log.batchIndexAt(14)).toBe(5);
    expect(log.batchIndexAt(16)).toBe(5); // last record of the log
  });

  it('matches a linear scan for every offset up to past the end', () => {
    const bases = baseOffsetsOf(EPOCH_BATCHES);
    for (let offset = 0; offset <= 20; offset++) {
      let expected = EPOCH_BATCHES.length;
      for (let index = 0; index < EPOCH_BATCHES.length; index++) {
        if (offset >= bases[index]! && offset < bases[index]! + EPOCH_BATCHES[index]!.count) {
          expected = index;
          break;
        }
      }
      expect({ offset, index: log.batchIndexAt(offset) }).toEqual({ offset, index: expected });
    }
  });

  it('returns the number of batches at and past the LEO', () => {
    expect(log.batchIndexAt(17)).toBe(6);
    expect(log.batchIndexAt(18)).toBe(6);
    expect(log.batchIndexAt(1_000_000)).toBe(6);
  });

  it('returns 0 on an empty log', () => {
    expect(new ReplicaLog().batchIndexAt(0)).toBe(0);
    expect(new ReplicaLog().batchIndexAt(5)).toBe(0);
  });
});

describe('ReplicaLog: endOffsetForEpoch', () => {
  const log = logOf(EPOCH_BATCHES);

  it('agrees with a linear scan for every epoch from -1 to beyond the last', () => {
    for (let epoch = -1; epoch <= 6; epoch++) {
      expect({ epoch, end: log.endOffsetForEpoch(epoch) }).toEqual({ epoch, end: endOffsetForEpochByScan(EPOCH_BATCHES, epoch) });
    }
  });

  it('gives the hand-computed answers', () => {
    expect(log.endOffsetForEpoch(-1)).toBe(0); // first batch is already later
    expect(log.endOffsetForEpoch(0)).toBe(5); // epoch 1 starts at 2 + 3
    expect(log.endOffsetForEpoch(1)).toBe(12); // epoch 3 starts at 5 + 1 + 4 + 2
    expect(log.endOffsetForEpoch(2)).toBe(12); // absent: where the next later epoch starts
    expect(log.endOffsetForEpoch(3)).toBe(17); // the last epoch ends at the LEO
    expect(log.endOffsetForEpoch(4)).toBe(17); // beyond the last epoch: the LEO
    expect(log.endOffsetForEpoch(1_000)).toBe(17);
  });

  it('answers the LEO (0) on an empty log', () => {
    const empty = new ReplicaLog();
    expect(empty.endOffsetForEpoch(-1)).toBe(0);
    expect(empty.endOffsetForEpoch(0)).toBe(0);
    expect(empty.endOffsetForEpoch(7)).toBe(0);
  });

  it('agrees with a linear scan on a log of one-record batches with many repeated epochs', () => {
    const batches: Batch[] = [];
    const epochs = [0, 0, 0, 2, 2, 5, 5, 5, 5, 6, 9, 9];
    epochs.forEach((epoch, index) => batches.push({ count: 1, epoch, firstMessageId: index }));
    const oneRecordLog = logOf(batches);
    for (let epoch = -1; epoch <= 10; epoch++) {
      expect({ epoch, end: oneRecordLog.endOffsetForEpoch(epoch) }).toEqual({ epoch, end: endOffsetForEpochByScan(batches, epoch) });
    }
    expect(oneRecordLog.endOffsetForEpoch(2)).toBe(5);
    expect(oneRecordLog.endOffsetForEpoch(6)).toBe(10);
  });
});

describe('ReplicaLog: truncateTo', () => {
  it('removes the batches at and beyond a boundary, newest first, and sets the LEO', () => {
    const log = logOf(EPOCH_BATCHES); // bases 0, 2, 5, 6, 10, 12
    const removed = truncateCollecting(log, 6);
    expect(removed).toEqual([
      [600, 5, 12],
      [500, 2, 10],
      [400, 4, 6],
    ]);
    expect(log.logEndOffset).toBe(6);
    expect(log.batchCount).toBe(3);
    expect(log.lastEpoch).toBe(1);
    // The surviving batches are intact.
    expect([0, 1, 2].map((index) => log.batchFirstMessageId(index))).toEqual([100, 200, 300]);
    expect([0, 1, 2].map((index) => log.batchBaseOffset(index))).toEqual([0, 2, 5]);
  });

  it('truncating to 0 removes everything', () => {
    const log = logOf(EPOCH_BATCHES);
    const removed = truncateCollecting(log, 0);
    expect(removed.map(([id]) => id)).toEqual([600, 500, 400, 300, 200, 100]);
    expect(removed.reduce((sum, [, count]) => sum + count, 0)).toBe(17);
    expect(log.logEndOffset).toBe(0);
    expect(log.batchCount).toBe(0);
    expect(log.lastEpoch).toBe(-1);
  });

  it('truncating to the start of the last batch removes just that batch', () => {
    const log = logOf(EPOCH_BATCHES);
    expect(truncateCollecting(log, 12)).toEqual([[600, 5, 12]]);
    expect(log.logEndOffset).toBe(12);
    expect(log.lastEpoch).toBe(1);
  });

  it('is a no-op at or beyond the LEO', () => {
    const log = logOf(EPOCH_BATCHES);
    expect(truncateCollecting(log, 17)).toEqual([]);
    expect(truncateCollecting(log, 18)).toEqual([]);
    expect(truncateCollecting(log, 1_000)).toEqual([]);
    expect(log.logEndOffset).toBe(17);
    expect(log.batchCount).toBe(6);
  });

  it('throws when the offset would split a batch, and changes nothing', () => {
    const log = logOf(EPOCH_BATCHES);
    const removed: number[] = [];
    expect(() => log.truncateTo(7, (id) => removed.push(id))).toThrow(AssertionError);
    expect(() => log.truncateTo(16, (id) => removed.push(id))).toThrow('truncation at 16 would split a batch');
    expect(() => log.truncateTo(1, (id) => removed.push(id))).toThrow(AssertionError);
    expect(removed).toEqual([]);
    expect(log.logEndOffset).toBe(17);
    expect(log.batchCount).toBe(6);
  });

  it('lets the log grow again after truncation, from the new LEO', () => {
    const log = logOf(EPOCH_BATCHES);
    truncateCollecting(log, 5);
    log.append(3, 4, 900);
    expect(log.logEndOffset).toBe(8);
    expect(log.batchCount).toBe(3);
    expect(log.batchBaseOffset(2)).toBe(5);
    expect(log.batchEpoch(2)).toBe(4);
    expect(log.batchFirstMessageId(2)).toBe(900);
    expect(log.endOffsetForEpoch(0)).toBe(5);
    expect(log.endOffsetForEpoch(1)).toBe(5);
    expect(log.batchIndexAt(7)).toBe(2);
  });

  it('after truncation an older epoch than the removed ones may be appended', () => {
    const log = logOf(EPOCH_BATCHES);
    truncateCollecting(log, 12); // epoch 3 gone; last epoch 1
    log.append(1, 2, 700);
    expect(log.lastEpoch).toBe(2);
    expect(log.logEndOffset).toBe(13);
  });
});

describe('ReplicaLog: trimBelow (the log start)', () => {
  it('forgets whole batches that end at or below the offset, keeping indices and offsets', () => {
    const log = logOf(EPOCH_BATCHES); // bases 0, 2, 5, 6, 10, 12
    log.trimBelow(7); // batches [0,2), [2,5), [5,6) end at or below 7; [6,10) does not
    expect(log.firstBatchIndex).toBe(3);
    expect(log.startOffset).toBe(6);
    expect(log.batchCount).toBe(6);
    expect(log.batchIndexAt(6)).toBe(3);
    expect(log.batchIndexAt(12)).toBe(5);
    expect(log.batchFirstMessageId(3)).toBe(400);
    expect(() => log.batchFirstMessageId(2)).toThrow(AssertionError);
    expect(() => log.batchIndexAt(5)).toThrow(AssertionError);
    expect(log.minMessageIdFrom(0)).toBe(400);
  });

  it('keeps the last batch, and with it the last epoch, sequence and first message id', () => {
    const log = new ReplicaLog();
    log.append(2, 0, 10, 0);
    log.append(3, 1, 20, 1);
    log.trimBelow(1_000);
    expect(log.firstBatchIndex).toBe(1);
    expect(log.startOffset).toBe(2);
    expect(log.lastEpoch).toBe(1);
    expect(log.lastSequence).toBe(1);
    expect(log.lastFirstMessageId).toBe(20);
  });

  it('answers the epoch questions about forgotten batches from the epoch cache', () => {
    const log = logOf(EPOCH_BATCHES);
    log.trimBelow(12); // everything but the last batch (epoch 3, from 12)
    for (let epoch = -1; epoch <= 4; epoch++) {
      expect({ epoch, end: log.endOffsetForEpoch(epoch) }).toEqual({ epoch, end: endOffsetForEpochByScan(EPOCH_BATCHES, epoch) });
    }
    expect(log.lastEpochAtOrBelow(2)).toEqual({ epoch: 1, endOffset: 12 });
    expect(log.lastEpochAtOrBelow(0)).toEqual({ epoch: 0, endOffset: 5 });
  });

  it('slides the kept batches to the front instead of growing, and keeps every field', () => {
    const log = new ReplicaLog();
    for (let i = 0; i < 10_000; i++) {
      log.append(2, Math.floor(i / 1_000), i * 10, i);
      log.trimBelow(2 * i - 20); // keep about the last ten batches
    }
    expect(log.logEndOffset).toBe(20_000);
    expect(log.firstBatchIndex).toBe(9_989);
    for (let index = log.firstBatchIndex; index < log.batchCount; index++) {
      expect([log.batchBaseOffset(index), log.batchRecordCount(index), log.batchEpoch(index), log.batchFirstMessageId(index), log.batchSequence(index)]).toEqual([
        2 * index,
        2,
        Math.floor(index / 1_000),
        index * 10,
        index,
      ]);
    }
    expect(log.endOffsetOfSequence(9_995)).toBe(2 * 9_996);
    expect(log.endOffsetOfSequence(5)).toBe(-1); // forgotten
  });

  it('refuses to truncate below the log start', () => {
    const log = logOf(EPOCH_BATCHES);
    log.trimBelow(6);
    expect(() => log.truncateTo(2, () => undefined)).toThrow(AssertionError);
    expect(truncateCollecting(log, 6)).toEqual([
      [600, 5, 12],
      [500, 2, 10],
      [400, 4, 6],
    ]);
  });
});
