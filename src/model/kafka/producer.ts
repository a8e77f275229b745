import { assert, makeSampler, type Simulation, type Timer } from '../../engine';
import { LogHistogram } from '../../metrics/histogram';
import { RateMeter } from '../../metrics/rate-meter';
import { FifoLine } from '../queueing/fifo-line';
import type { KafkaCluster, ProduceError } from './cluster';
import type { MessageLedger } from './ledger';
import { NumericKeyPartitioner, partitionForNumericKey } from './partitioner';

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
  private readonly nextGapSeconds: () => number;
  private readonly nextKey: () => number;
  /** Partitions of the Poisson driver's keys (0..keys-1), hashed once each. */
  private readonly keyPartitions: NumericKeyPartitioner;
  /** The Poisson driver's exact (unrounded) time of the last arrival drawn. */
  private nextArrivalUs = 0;
  /**
   * Arrivals the Poisson driver has drawn but not yet handed to the accumulator, in time order
   * (times in µs, partitions). See `scheduleArrivals`.
   */
  private readonly aheadTimes: number[] = [];
  private readonly aheadPartitions: number[] = [];
  private aheadHead = 0;
  private arrivalsDone = false;
  private readonly arrivalTimer: Timer;
  /** Per partition, records a look-ahead scan has added to the open batch (scratch). */
  private readonly scanCounts: Int32Array;
  private readonly scanTouched: number[] = [];
  /**
   * Requests waiting for an answer, in send order: the timeout is the same for all, so their
   * deadlines are in this order too and one timer at the head replaces an event per request.
   */
  private readonly awaiting = new FifoLine();
  private readonly timeoutTimer: Timer;
  /** The sender's scratch: per broker, the batches of the request being built and their records. */
  private readonly drainParts: Batch[][] = [];
  private readonly drainRecords: number[] = [];
  /** Wakes the sender when the next batch becomes ready (linger, retry backoff, metadata). */
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
    const mean = options.ratePerSecond > 0 ? 1 / options.ratePerSecond : 1;
    this.nextGapSeconds = makeSampler({ kind: 'exponential', mean }, sim.stream(`producer-${options.node}/arrivals`));
    const keyStream = sim.stream(`producer-${options.node}/keys`);
    this.nextKey = () => keyStream.nextInt(options.keys);
    this.keyPartitions = new NumericKeyPartitioner(cluster.options.partitions, options.ratePerSecond > 0 ? options.keys : 0);
    this.retryJitter = sim.stream(`producer-${options.node}/retry-jitter`);
    this.kinds = {
      arrivals: sim.defineEvent(`producer-${options.node}/arrivals`, () => this.onArrivals()),
      requestArrive: sim.defineEvent(`producer-${options.node}/request-arrive`, (serial) => this.onRequestArrive(serial)),
      responseArrive: sim.defineEvent(`producer-${options.node}/response-arrive`, (serial) => this.onResponse(serial)),
      timeouts: sim.defineEvent(`producer-${options.node}/request-timeouts`, () => this.onTimeouts()),
      sender: sim.defineEvent(`producer-${options.node}/sender`, () => this.drain()),
      blockTimeouts: sim.defineEvent(`producer-${options.node}/max-block-timeouts`, () => this.onBlockTimeouts()),
    };
    this.timeoutTimer = sim.timer(this.kinds.timeouts);
    this.arrivalTimer = sim.timer(this.kinds.arrivals);
    this.scanCounts = new Int32Array(cluster.options.partitions);
    this.senderTimer = sim.timer(this.kinds.sender);
    this.blockTimer = sim.timer(this.kinds.blockTimeouts);
    const previous = cluster.respondToProduce;
    cluster.respondToProduce = (partId, error, broker, afterUs = 0) => {
      if (this.requests.has(Math.floor(partId / MAX_PARTS))) this.answerPart(partId, error, afterUs);
      else previous(partId, error, broker, afterUs);
    };
  }

  start(): void {
    if (this.options.ratePerSecond > 0) this.scheduleArrivals();
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
   * For observers (the time series, the live view, the end of a run): hands the accumulator
   * the Poisson arrivals up to now that the driver has not handed over yet. Only arrivals that
   * change nothing but a batch's record list are pending, so this schedules nothing and a run
   * observed more often is the same run.
   */
  catchUp(): void {
    const before = this.arrivalTimer.armed ? this.arrivalTimer.dueUs : Infinity;
    this.reveal((time) => time <= this.sim.now && time < before);
  }

  /**
   * The Poisson driver (`ratePerSecond`): draws arrivals ahead and hands them to the
   * accumulator with their own times, but wakes up only for the arrivals that make something
   * happen at their time: one that opens a batch (its linger timer starts), one that fills a
   * batch (it is sent at once), and every arrival with linger.ms 0 or while sends are blocked on
   * memory. The arrivals in between only join an open batch; every producer handler first
   * hands over those up to its own time (`reveal`), so each batch holds exactly the records it
   * would hold with an event per arrival, at one event per batch or two instead of one per
   * record.
   */
  private scheduleArrivals(): void {
    if (this.options.ratePerSecond <= 0) return;
    const cap = this.recordsPerBatch;
    const everyArrival = this.lingerUs === 0 || this.blockedHead < this.blocked.length;
    let index = this.aheadHead;
    let due = -1;
    for (;;) {
      if (index === this.aheadTimes.length && !this.drawArrival()) break;
      const partition = this.aheadPartitions[index]!;
      if (everyArrival) {
        due = index;
        break;
      }
      if (this.scanCounts[partition] === 0) {
        this.scanTouched.push(partition);
        const open = this.openBatch(partition);
        this.scanCounts[partition] = open === undefined ? -1 : open.count; // -1: no open batch yet
      }
      const count = this.scanCounts[partition]!;
      if (count === -1 || count + 1 >= cap) {
        due = index;
        break;
      }
      this.scanCounts[partition] = count + 1;
      index++;
    }
    for (const partition of this.scanTouched) this.scanCounts[partition] = 0;
    this.scanTouched.length = 0;
    if (due >= 0) this.arrivalTimer.armAt(Math.max(this.sim.now, this.aheadTimes[due]!));
    else this.arrivalTimer.cancel();
  }

  /** Draws the next Poisson arrival; false once the application has stopped sending. */
  private drawArrival(): boolean {
    if (this.arrivalsDone) return false;
    this.nextArrivalUs += this.nextGapSeconds() * 1_000_000;
    // Gaps add up in exact time and only the arrival is rounded to the µs grid: rounding each
    // gap would bias the rate when gaps are a few µs (at 10^6/s, +4 %).
    const last = this.aheadTimes.length > 0 ? this.aheadTimes[this.aheadTimes.length - 1]! : 0;
    const atUs = Math.max(last, Math.round(this.nextArrivalUs));
    if (atUs >= this.options.stopAtUs) {
      this.arrivalsDone = true;
      return false;
    }
    this.aheadTimes.push(atUs);
    this.aheadPartitions.push(this.keyPartitions.partitionOf(this.nextKey()));
    return true;
  }

  /** Hands the drawn arrivals whose time passes `take` to the accumulator, in order. */
  private reveal(take: (timeUs: number) => boolean): void {
    while (this.aheadHead < this.aheadTimes.length && take(this.aheadTimes[this.aheadHead]!)) {
      const timeUs = this.aheadTimes[this.aheadHead]!;
      const partition = this.aheadPartitions[this.aheadHead]!;
      this.aheadHead++;
      this.accept(partition, timeUs, 0);
    }
    if (this.aheadHead > 4_096 && this.aheadHead * 2 > this.aheadTimes.length) {
      this.aheadTimes.splice(0, this.aheadHead);
      this.aheadPartitions.splice(0, this.aheadHead);
      this.aheadHead = 0;
    }
  }

  /** The driver's arrivals up to now, at the start of every producer handler. */
  private revealUpToNow(): void {
    if (this.options.ratePerSecond > 0) this.reveal((time) => time <= this.sim.now);
  }

  private onArrivals(): void {
    this.revealUpToNow();
    this.scheduleArrivals();
  }

  /**
   * The application sends one message with this key now, with a payload it can read back by
   * the message's id (`payloadOf`) when the message is delivered or rejected.
   */
  submit(key: number, payload = 0): void {
    this.accept(partitionForNumericKey(key, this.cluster.options.partitions), this.sim.now, payload);
  }

  /** A record handed over at `createdUs` (now, or a driver arrival handed over late). */
  private accept(partition: number, createdUs: number, payload: number): void {
    this.ledger.waitingInProducer++;
    this.sentPerSecond.record(createdUs);
    if (this.blockedHead === this.blocked.length && this.hasRoomFor(partition)) return this.append(partition, createdUs, payload, createdUs);
    this.blocked.push(partition, createdUs, payload);
    if (!this.blockTimer.armed) this.blockTimer.armAt(Math.max(this.sim.now, createdUs + this.maxBlockUs));
    this.requestDrain();
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
      const readyUs = Math.max(this.sim.now, atUs + this.lingerUs);
      if (this.lingerUs > 0 && (!this.senderTimer.armed || this.senderTimer.dueUs > readyUs)) this.senderTimer.armAt(readyUs);
    }
    batch.times![batch.count] = createdUs;
    if (payload !== 0 && batch.payloads === null) batch.payloads = this.lendBuffer().fill(0);
    if (batch.payloads !== null) batch.payloads[batch.count] = payload;
    batch.count++;
    if (batch.count >= this.recordsPerBatch || this.lingerUs === 0) this.requestDrain();
  }

  /** Sends blocked on memory go on, in order, as far as the freed memory allows. */
  private unblock(): void {
    while (this.blockedHead < this.blocked.length && this.hasRoomFor(this.blocked[this.blockedHead]!)) {
      const [partition, createdUs, payload] = this.blocked.slice(this.blockedHead, this.blockedHead + 3) as [number, number, number];
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

  private requestDrain(): void {
    if (!this.senderTimer.armed || this.senderTimer.dueUs > this.sim.now) this.senderTimer.armAt(this.sim.now);
  }

  /**
   * One pass of the sender: for each broker with a free in-flight slot, one request with one
   * ready batch per partition it leads; repeated while requests go out. Arms the sender timer
   * for the earliest moment a waiting batch becomes ready or expires.
   */
  private drain(): void {
    this.revealUpToNow();
    let wakeUs = Infinity;
    let again = true;
    while (again) {
      again = false;
      wakeUs = Infinity;
      const brokers = this.cluster.options.brokers;
      const parts = this.drainParts;
      const records = this.drainRecords;
      for (let broker = 0; broker < brokers; broker++) {
        parts[broker] ??= []; // empty: a request that went out took its array with it
        records[broker] = 0;
      }
      for (let p = 0; p < this.queues.length; p++) {
        const batch = this.sendableBatch(p);
        if (batch === undefined) continue;
        const leader = this.cluster.partitions[p]!.leader;
        const readyUs = this.readyAtUs(batch);
        const expiresUs = batch.openedUs + this.options.deliveryTimeoutUs;
        const canGo = leader >= 0 && readyUs <= this.sim.now && this.inFlight[leader]! < this.maxInFlight;
        if (!canGo) {
          // A batch that cannot go (no leader, not ready, no free slot) may still run out of time.
          if (expiresUs <= this.sim.now) {
            this.giveUp(batch, leader < 0 ? TIMEOUT : batch.lastError);
            again = true;
            continue;
          }
          // A free slot comes with a response, which drains again; the rest needs the timer.
          const nextTryUs = leader < 0 ? this.sim.now + this.options.retryBackoffUs : readyUs > this.sim.now ? readyUs : Infinity;
          wakeUs = Math.min(wakeUs, nextTryUs, expiresUs);
          continue;
        }
        if (parts[leader]!.length > 0 && records[leader]! + batch.count > this.maxRequestRecords) {
          again = true; // max.request.size: the next request takes it
          continue;
        }
        parts[leader]!.push(batch);
        records[leader]! += batch.count;
      }
      for (let broker = 0; broker < brokers; broker++) {
        if (parts[broker]!.length === 0) continue;
        this.sendRequest(broker, parts[broker]!);
        parts[broker] = [];
        again = true; // the partitions may have further batches for the free slots
      }
    }
    if (wakeUs < Infinity && (!this.senderTimer.armed || this.senderTimer.dueUs > wakeUs)) this.senderTimer.armAt(wakeUs);
    this.scheduleArrivals();
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
    request.batches.forEach((batch, part) => {
      const firstPending = this.queues[batch.partition]![0] === batch;
      const result = this.cluster.produce(request.broker, batch.partition, batch.firstId, batch.count, acks, serial * MAX_PARTS + part, this.options.idempotent === true, batch.sequence, firstPending);
      if (acks === 0) {
        if (result === 'not-leader') this.ledger.destroyedOutsideHistory(batch.firstId, batch.count, 'acks0-not-leader');
        return;
      }
      // An answer leaves when the leader has written the batch (its CPU and disk time).
      if (result !== 'pending') this.answerPart(serial * MAX_PARTS + part, result, result === 'none' ? this.cluster.lastWriteDoneUs - this.sim.now : 0);
    });
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
    request.batches.forEach((batch, part) => {
      if (batch.request !== serial) return;
      const code = request.codes[part]!;
      if (code === 0) this.acknowledge(batch);
      else this.retryLater(batch, code);
    });
    this.requestDrain();
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
      for (const batch of request.batches) if (batch.request === serial) this.retryLater(batch, TIMEOUT);
      // The broker may still answer (it keeps the request until it is done), or never will.
      if (request.unanswered < 0) this.requests.delete(serial);
    }
    if (line.length > 0) this.timeoutTimer.armAt(line.peekArrivalUs());
    this.requestDrain();
    this.scheduleArrivals();
  }

  private acknowledge(batch: Batch): void {
    this.ledger.markAcked(batch.firstId, batch.count);
    for (let id = batch.firstId; id < batch.firstId + batch.count; id++) this.produceLatencyUs.record(this.sim.now - this.ledger.createdAtUs(id));
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
  }

  private giveUp(batch: Batch, code: number): void {
    if (batch.firstId === NOT_SENT) this.close(batch);
    this.ledger.markRejected(batch.firstId, batch.count, NOT_ENOUGH_REPLICAS.includes(code) ? 'not-enough-replicas' : 'delivery-timeout');
    this.finish(batch);
  }

  /** The batch is done (acknowledged, sent with acks=0, or given up): its memory is free. */
  private finish(batch: Batch): void {
    const queue = this.queues[batch.partition]!;
    queue.splice(queue.indexOf(batch), 1);
    batch.request = NOT_SENT;
    this.bufferedBytes -= this.chunkBytes;
    if (this.blockedHead < this.blocked.length) this.unblock();
  }
}
