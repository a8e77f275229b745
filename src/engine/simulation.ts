import { assert, assertNonNegativeInteger } from './assert';
import { EventQueue } from './event-queue';
import { RandomStream } from './random';
import { TraceHash } from './trace-hash';

/**
 * The discrete-event kernel: an integer microsecond clock, a future-event list ordered by
 * (time, scheduling sequence), and a run loop that can stop at a time, an event count or a
 * predicate, pause from inside a handler, resume, and report snapshots every N simulated µs.
 *
 * Events are (kind, a, b): a kind registered once with its handler, and two numeric key
 * fields (ids, offsets, counts). Handlers close over the model's state, so processing an event
 * allocates nothing. Components that keep one pending deadline (a session timeout, a linger
 * timer) use a `Timer`, which re-arms or cancels in place instead of piling up stale events.
 */
export type EventHandler = (a: number, b: number) => void;

export interface RunLimits {
  /** Process events with time <= untilUs, then set the clock to untilUs. */
  untilUs?: number;
  /** Stop after this many events in this call. */
  maxEvents?: number;
  /** Checked after every event; stop when it returns true. */
  stopWhen?: () => boolean;
}

export type StopReason = 'until' | 'max-events' | 'predicate' | 'paused' | 'empty';

export interface Timer {
  readonly armed: boolean;
  /** Due time of an armed timer; NaN when not armed. */
  readonly dueUs: number;
  /** Arms (or re-arms) the timer at an absolute time. */
  armAt(timeUs: number, a?: number, b?: number): void;
  armIn(delayUs: number, a?: number, b?: number): void;
  /** Returns whether the timer was armed. */
  cancel(): boolean;
  /** Cancels the timer and gives its slot back; the timer must not be used afterwards. */
  dispose(): void;
}

export class Simulation {
  private clockUs = 0;
  private sequence = 0;
  /** Sequence number of the event being processed (of the last one, between events). */
  private currentSequence = -1;
  private processed = 0;
  private pauseRequested = false;
  private readonly queue = new EventQueue();
  private readonly handlers: EventHandler[] = [];
  private readonly kindNames: string[] = [];
  private readonly hash = new TraceHash();
  private snapshotEveryUs = 0;
  private nextSnapshotUs = Infinity;
  private snapshotCallback: ((nowUs: number) => void) | null = null;

  constructor(readonly seed: number) {
    assertNonNegativeInteger(seed, 'seed');
  }

  /** Current simulated time in microseconds. */
  get now(): number {
    return this.clockUs;
  }

  get eventsProcessed(): number {
    return this.processed;
  }

  get eventsPending(): number {
    return this.queue.size;
  }

  traceHash(): string {
    return this.hash.digest();
  }

  /** Registers an event kind. Kinds are numbered in registration order, which code fixes. */
  defineEvent(name: string, handler: EventHandler): number {
    assert(!this.kindNames.includes(name), () => `event kind "${name}" is defined twice`);
    this.kindNames.push(name);
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  kindName(kind: number): string {
    return this.kindNames[kind] ?? `unknown-${kind}`;
  }

  /** A random stream for a component, derived from the run seed and the component's name. */
  stream(name: string): RandomStream {
    return new RandomStream(this.seed, name);
  }

  schedule(delayUs: number, kind: number, a = 0, b = 0): void {
    this.scheduleAt(this.clockUs + delayUs, kind, a, b);
  }

  scheduleAt(timeUs: number, kind: number, a = 0, b = 0): void {
    this.assertSchedulable(timeUs, kind);
    const slot = this.queue.allocateSlot(kind, a, b);
    this.queue.schedule(slot, timeUs, this.sequence++);
  }

  /**
   * Takes the sequence number an event scheduled now would get, for an event that may or may
   * not be scheduled later: `scheduleReserved` then puts it exactly where scheduling it now
   * would have (equal times run in scheduling order), so leaving out an event that turns out
   * to change nothing does not reorder the others. `isBefore` says whether such an event would
   * already have run.
   */
  reserveSequence(): number {
    return this.sequence++;
  }

  scheduleReserved(timeUs: number, sequence: number, kind: number, a = 0, b = 0): void {
    this.assertSchedulable(timeUs, kind);
    assert(!this.isBefore(timeUs, sequence), () => `a reserved event at ${timeUs} µs (#${sequence}) would already have run`);
    const slot = this.queue.allocateSlot(kind, a, b);
    this.queue.schedule(slot, timeUs, sequence);
  }

  /** Whether an event at (timeUs, sequence) comes before the one being processed (it would have run). */
  isBefore(timeUs: number, sequence: number): boolean {
    return timeUs < this.clockUs || (timeUs === this.clockUs && sequence < this.currentSequence);
  }

  timer(kind: number): Timer {
    assert(kind >= 0 && kind < this.handlers.length, () => `unknown event kind ${kind}`);
    const queue = this.queue;
    const slot = queue.allocateSlot(kind, 0, 0);
    queue.pin(slot);
    let dueUs = NaN;
    let disposed = false;
    const cancel = (): boolean => {
      if (!queue.isScheduled(slot)) return false;
      queue.unschedule(slot);
      return true;
    };
    const armAt = (timeUs: number, a = 0, b = 0): void => {
      assert(!disposed, 'timer used after dispose');
      this.assertSchedulable(timeUs, kind);
      queue.slotA[slot] = a;
      queue.slotB[slot] = b;
      dueUs = timeUs;
      queue.schedule(slot, timeUs, this.sequence++);
    };
    return {
      get armed() {
        return queue.isScheduled(slot);
      },
      get dueUs() {
        return queue.isScheduled(slot) ? dueUs : NaN;
      },
      armAt,
      armIn: (delayUs: number, a = 0, b = 0) => armAt(this.clockUs + delayUs, a, b),
      cancel,
      dispose: () => {
        assert(!disposed, 'timer disposed twice');
        cancel();
        disposed = true;
        queue.unpin(slot);
        queue.releaseSlot(slot);
      },
    };
  }

  /** Calls back every `everyUs` of simulated time; a snapshot at t sees all events with time <= t. */
  onSnapshot(everyUs: number, callback: (nowUs: number) => void): void {
    assertNonNegativeInteger(everyUs, 'snapshot interval');
    assert(everyUs > 0, 'snapshot interval must be > 0');
    this.snapshotEveryUs = everyUs;
    this.nextSnapshotUs = (Math.floor(this.clockUs / everyUs) + 1) * everyUs;
    this.snapshotCallback = callback;
  }

  /** Stops the current `run` after the event being processed; `run` again resumes. */
  pause(): void {
    this.pauseRequested = true;
  }

  run(limits: RunLimits = {}): StopReason {
    const untilUs = limits.untilUs ?? Infinity;
    const maxEvents = limits.maxEvents ?? Infinity;
    const stopWhen = limits.stopWhen;
    assert(untilUs >= this.clockUs, () => `cannot run until ${untilUs} µs: the clock is already at ${this.clockUs} µs`);
    this.pauseRequested = false;
    const queue = this.queue;
    let count = 0;
    for (;;) {
      if (count >= maxEvents) return 'max-events';
      const nextTime = queue.peekTime();
      if (nextTime === Infinity || nextTime > untilUs) return this.finishAt(untilUs);
      if (nextTime > this.nextSnapshotUs) {
        this.emitSnapshotsBefore(nextTime);
        if (this.pauseRequested) return 'paused';
      }
      const slot = queue.pop();
      const kind = queue.slotKind[slot]!;
      const a = queue.slotA[slot]!;
      const b = queue.slotB[slot]!;
      if (queue.slotPinned[slot] === 0) queue.releaseSlot(slot);
      this.clockUs = nextTime;
      this.currentSequence = queue.poppedSeq;
      this.hash.addEvent(nextTime, kind, a, b);
      this.processed++;
      count++;
      this.handlers[kind]!(a, b);
      if (this.pauseRequested) return 'paused';
      if (stopWhen !== undefined && stopWhen()) return 'predicate';
    }
  }

  private finishAt(untilUs: number): StopReason {
    if (untilUs === Infinity) return 'empty';
    this.emitSnapshotsBefore(untilUs + 1);
    this.currentSequence = Infinity; // every event up to untilUs has run
    this.clockUs = untilUs;
    return 'until';
  }

  private emitSnapshotsBefore(timeUs: number): void {
    const callback = this.snapshotCallback;
    while (callback !== null && this.nextSnapshotUs < timeUs) {
      this.currentSequence = Infinity; // a snapshot sees every event up to its time
      this.clockUs = this.nextSnapshotUs;
      this.nextSnapshotUs += this.snapshotEveryUs;
      callback(this.clockUs);
    }
  }

  private assertSchedulable(timeUs: number, kind: number): void {
    if (!(timeUs >= this.clockUs) || timeUs !== Math.floor(timeUs) || timeUs > Number.MAX_SAFE_INTEGER) {
      throw new Error(
        `cannot schedule "${this.kindName(kind)}" at ${timeUs} µs: times are whole microseconds, not before now (${this.clockUs} µs)`,
      );
    }
  }
}
