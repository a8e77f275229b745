import { assert } from './assert';

/**
 * A min-heap over the ids 0..size-1, each with a numeric key that can be changed in place
 * (O(log n)): for the earliest of a fixed set of deadlines, such as each partition's next
 * moment of interest. Equal keys are ordered by id, so the order never depends on history.
 * An id whose key is Infinity is in the heap like any other.
 */
export class IndexedMinHeap {
  private readonly keys: Float64Array;
  /** heap[i]: the id at heap position i. */
  private readonly heap: Int32Array;
  /** position[id]: where the id sits in the heap. */
  private readonly position: Int32Array;

  constructor(readonly size: number) {
    assert(Number.isInteger(size) && size >= 1, () => `an indexed heap needs at least one id, got ${size}`);
    this.keys = new Float64Array(size).fill(Infinity);
    this.heap = new Int32Array(size);
    this.position = new Int32Array(size);
    for (let id = 0; id < size; id++) {
      this.heap[id] = id;
      this.position[id] = id;
    }
  }

  /** The smallest key (Infinity when every key is). */
  get minKey(): number {
    return this.keys[this.heap[0]!]!;
  }

  set(id: number, key: number): void {
    const old = this.keys[id]!;
    if (key === old) return;
    this.keys[id] = key;
    if (key < old) this.siftUp(this.position[id]!);
    else this.siftDown(this.position[id]!);
  }

  private before(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && a < b);
  }

  private place(index: number, id: number): void {
    this.heap[index] = id;
    this.position[id] = index;
  }

  private siftUp(start: number): void {
    let index = start;
    const id = this.heap[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = this.heap[parent]!;
      if (!this.before(id, above)) break;
      this.place(index, above);
      index = parent;
    }
    this.place(index, id);
  }

  private siftDown(start: number): void {
    let index = start;
    const id = this.heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.before(this.heap[right]!, this.heap[left]!) ? right : left;
      if (!this.before(this.heap[child]!, id)) break;
      this.place(index, this.heap[child]!);
      index = child;
    }
    this.place(index, id);
  }
}
