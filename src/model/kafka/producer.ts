import { assert, IndexedMinHeap, type Simulation, type Timer } from '../../engine';
import { LogHistogram } from '../../metrics/histogram';
import { RateMeter } from '../../metrics/rate-meter';
import { FifoLine } from '../queueing/fifo-line';
import { ArrivalLookahead } from './arrival-lookahead';
import type { KafkaCluster, ProduceError } from './cluster';
import type { MessageLedger } from './ledger';
import { partitionForNumericKey } from './partitioner';

/**
 * A producer sending keyed messages, placed by Kafka's default partitioner (murmur2 of the
 * key). The application either submits messages itself (`submit`, as the sale's order
 * service does) or lets the producer send at a Poisson rate with keys uniform over `keys`
 * ids (`ratePerSecond`).
 *
 * Batching follows the Java producer's RecordAccumulator and Sender (§1.7):
 * - records collect in one open batch per partition, up to batch.size bytes (records of
 *   `messageBytes`; batch.size 0 means one record per batch);
 * - a batch is ready when full, when linger.ms has passed since it opened, when another batch
 *   of its partition waits behind it, or when send() is blocked on memory;
 * - the sender takes, for each broker with fewer than max.in.flight.requests.per.connection
 *   requests unanswered, one ready batch per partition it leads into one produce request (up
 *   to max.request.size), and the broker answers the request when every batch in it is done;
 * - buffer.memory is taken a batch.size chunk per batch (a larger record takes its own size,
 *   as BufferPool does) and given back when the batch is done; a send that finds no room waits,
 *   and sends behind it wait too, up to max.block.ms, then fail (`buffer-exhausted`).
 *
 * Delivery (§1.2, §1.7):
 * - acks=0: sent and forgotten; no retry, no error ever reaches the application;
 * - acks=1 / all: retried after retry.backoff.ms on NotLeader, NotEnoughReplicas and
 *   OutOfOrderSequence and on request.timeout.ms without an answer, with a metadata refresh,
 *   until delivery.timeout.ms since the batch opened, when the application gets an error;
 * - without idempotence a retry after a lost answer writes the batch twice (duplicates), and
 *   with more than one request in flight a retried batch lands behind the batches sent after
 *   it (reordering, F9); max.in.flight 1 keeps order by sending one batch per partition at a
 *   time;
 * - with idempotence (Kafka 4's default with acks=all) batches carry per-partition sequence
 *   numbers: the leader refuses a copy and anything out of order, and the producer resends
 *   retries in sequence order, so order holds with up to 5 requests in flight (F10).
 *
 * Message ids (the ledger's) are given when a batch is first sent, so that a batch holds
 * consecutive ids; until then its records count in `ledger.waitingInProducer`.
 */
export interface ProducerOptions {
  node: number;
  /** Poisson sending rate; 0 when the application calls `submit` itself. */
  ratePerSecond: number;
  keys: number;
  acks: 0 | 1 | 'all';
  /** enable.idempotence: sequence numbers per partition; the leader refuses copies and gaps. */
  idempotent?: boolean;
  requestTimeoutUs: number;
  deliveryTimeoutUs: number;
  retryBackoffUs: number;
  /** The application stops sending at this time (µs). */
  stopAtUs: number;
  /** linger.ms, in µs (default 0). */
  lingerUs?: number;
  /** batch.size in bytes; 0 (the default) gives one record per batch. */
  batchSizeBytes?: number;
  /** max.in.flight.requests.per.connection (default 5). */
  maxInFlight?: number;
  /** buffer.memory in bytes (default unbounded). */
  bufferMemoryBytes?: number;
  /** max.block.ms, in µs (default 60 s). */
  maxBlockUs?: number;
  /** max.request.size in bytes (default 1 MiB). */
  maxRequestSizeBytes?: number;
  /** retry.backoff.max.ms, in µs: retries back off exponentially up to it (default: no growth). */
  retryBackoffMaxUs?: number;
}

interface Batch {
  readonly partition: number;
  readonly openedUs: number;
  /**
   * Creation times and application payloads of the records, until the batch gets its ids
   * (buffers of batch.size records, lent by the producer; payloads only once one is non-zero).
   */
  times: Float64Array | null;
  payloads: Float64Array | null;
  count: number;
  /** First message id, -1 until the batch is first sent. */
  firstId: number;
  sequence: number;
  attempts: number;
  /** A retry waits for retry.backoff.ms. */
  notBeforeUs: number;
  lastError: number;
  /** Serial of the request carrying it, -1 when it is not on its way. */
  request: number;
}

interface ProduceRequest {
  readonly broker: number;
  readonly batches: Batch[];
  /** Error code per batch, filled in by the broker. */
  readonly codes: number[];
  unanswered: number;
  /** When the broker's writes of every batch are done: the response leaves then. */
  readyUs: number;
  /** The producer stopped waiting (request.timeout.ms): a late answer is ignored. */
  abandoned: boolean;
}

const ERROR_CODES: ProduceError[] = ['none', 'not-leader', 'not-enough-replicas', 'not-enough-replicas-after-append', 'out-of-order-sequence'];
const NOT_ENOUGH_REPLICAS = [ERROR_CODES.indexOf('not-enough-replicas'), ERROR_CODES.indexOf('not-enough-replicas-after-append')];
const TIMEOUT = ERROR_CODES.length;
/** A batch's part of a request travels as request serial * MAX_PARTS + its index in the request. */
const MAX_PARTS = 65_536;
const NOT_SENT = -1;

export class Producer {
  readonly produceLatencyUs = new LogHistogram();
  readonly sentPerSecond = new RateMeter();
  /** Produce requests sent, retries included (each carries one batch per partition). */
  requestsSent = 0;
  batchesSent = 0;
  /** Records in the batches sent, each try counted. */
  recordsSent = 0;
  /** Told of every batch sent (each try) and of every batch acknowledged: the message tracer listens. */
  onBatchSent: (firstId: number, count: number, partition: number, broker: number) => void = () => undefined;
  onBatchAcked: (firstId: number, count: number) => void = () => undefined;
  private readonly queues: Batch[][] = [];
  private readonly inFlight: number[] = [];
  private readonly nextSequence: number[] = [];
  private readonly requests = new Map<number, ProduceRequest>();
  private requestSerial = 0;
  private bufferedBytes = 0;
  /** Sends waiting for buffer memory, in order: partition, creation time, payload. */
  private readonly blocked: number[] = [];
  /** Record buffers of closed batches, lent again to new ones. */
  private readonly spareBuffers: Float64Array[] = [];
  private blockedHead = 0;
  private readonly recordsPerBatch: number;
  private readonly chunkBytes: number;
  private readonly lingerUs: number;
  private readonly maxInFlight: number;
  private readonly bufferMemoryBytes: number;
  private readonly maxBlockUs: number;
  private readonly maxRequestRecords: number;
  private readonly kinds;
  /** The Poisson driver's arrivals drawn ahead (null when the application sends itself). */
  private readonly ahead: ArrivalLookahead | null;
  /**
   * Per partition, when the driver must next hand its arrivals over (the arrival that fills
   * its batch, or the linger deadline of the batch its next arrival opens), and whether that
   * moment is final (later draws cannot bring it forward). The driver wakes at the earliest.
   */
  private readonly dueUs: IndexedMinHeap;
  private readonly dueFinal: Uint8Array;
  /** Drawn arrivals a partition needs before its due moment can change (skips recomputing it on every draw). */
  private readonly dueNeed: Int32Array;
  /** The `everyArrival` mode the dues are computed in (checked, and all dues recomputed when it changes, at the end of each handler). */
  private dueMode = false;
  private readonly arrivalTimer: Timer;
  /** Open batches in the order they opened, for their linger deadlines (opened + linger.ms). */
  private readonly lingering: Batch[] = [];
  private lingeringHead = 0;
  private readonly lingerTimer: Timer;
  /** Brokers whose partitions may have a batch ready to go: drained before the handler returns. */
  private readonly drainMarked: Uint8Array;
  /**
   * Partitions whose batch became ready by itself (it filled, or its linger ran out), per
   * broker not marked as a whole: a drain then looks at those alone. Any other batch of that
   * broker that is ready has gone already or waits for a slot, and a freed slot marks the
   * whole broker.
   */
  private readonly readyPartitions: Int32Array[] = [];
  private readonly readyCount: Int32Array;
  private readonly readyListed: Uint8Array;
  /** The partitions a drain takes, sorted (the scratch of flushDrains). */
  private readonly drainScratch: Int32Array;
  private drainPending = false;
  /** The partitions each broker leads, as of the cluster's leadership version `ledVersion`. */
  private led: number[][] = [];
  private ledVersion = -1;
  /**
   * Requests waiting for an answer, in send order: the timeout is the same for all, so their
   * deadlines are in this order too and one timer at the head replaces an event per request.
   */
  private readonly awaiting = new FifoLine();
  private readonly timeoutTimer: Timer;
  /** Wakes the sender for what has no event of its own: retry backoffs, delivery timeouts, a partition without a leader. */
  private readonly senderTimer: Timer;
  private readonly blockTimer: Timer;
  /** Drawn only for retries, so that a run without retries draws nothing more. */
  private readonly retryJitter;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: KafkaCluster,
    private readonly ledger: MessageLedger,
    private readonly options: ProducerOptions,
  ) {
    assert(options.ratePerSecond >= 0 && options.keys >= 1, 'producer needs a rate >= 0 and at least one key');
    const recordBytes = cluster.messageBytes;
    const batchSize = options.batchSizeBytes ?? 0;
    this.recordsPerBatch = Math.max(1, Math.floor(batchSize / recordBytes));
    this.chunkBytes = Math.max(batchSize, recordBytes);
    this.lingerUs = options.lingerUs ?? 0;
    this.maxInFlight = options.maxInFlight ?? 5;
    this.bufferMemoryBytes = options.bufferMemoryBytes ?? Infinity;
    this.maxBlockUs = options.maxBlockUs ?? 60_000_000;
    this.maxRequestRecords = Math.max(1, Math.floor((options.maxRequestSizeBytes ?? 1_048_576) / recordBytes));
    assert(this.maxInFlight >= 1, 'max.in.flight.requests.per.connection must be at least 1');
    for (let p = 0; p < cluster.options.partitions; p++) {
      this.queues.push([]);
      this.nextSequence.push(0);
    }
    for (let b = 0; b < cluster.options.brokers; b++) this.inFlight.push(0);
    const partitions = cluster.options.partitions;
    if (options.ratePerSecond > 0) {
      this.ahead = new ArrivalLookahead(partitions, {
        ratePerSecond: options.ratePerSecond,
        keys: options.keys,
        gaps: sim.stream(`producer-${options.node}/arrivals`),
        keyDraws: sim.stream(`producer-${options.node}/keys`),
        stopAtUs: options.stopAtUs,
      });
    } else this.ahead = null;
    this.dueUs = new IndexedMinHeap(partitions);
    this.dueFinal = new Uint8Array(partitions);
    this.dueNeed = new Int32Array(partitions);
    this.drainMarked = new Uint8Array(cluster.options.brokers);
    this.readyListed = new Uint8Array(partitions);
    this.drainScratch = new Int32Array(partitions);
    this.readyCount = new Int32Array(cluster.options.brokers);
    for (let b = 0; b < cluster.options.brokers; b++) this.readyPartitions.push(new Int32Array(partitions));
    this.retryJitter = sim.stream(`producer-${options.node}/retry-jitter`);
    this.kinds = {
      arrivals: sim.defineEvent(`producer-${options.node}/arrivals`, () => this.onArrivals()),
      requestArrive: sim.defineEvent(`producer-${options.node}/request-arrive`, (serial) => this.onRequestArrive(serial)),
      responseArrive: sim.defineEvent(`producer-${options.node}/response-arrive`, (serial) => this.onResponse(serial)),
      timeouts: sim.defineEvent(`producer-${options.node}/request-timeouts`, () => this.onTimeouts()),
      sender: sim.defineEvent(`producer-${options.node}/sender`, () => this.onSenderTimer()),
      blockTimeouts: sim.defineEvent(`producer-${options.node}/max-block-timeouts`, () => this.onBlockTimeouts()),
      linger: sim.defineEvent(`producer-${options.node}/linger`, () => this.onLingerExpired()),
    };
    this.timeoutTimer = sim.timer(this.kinds.timeouts);
    this.arrivalTimer = sim.timer(this.kinds.arrivals);
    this.lingerTimer = sim.timer(this.kinds.linger);
    this.senderTimer = sim.timer(this.kinds.sender);
    this.blockTimer = sim.timer(this.kinds.blockTimeouts);
    const previous = cluster.respondToProduce;
    cluster.respondToProduce = (partId, error, broker, afterUs = 0) => {
      if (this.requests.has(Math.floor(partId / MAX_PARTS))) this.answerPart(partId, error, afterUs);
      else previous(partId, error, broker, afterUs);
    };
  }

  start(): void {
    this.scheduleArrivals();
  }

  /** The audit's question: is this message still the producer's to send (in a batch not yet done)? */
  heldByProducer(id: number): boolean {
    for (const queue of this.queues) {
      for (const batch of queue) if (batch.firstId !== NOT_SENT && id >= batch.firstId && id < batch.firstId + batch.count) return true;
    }
    return false;
  }

  /** The lowest message id in a batch the producer still holds (Infinity when none): it may send it again. */
  lowestHeldId(): number {
    let lowest = Infinity;
    for (const queue of this.queues) {
      for (const batch of queue) if (batch.firstId !== NOT_SENT && batch.firstId < lowest) lowest = batch.firstId;
    }
    return lowest;
  }

  /** What the application attached to message `id` when it submitted it. */
  payloadOf(id: number): number {
    return this.ledger.payloadOf(id);
  }

  /**
   * For observers (the time series, the live view, the end of a run): counts the Poisson
   * arrivals up to now as produced (`ledger.waitingInProducer`, `sentPerSecond`) without handing
   * them to the accumulator, so this changes no batch and schedules nothing: a run observed more
   * often is the same run.
   */
  catchUp(): void {
    if (this.ahead !== null) this.ledger.waitingInProducer += this.ahead.countUpTo(this.sim.now, this.sentPerSecond);
  }

  /**
   * The Poisson driver (`ratePerSecond`) draws arrivals ahead and hands them to the accumulator
   * with their own times, but wakes up only when one makes something happen: the arrival that
   * fills a batch (it goes at once), and the linger deadline of a batch that an arrival opens.
   * Every producer handler first hands over the arrivals up to its own time (`revealUpToNow`),
   * so each batch holds exactly the records it would hold with an event per arrival. With
   * linger.ms 0, while sends are blocked on memory, or when the open batches could use up
   * buffer.memory before the next wake, it wakes for every arrival instead.
   */
  private scheduleArrivals(): void {
    const ahead = this.ahead;
    if (ahead === null) return;
    if (this.everyArrival !== this.dueMode) {
      this.dueMode = this.everyArrival;
      this.updateAllDues();
    }
    // Draw until the earliest due moment is known: an arrival not drawn yet comes after drawnUntilUs.
    while (this.dueUs.minKey > ahead.drawnUntilUs) {
      const partition = ahead.draw();
      if (partition < 0) break;
      if (this.dueFinal[partition] === 0 && ahead.pendingCount(partition) >= this.dueNeed[partition]!) this.updateDue(partition);
    }
    const dueUs = this.dueUs.minKey;
    if (dueUs === Infinity) this.arrivalTimer.cancel();
    else if (this.arrivalTimer.dueUs !== Math.max(this.sim.now, dueUs)) this.arrivalTimer.armAt(Math.max(this.sim.now, dueUs));
  }

  /** Whether every arrival needs its own wake (see scheduleArrivals). */
  private get everyArrival(): boolean {
    return this.lingerUs === 0 || this.blockedHead < this.blocked.length || this.bufferedBytes + this.chunkBytes * this.queues.length > this.bufferMemoryBytes;
  }

  /** Recomputes when the partition's drawn arrivals next need handing over (its due moment). */
  private updateDue(partition: number): void {
    const ahead = this.ahead!;
    const pending = ahead.pendingCount(partition);
    let due = Infinity;
    let final = 0;
    const open = this.openBatch(partition);
    const need = this.recordsPerBatch - (open === undefined ? 0 : open.count); // arrivals until it is full
    // The moment changes when the first arrival is drawn (it opens the batch, or in the every-arrival
    // mode wakes the driver) and when the filling one is.
    this.dueNeed[partition] = pending === 0 && (open === undefined || this.dueMode) ? 1 : need;
    if (pending > 0) {
      const fillUs = pending >= need ? ahead.pendingTimeUs(partition, need - 1) : Infinity;
      final = fillUs < Infinity ? 1 : 0;
      if (this.dueMode) {
        due = ahead.pendingTimeUs(partition, 0);
        final = 1;
      } else due = open === undefined ? Math.min(ahead.pendingTimeUs(partition, 0) + this.lingerUs, fillUs) : fillUs;
    }
    this.dueUs.set(partition, due);
    this.dueFinal[partition] = final;
  }

  /** The driver's arrivals up to now, at the start of every producer handler, in arrival order. */
  private revealUpToNow(): void {
    const ahead = this.ahead;
    if (ahead === null) return;
    this.catchUp();
    while (ahead.nextTimeUs <= this.sim.now) {
      const partition = ahead.take();
      const createdUs = ahead.takenUs;
      const open = this.openBatch(partition);
      if (open === undefined || this.blockedHead < this.blocked.length || this.lingerUs === 0) {
        this.accept(partition, createdUs, 0);
        this.updateDue(partition);
        continue;
      }
      // It joins the open batch (the common case, kept short). That leaves the partition's fill
      // moment where it was, unless it fills the batch (or every arrival wakes the driver).
      open.times![open.count] = createdUs;
      if (open.payloads !== null) open.payloads[open.count] = 0;
      this.dueNeed[partition]!--; // one fewer drawn arrival to wait for: it left the pending ones for the batch
      if (++open.count >= this.recordsPerBatch) {
        this.markPartition(partition);
        this.updateDue(partition);
      } else if (this.dueMode) this.updateDue(partition);
    }
  }

  private updateAllDues(): void {
    if (this.ahead === null) return;
    for (let p = 0; p < this.queues.length; p++) this.updateDue(p);
  }

  private onArrivals(): void {
    this.revealUpToNow();
    this.flushDrains();
    this.scheduleArrivals();
  }

  /**
   * The application sends one message with this key now, with a payload it can read back by
   * the message's id (`payloadOf`) when the message is delivered or rejected.
   */
  submit(key: number, payload = 0): void {
    this.revealUpToNow();
    this.ledger.waitingInProducer++;
    this.sentPerSecond.record(this.sim.now);
    this.accept(partitionForNumericKey(key, this.cluster.options.partitions), this.sim.now, payload);
    this.flushDrains();
    this.scheduleArrivals();
  }

  /** A record handed over at `createdUs` (now, or a driver arrival handed over late), counted as produced already. */
  private accept(partition: number, createdUs: number, payload: number): void {
    if (this.blockedHead === this.blocked.length && this.hasRoomFor(partition)) return this.append(partition, createdUs, payload, createdUs);
    this.blocked.push(partition, createdUs, payload);
    if (!this.blockTimer.armed) this.blockTimer.armAt(Math.max(this.sim.now, createdUs + this.maxBlockUs));
    this.markAllBrokers(); // while a send is blocked every batch is ready
  }

  private openBatch(partition: number): Batch | undefined {
    const queue = this.queues[partition]!;
    const last = queue[queue.length - 1];
    return last !== undefined && last.firstId === NOT_SENT && last.count < this.recordsPerBatch ? last : undefined;
  }

  private hasRoomFor(partition: number): boolean {
    return this.openBatch(partition) !== undefined || this.bufferedBytes + this.chunkBytes <= this.bufferMemoryBytes;
  }

  private lendBuffer(): Float64Array {
    return this.spareBuffers.pop() ?? new Float64Array(this.recordsPerBatch);
  }

  /** Adds a record to its partition's open batch, opening one at `atUs` if needed. */
  private append(partition: number, createdUs: number, payload: number, atUs: number): void {
    let batch = this.openBatch(partition);
    if (batch === undefined) {
      batch = { partition, openedUs: atUs, times: this.lendBuffer(), payloads: null, count: 0, firstId: NOT_SENT, sequence: -1, attempts: 0, notBeforeUs: 0, lastError: 0, request: NOT_SENT };
      this.queues[partition]!.push(batch);
      this.bufferedBytes += this.chunkBytes;
      if (this.lingerUs > 0) {
        this.lingering.push(batch);
        if (!this.lingerTimer.armed) this.lingerTimer.armAt(Math.max(this.sim.now, atUs + this.lingerUs));
      }
    }
    batch.times![batch.count] = createdUs;
    if (payload !== 0 && batch.payloads === null) batch.payloads = this.lendBuffer().fill(0);
    if (batch.payloads !== null) batch.payloads[batch.count] = payload;
    batch.count++;
    if (batch.count >= this.recordsPerBatch || this.lingerUs === 0) this.markPartition(partition);
  }

  /** Open batches whose linger.ms ran out are ready: their leaders are drained. */
  private onLingerExpired(): void {
    this.revealUpToNow();
    const lingering = this.lingering;
    while (this.lingeringHead < lingering.length) {
      const batch = lingering[this.lingeringHead]!;
      // Batches that went already (most fill before their linger runs out) need no wake.
      if (batch.firstId !== NOT_SENT) {
        this.lingeringHead++;
        continue;
      }
      if (batch.openedUs + this.lingerUs > this.sim.now) break;
      this.lingeringHead++;
      this.markPartition(batch.partition);
    }
    if (this.lingeringHead > 1_024 && this.lingeringHead * 2 > lingering.length) {
      lingering.splice(0, this.lingeringHead);
      this.lingeringHead = 0;
    }
    if (this.lingeringHead < lingering.length) this.lingerTimer.armAt(Math.max(this.sim.now, lingering[this.lingeringHead]!.openedUs + this.lingerUs));
    this.flushDrains();
    this.scheduleArrivals();
  }

  /** Sends blocked on memory go on, in order, as far as the freed memory allows. */
  private unblock(): void {
    while (this.blockedHead < this.blocked.length && this.hasRoomFor(this.blocked[this.blockedHead]!)) {
      const partition = this.blocked[this.blockedHead]!;
      const createdUs = this.blocked[this.blockedHead + 1]!;
      const payload = this.blocked[this.blockedHead + 2]!;
      this.blockedHead += 3;
      this.append(partition, createdUs, payload, this.sim.now);
    }
    this.compactBlocked();
  }

  /** send() blocked longer than max.block.ms throws to the application: the message is rejected. */
  private onBlockTimeouts(): void {
    this.revealUpToNow();
    while (this.blockedHead < this.blocked.length && this.blocked[this.blockedHead + 1]! + this.maxBlockUs <= this.sim.now) {
      const createdUs = this.blocked[this.blockedHead + 1]!;
      const payload = this.blocked[this.blockedHead + 2]!;
      this.blockedHead += 3;
      this.ledger.waitingInProducer--;
      const id = this.ledger.createBatch([createdUs], 1);
      this.ledger.attachPayload(id, payload);
      this.ledger.markRejected(id, 1, 'buffer-exhausted');
    }
    this.compactBlocked();
    if (this.blockedHead < this.blocked.length) this.blockTimer.armAt(this.blocked[this.blockedHead + 1]! + this.maxBlockUs);
    this.flushDrains();
    this.scheduleArrivals();
  }

  private compactBlocked(): void {
    if (this.blockedHead === this.blocked.length) {
      this.blocked.length = 0;
      this.blockedHead = 0;
    } else if (this.blockedHead > 3 * 1024 && this.blockedHead * 2 > this.blocked.length) {
      this.blocked.splice(0, this.blockedHead);
      this.blockedHead = 0;
    }
  }

  // ---------------------------------------------------------------- the sender

  /**
   * The sender works per broker: a change that may let a batch go (it filled, its linger ran
   * out, a request slot freed, a send blocked) marks the brokers concerned, and the handler
   * drains them before it returns. What has no such moment (a retry's backoff, a delivery
   * deadline, a partition without a leader) is left to the sender timer, which drains them all.
   */
  private markPartition(partition: number): void {
    const leader = this.cluster.partitions[partition]!.leader;
    if (leader < 0) return this.wakeSenderAt(this.sim.now);
    if (this.drainMarked[leader] === 1 || this.readyListed[partition] === 1) return;
    this.readyListed[partition] = 1;
    this.readyPartitions[leader]![this.readyCount[leader]!++] = partition;
    this.drainPending = true;
  }

  private markBroker(broker: number): void {
    this.drainMarked[broker] = 1;
    this.drainPending = true;
  }

  private markAllBrokers(): void {
    for (let broker = 0; broker < this.drainMarked.length; broker++) this.markBroker(broker);
  }

  private wakeSenderAt(timeUs: number): void {
    if (!this.senderTimer.armed || this.senderTimer.dueUs > timeUs) this.senderTimer.armAt(timeUs);
  }

  /** Drains every marked broker and listed partition (a drain may mark others: a finished acks=0 batch frees memory). */
  private flushDrains(): void {
    while (this.drainPending) {
      this.drainPending = false;
      for (let broker = 0; broker < this.drainMarked.length; broker++) {
        const count = this.readyCount[broker]!;
        if (count === 0 && this.drainMarked[broker] === 0) continue;
        // The listed partitions move to a scratch list (a drain may list others meanwhile), in
        // the order a full scan takes them.
        const listed = this.readyPartitions[broker]!;
        const scratch = this.drainScratch;
        for (let i = 0; i < count; i++) {
          const p = listed[i]!;
          this.readyListed[p] = 0;
          let at = i;
          for (; at > 0 && scratch[at - 1]! > p; at--) scratch[at] = scratch[at - 1]!;
          scratch[at] = p;
        }
        this.readyCount[broker] = 0;
        if (this.drainMarked[broker] === 1) {
          this.drainMarked[broker] = 0;
          const led = this.partitionsLedBy(broker);
          this.drainBroker(broker, led, led.length);
        } else this.drainBroker(broker, scratch, count);
      }
    }
  }

  private onSenderTimer(): void {
    this.revealUpToNow();
    this.markAllBrokers();
    this.flushDrains();
    // Partitions without a leader: a batch may run out of time, or must try again later.
    let wakeUs = Infinity;
    for (let p = 0; p < this.queues.length; p++) {
      if (this.cluster.partitions[p]!.leader >= 0) continue;
      let batch = this.sendableBatch(p);
      for (; batch !== undefined && batch.openedUs + this.options.deliveryTimeoutUs <= this.sim.now; batch = this.sendableBatch(p)) this.giveUp(batch, TIMEOUT);
      if (batch !== undefined) wakeUs = Math.min(wakeUs, this.sim.now + this.options.retryBackoffUs, batch.openedUs + this.options.deliveryTimeoutUs);
    }
    if (wakeUs < Infinity) this.wakeSenderAt(wakeUs);
    this.flushDrains();
    this.scheduleArrivals();
  }

  /** The partitions `broker` leads now (the producer reads fresh metadata each time, as after a refresh). */
  private partitionsLedBy(broker: number): number[] {
    if (this.ledVersion !== this.cluster.leadershipVersion) {
      this.ledVersion = this.cluster.leadershipVersion;
      this.led = Array.from({ length: this.cluster.options.brokers }, () => []);
      this.cluster.partitions.forEach((state, p) => {
        if (state.leader >= 0) this.led[state.leader]!.push(p);
      });
    }
    return this.led[broker]!;
  }

  /**
   * Sends what `broker` can take now: while it has a free in-flight slot, one request with one
   * ready batch per partition it leads (up to max.request.size). A batch that cannot go yet
   * may still run out of time; the sender timer is armed for the earliest such deadline and
   * for the earliest batch that becomes ready by itself.
   */
  private drainBroker(broker: number, partitions: ArrayLike<number>, length: number): void {
    let again = true;
    let wakeUs = Infinity;
    while (again) {
      let parts: Batch[] | null = null;
      let records = 0;
      again = false;
      wakeUs = Infinity;
      for (let i = 0; i < length; i++) {
        const p = partitions[i]!;
        if (this.cluster.partitions[p]!.leader !== broker) {
          this.markPartition(p); // led elsewhere by now
          continue;
        }
        const batch = this.sendableBatch(p);
        if (batch === undefined) continue;
        const readyUs = this.readyAtUs(batch);
        const expiresUs = batch.openedUs + this.options.deliveryTimeoutUs;
        if (readyUs > this.sim.now || this.inFlight[broker]! >= this.maxInFlight) {
          if (expiresUs <= this.sim.now) {
            this.giveUp(batch, batch.lastError);
            again = true;
            continue;
          }
          // A free slot comes with a response, which drains again; a linger deadline has its
          // own timer; the rest (a retry's backoff) needs the sender timer.
          const byItself = readyUs > this.sim.now && batch.attempts > 0 ? readyUs : Infinity;
          wakeUs = Math.min(wakeUs, byItself, expiresUs);
          continue;
        }
        if (parts !== null && records + batch.count > this.maxRequestRecords) {
          again = true; // max.request.size: the next request takes it
          continue;
        }
        parts ??= [];
        parts.push(batch);
        records += batch.count;
      }
      if (parts !== null) {
        this.sendRequest(broker, parts);
        again = true; // the partitions may have further batches for the free slots
      }
    }
    if (wakeUs < Infinity) this.wakeSenderAt(wakeUs);
  }

  /**
   * The partition's next batch to send, if order allows: the first one not on its way. A retry
   * waits while an earlier batch is on its way (idempotence: resend in sequence order), and with
   * max.in.flight 1 nothing goes while the partition has a batch on its way.
   */
  private sendableBatch(partition: number): Batch | undefined {
    const queue = this.queues[partition]!;
    let index = 0;
    while (index < queue.length && queue[index]!.request !== NOT_SENT) index++;
    const batch = queue[index];
    if (batch === undefined) return undefined;
    if (index > 0 && (this.maxInFlight === 1 || (this.options.idempotent === true && batch.attempts > 0))) return undefined;
    return batch;
  }

  private readyAtUs(batch: Batch): number {
    if (batch.attempts > 0) return batch.notBeforeUs;
    const queue = this.queues[batch.partition]!;
    const full = batch.count >= this.recordsPerBatch || queue[queue.length - 1] !== batch;
    return full || this.blockedHead < this.blocked.length ? this.sim.now : batch.openedUs + this.lingerUs;
  }

  /** Gives a batch its message ids and its sequence number, the first time it is sent. */
  private close(batch: Batch): void {
    batch.firstId = this.ledger.createBatch(batch.times!, batch.count);
    this.ledger.waitingInProducer -= batch.count;
    if (batch.payloads !== null) {
      for (let i = 0; i < batch.count; i++) this.ledger.attachPayload(batch.firstId + i, batch.payloads[i]!);
      this.spareBuffers.push(batch.payloads);
    }
    this.spareBuffers.push(batch.times!);
    batch.sequence = this.nextSequence[batch.partition]!++;
    if (this.ahead !== null) this.updateDue(batch.partition); // its next arrival opens a new batch
    batch.times = null;
    batch.payloads = null;
  }

  private sendRequest(broker: number, batches: Batch[]): void {
    const serial = this.requestSerial++;
    this.requestsSent++;
    let bytes = 0;
    for (const batch of batches) {
      if (batch.firstId === NOT_SENT) this.close(batch);
      batch.attempts++;
      batch.request = serial;
      bytes += batch.count * this.cluster.messageBytes;
      this.batchesSent++;
      this.recordsSent += batch.count;
      this.onBatchSent(batch.firstId, batch.count, batch.partition, broker);
    }
    const sendingUs = this.cluster.network.transmissionDelayUs(this.options.node, this.sim.now, bytes);
    const request: ProduceRequest = { broker, batches, codes: batches.map(() => 0), unanswered: batches.length, readyUs: this.sim.now, abandoned: false };
    const delivered = this.cluster.sendOver(this.options.node, broker, this.kinds.requestArrive, serial, 0, sendingUs);
    if (this.options.acks === 0) {
      for (const batch of batches) {
        this.ledger.markAcked(batch.firstId, batch.count, true);
        if (!delivered) this.ledger.destroyedOutsideHistory(batch.firstId, batch.count, 'acks0-network-drop');
        this.finish(batch);
      }
      if (delivered) this.requests.set(serial, { ...request, abandoned: true });
      return;
    }
    this.inFlight[broker]!++;
    if (delivered) this.requests.set(serial, request);
    else this.requests.set(serial, { ...request, unanswered: -1 }); // never arrives: only the timeout ends it
    this.awaiting.push(serial, this.sim.now + this.options.requestTimeoutUs);
    if (!this.timeoutTimer.armed) this.timeoutTimer.armAt(this.sim.now + this.options.requestTimeoutUs);
  }

  // ---------------------------------------------------------------- the broker's side

  private onRequestArrive(serial: number): void {
    const request = this.requests.get(serial)!;
    const acks = this.options.acks;
    if (!this.cluster.reachable(this.options.node, request.broker)) {
      if (acks === 0) {
        this.requests.delete(serial);
        for (const batch of request.batches) this.ledger.destroyedOutsideHistory(batch.firstId, batch.count, 'acks0-network-drop');
      } else {
        request.unanswered = -1;
        this.forgetIfDone(serial, request);
      }
      return;
    }
    for (let part = 0; part < request.batches.length; part++) {
      const batch = request.batches[part]!;
      const firstPending = this.queues[batch.partition]![0] === batch;
      const result = this.cluster.produce(request.broker, batch.partition, batch.firstId, batch.count, acks, serial * MAX_PARTS + part, this.options.idempotent === true, batch.sequence, firstPending);
      if (acks === 0) {
        if (result === 'not-leader') this.ledger.destroyedOutsideHistory(batch.firstId, batch.count, 'acks0-not-leader');
        continue;
      }
      // An answer leaves when the leader has written the batch (its CPU and disk time).
      if (result !== 'pending') this.answerPart(serial * MAX_PARTS + part, result, result === 'none' ? this.cluster.lastWriteDoneUs - this.sim.now : 0);
    }
    if (acks === 0) this.requests.delete(serial);
  }

  /** The broker holds a request until every batch in it is answered, then sends one response. */
  private answerPart(partId: number, error: ProduceError, afterUs: number): void {
    const serial = Math.floor(partId / MAX_PARTS);
    const request = this.requests.get(serial)!;
    request.codes[partId % MAX_PARTS] = ERROR_CODES.indexOf(error);
    request.readyUs = Math.max(request.readyUs, this.sim.now + afterUs);
    if (--request.unanswered > 0) return;
    if (!this.cluster.sendOver(request.broker, this.options.node, this.kinds.responseArrive, serial, 0, request.readyUs - this.sim.now)) {
      request.unanswered = -1;
      this.forgetIfDone(serial, request);
    }
  }

  // ---------------------------------------------------------------- the producer's side

  /** Answers to a request the producer gave up on are ignored, as the Java producer does. */
  private onResponse(serial: number): void {
    this.revealUpToNow();
    const request = this.requests.get(serial)!;
    if (!this.cluster.reachable(request.broker, this.options.node)) {
      request.unanswered = -1;
      return this.forgetIfDone(serial, request);
    }
    this.requests.delete(serial);
    if (request.abandoned) return;
    request.abandoned = true;
    this.inFlight[request.broker]!--;
    for (let part = 0; part < request.batches.length; part++) {
      const batch = request.batches[part]!;
      if (batch.request !== serial) continue;
      const code = request.codes[part]!;
      if (code === 0) this.acknowledge(batch);
      else this.retryLater(batch, code);
    }
    this.markBroker(request.broker);
    this.flushDrains();
    this.scheduleArrivals();
  }

  private forgetIfDone(serial: number, request: ProduceRequest): void {
    if (request.abandoned) this.requests.delete(serial);
  }

  /** Every request sent request.timeout.ms ago or earlier and still unanswered is retried. */
  private onTimeouts(): void {
    this.revealUpToNow();
    const line = this.awaiting;
    while (line.length > 0 && line.peekArrivalUs() <= this.sim.now) {
      const serial = line.shift();
      const request = this.requests.get(serial);
      if (request === undefined || request.abandoned) continue;
      request.abandoned = true;
      this.inFlight[request.broker]!--;
      this.markBroker(request.broker);
      for (const batch of request.batches) if (batch.request === serial) this.retryLater(batch, TIMEOUT);
      // The broker may still answer (it keeps the request until it is done), or never will.
      if (request.unanswered < 0) this.requests.delete(serial);
    }
    if (line.length > 0) this.timeoutTimer.armAt(line.peekArrivalUs());
    this.flushDrains();
    this.scheduleArrivals();
  }

  private acknowledge(batch: Batch): void {
    this.ledger.markAcked(batch.firstId, batch.count);
    const times = this.ledger.creationTimes(batch.firstId, batch.count);
    const from = this.ledger.creationSlot(batch.firstId);
    const now = this.sim.now;
    for (let k = 0; k < batch.count; k++) this.produceLatencyUs.recordLatency(now - times[from + k]!);
    this.onBatchAcked(batch.firstId, batch.count);
    this.finish(batch);
  }

  /**
   * Kafka's exponential retry backoff (KIP-580): retry.backoff.ms doubled for each further
   * try, capped at retry.backoff.max.ms, with ±20 % jitter (CommonClientConfigs).
   */
  private backoffUs(attempts: number): number {
    const base = this.options.retryBackoffUs;
    const max = Math.max(base, this.options.retryBackoffMaxUs ?? base);
    if (max === base) return base;
    const term = Math.min(max, base * 2 ** (attempts - 1));
    return Math.round(term * (0.8 + 0.4 * this.retryJitter.nextFloat()));
  }

  private retryLater(batch: Batch, code: number): void {
    batch.request = NOT_SENT;
    batch.lastError = code;
    batch.notBeforeUs = this.sim.now + this.backoffUs(batch.attempts);
    if (this.sim.now - batch.openedUs >= this.options.deliveryTimeoutUs) this.giveUp(batch, code);
    else this.wakeSenderAt(batch.notBeforeUs);
  }

  private giveUp(batch: Batch, code: number): void {
    if (batch.firstId === NOT_SENT) this.close(batch);
    this.ledger.markRejected(batch.firstId, batch.count, NOT_ENOUGH_REPLICAS.includes(code) ? 'not-enough-replicas' : 'delivery-timeout');
    this.finish(batch);
  }

  /** The batch is done (acknowledged, sent with acks=0, or given up): its memory is free. */
  private finish(batch: Batch): void {
    const queue = this.queues[batch.partition]!;
    const index = queue.indexOf(batch);
    if (index === 0) queue.shift(); // the usual case; splice would allocate the removed part
    else queue.splice(index, 1);
    batch.request = NOT_SENT;
    this.bufferedBytes -= this.chunkBytes;
    if (this.blockedHead < this.blocked.length) this.unblock();
  }
}
