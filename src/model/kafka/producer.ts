import { assert, grownTypedArray, makeSampler, type Simulation, type Timer } from '../../engine';
import { LogHistogram } from '../../metrics/histogram';
import { RateMeter } from '../../metrics/rate-meter';
import { FifoLine } from '../queueing/fifo-line';
import type { KafkaCluster, ProduceError } from './cluster';
import type { MessageLedger } from './ledger';
import { partitionForNumericKey } from './partitioner';

/**
 * A producer sending keyed messages, placed by Kafka's default partitioner (murmur2 of the
 * key). The application either submits messages itself (`submit`, as the sale's order
 * service does) or lets the producer send at a Poisson rate with keys uniform over `keys`
 * ids (`ratePerSecond`). One record per request
 * (slice 1: linger.ms = 0 and one record per batch, the teaching mode; batching comes next).
 *
 * Delivery follows the Java producer (shared/reference/mq-semantics.md §1.2, §1.7):
 * - acks=0: sent and forgotten; no retry, no error ever reaches the application;
 * - acks=1 / all: retried after retry.backoff.ms on NotLeader and NotEnoughReplicas and on
 *   request.timeout.ms without an answer, with a metadata refresh, until delivery.timeout.ms
 *   since the send, when the application gets an error (the message is *rejected*);
 * - without idempotence, a retry after a lost answer writes the record twice (a duplicate);
 *   with it (enable.idempotence, Kafka 4's default with acks=all) the leader answers the retry
 *   from its log instead. Requests are not limited to max.in.flight yet, so a retry can still
 *   land after later records: idempotence here prevents duplicates, not reordering.
 */
export interface ProducerOptions {
  node: number;
  /** Poisson sending rate; 0 when the application calls `submit` itself. */
  ratePerSecond: number;
  keys: number;
  acks: 0 | 1 | 'all';
  /** enable.idempotence: the leader refuses second copies of a retried write. */
  idempotent?: boolean;
  requestTimeoutUs: number;
  deliveryTimeoutUs: number;
  retryBackoffUs: number;
  /** The application stops sending at this time (µs). */
  stopAtUs: number;
}

const PENDING = 1;
const DONE = 2;
const ERROR_CODES: ProduceError[] = ['none', 'not-leader', 'not-enough-replicas', 'not-enough-replicas-after-append'];
const TIMEOUT = ERROR_CODES.length;
/** A request is one try of one message: id and attempt packed in one number for the wire. */
const ATTEMPTS = 65_536;

export class Producer {
  readonly produceLatencyUs = new LogHistogram();
  readonly sentPerSecond = new RateMeter();
  private state = new Uint8Array(1024);
  private attempt = new Uint16Array(1024);
  private partitionOf = new Int32Array(1024);
  private sentTo = new Int32Array(1024);
  private lastError = new Uint8Array(1024);
  private readonly kinds;
  private readonly nextGapSeconds: () => number;
  private readonly nextKey: () => number;
  /**
   * Requests waiting for an answer, in send order: the timeout is the same for all, so their
   * deadlines are in this order too and one timer at the head replaces an event per request.
   */
  private readonly awaiting = new FifoLine();
  private readonly timeoutTimer: Timer;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: KafkaCluster,
    private readonly ledger: MessageLedger,
    private readonly options: ProducerOptions,
  ) {
    assert(options.ratePerSecond >= 0 && options.keys >= 1, 'producer needs a rate >= 0 and at least one key');
    const mean = options.ratePerSecond > 0 ? 1 / options.ratePerSecond : 1;
    this.nextGapSeconds = makeSampler({ kind: 'exponential', mean }, sim.stream(`producer-${options.node}/arrivals`));
    const keyStream = sim.stream(`producer-${options.node}/keys`);
    this.nextKey = () => keyStream.nextInt(options.keys);
    this.kinds = {
      next: sim.defineEvent(`producer-${options.node}/next`, () => this.onNextMessage()),
      requestArrive: sim.defineEvent(`producer-${options.node}/request-arrive`, (id, attempt) => this.onRequestArrive(id, attempt)),
      responseArrive: sim.defineEvent(`producer-${options.node}/response-arrive`, (id, code) => this.onResponse(id, code)),
      timeouts: sim.defineEvent(`producer-${options.node}/request-timeouts`, () => this.onTimeouts()),
      retry: sim.defineEvent(`producer-${options.node}/retry`, (id) => this.send(id)),
    };
    this.timeoutTimer = sim.timer(this.kinds.timeouts);
    const previous = cluster.respondToProduce;
    cluster.respondToProduce = (requestId, error, broker, afterUs = 0) => {
      const id = Math.floor(requestId / ATTEMPTS);
      if (id < this.state.length && this.sentTo[id] === broker && this.state[id] === PENDING) this.answer(requestId, error, broker, afterUs);
      else previous(requestId, error, broker, afterUs);
    };
  }

  start(): void {
    if (this.options.ratePerSecond > 0) this.scheduleNext();
  }

  heldByProducer(id: number): boolean {
    return id < this.state.length && this.state[id] === PENDING;
  }

  private scheduleNext(): void {
    const gapUs = Math.round(this.nextGapSeconds() * 1_000_000);
    if (this.sim.now + gapUs < this.options.stopAtUs) this.sim.schedule(gapUs, this.kinds.next);
  }

  private onNextMessage(): void {
    this.submit(this.nextKey());
    this.scheduleNext();
  }

  /** The application sends one message with this key now; returns its message id. */
  submit(key: number): number {
    const id = this.ledger.create(1, this.sim.now);
    while (id >= this.state.length) this.grow();
    this.partitionOf[id] = partitionForNumericKey(key, this.cluster.options.partitions);
    this.state[id] = PENDING;
    this.sentPerSecond.record(this.sim.now);
    this.send(id);
    return id;
  }

  private send(id: number): void {
    if (this.state[id] !== PENDING) return;
    if (this.sim.now - this.ledger.createdAtUs(id) >= this.options.deliveryTimeoutUs) return this.giveUp(id);
    const leader = this.cluster.partitions[this.partitionOf[id]!]!.leader; // metadata, fresh on every try
    const attempt = ++this.attempt[id]!;
    assert(attempt < ATTEMPTS, `message ${id} retried ${attempt} times`);
    if (leader < 0) return this.retryLater(id, TIMEOUT);
    this.sentTo[id] = leader;
    const sendingUs = this.cluster.network.transmissionDelayUs(this.options.node, this.sim.now, this.cluster.messageBytes);
    const delivered = this.cluster.sendOver(this.options.node, leader, this.kinds.requestArrive, id, attempt, sendingUs);
    if (this.options.acks === 0) {
      this.state[id] = DONE;
      this.ledger.markAcked(id, 1, true);
      if (!delivered) this.ledger.destroyedOutsideHistory(id, 1, 'acks0-network-drop');
      return;
    }
    this.awaiting.push(id * ATTEMPTS + attempt, this.sim.now + this.options.requestTimeoutUs);
    if (!this.timeoutTimer.armed) this.timeoutTimer.armAt(this.sim.now + this.options.requestTimeoutUs);
  }

  private onRequestArrive(id: number, attempt: number): void {
    const broker = this.sentTo[id]!;
    if (!this.cluster.reachable(this.options.node, broker)) {
      if (this.options.acks === 0) this.ledger.destroyedOutsideHistory(id, 1, 'acks0-network-drop');
      return;
    }
    const requestId = id * ATTEMPTS + attempt;
    const result = this.cluster.produce(broker, this.partitionOf[id]!, id, 1, this.options.acks, requestId, this.options.idempotent === true);
    if (this.options.acks === 0) {
      if (result === 'not-leader') this.ledger.destroyedOutsideHistory(id, 1, 'acks0-not-leader');
      return;
    }
    // An acks=1 answer leaves when the leader has written the record (its CPU and disk time).
    if (result !== 'pending') this.answer(requestId, result, broker, result === 'none' ? this.cluster.lastWriteDoneUs - this.sim.now : 0);
  }

  private answer(requestId: number, error: ProduceError, broker: number, afterUs = 0): void {
    this.cluster.sendOver(broker, this.options.node, this.kinds.responseArrive, requestId, ERROR_CODES.indexOf(error), afterUs);
  }

  /** Answers to an earlier try are ignored, as the Java producer does once a request expired. */
  private onResponse(requestId: number, code: number): void {
    const id = Math.floor(requestId / ATTEMPTS);
    const attempt = requestId % ATTEMPTS;
    if (this.state[id] !== PENDING || this.attempt[id] !== attempt) return;
    if (!this.cluster.reachable(this.sentTo[id]!, this.options.node)) return;
    if (code === 0) {
      this.state[id] = DONE;
      this.ledger.markAcked(id, 1);
      this.produceLatencyUs.record(this.sim.now - this.ledger.createdAtUs(id));
      return;
    }
    this.retryLater(id, code);
  }

  /** Every request sent request.timeout.ms ago or earlier and still unanswered is retried. */
  private onTimeouts(): void {
    const line = this.awaiting;
    while (line.length > 0 && line.peekArrivalUs() <= this.sim.now) {
      const requestId = line.shift();
      const id = Math.floor(requestId / ATTEMPTS);
      if (this.state[id] === PENDING && this.attempt[id] === requestId % ATTEMPTS) this.retryLater(id, TIMEOUT);
    }
    if (line.length > 0) this.timeoutTimer.armAt(line.peekArrivalUs());
  }

  private retryLater(id: number, code: number): void {
    this.lastError[id] = code;
    this.sim.schedule(this.options.retryBackoffUs, this.kinds.retry, id);
  }

  private giveUp(id: number): void {
    this.state[id] = DONE;
    const code = this.lastError[id]!;
    const notEnough = code === ERROR_CODES.indexOf('not-enough-replicas') || code === ERROR_CODES.indexOf('not-enough-replicas-after-append');
    this.ledger.markRejected(id, 1, notEnough ? 'not-enough-replicas' : 'delivery-timeout');
  }

  private grow(): void {
    const size = this.state.length * 2;
    this.state = grownTypedArray(this.state, size);
    this.attempt = grownTypedArray(this.attempt, size);
    this.partitionOf = grownTypedArray(this.partitionOf, size);
    this.sentTo = grownTypedArray(this.sentTo, size);
    this.lastError = grownTypedArray(this.lastError, size);
  }

}
