import type { RandomStream, Simulation, Timer } from '../engine';
import { LogHistogram } from '../metrics/histogram';

/**
 * The push service: order-status notifications (one per confirmed order) and promotion
 * campaigns fanned out to users, sent through a throttle of `ratePerSecond` to the push
 * provider. Order status goes first (high priority); promotions take what capacity is left.
 * A send fails with `failureProbability`; a failed push goes to the retry topic and is sent
 * again after `retryDelayUs`, up to `maxAttempts` tries, then to the dead-letter topic
 * (Kafka's retry-topic + DLQ convention, shared/reference/mq-semantics.md §4.3 item 7).
 *
 * Notifications travel in runs of (created at, count) rather than one object each: the
 * sender works in ticks of `tickUs`, each sending up to its share of the throttle, so a
 * storm of a million promotions costs a few events per tick, not one per message. Pushes
 * created within one tick share a run, so latency is exact to one tick.
 *
 * Every push is accounted: created = delivered + dead-lettered + waiting (queued or retrying).
 */
export interface PushOptions {
  ratePerSecond: number;
  failureProbability: number;
  maxAttempts: number;
  retryDelayUs: number;
  tickUs: number;
}

/** A FIFO of runs: (created at, ready at, count) triples in parallel growable arrays. */
class RunQueue {
  private created: number[] = [];
  private ready: number[] = [];
  private counts: number[] = [];
  private head = 0;
  total = 0;

  push(createdUs: number, readyUs: number, count: number, mergeWithinUs: number): void {
    const tail = this.counts.length - 1;
    if (tail >= this.head && createdUs - this.created[tail]! < mergeWithinUs && readyUs - this.ready[tail]! < mergeWithinUs) {
      this.counts[tail]! += count;
    } else {
      this.created.push(createdUs);
      this.ready.push(readyUs);
      this.counts.push(count);
    }
    this.total += count;
  }

  /** Takes up to `max` pushes ready by `nowUs` from the head; calls `take(createdUs, n)` per run. */
  drain(nowUs: number, max: number, take: (createdUs: number, count: number) => void): number {
    let taken = 0;
    while (taken < max && this.head < this.counts.length && this.ready[this.head]! <= nowUs) {
      const n = Math.min(max - taken, this.counts[this.head]!);
      take(this.created[this.head]!, n);
      taken += n;
      this.total -= n;
      this.counts[this.head]! -= n;
      if (this.counts[this.head] === 0) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.counts.length) this.compact();
    return taken;
  }

  nextReadyUs(): number {
    return this.head < this.counts.length ? this.ready[this.head]! : Infinity;
  }

  private compact(): void {
    this.created = this.created.slice(this.head);
    this.ready = this.ready.slice(this.head);
    this.counts = this.counts.slice(this.head);
    this.head = 0;
  }
}

export class PushService {
  private readonly orderStatus = new RunQueue();
  private readonly promotions = new RunQueue();
  /** retries[k] holds pushes whose (k+1)-th try failed, waiting for their next try. */
  private readonly retries: RunQueue[];
  private readonly timer: Timer;
  private credit = 0;
  private lastTickUs = 0;
  readonly latencyUs = new LogHistogram();
  created = 0;
  delivered = 0;
  retried = 0;
  deadLettered = 0;
  /** Promotion pushes created (the rest of `created` are order-status pushes). */
  promoted = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly stream: RandomStream,
    readonly options: PushOptions,
  ) {
    this.retries = Array.from({ length: Math.max(0, options.maxAttempts - 1) }, () => new RunQueue());
    this.timer = sim.timer(sim.defineEvent('push/tick', () => this.tick()));
  }

  get waiting(): number {
    return this.orderStatus.total + this.promotions.total + this.retries.reduce((sum, queue) => sum + queue.total, 0);
  }

  /** Fresh pushes (order status and promotions) waiting for the throttle. */
  get queued(): number {
    return this.orderStatus.total + this.promotions.total;
  }

  /** Pushes whose last try failed, waiting for their next one. */
  get retrying(): number {
    return this.retries.reduce((sum, queue) => sum + queue.total, 0);
  }

  notifyOrder(): void {
    this.created++;
    this.orderStatus.push(this.sim.now, this.sim.now, 1, this.options.tickUs);
    this.wake();
  }

  promote(users: number): void {
    this.created += users;
    this.promoted += users;
    this.promotions.push(this.sim.now, this.sim.now, users, this.options.tickUs);
    this.wake();
  }

  /** Fresh pushes are sent at the next tick, even if the timer was set for a later retry. */
  private wake(): void {
    if (this.timer.armed && this.timer.dueUs <= this.sim.now + this.options.tickUs) return;
    this.timer.armIn(this.options.tickUs);
  }

  private tick(): void {
    const now = this.sim.now;
    // A throttle is a rate, not a savings account: idle time earns at most one tick of sends.
    // The fraction of a push left over from the last tick is kept on top of the cap: capping at
    // perTick alone would drop it every tick and send floor(perTick) a tick (150/s ran at 100/s).
    const perTick = Math.max(1, (this.options.tickUs * this.options.ratePerSecond) / 1_000_000);
    const carried = this.credit - Math.floor(this.credit);
    this.credit = Math.min(perTick + carried, this.credit + ((now - this.lastTickUs) * this.options.ratePerSecond) / 1_000_000);
    this.lastTickUs = now;
    let budget = Math.floor(this.credit);
    // Retries of order status first (oldest failures), then fresh order status, then promotions.
    for (let k = this.retries.length - 1; k >= 0 && budget > 0; k--) {
      budget -= this.retries[k]!.drain(now, budget, (createdUs, n) => this.send(createdUs, n, k + 1));
    }
    if (budget > 0) budget -= this.orderStatus.drain(now, budget, (createdUs, n) => this.send(createdUs, n, 0));
    if (budget > 0) budget -= this.promotions.drain(now, budget, (createdUs, n) => this.send(createdUs, n, 0));
    this.credit -= Math.floor(this.credit) - budget;
    const nextRetry = Math.min(...this.retries.map((queue) => queue.nextReadyUs()));
    if (this.orderStatus.total + this.promotions.total > 0 || (budget === 0 && this.waiting > 0)) this.timer.armIn(this.options.tickUs);
    else if (nextRetry < Infinity) this.timer.armAt(Math.max(now + this.options.tickUs, nextRetry));
  }

  /** Sends `count` pushes created at `createdUs` that failed `failedTries` times before. */
  private send(createdUs: number, count: number, failedTries: number): void {
    const failures = this.failuresAmong(count);
    const ok = count - failures;
    if (ok > 0) {
      this.delivered += ok;
      this.latencyUs.record(this.sim.now - createdUs, ok);
    }
    if (failures === 0) return;
    if (failedTries + 1 >= this.options.maxAttempts) {
      this.deadLettered += failures;
      return;
    }
    this.retried += failures;
    this.retries[failedTries]!.push(createdUs, this.sim.now + this.options.retryDelayUs, failures, this.options.tickUs);
  }

  /** Binomial(count, p) draws: exact for small runs, stochastic rounding of the mean for big ones. */
  private failuresAmong(count: number): number {
    const p = this.options.failureProbability;
    if (p <= 0) return 0;
    if (count <= 32) {
      let failures = 0;
      for (let i = 0; i < count; i++) if (this.stream.nextFloat() < p) failures++;
      return failures;
    }
    const mean = count * p;
    return Math.min(count, Math.floor(mean + this.stream.nextFloat()));
  }
}
