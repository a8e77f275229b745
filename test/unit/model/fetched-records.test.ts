import { describe, expect, it } from 'vitest';
import { FetchedRecords } from '../../../src/model/kafka/fetched-records';

describe('FetchedRecords: runs of fetched records', () => {
  it('hands out runs in fetch order, splits a run when only part of it is taken, and counts records', () => {
    const held = new FetchedRecords();
    held.push(100, 5, 3);
    held.push(7, 2, 1);
    held.push(50, 0, 9); // an empty run is nothing
    expect(held.length).toBe(7);
    expect([held.headFirstId, held.headCount, held.headPartition]).toEqual([100, 5, 3]);
    held.take(2);
    expect([held.headFirstId, held.headCount, held.headPartition]).toEqual([102, 3, 3]);
    expect(held.length).toBe(5);
    held.take(3);
    expect([held.headFirstId, held.headCount, held.headPartition]).toEqual([7, 2, 1]);
    expect(held.minId()).toBe(7);
  });

  it('keeps every run across growth and wrap-around, and drains them oldest first', () => {
    const held = new FetchedRecords();
    const expected: [number, number, number][] = [];
    for (let i = 0; i < 300; i++) {
      held.push(i * 10, 1 + (i % 4), i % 7);
      expected.push([i * 10, 1 + (i % 4), i % 7]);
      if (i % 3 === 0) {
        const [first, count, partition] = expected.shift()!;
        expect([held.headFirstId, held.headCount, held.headPartition]).toEqual([first, count, partition]);
        held.take(count);
      }
    }
    expect(held.length).toBe(expected.reduce((sum, [, count]) => sum + count, 0));
    expect(held.minId()).toBe(expected[0]![0]);
    const drained: [number, number, number][] = [];
    held.drain((first, count, partition) => drained.push([first, count, partition]));
    expect(drained).toEqual(expected);
    expect(held.length).toBe(0);
    expect(held.minId()).toBe(Infinity);
  });
});
