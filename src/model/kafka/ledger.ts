import { assert, grownTypedArray } from '../../engine';

/**
 * Where every message is: produced = delivered + lost + in flight + rejected, at every moment.
 *
 * A message is *in flight* from the moment the application hands it to the producer until it
 * is delivered (processed by the consumer group), lost (gone from every log while the
 * producer believes it sent: acknowledged, or sent with acks=0), or rejected (the producer
 * reported a failure to the application, e.g. NotEnoughReplicas after retries ran out).
 *
 * `historyCopies` counts the copies of a message in the partition's authoritative history
 * (the current leader's log). A retry can put a second copy in history; losing the first
 * copy in a failover then loses nothing. A message is lost only when its last copy leaves
 * history and nobody will send it again.
 *
 * Slice 1 keeps one byte of flags and one counter per message: memory grows with the number
 * of messages (about 2 bytes each), which is fine for teaching scenarios; range accounting
 * for sale-scale runs comes with the batch-range producer (docs/model.md).
 */
export type LossCause =
  | 'acked-then-leader-failed-unreplicated'
  | 'unclean-election-truncation'
  | 'acked-by-fenced-leader'
  | 'acks0-failover-truncation'
  | 'acks0-not-leader'
  | 'acks0-network-drop'
  | 'at-most-once-consumer-crash'
  | 'unflushed-page-cache-power-loss';

export const LOSS_CAUSES: LossCause[] = [
  'acked-then-leader-failed-unreplicated',
  'unclean-election-truncation',
  'acked-by-fenced-leader',
  'acks0-failover-truncation',
  'acks0-not-leader',
  'acks0-network-drop',
  'at-most-once-consumer-crash',
  // Acknowledged from the page cache, which a power failure emptied before the OS wrote it
  // back (log.flush.interval.messages is Long.MAX by default, §1.6 F7): cluster.ts recoverLog.
  'unflushed-page-cache-power-loss',
];

/**
 * Why the producer gave a message back to the application with an error: NotEnoughReplicas
 * until delivery.timeout.ms ran out, another error or no answer until then, or send() blocked
 * on a full buffer.memory for max.block.ms (a TimeoutException from send, §1.7).
 */
export type RejectCause = 'not-enough-replicas' | 'delivery-timeout' | 'buffer-exhausted';
export const REJECT_CAUSES: RejectCause[] = ['not-enough-replicas', 'delivery-timeout', 'buffer-exhausted'];

/**
 * Why a message was delivered again: the log held it twice (a producer retry after a lost
 * answer, without idempotence), or the group read it again (after a consumer crash, from the
 * last committed offset: at-least-once).
 */
export type DuplicateCause = 'retry-without-idempotence' | 'consumer-redelivery';

const ACKED = 1;
const DELIVERED = 2;
const LOST = 4;
const REJECTED = 8;
/** Sent with acks=0: the producer never waits and never retries. */
const FIRE_AND_FORGET = 16;

export class MessageLedger {
  private flags = new Uint8Array(1024);
  private copies = new Uint16Array(1024);
  /** Copies on any replica's log, in history or not: the audit's proof that nothing vanished. */
  private physical = new Uint16Array(1024);
  private createdUs = new Float64Array(1024);
  /** Copies fetched by a consumer and not yet processed: not lost while a consumer holds them. */
  private consumerHeld = new Uint8Array(1024);
  private lossCause = new Uint8Array(1024);
  /** 1 + the cause a message would be lost with, set when its last history copy left. */
  private pendingCause = new Uint8Array(1024);
  private rejectCause = new Uint8Array(1024);
  private count = 0;
  delivered = 0;
  duplicates = 0;
  lost = 0;
  rejected = 0;
  acked = 0;
  /**
   * Messages that left history after the group had read them (an unclean election can do
   * this): not lost for this group, which has them, but gone from the log for any reader
   * that comes later. Not part of the conservation identity.
   */
  truncatedAfterRead = 0;
  readonly lostByCause: Partial<Record<LossCause, number>> = {};
  readonly rejectedByCause: Partial<Record<RejectCause, number>> = {};
  readonly duplicatesByCause: Partial<Record<DuplicateCause, number>> = {};

  /**
   * Messages the application handed over that wait in the producer before they get an id: in
   * an open batch (linger.ms), or in a send() blocked on buffer.memory. They are produced and
   * in flight.
   */
  waitingInProducer = 0;

  get produced(): number {
    return this.count + this.waitingInProducer;
  }

  /** The running totals, with copies of the per-cause counts (what summary.json reports). */
  totals() {
    return {
      produced: this.produced,
      acked: this.acked,
      delivered: this.delivered,
      duplicates: this.duplicates,
      lost: this.lost,
      inFlight: this.inFlight,
      rejected: this.rejected,
      lostByCause: { ...this.lostByCause } as Record<string, number>,
      rejectedByCause: { ...this.rejectedByCause } as Record<string, number>,
      duplicatesByCause: { ...this.duplicatesByCause } as Record<string, number>,
    };
  }

  get inFlight(): number {
    return this.produced - this.delivered - this.lost - this.rejected;
  }

  /** Registers `count` new messages, handed to the producer at `nowUs`; returns the first id. */
  create(count: number, nowUs: number): number {
    const first = this.count;
    while (this.count + count > this.flags.length) this.grow();
    this.createdUs.fill(nowUs, first, first + count);
    this.count += count;
    return first;
  }

  /** Registers a closed batch: `count` messages handed over at `createdUs[0..count)`; returns the first id. */
  createBatch(createdUs: ArrayLike<number>, count: number): number {
    const first = this.create(count, 0);
    for (let i = 0; i < count; i++) this.createdUs[first + i] = createdUs[i]!;
    return first;
  }

  createdAtUs(id: number): number {
    return this.createdUs[id]!;
  }

  isAcked(id: number): boolean {
    return (this.flags[id]! & ACKED) !== 0;
  }

  /** The producer got success (or, with acks=0, sent and forgot). */
  markAcked(first: number, count: number, fireAndForget = false): void {
    for (let id = first; id < first + count; id++) {
      if ((this.flags[id]! & ACKED) === 0) {
        this.flags[id]! |= ACKED | (fireAndForget ? FIRE_AND_FORGET : 0);
        this.acked++;
        // An answer still on the wire when a failover removed the message from history.
        if (this.copies[id] === 0 && this.pendingCause[id]! > 0) this.loseIfGone(id, LOSS_CAUSES[this.pendingCause[id]! - 1]!);
      }
    }
  }

  enterHistory(first: number, count: number): void {
    for (let id = first; id < first + count; id++) {
      if (this.copies[id]!++ === 0) this.pendingCause[id] = 0; // back in history: no loss pending
    }
  }

  /**
   * A copy left history (failover truncation). If it was the last copy of a message the
   * producer will not send again, and nobody consumed it, the message is lost.
   */
  leaveHistory(first: number, count: number, cause: LossCause): void {
    for (let id = first; id < first + count; id++) {
      assert(this.copies[id]! > 0, `message ${id} left history more often than it entered`);
      this.copies[id]!--;
      if (this.copies[id] !== 0) continue;
      if ((this.flags[id]! & DELIVERED) !== 0 || this.consumerHeld[id]! > 0) this.truncatedAfterRead++;
      const effective = (this.flags[id]! & FIRE_AND_FORGET) !== 0 ? 'acks0-failover-truncation' : cause;
      this.pendingCause[id] = LOSS_CAUSES.indexOf(effective) + 1;
      this.loseIfGone(id, effective);
    }
  }

  /** A copy outside history was destroyed (a fenced leader's appends, a dropped acks=0 send). */
  destroyedOutsideHistory(first: number, count: number, cause: LossCause): void {
    for (let id = first; id < first + count; id++) this.loseIfGone(id, cause);
  }

  /** Loses the message if nobody has it any more; the cause of its leaving history wins. */
  private loseIfGone(id: number, fallbackCause: LossCause): void {
    const cause = this.pendingCause[id]! > 0 ? LOSS_CAUSES[this.pendingCause[id]! - 1]! : fallbackCause;
    const flags = this.flags[id]!;
    if (this.copies[id]! > 0 || this.consumerHeld[id]! > 0) return;
    if ((flags & ACKED) === 0 || (flags & (DELIVERED | LOST | REJECTED)) !== 0) return;
    this.flags[id] = flags | LOST;
    this.lossCause[id] = LOSS_CAUSES.indexOf(cause);
    this.lost++;
    this.lostByCause[cause] = (this.lostByCause[cause] ?? 0) + 1;
  }

  /**
   * A consumer dropped a fetched message without processing it (it crashed). With a cause,
   * the group will never read it again (its offset was already committed): lost for the
   * group, though still in the log.
   */
  consumerDropped(id: number, cause: LossCause | null): void {
    assert(this.consumerHeld[id]! > 0, `message ${id} dropped by a consumer that did not hold it`);
    this.consumerHeld[id]!--;
    // Read again from the committed offset, unless the log no longer has it.
    if (cause === null) return this.loseIfGone(id, 'unclean-election-truncation');
    const flags = this.flags[id]!;
    if ((flags & (DELIVERED | LOST | REJECTED)) !== 0) return;
    this.flags[id] = flags | LOST;
    this.lossCause[id] = LOSS_CAUSES.indexOf(cause);
    this.lost++;
    this.lostByCause[cause] = (this.lostByCause[cause] ?? 0) + 1;
  }

  /** A consumer fetched the message and will process it. */
  consumerFetched(id: number): void {
    this.consumerHeld[id]!++;
  }

  /** A consumer finished processing the message (it had fetched it: consumerFetched). */
  markDelivered(first: number, count: number): void {
    for (let id = first; id < first + count; id++) {
      assert(this.consumerHeld[id]! > 0, `message ${id} delivered without being fetched`);
      this.consumerHeld[id]!--;
      const flags = this.flags[id]!;
      if ((flags & DELIVERED) !== 0) {
        this.duplicates++;
        const cause: DuplicateCause = this.copies[id]! > 1 ? 'retry-without-idempotence' : 'consumer-redelivery';
        this.duplicatesByCause[cause] = (this.duplicatesByCause[cause] ?? 0) + 1;
        continue;
      }
      this.flags[id] = flags | DELIVERED;
      if ((flags & LOST) !== 0) {
        // A "lost" copy resurfaced (only possible through an unclean election reviving it).
        this.flags[id]! &= ~LOST;
        this.lost--;
        this.lostByCause[LOSS_CAUSES[this.lossCause[id]!]!]!--;
      }
      if ((flags & REJECTED) !== 0) {
        // The producer gave up, yet an earlier attempt had landed: the application saw an
        // error for a message that was in fact delivered.
        this.flags[id]! &= ~REJECTED;
        this.rejected--;
        this.rejectedByCause[REJECT_CAUSES[this.rejectCause[id]!]!]!--;
      }
      this.delivered++;
    }
  }

  /** Told when the producer gives up on messages (the application sees an error). */
  onRejected: (first: number, count: number) => void = () => undefined;

  markRejected(first: number, count: number, cause: RejectCause): void {
    for (let id = first; id < first + count; id++) {
      const flags = this.flags[id]!;
      if ((flags & (DELIVERED | LOST | REJECTED)) !== 0) continue;
      this.flags[id] = flags | REJECTED;
      this.rejectCause[id] = REJECT_CAUSES.indexOf(cause);
      this.rejected++;
      this.rejectedByCause[cause] = (this.rejectedByCause[cause] ?? 0) + 1;
      this.onRejected(id, 1);
    }
  }

  replicaAppended(first: number, count: number): void {
    for (let id = first; id < first + count; id++) this.physical[id]!++;
  }

  replicaTruncated(first: number, count: number): void {
    for (let id = first; id < first + count; id++) {
      assert(this.physical[id]! > 0, `message ${id} truncated from more replicas than held it`);
      this.physical[id]!--;
    }
  }

  /**
   * The conservation audit, counted independently of the running totals: every message is in
   * exactly one state, and one that is in flight is somewhere (held by its producer, or on at
   * least one replica's log). A message in flight that is nowhere was lost silently.
   */
  audit(heldByProducer: (id: number) => boolean): string[] {
    const violations: string[] = [];
    const tally = { delivered: 0, lost: 0, rejected: 0 };
    let silentlyLost = 0;
    for (let id = 0; id < this.count; id++) {
      const flags = this.flags[id]!;
      const terminal = (flags & DELIVERED ? 1 : 0) + (flags & LOST ? 1 : 0) + (flags & REJECTED ? 1 : 0);
      if (terminal > 1) violations.push(`message ${id} is in ${terminal} final states at once`);
      if (flags & DELIVERED) tally.delivered++;
      if (flags & LOST) tally.lost++;
      if (flags & REJECTED) tally.rejected++;
      if (terminal === 0 && this.physical[id] === 0 && this.consumerHeld[id] === 0 && !heldByProducer(id)) silentlyLost++;
    }
    if (silentlyLost > 0) violations.push(`${silentlyLost} messages in flight are on no replica and held by no producer: lost silently`);
    for (const key of ['delivered', 'lost', 'rejected'] as const) {
      if (tally[key] !== this[key]) violations.push(`${key}: running total ${this[key]} but ${tally[key]} messages are marked so`);
    }
    if (this.inFlight < 0) violations.push(`in flight is negative (${this.inFlight})`);
    return violations;
  }

  private grow(): void {
    const capacity = this.flags.length * 2;
    this.flags = grownTypedArray(this.flags, capacity);
    this.copies = grownTypedArray(this.copies, capacity);
    this.physical = grownTypedArray(this.physical, capacity);
    this.createdUs = grownTypedArray(this.createdUs, capacity);
    this.consumerHeld = grownTypedArray(this.consumerHeld, capacity);
    this.lossCause = grownTypedArray(this.lossCause, capacity);
    this.pendingCause = grownTypedArray(this.pendingCause, capacity);
    this.rejectCause = grownTypedArray(this.rejectCause, capacity);
  }

}
