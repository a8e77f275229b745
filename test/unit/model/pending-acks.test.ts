import { describe, expect, it } from 'vitest';
import { PendingAcks } from '../../../src/model/kafka/pending-acks';

function entries(acks: PendingAcks): number[][] {
  return Array.from({ length: acks.length }, (_, i) => [acks.requestId(i), acks.leader(i), acks.endOffset(i), acks.readyAtUs(i)]);
}

describe('PendingAcks', () => {
  it('keeps entries in order across growth and wrap-around, dropping from the front', () => {
    const acks = new PendingAcks();
    const expected: number[][] = [];
    for (let n = 0; n < 200; n++) {
      acks.push(2 ** 40 + n, n % 3, 10 * n, 0.5 + n);
      expected.push([2 ** 40 + n, n % 3, 10 * n, 0.5 + n]);
      if (n % 4 === 3) {
        acks.dropFirst(2);
        expected.splice(0, 2);
      }
    }
    expect(entries(acks)).toEqual(expected);
  });

  it('retains what it is told to, in order, and reports the others before removing any', () => {
    const acks = new PendingAcks();
    for (let n = 0; n < 10; n++) acks.push(n, n % 2, n * 100, n);
    const removed: number[] = [];
    acks.retain(
      (i) => acks.leader(i) === 0,
      (i) => removed.push(acks.requestId(i)),
    );
    expect(removed).toEqual([1, 3, 5, 7, 9]);
    expect(entries(acks).map(([id]) => id)).toEqual([0, 2, 4, 6, 8]);
    acks.push(10, 1, 1_000, 10);
    expect(entries(acks).map(([id]) => id)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
