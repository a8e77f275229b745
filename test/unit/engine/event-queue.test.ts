import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/engine/event-queue';
import { RandomStream } from '../../../src/engine/random';

interface Reference {
  slot: number;
  time: number;
  seq: number;
}

const byKey = (x: Reference, y: Reference): number => x.time - y.time || x.seq - y.seq;

describe('EventQueue', () => {
  it('pops in (time, seq) order through random pushes, re-keys and removals, seed=7', () => {
    const random = new RandomStream(7, 'event-queue-test');
    const queue = new EventQueue();
    let reference: Reference[] = [];
    let seq = 0;
    for (let step = 0; step < 50_000; step++) {
      const action = random.nextInt(10);
      if (action < 5 || reference.length === 0) {
        const time = random.nextInt(1000); // many equal times: seq must break the ties
        const slot = queue.allocateSlot(0, time, 0);
        queue.schedule(slot, time, seq);
        reference.push({ slot, time, seq: seq++ });
      } else if (action < 7) {
        const victim = reference[random.nextInt(reference.length)]!;
        queue.unschedule(victim.slot);
        queue.releaseSlot(victim.slot);
        reference = reference.filter((entry) => entry !== victim);
      } else if (action < 8) {
        const moved = reference[random.nextInt(reference.length)]!;
        moved.time = random.nextInt(1000);
        moved.seq = seq++;
        queue.schedule(moved.slot, moved.time, moved.seq);
      } else {
        reference.sort(byKey);
        const expected = reference.shift()!;
        const slot = queue.pop();
        expect(slot).toBe(expected.slot);
        expect(queue.poppedTime).toBe(expected.time);
        queue.releaseSlot(slot);
      }
      expect(queue.size).toBe(reference.length);
    }
    reference.sort(byKey);
    for (const expected of reference) expect(queue.pop()).toBe(expected.slot);
    expect(queue.peekTime()).toBe(Infinity);
  });

  it('grows past its initial capacity and keeps times beyond 2^32 µs exact', () => {
    const queue = new EventQueue();
    const base = 2 ** 40; // ~12.7 days of simulated microseconds
    for (let i = 5000; i > 0; i--) queue.schedule(queue.allocateSlot(1, i, 0), base + i, 5000 - i);
    let previous = -Infinity;
    while (queue.size > 0) {
      const slot = queue.pop();
      expect(queue.poppedTime).toBeGreaterThan(previous);
      expect(queue.poppedTime).toBe(base + queue.slotA[slot]!);
      previous = queue.poppedTime;
    }
  });

  it('refuses to release a scheduled or pinned slot', () => {
    const queue = new EventQueue();
    const slot = queue.allocateSlot(0, 0, 0);
    queue.schedule(slot, 10, 0);
    expect(() => queue.releaseSlot(slot)).toThrow(/released while scheduled/);
    queue.unschedule(slot);
    queue.pin(slot);
    expect(() => queue.releaseSlot(slot)).toThrow(/pinned/);
    expect(() => queue.pop()).toThrow(/empty/);
  });
});
