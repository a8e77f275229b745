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
 * Per-message state (about 17 bytes) is kept only for the messages still in play: a window
 * of ids from `firstLiveId` up. When the window is full the ledger asks `liveFloor` for the
 * lowest id any future event can still touch (KafkaSystem derives it from the producer's
 * batches, the logs nobody has finished with and the consumers' held records), settles every
 * message below it whose state is final, and slides the window past them. Their counts stay
 * in the running totals; their per-message state is gone. So memory follows the messages in
 * flight, not the length of the run (docs/model.md, "Accounting").
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
const FINAL = DELIVERED | LOST | REJECTED;

export interface LedgerOptions {
  /** Messages the window holds before it first settles (it grows when they are all still live). */
  windowCapacity?: number;
}

export class MessageLedger {
  /** Id of the message in slot 0 of the window: every id below it is settled. */
  private base = 0;
  private flags: Uint8Array;
  private copies: Uint16Array;
  /** Copies on any replica's log, in history or not: the audit's proof that nothing vanished. */
  private physical: Uint16Array;
  private createdUs: Float64Array;
  /** Copies fetched by a consumer and not yet processed: not lost while a consumer holds them. */
  private consumerHeld: Uint8Array;
  private lossCause: Uint8Array;
  /** 1 + the cause a message would be lost with, set when its last history copy left. */
  private pendingCause: Uint8Array;
  private rejectCause: Uint8Array;
  /** What the application attached to each message (a sale's stock key); made at the first one. */
  private payloads: Float64Array | null = null;
  private count = 0;
  /** Final states of the settled messages, for the audit's recount. */
  private readonly settled = { delivered: 0, lost: 0, rejected: 0 };
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
   * The lowest message id that any future event may still touch. The default, 0, keeps every
   * message (a ledger used on its own); KafkaSystem sets it.
   */
  liveFloor: () => number = () => 0;

  /**
   * Messages the application handed over that wait in the producer before they get an id: in
   * an open batch (linger.ms), or in a send() blocked on buffer.memory. They are produced and
   * in flight.
   */
  waitingInProducer = 0;

  constructor(options: LedgerOptions = {}) {
    const capacity = options.windowCapacity ?? 65_536;
    assert(Number.isInteger(capacity) && capacity >= 1, () => `the ledger window needs a capacity >= 1, got ${capacity}`);
    this.flags = new Uint8Array(capacity);
    this.copies = new Uint16Array(capacity);
    this.physical = new Uint16Array(capacity);
    this.createdUs = new Float64Array(capacity);
    this.consumerHeld = new Uint8Array(capacity);
    this.lossCause = new Uint8Array(capacity);
    this.pendingCause = new Uint8Array(capacity);
    this.rejectCause = new Uint8Array(capacity);
  }

  get produced(): number {
    return this.count + this.waitingInProducer;
  }

  /** The oldest message whose state is still kept; older ones are settled. */
  get firstLiveId(): number {
    return this.base;
  }

  /** Messages whose state the window holds now (the memory the ledger needs). */
  get liveMessages(): number {
    return this.count - this.base;
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
    this.makeRoom(count);
    this.createdUs.fill(nowUs, first - this.base, first - this.base + count);
    this.count += count;
    return first;
  }

  /** Registers a closed batch: `count` messages handed over at `createdUs[0..count)`; returns the first id. */
  createBatch(createdUs: ArrayLike<number>, count: number): number {
    const first = this.count;
    this.makeRoom(count);
    const slot = first - this.base;
    for (let i = 0; i < count; i++) this.createdUs[slot + i] = createdUs[i]!;
    this.count += count;
    return first;
  }

  createdAtUs(id: number): number {
    return this.createdUs[this.slot(id)]!;
  }

  /**
   * The creation times of the live messages, for a loop over `first .. first + count - 1`:
   * message first + k was created at `creationTimes(first, count)[creationSlot(first) + k]`.
   * Valid until the next message is created.
   */
  creationTimes(first: number, count: number): Float64Array {
    this.slot(first, count);
    return this.createdUs;
  }

  creationSlot(id: number): number {
    return this.slot(id);
  }

  /** The payload the application attached to message `id` (0 when none). */
  payloadOf(id: number): number {
    const slot = this.slot(id);
    return this.payloads === null ? 0 : this.payloads[slot]!;
  }

  attachPayload(id: number, value: number): void {
    if (value === 0 && this.payloads === null) return;
    this.payloads ??= new Float64Array(this.flags.length);
    this.payloads[this.slot(id)] = value;
  }

  isAcked(id: number): boolean {
    return (this.flags[this.slot(id)]! & ACKED) !== 0;
  }

  /** The producer got success (or, with acks=0, sent and forgot). */
  markAcked(first: number, count: number, fireAndForget = false): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) {
      if ((this.flags[slot]! & ACKED) === 0) {
        this.flags[slot]! |= ACKED | (fireAndForget ? FIRE_AND_FORGET : 0);
        this.acked++;
        // An answer still on the wire when a failover removed the message from history.
        if (this.copies[slot] === 0 && this.pendingCause[slot]! > 0) this.loseIfGone(slot, LOSS_CAUSES[this.pendingCause[slot]! - 1]!);
      }
    }
  }

  enterHistory(first: number, count: number): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) {
      if (this.copies[slot]!++ === 0) this.pendingCause[slot] = 0; // back in history: no loss pending
    }
  }

  /**
   * A copy left history (failover truncation). If it was the last copy of a message the
   * producer will not send again, and nobody consumed it, the message is lost.
   */
  leaveHistory(first: number, count: number, cause: LossCause): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) {
      assert(this.copies[slot]! > 0, () => `message ${slot + this.base} left history more often than it entered`);
      this.copies[slot]!--;
      if (this.copies[slot] !== 0) continue;
      if ((this.flags[slot]! & DELIVERED) !== 0 || this.consumerHeld[slot]! > 0) this.truncatedAfterRead++;
      const effective = (this.flags[slot]! & FIRE_AND_FORGET) !== 0 ? 'acks0-failover-truncation' : cause;
      this.pendingCause[slot] = LOSS_CAUSES.indexOf(effective) + 1;
      this.loseIfGone(slot, effective);
    }
  }

  /** A copy outside history was destroyed (a fenced leader's appends, a dropped acks=0 send). */
  destroyedOutsideHistory(first: number, count: number, cause: LossCause): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) this.loseIfGone(slot, cause);
  }

  /** Loses the message in `slot` if nobody has it any more; the cause of its leaving history wins. */
  private loseIfGone(slot: number, fallbackCause: LossCause): void {
    const cause = this.pendingCause[slot]! > 0 ? LOSS_CAUSES[this.pendingCause[slot]! - 1]! : fallbackCause;
    const flags = this.flags[slot]!;
    if (this.copies[slot]! > 0 || this.consumerHeld[slot]! > 0) return;
    if ((flags & ACKED) === 0 || (flags & FINAL) !== 0) return;
    this.markLost(slot, cause);
  }

  private markLost(slot: number, cause: LossCause): void {
    this.flags[slot]! |= LOST;
    this.lossCause[slot] = LOSS_CAUSES.indexOf(cause);
    this.lost++;
    this.lostByCause[cause] = (this.lostByCause[cause] ?? 0) + 1;
  }

  /**
   * A consumer dropped a fetched message without processing it (it crashed). With a cause,
   * the group will never read it again (its offset was already committed): lost for the
   * group, though still in the log.
   */
  consumerDropped(id: number, cause: LossCause | null): void {
    const slot = this.slot(id);
    assert(this.consumerHeld[slot]! > 0, () => `message ${id} dropped by a consumer that did not hold it`);
    this.consumerHeld[slot]!--;
    // Read again from the committed offset, unless the log no longer has it.
    if (cause === null) return this.loseIfGone(slot, 'unclean-election-truncation');
    if ((this.flags[slot]! & FINAL) !== 0) return;
    this.markLost(slot, cause);
  }

  /** A consumer fetched the messages and will process them. */
  consumerFetched(first: number, count = 1): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) this.consumerHeld[slot]!++;
  }

  /** A consumer finished processing the messages (it had fetched them: consumerFetched). */
  markDelivered(first: number, count: number): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) {
      assert(this.consumerHeld[slot]! > 0, () => `message ${slot + this.base} delivered without being fetched`);
      this.consumerHeld[slot]!--;
      const flags = this.flags[slot]!;
      if ((flags & DELIVERED) !== 0) {
        this.duplicates++;
        const cause: DuplicateCause = this.copies[slot]! > 1 ? 'retry-without-idempotence' : 'consumer-redelivery';
        this.duplicatesByCause[cause] = (this.duplicatesByCause[cause] ?? 0) + 1;
        continue;
      }
      this.flags[slot] = flags | DELIVERED;
      this.delivered++;
      if ((flags & (LOST | REJECTED)) !== 0) this.revive(slot, flags);
    }
  }

  /** A message lost or rejected turned out delivered after all. */
  private revive(slot: number, flags: number): void {
    if ((flags & LOST) !== 0) {
      // A "lost" copy resurfaced (only possible through an unclean election reviving it).
      this.flags[slot]! &= ~LOST;
      this.lost--;
      this.lostByCause[LOSS_CAUSES[this.lossCause[slot]!]!]!--;
    }
    if ((flags & REJECTED) !== 0) {
      // The producer gave up, yet an earlier attempt had landed: the application saw an
      // error for a message that was in fact delivered.
      this.flags[slot]! &= ~REJECTED;
      this.rejected--;
      this.rejectedByCause[REJECT_CAUSES[this.rejectCause[slot]!]!]!--;
    }
  }

  /** Told when the producer gives up on messages (the application sees an error). */
  onRejected: (first: number, count: number) => void = () => undefined;

  markRejected(first: number, count: number, cause: RejectCause): void {
    const from = this.slot(first, count);
    for (let slot = from; slot < from + count; slot++) {
      const flags = this.flags[slot]!;
      if ((flags & FINAL) !== 0) continue;
      this.flags[slot] = flags | REJECTED;
      this.rejectCause[slot] = REJECT_CAUSES.indexOf(cause);
      this.rejected++;
      this.rejectedByCause[cause] = (this.rejectedByCause[cause] ?? 0) + 1;
      this.onRejected(slot + this.base, 1);
    }
  }

  /** A replica appended the messages; copies of settled messages are not counted (nothing reads them). */
  replicaAppended(first: number, count: number): void {
    for (let slot = Math.max(0, first - this.base); slot < first + count - this.base; slot++) this.physical[slot]!++;
  }

  replicaTruncated(first: number, count: number): void {
    for (let slot = Math.max(0, first - this.base); slot < first + count - this.base; slot++) {
      assert(this.physical[slot]! > 0, () => `message ${slot + this.base} truncated from more replicas than held it`);
      this.physical[slot]!--;
    }
  }

  /**
   * The conservation audit, counted independently of the running totals: every message is in
   * exactly one state, and one that is in flight is somewhere (held by its producer, or on at
   * least one replica's log). A message in flight that is nowhere was lost silently. Settled
   * messages were final when they settled; their states are recounted from that tally.
   */
  audit(heldByProducer: (id: number) => boolean): string[] {
    const violations: string[] = [];
    const tally = { ...this.settled };
    let silentlyLost = 0;
    for (let slot = 0; slot < this.count - this.base; slot++) {
      const flags = this.flags[slot]!;
      const terminal = (flags & DELIVERED ? 1 : 0) + (flags & LOST ? 1 : 0) + (flags & REJECTED ? 1 : 0);
      if (terminal > 1) violations.push(`message ${slot + this.base} is in ${terminal} final states at once`);
      if (flags & DELIVERED) tally.delivered++;
      if (flags & LOST) tally.lost++;
      if (flags & REJECTED) tally.rejected++;
      if (terminal === 0 && this.physical[slot] === 0 && this.consumerHeld[slot] === 0 && !heldByProducer(slot + this.base)) silentlyLost++;
    }
    if (silentlyLost > 0) violations.push(`${silentlyLost} messages in flight are on no replica and held by no producer: lost silently`);
    for (const key of ['delivered', 'lost', 'rejected'] as const) {
      if (tally[key] !== this[key]) violations.push(`${key}: running total ${this[key]} but ${tally[key]} messages are marked so`);
    }
    if (this.inFlight < 0) violations.push(`in flight is negative (${this.inFlight})`);
    return violations;
  }

  /** Window slot of `first`, checking that the messages first..first+count-1 are not settled. */
  private slot(first: number, count = 1): number {
    assert(first >= this.base && first + count <= this.count, () => `messages ${first}..${first + count - 1} are settled or not created (live: ${this.base}..${this.count - 1})`);
    return first - this.base;
  }

  /** Settles now every final message below the live floor (the window does this by itself when it fills). */
  settle(): void {
    this.settleBelow(Math.min(this.liveFloor(), this.count));
  }

  /** Room for `count` more messages: settle what no event can touch any more, then grow if still short. */
  private makeRoom(count: number): void {
    if (this.count + count - this.base <= this.flags.length) return;
    this.settle();
    let capacity = this.flags.length;
    // Keep half the window free after a slide, so that settling stays rare.
    while (2 * (this.count + count - this.base) > capacity) capacity *= 2;
    if (capacity !== this.flags.length) this.grow(capacity);
  }

  /** Settles the final messages below `floor`, stopping at the first one still in flight. */
  private settleBelow(floor: number): void {
    let slot = 0;
    const end = floor - this.base;
    for (; slot < end; slot++) {
      const flags = this.flags[slot]!;
      if ((flags & FINAL) === 0) break;
      if (flags & DELIVERED) this.settled.delivered++;
      else if (flags & LOST) this.settled.lost++;
      else this.settled.rejected++;
    }
    if (slot === 0) return;
    const live = this.count - this.base - slot;
    for (const column of this.columns()) {
      column.copyWithin(0, slot, slot + live);
      column.fill(0, live, slot + live);
    }
    this.base += slot;
  }

  private columns() {
    const columns = [this.flags, this.copies, this.physical, this.createdUs, this.consumerHeld, this.lossCause, this.pendingCause, this.rejectCause];
    if (this.payloads !== null) columns.push(this.payloads);
    return columns;
  }

  private grow(capacity: number): void {
    this.flags = grownTypedArray(this.flags, capacity);
    this.copies = grownTypedArray(this.copies, capacity);
    this.physical = grownTypedArray(this.physical, capacity);
    this.createdUs = grownTypedArray(this.createdUs, capacity);
    this.consumerHeld = grownTypedArray(this.consumerHeld, capacity);
    this.lossCause = grownTypedArray(this.lossCause, capacity);
    this.pendingCause = grownTypedArray(this.pendingCause, capacity);
    this.rejectCause = grownTypedArray(this.rejectCause, capacity);
    if (this.payloads !== null) this.payloads = grownTypedArray(this.payloads, capacity);
  }
}
