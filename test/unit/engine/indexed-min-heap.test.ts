import { describe, expect, it } from 'vitest';
import { IndexedMinHeap, RandomStream } from '../../../src/engine';

describe('IndexedMinHeap', () => {
  it('starts with every key at Infinity and the smallest id on top', () => {
    const heap = new IndexedMinHeap(5);
    expect(heap.minKey).toBe(Infinity);
    expect(heap.minId).toBe(0);
  });

  it('always has the smallest key on top, the smallest id among equal keys, through random changes', () => {
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
      expect(heap.minId).toBe(keys.indexOf(least));
      expect(heap.keyOf(id)).toBe(key);
    }
  });
});
