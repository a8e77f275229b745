import { assert, makeSampler, type DistributionSpec, type Simulation } from '../../engine';
import { LogHistogram } from '../../metrics/histogram';
import { RateMeter } from '../../metrics/rate-meter';
import { FifoLine } from '../queueing/fifo-line';
import type { KafkaCluster } from './cluster';
import type { MessageLedger } from './ledger';

/**
 * One consumer group reading the topic (slice 1: a fixed assignment, partition p to consumer
 * p mod C; no heartbeats or rebalances yet, so a crashed consumer's partitions wait for it).
 *
 * Each consumer polls each of its partitions from the leader: a fetch returns the committed
 * records from its position (at most maxPollRecords), or waits at the broker up to
 * fetch.max.wait.ms for the high watermark to move (§1.8). The records are processed one at a
 * time, in fetch order, with the group's processing-time distribution, and the next poll of a
 * partition is sent when its previous records are processed.
 *
 * Offsets are committed either after a poll's records are processed (at-least-once: a crash
 * re-reads what was processed since the last commit, giving duplicates) or as soon as the
 * poll returns, before processing (at-most-once: a crash loses what was not yet processed),
 * §1.8 "Delivery semantics". With `auto` (Kafka's default, enable.auto.commit=true), the
 * position of the processed records is committed at the next poll once auto.commit.interval.ms
 * has passed since the last commit: still at-least-once, but a crash re-reads up to one
 * interval of processed records. A restarted consumer resumes from the committed offset.
 */
export type CommitOrder = 'after-processing' | 'before-processing' | 'auto';

export interface ConsumerGroupOptions {
  firstNode: number;
  consumers: number;
  maxPollRecords: number;
  fetchMaxWaitUs: number;
  retryBackoffUs: number;
  processingSeconds: DistributionSpec;
  commit: CommitOrder;
  /** auto.commit.interval.ms, for commit 'auto'. */
  autoCommitIntervalUs?: number;
  /** Consumers the group may grow to by `rebalance` (default: `consumers`). */
  maxConsumers?: number;
}

/**
 * How a membership change moves partitions (§1.8): `eager` revokes every partition from every
 * member (stop-the-world), `cooperative` (incremental, KIP-429) only those changing owner.
 */
export type RebalanceProtocol = 'eager' | 'cooperative';

interface PartitionCursor {
  consumer: number;
  position: number;
  /** Epoch of the last record read, checked by the leader on every fetch (KIP-320). */
  positionEpoch: number;
  leader: number;
  serial: number;
  parked: boolean;
  unprocessed: number;
  firstMessageIds: number[];
  counts: number[];
  nextOffset: number;
  nextEpoch: number;
  /** The group's committed offset for this partition: where a restarted consumer resumes. */
  committed: number;
  lastCommitUs: number;
  /** Revoked by a rebalance in progress: no fetches until it completes. */
  revoked: boolean;
}

const CONSUMERS_MAX = 4_096;

export class ConsumerGroup {
  readonly endToEndLatencyUs = new LogHistogram();
  readonly deliveredPerSecond = new RateMeter();
  private readonly cursors: PartitionCursor[] = [];
  private readonly lines: FifoLine[] = [];
  private readonly busy: boolean[] = [];
  private readonly alive: boolean[] = [];
  private readonly incarnation: number[] = [];
  /** The record each consumer is processing (-1: none) and its partition. */
  private readonly inProgress: number[] = [];
  private readonly inProgressPartition: number[] = [];
  private readonly processing: (() => number)[] = [];
  private readonly kinds;
  maxLag = 0;
  /** Consumers in the group now (the rest of the capacity waits to be scaled in). */
  members: number;
  rebalances = 0;
  private rebalanceEndsUs = -1;
  private nextMembers = 0;
  /** Told when a rebalance starts and when it completes (the timeline marks both). */
  onRebalance: (phase: 'start' | 'end', members: number) => void = () => undefined;
  /** Observer of each processed record (tests, the UI's message tracing). */
  onDelivered: (messageId: number, partition: number, endToEndUs: number) => void = () => undefined;
  /** Told when a consumer starts processing a record (the sale reads stock here). */
  onProcessingStart: (messageId: number, partition: number, consumer: number) => void = () => undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: KafkaCluster,
    private readonly ledger: MessageLedger,
    private readonly options: ConsumerGroupOptions,
  ) {
    assert(options.consumers >= 1 && options.maxPollRecords >= 1, 'a group needs consumers and maxPollRecords >= 1');
    assert(options.consumers <= CONSUMERS_MAX, `at most ${CONSUMERS_MAX} consumers (consumer numbers share an event field)`);
    assert(cluster.options.partitions <= 65_536, 'at most 65,536 partitions (partition numbers share an event field)');
    this.members = options.consumers;
    const capacity = Math.max(options.consumers, options.maxConsumers ?? options.consumers);
    assert(capacity <= CONSUMERS_MAX, `at most ${CONSUMERS_MAX} consumers (consumer numbers share an event field)`);
    for (let c = 0; c < capacity; c++) {
      this.lines.push(new FifoLine());
      this.busy.push(false);
      this.alive.push(true);
      this.incarnation.push(0);
      this.inProgress.push(-1);
      this.inProgressPartition.push(-1);
      this.processing.push(makeSampler(options.processingSeconds, sim.stream(`group/consumer-${c}/processing`)));
    }
    for (let p = 0; p < cluster.options.partitions; p++) {
      this.cursors.push({
        consumer: p % options.consumers,
        position: 0,
        positionEpoch: -1,
        leader: -1,
        serial: 0,
        parked: false,
        unprocessed: 0,
        firstMessageIds: [],
        counts: [],
        nextOffset: 0,
        nextEpoch: -1,
        committed: 0,
        lastCommitUs: 0,
        revoked: false,
      });
    }
    this.kinds = {
      fetch: sim.defineEvent('group/fetch-send', (partition) => this.sendFetch(partition)),
      fetchArrive: sim.defineEvent('group/fetch-arrive', (partition, serial) => this.onFetchArrive(partition, serial)),
      waitExpire: sim.defineEvent('group/fetch-wait-expire', (partition, serial) => this.respond(partition, serial)),
      responseArrive: sim.defineEvent('group/fetch-response', (partition, serial) => this.onResponse(partition, serial)),
      rebalanceDue: sim.defineEvent('group/rebalance-due', () => this.maybeCompleteRebalance()),
      processed: sim.defineEvent('group/processed', (consumerAndIncarnation, packed) =>
        this.onProcessed(consumerAndIncarnation % CONSUMERS_MAX, Math.floor(consumerAndIncarnation / CONSUMERS_MAX), packed),
      ),
    };
    const previous = cluster.onHighWatermark;
    cluster.onHighWatermark = (partition) => {
      previous(partition);
      const cursor = this.cursors[partition]!;
      if (cursor.parked) this.respond(partition, cursor.serial);
    };
  }

  start(): void {
    for (let p = 0; p < this.cursors.length; p++) this.sim.schedule(0, this.kinds.fetch, p);
  }

  /** Read-only, for the live view: the consumer a partition is assigned to. */
  assignedConsumer(partition: number): number {
    return this.cursors[partition]!.consumer;
  }

  /** Read-only, for the live view: the group's committed offset of a partition. */
  committedOffset(partition: number): number {
    return this.cursors[partition]!.committed;
  }

  /** Read-only, for the live view: whether a consumer process is running. */
  isAlive(consumer: number): boolean {
    return this.alive[consumer]!;
  }

  private node(partition: number): number {
    return this.options.firstNode + this.cursors[partition]!.consumer;
  }

  private sendFetch(partition: number): void {
    const cursor = this.cursors[partition]!;
    if (!this.alive[cursor.consumer] || cursor.revoked) return;
    cursor.leader = this.cluster.partitions[partition]!.leader;
    cursor.serial++;
    if (cursor.leader < 0 || !this.cluster.sendOver(this.node(partition), cursor.leader, this.kinds.fetchArrive, partition, cursor.serial)) {
      this.sim.schedule(this.options.retryBackoffUs, this.kinds.fetch, partition);
    }
  }

  private onFetchArrive(partition: number, serial: number): void {
    const cursor = this.cursors[partition]!;
    if (serial !== cursor.serial) return;
    if (!this.cluster.reachable(this.node(partition), cursor.leader)) return this.retry(partition);
    const result = this.cluster.readCommitted(cursor.leader, partition, cursor.position, cursor.positionEpoch, this.options.maxPollRecords);
    if (result.error === 'none' && result.counts.length === 0) {
      cursor.parked = true;
      this.sim.schedule(this.options.fetchMaxWaitUs, this.kinds.waitExpire, partition, serial);
      return;
    }
    this.respond(partition, serial);
  }

  /** The broker answers: with records, or empty when the wait ran out. */
  private respond(partition: number, serial: number): void {
    const cursor = this.cursors[partition]!;
    if (serial !== cursor.serial) return;
    cursor.parked = false;
    if (!this.cluster.reachable(cursor.leader, this.node(partition))) return this.retry(partition);
    const result = this.cluster.readCommitted(cursor.leader, partition, cursor.position, cursor.positionEpoch, this.options.maxPollRecords);
    if (result.error === 'diverging') {
      // What we read was truncated away (unclean election): go back to where the logs agree,
      // as the consumer does after a LogTruncationException, and read the new history.
      cursor.position = result.nextOffset;
      cursor.positionEpoch = -1;
      return this.retry(partition);
    }
    if (result.error === 'not-leader') return this.retry(partition);
    cursor.firstMessageIds = result.firstMessageIds;
    cursor.counts = result.counts;
    cursor.nextOffset = result.nextOffset;
    cursor.nextEpoch = result.lastEpoch;
    let records = 0;
    for (const count of result.counts) records += count;
    const sendingUs = this.cluster.network.transmissionDelayUs(cursor.leader, this.sim.now, records * this.cluster.messageBytes);
    const network = this.cluster.network;
    const to = this.node(partition);
    this.sim.schedule(sendingUs + network.latencyUs(cursor.leader, to) + network.retransmissionDelayUs(cursor.leader, to), this.kinds.responseArrive, partition, serial);
  }

  private retry(partition: number): void {
    this.sim.schedule(this.options.retryBackoffUs, this.kinds.fetch, partition);
  }

  private onResponse(partition: number, serial: number): void {
    const cursor = this.cursors[partition]!;
    if (serial !== cursor.serial) return;
    const highWatermark = this.cluster.highWatermark(partition);
    this.maxLag = Math.max(this.maxLag, highWatermark - cursor.position);
    if (cursor.counts.length === 0) return this.sendFetch(partition);
    const line = this.lines[cursor.consumer]!;
    for (let i = 0; i < cursor.counts.length; i++) {
      for (let k = 0; k < cursor.counts[i]!; k++) {
        line.push(cursor.firstMessageIds[i]! + k, partition);
        this.ledger.consumerFetched(cursor.firstMessageIds[i]! + k);
      }
      cursor.unprocessed += cursor.counts[i]!;
    }
    cursor.position = cursor.nextOffset;
    cursor.positionEpoch = cursor.nextEpoch;
    if (this.options.commit === 'before-processing') cursor.committed = cursor.position;
    this.startProcessing(cursor.consumer);
  }

  private startProcessing(consumer: number): void {
    const line = this.lines[consumer]!;
    if (this.busy[consumer] || line.length === 0) return;
    this.busy[consumer] = true;
    const messageId = line.shift();
    const partition = line.shiftedArrivalUs; // the line's second column holds the partition here
    this.inProgress[consumer] = messageId;
    this.inProgressPartition[consumer] = partition;
    this.onProcessingStart(messageId, partition, consumer);
    const who = this.incarnation[consumer]! * CONSUMERS_MAX + consumer;
    this.sim.schedule(Math.round(this.processing[consumer]!() * 1_000_000), this.kinds.processed, who, messageId * 65_536 + partition);
  }

  private onProcessed(consumer: number, incarnation: number, packed: number): void {
    if (!this.alive[consumer] || incarnation !== this.incarnation[consumer]) return; // it died while processing
    const messageId = Math.floor(packed / 65_536);
    const partition = packed % 65_536;
    this.busy[consumer] = false;
    this.inProgress[consumer] = -1;
    this.ledger.markDelivered(messageId, 1);
    const endToEndUs = this.sim.now - this.ledger.createdAtUs(messageId);
    this.endToEndLatencyUs.record(endToEndUs);
    this.deliveredPerSecond.record(this.sim.now);
    this.onDelivered(messageId, partition, endToEndUs);
    const cursor = this.cursors[partition]!;
    if (--cursor.unprocessed === 0 && cursor.revoked) {
      cursor.committed = cursor.position; // a revoked partition's progress is committed before it moves
      this.maybeCompleteRebalance();
    } else if (cursor.unprocessed === 0) {
      if (this.options.commit === 'after-processing') cursor.committed = cursor.position;
      else if (this.options.commit === 'auto' && this.sim.now - cursor.lastCommitUs >= (this.options.autoCommitIntervalUs ?? 5_000_000)) {
        cursor.committed = cursor.position;
        cursor.lastCommitUs = this.sim.now;
      }
      this.sendFetch(partition);
    }
    this.startProcessing(consumer);
  }

  /**
   * The group changes to `members` consumers (scale out or in): a rebalance. Revoked
   * partitions stop fetching at once; records already polled are still processed (the
   * consumer finishes its batch before rejoining) and committed; the partitions move when
   * the rebalance has lasted `pauseUs` and every revoked partition is drained, then resume
   * from the committed offset on their new owner (partition p to consumer p mod members).
   */
  rebalance(members: number, protocol: RebalanceProtocol, pauseUs: number): void {
    assert(members >= 1 && members <= this.lines.length, `a rebalance to ${members} consumers exceeds the group's ${this.lines.length}`);
    if (this.rebalanceEndsUs >= 0 || members === this.members) return;
    this.rebalances++;
    this.nextMembers = members;
    this.rebalanceEndsUs = this.sim.now + pauseUs;
    this.cursors.forEach((cursor, partition) => {
      if (protocol === 'cooperative' && partition % members === cursor.consumer) return;
      cursor.revoked = true;
      cursor.serial++; // answers to fetches in flight are dropped; their records stay in the log
      cursor.parked = false;
      if (cursor.unprocessed === 0) cursor.committed = cursor.position;
    });
    this.onRebalance('start', members);
    this.sim.schedule(pauseUs, this.kinds.rebalanceDue);
  }

  get rebalancing(): boolean {
    return this.rebalanceEndsUs >= 0;
  }

  private maybeCompleteRebalance(): void {
    if (this.rebalanceEndsUs < 0 || this.sim.now < this.rebalanceEndsUs) return;
    if (this.cursors.some((cursor) => cursor.revoked && cursor.unprocessed > 0)) return;
    this.members = this.nextMembers;
    this.rebalanceEndsUs = -1;
    this.cursors.forEach((cursor, partition) => {
      if (!cursor.revoked) return;
      cursor.revoked = false;
      cursor.consumer = partition % this.members;
      cursor.position = cursor.committed;
      cursor.positionEpoch = -1;
      this.sim.schedule(0, this.kinds.fetch, partition);
    });
    this.onRebalance('end', this.members);
  }

  /**
   * Consumer lag as `kafka-consumer-groups --describe` reports it, summed over partitions:
   * the high watermark minus the group's committed offset.
   */
  totalLag(): number {
    let lag = 0;
    for (let p = 0; p < this.cursors.length; p++) lag += Math.max(0, this.cluster.highWatermark(p) - this.cursors[p]!.committed);
    return lag;
  }

  /**
   * The consumer process dies: what it fetched and had not processed is dropped. Records
   * below the committed offset will never be read again by this group: with commit before
   * processing they are lost (at-most-once). The rest are read again after the restart.
   */
  crash(consumer: number): void {
    if (!this.alive[consumer]) return;
    this.alive[consumer] = false;
    this.busy[consumer] = false;
    const dropped: number[] = [];
    const droppedPartitions: number[] = [];
    if (this.inProgress[consumer]! >= 0) {
      dropped.push(this.inProgress[consumer]!);
      droppedPartitions.push(this.inProgressPartition[consumer]!);
    }
    const line = this.lines[consumer]!;
    while (line.length > 0) {
      dropped.push(line.shift());
      droppedPartitions.push(line.shiftedArrivalUs);
    }
    this.inProgress[consumer] = -1;
    for (const cursor of this.cursors) {
      if (cursor.consumer !== consumer) continue;
      cursor.serial++; // answers to its fetches now go nowhere
      cursor.parked = false;
    }
    // Per partition, the dropped records are the last `unprocessed` ones before the position.
    const nextOffset = this.cursors.map((cursor) => cursor.position - cursor.unprocessed);
    dropped.forEach((messageId, index) => {
      const partition = droppedPartitions[index]!;
      const offset = nextOffset[partition]!++;
      this.ledger.consumerDropped(messageId, offset < this.cursors[partition]!.committed ? 'at-most-once-consumer-crash' : null);
    });
    for (const cursor of this.cursors) if (cursor.consumer === consumer) cursor.unprocessed = 0;
  }

  /** The consumer starts again and resumes each of its partitions from the committed offset. */
  restart(consumer: number): void {
    if (this.alive[consumer]) return;
    this.alive[consumer] = true;
    this.incarnation[consumer]!++;
    this.cursors.forEach((cursor, partition) => {
      if (cursor.consumer !== consumer) return;
      cursor.position = cursor.committed;
      cursor.positionEpoch = -1;
      this.sim.schedule(0, this.kinds.fetch, partition);
    });
  }
}
