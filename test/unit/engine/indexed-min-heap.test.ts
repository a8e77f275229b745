import { describe, expect, it } from 'vitest';
import { IndexedMinHeap, RandomStream } from '../../../src/engine';

describe('IndexedMinHeap', () => {
  it('starts with every key at Infinity', () => {
    expect(new IndexedMinHeap(5).minKey).toBe(Infinity);
  });

  it('always has the smallest key on top through random changes, ties and Infinity included', () => {
    const size = 37;
    const heap = new IndexedMinHeap(size);
    const keys = new Array<number>(size).fill(Infinity);
    const random = new RandomStream(3, 'indexed-heap');
    for (let step = 0; step < 20_000; step++) {
      const id = random.nextInt(size);
      const key = random.nextInt(4) === 0 ? Infinity : random.nextInt(50); // many ties
      heap.set(id, key);
      keys[id] = key;
      const least = Math.min(...keys);
      expect(heap.minKey).toBe(least);
    }
  });
});
