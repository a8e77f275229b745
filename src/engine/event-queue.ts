import { assert } from './assert';
import { grownTypedArray } from './typed-arrays';

/**
 * Future-event list: a 4-ary min-heap keyed by (time, sequence), stored in typed arrays.
 *
 * Why this shape (DESIGN.md "Fidelity at full event rates"):
 * - no allocation per event: event fields live in slot arrays, the heap holds slot numbers
 *   with their keys inline so that comparisons touch one cache line;
 * - (time, seq) compared as two numbers: packing them into one float overflows after about a
 *   minute of simulated microseconds;
 * - a 4-ary heap is shallower than a binary one and its children are adjacent in memory.
 *
 * Slots can be pinned by a timer, which then re-arms or cancels in O(log n) without ever
 * allocating a new slot; ordinary events release their slot when they are popped.
 */
const ARITY = 4;
const INITIAL_CAPACITY = 1024;
const NOT_IN_HEAP = -1;

export class EventQueue {
  // Slot storage: one entry per live or pinned event.
  slotKind = new Int32Array(INITIAL_CAPACITY);
  slotA = new Float64Array(INITIAL_CAPACITY);
  slotB = new Float64Array(INITIAL_CAPACITY);
  /** 1 for slots owned by a timer: they are never released. */
  slotPinned = new Uint8Array(INITIAL_CAPACITY);
  private slotHeapIndex = new Int32Array(INITIAL_CAPACITY).fill(NOT_IN_HEAP);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private slotsUsed = 0;

  // Heap storage: key inline, slot alongside.
  private heapTime = new Float64Array(INITIAL_CAPACITY);
  private heapSeq = new Float64Array(INITIAL_CAPACITY);
  private heapSlot = new Int32Array(INITIAL_CAPACITY);
  private heapSize = 0;

  get size(): number {
    return this.heapSize;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.heapSize === 0 ? Infinity : this.heapTime[0]!;
  }

  allocateSlot(kind: number, a: number, b: number): number {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount]!;
    } else {
      if (this.slotsUsed === this.slotKind.length) this.growSlots();
      slot = this.slotsUsed++;
    }
    this.slotKind[slot] = kind;
    this.slotA[slot] = a;
    this.slotB[slot] = b;
    return slot;
  }

  pin(slot: number): void {
    this.slotPinned[slot] = 1;
  }

  unpin(slot: number): void {
    this.slotPinned[slot] = 0;
  }

  releaseSlot(slot: number): void {
    assert(this.slotPinned[slot] === 0, () => `slot ${slot} is pinned by a timer`);
    assert(this.slotHeapIndex[slot] === NOT_IN_HEAP, () => `slot ${slot} released while scheduled`);
    if (this.freeCount === this.freeSlots.length) {
      this.freeSlots = grownTypedArray(this.freeSlots, this.freeSlots.length * 2);
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  isScheduled(slot: number): boolean {
    return this.slotHeapIndex[slot] !== NOT_IN_HEAP;
  }

  /** Inserts a slot that is not in the heap, or moves one that is to a new key. */
  schedule(slot: number, time: number, seq: number): void {
    const index = this.slotHeapIndex[slot]!;
    if (index === NOT_IN_HEAP) {
      if (this.heapSize === this.heapTime.length) this.growHeap();
      const last = this.heapSize++;
      this.place(last, time, seq, slot);
      this.siftUp(last);
      return;
    }
    const earlier = time < this.heapTime[index]! || (time === this.heapTime[index]! && seq < this.heapSeq[index]!);
    this.heapTime[index] = time;
    this.heapSeq[index] = seq;
    if (earlier) this.siftUp(index);
    else this.siftDown(index);
  }

  /** Removes a scheduled slot from the heap without releasing it. */
  unschedule(slot: number): void {
    const index = this.slotHeapIndex[slot]!;
    assert(index !== NOT_IN_HEAP, () => `slot ${slot} is not scheduled`);
    this.slotHeapIndex[slot] = NOT_IN_HEAP;
    const last = --this.heapSize;
    if (index === last) return;
    const moved = this.heapSlot[last]!;
    this.place(index, this.heapTime[last]!, this.heapSeq[last]!, moved);
    this.siftUp(index);
    this.siftDown(this.slotHeapIndex[moved]!);
  }

  /**
   * Removes the earliest event and returns its slot (still allocated: the caller reads the
   * fields, then releases it or keeps it pinned). `poppedTime` holds its time.
   */
  pop(): number {
    assert(this.heapSize > 0, 'pop from an empty event queue');
    const slot = this.heapSlot[0]!;
    this.poppedTime = this.heapTime[0]!;
    this.poppedSeq = this.heapSeq[0]!;
    this.slotHeapIndex[slot] = NOT_IN_HEAP;
    const last = --this.heapSize;
    if (last > 0) {
      this.place(0, this.heapTime[last]!, this.heapSeq[last]!, this.heapSlot[last]!);
      this.siftDown(0);
    }
    return slot;
  }

  poppedTime = 0;
  poppedSeq = 0;

  private place(index: number, time: number, seq: number, slot: number): void {
    this.heapTime[index] = time;
    this.heapSeq[index] = seq;
    this.heapSlot[index] = slot;
    this.slotHeapIndex[slot] = index;
  }

  private siftUp(start: number): void {
    const times = this.heapTime;
    const seqs = this.heapSeq;
    let index = start;
    const time = times[index]!;
    const seq = seqs[index]!;
    const slot = this.heapSlot[index]!;
    while (index > 0) {
      const parent = ((index - 1) / ARITY) | 0;
      const parentTime = times[parent]!;
      if (parentTime < time || (parentTime === time && seqs[parent]! < seq)) break;
      this.place(index, parentTime, seqs[parent]!, this.heapSlot[parent]!);
      index = parent;
    }
    this.place(index, time, seq, slot);
  }

  private siftDown(start: number): void {
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const size = this.heapSize;
    let index = start;
    const time = times[index]!;
    const seq = seqs[index]!;
    const slot = this.heapSlot[index]!;
    for (;;) {
      const first = index * ARITY + 1;
      if (first >= size) break;
      let best = first;
      let bestTime = times[first]!;
      let bestSeq = seqs[first]!;
      const end = first + ARITY < size ? first + ARITY : size;
      for (let child = first + 1; child < end; child++) {
        const childTime = times[child]!;
        if (childTime < bestTime || (childTime === bestTime && seqs[child]! < bestSeq)) {
          best = child;
          bestTime = childTime;
          bestSeq = seqs[child]!;
        }
      }
      if (time < bestTime || (time === bestTime && seq < bestSeq)) break;
      this.place(index, bestTime, bestSeq, this.heapSlot[best]!);
      index = best;
    }
    this.place(index, time, seq, slot);
  }

  private growSlots(): void {
    const capacity = this.slotKind.length * 2;
    const previous = this.slotHeapIndex.length;
    this.slotKind = grownTypedArray(this.slotKind, capacity);
    this.slotA = grownTypedArray(this.slotA, capacity);
    this.slotB = grownTypedArray(this.slotB, capacity);
    this.slotPinned = grownTypedArray(this.slotPinned, capacity);
    this.slotHeapIndex = grownTypedArray(this.slotHeapIndex, capacity).fill(NOT_IN_HEAP, previous);
  }

  private growHeap(): void {
    const capacity = this.heapTime.length * 2;
    this.heapTime = grownTypedArray(this.heapTime, capacity);
    this.heapSeq = grownTypedArray(this.heapSeq, capacity);
    this.heapSlot = grownTypedArray(this.heapSlot, capacity);
  }
}
