/**
 * What of each replica's log is on disk rather than only in the OS page cache: the part a
 * power failure keeps (§1.6 F7).
 *
 * Kafka acknowledges a write once it is in the page cache of the ISR's brokers and leaves the
 * flushing to the operating system: log.flush.interval.messages and log.flush.interval.ms are
 * Long.MAX by default (Kafka docs, "Log flush"; ref §1.6 F7). Linux's flusher thread wakes
 * every dirty_writeback_centisecs (500: 5 s) and writes back pages dirty for longer than
 * dirty_expire_centisecs (3000: 30 s) (Linux Documentation/admin-guide/sysctl/vm.rst). So a
 * write reaches the disk at the first writeback pass at least 30 s after it, and what a
 * broker has on disk at time t is its log as it was 30 s before the last pass.
 *
 * This is computed, not simulated per write: each writeback pass (one event every 5 s for the
 * whole cluster, only in runs that can lose power) records every replica's log end offset in
 * a small ring, and the durable offset is the smallest of those recorded from 30 s before the
 * last pass to now (a log truncated in between has lost what it truncated). With
 * log.flush.interval.messages = N Kafka itself fsyncs after every N messages, so at least
 * floor(LEO / N) * N is durable too (exact for one-record appends; N = 1 makes every
 * acknowledged write durable).
 *
 * Not modelled: dirty_background_ratio / dirty_ratio writeback under memory pressure (which
 * flushes sooner, so this errs towards losing more), and a truncation followed by appends
 * within one 5 s pass (the ring sees the log only at the passes).
 */
export interface PageCacheOptions {
  /** dirty_writeback_centisecs, µs (default 5 s). */
  writebackIntervalUs?: number;
  /** dirty_expire_centisecs, µs (default 30 s). */
  dirtyExpireUs?: number;
  /** log.flush.interval.messages; absent: Long.MAX (never flushed by Kafka). */
  flushIntervalMessages?: number;
}

export const LINUX_DIRTY_WRITEBACK_US = 5_000_000;
export const LINUX_DIRTY_EXPIRE_US = 30_000_000;

export class PageCache {
  readonly writebackIntervalUs: number;
  readonly dirtyExpireUs: number;
  readonly flushIntervalMessages: number;
  /** Passes between a write and the pass that flushes it. */
  private readonly expirePasses: number;
  private readonly ring: number;
  /** [replica * ring + pass % ring] = log end offset at that pass. */
  private readonly samples: Float64Array;
  /** [pass % ring] = the pass number recorded there (-1: none). */
  private readonly passOfSlot: Float64Array;
  /** The last writeback pass that ran (-1: none yet). */
  private lastPass = -1;

  constructor(
    private readonly brokers: number,
    private readonly partitions: number,
    options: PageCacheOptions = {},
  ) {
    this.writebackIntervalUs = options.writebackIntervalUs ?? LINUX_DIRTY_WRITEBACK_US;
    this.dirtyExpireUs = options.dirtyExpireUs ?? LINUX_DIRTY_EXPIRE_US;
    this.flushIntervalMessages = options.flushIntervalMessages ?? Infinity;
    this.expirePasses = Math.ceil(this.dirtyExpireUs / this.writebackIntervalUs);
    this.ring = this.expirePasses + 2;
    this.samples = new Float64Array(brokers * partitions * this.ring);
    this.passOfSlot = new Float64Array(this.ring).fill(-1);
  }

  /** Writeback pass number `pass` (at pass * interval): records every replica's log end offset. */
  recordPass(pass: number, logEndOffset: (broker: number, partition: number) => number): void {
    const slot = pass % this.ring;
    this.passOfSlot[slot] = pass;
    this.lastPass = pass;
    for (let b = 0; b < this.brokers; b++) {
      for (let p = 0; p < this.partitions; p++) this.samples[(b * this.partitions + p) * this.ring + slot] = logEndOffset(b, p);
    }
  }

  /**
   * The offset below which `broker`'s copy of `partition` is on disk now, given its log end
   * offset now: what survives a power failure at this moment (before rounding to a batch).
   */
  durableOffset(broker: number, partition: number, logEndOffset: number): number {
    const byKafka = Number.isFinite(this.flushIntervalMessages)
      ? Math.floor(logEndOffset / this.flushIntervalMessages) * this.flushIntervalMessages
      : 0;
    const oldest = this.lastPass - this.expirePasses;
    if (oldest < 0) return byKafka; // no write is 30 s old at a pass yet
    let durable = logEndOffset;
    const base = (broker * this.partitions + partition) * this.ring;
    for (let slot = 0; slot < this.ring; slot++) {
      const pass = this.passOfSlot[slot]!;
      if (pass >= oldest) durable = Math.min(durable, this.samples[base + slot]!);
    }
    return Math.max(durable, byKafka);
  }

  /** After log recovery to `offset`: what is on disk now is at most that, whenever it was written. */
  recovered(broker: number, partition: number, offset: number): void {
    const base = (broker * this.partitions + partition) * this.ring;
    for (let slot = 0; slot < this.ring; slot++) this.samples[base + slot] = Math.min(this.samples[base + slot]!, offset);
  }
}
