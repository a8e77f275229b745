import { assert, makeSampler, type DistributionSpec, type Simulation, type Timer } from '../../engine';
import { LogHistogram } from '../../metrics/histogram';
import { RateMeter } from '../../metrics/rate-meter';
import { assign, type AssignorName, type TopicPartition } from './assignors';
import type { ConsumerFetchResult, KafkaCluster } from './cluster';
import { consumerDefaults } from './defaults';
import { FetchedRecords } from './fetched-records';
import type { MessageLedger } from './ledger';

/**
 * One consumer group reading the topic with Kafka's classic group protocol (§1.8).
 *
 * Membership. Each consumer process joins the group by sending JoinGroup to the group
 * coordinator; while it is a member it heartbeats every heartbeat.interval.ms. All of these
 * travel over the model's network, so cuts and pauses apply. The coordinator removes a member
 * whose heartbeats stopped for session.timeout.ms (a crash, a pause, a cut between the two),
 * or that left because one poll took longer than max.poll.interval.ms, and every membership
 * change is a rebalance. The coordinator is modelled as the controller node (see
 * `ConsumerGroupOptions.coordinatorNode`).
 *
 * Rebalances. A rebalance lasts at least the rebalance pause (the time members need to notice
 * it and rejoin; the first one of an empty group waits group.initial.rebalance.delay.ms
 * instead), then completes once every member has rejoined: a member that is dead or cut off
 * cannot rejoin, so the rebalance waits until its session expires, as Kafka's classic
 * coordinator does. The assignor (`assignors.ts`) then decides the assignment. With the eager
 * protocol (range, roundrobin, sticky) every member revokes all its partitions when the
 * rebalance starts; with cooperative-sticky (KIP-429) members keep their partitions, revoke
 * only those the assignor moves, and a second rebalance hands those to their new owners.
 * A revoked partition stops fetching; the records already polled are processed and committed
 * before it moves.
 *
 * Fetching. Each consumer polls each of its partitions from the leader: a fetch returns the
 * committed records from its position (at most maxPollRecords), or waits at the broker up to
 * fetch.max.wait.ms for the high watermark to move. Records are processed one at a time in
 * fetch order with the group's processing-time distribution; the next fetch of a partition is
 * sent when its previous records are processed. One poll() hands the application at most
 * max.poll.records of the consumer's fetched records; a poll whose processing outlasts
 * max.poll.interval.ms makes the consumer leave the group.
 *
 * Offsets are committed either after a poll's records are processed (at-least-once: a crash
 * re-reads what was processed since the last commit, giving duplicates) or as soon as the
 * poll returns, before processing (at-most-once: a crash loses what was not yet processed),
 * §1.8 "Delivery semantics". With `auto` (Kafka's default, enable.auto.commit=true), the
 * position of the processed records is committed at the next poll once auto.commit.interval.ms
 * has passed since the last commit. A commit reaches the coordinator only from a member: a
 * consumer removed from the group gets CommitFailedException (counted in `commitsFailed`), and
 * what it processed since its last commit is read again by the partition's new owner.
 */
export type CommitOrder = 'after-processing' | 'before-processing' | 'auto';

/** What a group tells the ledger: the accounting group all of it; further reading groups nothing (`READER_LEDGER`). */
export type GroupLedger = Pick<MessageLedger, 'consumerFetched' | 'markDelivered' | 'consumerDropped' | 'creationTimes' | 'creationSlot'>;

/**
 * The ledger side of a group that only reads: the message accounting (produced = delivered +
 * lost + in flight + rejected) follows the first group; the others have their own lag and
 * latency but do not count deliveries.
 */
export function readerLedger(ledger: MessageLedger): GroupLedger {
  return {
    consumerFetched: () => undefined,
    markDelivered: () => undefined,
    consumerDropped: () => undefined,
    creationTimes: (first, count) => ledger.creationTimes(first, count),
    creationSlot: (id) => ledger.creationSlot(id),
  };
}

export interface ConsumerGroupOptions {
  firstNode: number;
  /**
   * The group's name, which prefixes its event kinds and random streams (default `group`, the
   * group whose deliveries the ledger accounts). Further groups reading the same topic need
   * names of their own.
   */
  name?: string;
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
  /**
   * The group coordinator's node. Kafka's coordinator is the leader of the __consumer_offsets
   * partition the group id hashes to, and moves with that leadership; the model has no offsets
   * topic and uses a fixed node, the controller (which never crashes), so broker failovers do
   * not disturb the group. Default: no node of its own (-1), only for tests that build a group
   * by hand; KafkaSystem passes the controller.
   */
  coordinatorNode?: number;
  /** heartbeat.interval.ms (default 3 s). */
  heartbeatIntervalUs?: number;
  /** session.timeout.ms (default 45 s, Kafka 4). */
  sessionTimeoutUs?: number;
  /** max.poll.interval.ms (default 300 s). */
  maxPollIntervalUs?: number;
  /** The partition assignor (default range: the first of Kafka 4's [range, cooperative-sticky]). */
  assignor?: AssignorName;
  /** How long a rebalance lasts at least: members noticing it and rejoining (default 3 s). */
  rebalancePauseUs?: number;
  /**
   * group.initial.rebalance.delay.ms: the first rebalance of an empty group waits this long
   * (Kafka's default is 3 s; scenarios get it from the schema). Default here 0: the group forms
   * as soon as its members have joined.
   */
  initialRebalanceDelayUs?: number;
  /**
   * Schedule an event for every fetch's arrival at the leader, even one that will find nothing
   * and park (default false: such a fetch parks without one, see `sendFetch`). For the test
   * that shows the two give the same run.
   */
  eagerFetchArrivals?: boolean;
}

/**
 * How a membership change moves partitions (§1.8): `eager` revokes every partition from every
 * member (stop-the-world), `cooperative` (incremental, KIP-429) only those changing owner.
 */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** Why the group rebalanced or a member left (the timeline shows it). */
export type RebalanceReason = 'joined' | 'rejoined' | 'scaled' | 'session-timeout' | 'poll-interval';

/** The protocol an assignor implies: cooperative-sticky is the only cooperative one. */
export function protocolOf(assignor: AssignorName): RebalanceProtocol {
  return assignor === 'cooperative-sticky' ? 'cooperative' : 'eager';
}

/**
 * The assignor a configuration names: `assignor` if given, else the one `rebalance` implies
 * (cooperative: cooperative-sticky; eager or nothing: range, Kafka 4's default). A contradiction
 * (rebalance: cooperative with an eager assignor, or the reverse) is a validation error
 * (scenario/rules.ts); here the assignor wins.
 */
export function resolveAssignor(assignor: AssignorName | undefined, rebalance: RebalanceProtocol | undefined): AssignorName {
  if (assignor !== undefined) return assignor;
  return rebalance === 'cooperative' ? 'cooperative-sticky' : 'range';
}

interface PartitionCursor {
  /** The member that owns the partition, -1 while nobody does. */
  consumer: number;
  position: number;
  /** Epoch of the last record read, checked by the leader on every fetch (KIP-320). */
  positionEpoch: number;
  leader: number;
  serial: number;
  parked: boolean;
  /** When a parked fetch's fetch.max.wait.ms runs out. */
  parkedUntilUs: number;
  /** When the parked fetch reaches (or reached) the leader, and its place among events at that time. */
  arrivesUs: number;
  arrivalSequence: number;
  /** Records of this partition the owner has fetched and not processed yet. */
  unprocessed: number;
  /** The leader's answer to the fetch in flight (reused from fetch to fetch). */
  fetched: ConsumerFetchResult;
  /** The group's committed offset for this partition: where a new owner resumes. */
  committed: number;
  lastCommitUs: number;
  /** Revoked by a rebalance in progress: no fetches until it moves. */
  revoked: boolean;
}

/**
 * Records a removed member still holds of a partition it no longer owns: it processes them
 * without knowing (a zombie), but cannot commit them. The first `committedAhead` of them were
 * committed before they were processed; those are lost if it drops them.
 */
interface DetachedRecords {
  partition: number;
  remaining: number;
  committedAhead: number;
}

/** What a consumer process believes about its membership. */
const STOPPED = 0;
const JOINING = 1;
const MEMBER = 2;
/** It learnt it is no longer a member: it finishes the current poll, then rejoins. */
const OUT = 3;

const CONSUMERS_MAX = 4_096;
const NOBODY = -1;
const TOPIC = 'topic';

/** Member ids sort like consumer numbers (Kafka's carry a random UUID, so their order is arbitrary). */
export function memberIdOf(consumer: number): string {
  return `consumer-${String(consumer).padStart(4, '0')}`;
}

export class ConsumerGroup {
  readonly endToEndLatencyUs = new LogHistogram();
  /**
   * The same latencies since the last `reset()` by whoever reads it (the time series' bucket);
   * kept from the first time someone asks for it.
   */
  get recentLatencyUs(): LogHistogram {
    this.recent ??= new LogHistogram();
    return this.recent;
  }

  private recent: LogHistogram | null = null;
  readonly deliveredPerSecond = new RateMeter();
  private readonly cursors: PartitionCursor[] = [];
  /** Per consumer, what it fetched and has not processed yet. */
  private readonly lines: FetchedRecords[] = [];
  private readonly busy: boolean[] = [];
  private readonly alive: boolean[] = [];
  private readonly incarnation: number[] = [];
  /** The record each consumer is processing (-1: none) and its partition. */
  private readonly inProgress: number[] = [];
  private readonly inProgressPartition: number[] = [];
  private readonly processing: (() => number)[] = [];
  /** Records left in the consumer's current poll (0: it is in poll(), waiting for records). */
  private readonly pollLeft: number[] = [];
  /**
   * When each consumer's current poll outlasts max.poll.interval.ms (Infinity between polls),
   * and the incarnation it belongs to. One timer at the earliest deadline stands for all: polls
   * usually end long before, so their deadlines cost no event.
   */
  private readonly pollDeadlineUs: number[] = [];
  private readonly pollIncarnation: number[] = [];
  private readonly pollTimer: Timer;
  /** Consumer side: STOPPED, JOINING, MEMBER or OUT, and the member id it joins with (a serial). */
  private readonly state: number[] = [];
  private readonly memberSerial: number[] = [];
  private readonly detached: DetachedRecords[][] = [];
  /** Coordinator side: the member serial that is a member (-1: none), a pending join, the session. */
  private readonly memberOf: number[] = [];
  private readonly joinPending: number[] = [];
  private readonly everMember: boolean[] = [];
  private readonly leaving: boolean[] = [];
  private readonly sessionTimers: Timer[] = [];
  /** Answers parked fetches when fetch.max.wait.ms runs out: one timer at the earliest deadline. */
  private readonly fetchWaitTimer: Timer;
  private readonly kinds;
  private readonly assignor: AssignorName;
  readonly protocol: RebalanceProtocol;
  private readonly heartbeatIntervalUs: number;
  private readonly sessionTimeoutUs: number;
  private readonly maxPollIntervalUs: number;
  private readonly coordinatorNode: number;
  private rebalancePauseUs: number;
  private readonly initialRebalanceDelayUs: number;
  maxLag = 0;
  /** Consumers the group is scaled to (the rest of the capacity waits to be scaled in). */
  members: number;
  /** Rebalances after the group first formed (the cooperative protocol's second ones included). */
  rebalances = 0;
  /** Members the coordinator removed: silent for session.timeout.ms, or left after max.poll.interval.ms. */
  membersRemoved = 0;
  /** Commits refused because the consumer was no longer a member (CommitFailedException). */
  commitsFailed = 0;
  /** Partitions revoked by rebalances, summed (eager revokes all, cooperative only those that move). */
  partitionsRevoked = 0;
  private generation = 0;
  private rebalanceEndsUs = -1;
  private rebalanceReason: RebalanceReason = 'joined';
  private followUpPending = false;
  private nextMembers = 0;
  /** Told when a rebalance starts and when it completes (the timeline marks both). */
  onRebalance: (phase: 'start' | 'end', members: number, reason: RebalanceReason, followUp: boolean) => void = () => undefined;
  /** Told when the coordinator removes a member, and why. */
  onMemberRemoved: (consumer: number, reason: RebalanceReason) => void = () => undefined;
  /** Observer of each processed record (tests, the UI's message tracing). */
  onDelivered: ((messageId: number, partition: number, endToEndUs: number) => void) | null = null;
  /** Told of each run of consecutive records a consumer's fetch brings (the UI's message tracing). */
  onFetched: (consumer: number, firstMessageId: number, count: number) => void = () => undefined;
  /** Told when a consumer starts processing a record (the sale reads stock here). */
  onProcessingStart: ((messageId: number, partition: number, consumer: number) => void) | null = null;

  private readonly name: string;
  /** Processing is a constant that rounds to 0 µs: runs of records complete together. */
  private readonly instant: boolean;
  /** Every fetch arrives as an event (the test that shows parking ahead of arrival changes nothing). */
  private readonly eagerFetchArrivals: boolean;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: KafkaCluster,
    private readonly ledger: GroupLedger,
    private readonly options: ConsumerGroupOptions,
  ) {
    this.name = options.name ?? 'group';
    const processing = options.processingSeconds;
    this.instant = processing.kind === 'constant' && Math.round(processing.value * 1_000_000) === 0;
    this.eagerFetchArrivals = options.eagerFetchArrivals ?? false;
    assert(options.consumers >= 1 && options.maxPollRecords >= 1, 'a group needs consumers and maxPollRecords >= 1');
    assert(options.consumers <= CONSUMERS_MAX, () => `at most ${CONSUMERS_MAX} consumers (consumer numbers share an event field)`);
    assert(cluster.options.partitions <= 65_536, 'at most 65,536 partitions (partition numbers share an event field)');
    this.members = options.consumers;
    this.nextMembers = options.consumers;
    this.assignor = options.assignor ?? 'range';
    this.protocol = protocolOf(this.assignor);
    this.heartbeatIntervalUs = options.heartbeatIntervalUs ?? consumerDefaults.heartbeatIntervalMs * 1_000;
    this.sessionTimeoutUs = options.sessionTimeoutUs ?? consumerDefaults.sessionTimeoutMs * 1_000;
    this.maxPollIntervalUs = options.maxPollIntervalUs ?? consumerDefaults.maxPollIntervalMs * 1_000;
    this.rebalancePauseUs = options.rebalancePauseUs ?? 3_000_000;
    this.initialRebalanceDelayUs = options.initialRebalanceDelayUs ?? 0;
    this.coordinatorNode = options.coordinatorNode ?? NOBODY;
    assert(this.heartbeatIntervalUs > 0 && this.heartbeatIntervalUs < this.sessionTimeoutUs, 'heartbeat.interval.ms must be > 0 and below session.timeout.ms');
    const capacity = Math.max(options.consumers, options.maxConsumers ?? options.consumers);
    assert(capacity <= CONSUMERS_MAX, () => `at most ${CONSUMERS_MAX} consumers (consumer numbers share an event field)`);
    for (let c = 0; c < capacity; c++) {
      this.lines.push(new FetchedRecords());
      this.busy.push(false);
      this.alive.push(false);
      this.incarnation.push(0);
      this.inProgress.push(-1);
      this.inProgressPartition.push(-1);
      this.processing.push(makeSampler(options.processingSeconds, sim.stream(`${this.name}/consumer-${c}/processing`)));
      this.pollLeft.push(0);
      this.pollDeadlineUs.push(Infinity);
      this.pollIncarnation.push(0);
      this.state.push(STOPPED);
      this.memberSerial.push(0);
      this.detached.push([]);
      this.memberOf.push(NOBODY);
      this.joinPending.push(NOBODY);
      this.everMember.push(false);
      this.leaving.push(false);
    }
    for (let p = 0; p < cluster.options.partitions; p++) {
      this.cursors.push({
        consumer: NOBODY,
        position: 0,
        positionEpoch: -1,
        leader: -1,
        serial: 0,
        parked: false,
        parkedUntilUs: 0,
        arrivesUs: 0,
        arrivalSequence: -1,
        unprocessed: 0,
        fetched: { error: 'none', runs: 0, firstMessageIds: [], counts: [], nextOffset: 0, lastEpoch: -1, highWatermark: 0 },
        committed: 0,
        lastCommitUs: 0,
        revoked: false,
      });
    }
    this.kinds = {
      fetch: sim.defineEvent(`${this.name}/fetch-send`, (partition) => this.sendFetch(partition)),
      fetchArrive: sim.defineEvent(`${this.name}/fetch-arrive`, (partition, serial) => this.onFetchArrive(partition, serial)),
      waitExpire: sim.defineEvent(`${this.name}/fetch-wait-expire`, () => this.answerExpiredFetches()),
      responseArrive: sim.defineEvent(`${this.name}/fetch-response`, (partition, serial) => this.onResponse(partition, serial)),
      rebalanceDue: sim.defineEvent(`${this.name}/rebalance-due`, () => this.maybeCompleteRebalance()),
      processed: sim.defineEvent(`${this.name}/processed`, (consumerAndIncarnation, packed) =>
        this.onProcessed(consumerAndIncarnation % CONSUMERS_MAX, Math.floor(consumerAndIncarnation / CONSUMERS_MAX), packed),
      ),
      // Membership (registered after the fetch path's kinds).
      heartbeatTick: sim.defineEvent(`${this.name}/heartbeat-send`, (consumer, serial) => this.heartbeatTick(consumer, serial)),
      heartbeatArrive: sim.defineEvent(`${this.name}/heartbeat-arrive`, (consumer, serial) => this.onHeartbeat(consumer, serial)),
      heartbeatError: sim.defineEvent(`${this.name}/heartbeat-unknown-member`, (consumer, serial) => this.onUnknownMember(consumer, serial)),
      joinArrive: sim.defineEvent(`${this.name}/join-arrive`, (consumer, serial) => this.onJoin(consumer, serial)),
      leaveArrive: sim.defineEvent(`${this.name}/leave-arrive`, (consumer, serial) => this.onLeave(consumer, serial)),
      sessionExpire: sim.defineEvent(`${this.name}/session-expire`, (consumer, serial) => this.onSessionExpired(consumer, serial)),
      pollExpire: sim.defineEvent(`${this.name}/poll-interval-expire`, () => this.onPollTimeouts()),
    };
    this.fetchWaitTimer = sim.timer(this.kinds.waitExpire);
    this.pollTimer = sim.timer(this.kinds.pollExpire);
    for (let c = 0; c < capacity; c++) this.sessionTimers.push(sim.timer(this.kinds.sessionExpire));
    const previous = cluster.onHighWatermark;
    cluster.onHighWatermark = (partition) => {
      previous(partition);
      const cursor = this.cursors[partition]!;
      if (!cursor.parked) return;
      if (this.arrived(cursor)) this.respond(partition, cursor.serial);
      else this.arriveForReal(cursor, partition); // still on its way: it finds the data when it arrives
    };
    cluster.onDisturbance.push(() => this.arriveAllForReal());
  }

  /** The consumer processes start and join the group. */
  start(): void {
    for (let c = 0; c < this.members; c++) {
      this.alive[c] = true;
      this.startMembership(c, false);
    }
  }

  /** Read-only, for the live view: the consumer a partition is assigned to (-1: none, e.g. mid-rebalance). */
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

  /** Read-only: whether the coordinator counts the consumer's current process as a member. */
  isMember(consumer: number): boolean {
    return this.memberOf[consumer] !== NOBODY && this.memberOf[consumer] === this.memberSerial[consumer];
  }

  /** Read-only: the partitions each member owns now, by consumer (tests, the live view). */
  assignment(): number[][] {
    const byConsumer: number[][] = this.lines.map(() => []);
    this.cursors.forEach((cursor, partition) => {
      if (cursor.consumer !== NOBODY) byConsumer[cursor.consumer]!.push(partition);
    });
    return byConsumer;
  }

  private nodeOf(consumer: number): number {
    return this.options.firstNode + consumer;
  }

  private node(partition: number): number {
    return this.nodeOf(this.cursors[partition]!.consumer);
  }

  // ------------------------------------------------------------------------------ fetching

  private fetching(cursor: PartitionCursor): boolean {
    return cursor.consumer !== NOBODY && !cursor.revoked && this.alive[cursor.consumer]! && this.state[cursor.consumer] === MEMBER;
  }

  /**
   * The consumer asks the partition's leader for records from its position. A fetch that will
   * find nothing when it arrives (the leader has nothing new now, and nothing but new data,
   * which the group hears of, can change that on the way) parks at its arrival time without an
   * event of its own: new data answers it from then on, and if data comes while it is still on
   * its way, or something else happens to the cluster (`onDisturbance`), it arrives for real.
   */
  private sendFetch(partition: number): void {
    const cursor = this.cursors[partition]!;
    if (!this.fetching(cursor)) return;
    cursor.leader = this.cluster.partitions[partition]!.leader;
    cursor.serial++;
    const arrivalUs = cursor.leader < 0 ? -1 : this.cluster.deliveryUs(this.node(partition), cursor.leader);
    if (arrivalUs < 0) return this.sim.schedule(this.options.retryBackoffUs, this.kinds.fetch, partition);
    if (this.eagerFetchArrivals || !this.findsNothing(cursor, partition)) return this.sim.scheduleAt(arrivalUs, this.kinds.fetchArrive, partition, cursor.serial);
    // Its place among events at the same time is kept, should it have to arrive for real.
    cursor.arrivalSequence = this.sim.reserveSequence();
    this.park(cursor, arrivalUs);
  }

  /** Whether the leader would answer the cursor's fetch with nothing, were it to arrive now. */
  private findsNothing(cursor: PartitionCursor, partition: number): boolean {
    return this.cluster.reachable(this.node(partition), cursor.leader) && this.cluster.wouldAnswerEmpty(cursor.leader, partition, cursor.position, cursor.positionEpoch);
  }

  /** The fetch waits at the leader from `arrivesUs` for new data, up to fetch.max.wait.ms. */
  private park(cursor: PartitionCursor, arrivesUs: number): void {
    cursor.parked = true;
    cursor.arrivesUs = arrivesUs;
    cursor.parkedUntilUs = arrivesUs + this.options.fetchMaxWaitUs;
    if (!this.fetchWaitTimer.armed || this.fetchWaitTimer.dueUs > cursor.parkedUntilUs) this.fetchWaitTimer.armAt(cursor.parkedUntilUs);
  }

  /** Whether the cursor's parked fetch has reached the leader (by now, and before the event being processed). */
  private arrived(cursor: PartitionCursor): boolean {
    return this.sim.isBefore(cursor.arrivesUs, cursor.arrivalSequence);
  }

  /** A fetch parked ahead of its arrival arrives for real, as the event it would have been. */
  private arriveForReal(cursor: PartitionCursor, partition: number): void {
    cursor.parked = false;
    this.sim.scheduleReserved(cursor.arrivesUs, cursor.arrivalSequence, this.kinds.fetchArrive, partition, cursor.serial);
  }

  private arriveAllForReal(): void {
    for (let partition = 0; partition < this.cursors.length; partition++) {
      const cursor = this.cursors[partition]!;
      if (cursor.parked && !this.arrived(cursor)) this.arriveForReal(cursor, partition);
    }
  }

  private onFetchArrive(partition: number, serial: number): void {
    const cursor = this.cursors[partition]!;
    if (serial !== cursor.serial) return;
    if (!this.cluster.reachable(this.node(partition), cursor.leader)) return this.retry(partition);
    const result = this.cluster.readCommitted(cursor.leader, partition, cursor.position, cursor.positionEpoch, this.options.maxPollRecords, cursor.fetched);
    if (result.error === 'none' && result.runs === 0) {
      cursor.arrivalSequence = -1; // it is here
      return this.park(cursor, this.sim.now);
    }
    this.respond(partition, serial, true);
  }

  /** The broker answers: with records, or empty when the wait ran out. `read`: the answer is in `cursor.fetched` already. */
  private respond(partition: number, serial: number, read = false): void {
    const cursor = this.cursors[partition]!;
    if (serial !== cursor.serial) return;
    cursor.parked = false;
    if (!this.cluster.reachable(cursor.leader, this.node(partition))) return this.retry(partition);
    const result = read ? cursor.fetched : this.cluster.readCommitted(cursor.leader, partition, cursor.position, cursor.positionEpoch, this.options.maxPollRecords, cursor.fetched);
    if (result.error === 'diverging') {
      // What we read was truncated away (unclean election): go back to where the logs agree,
      // as the consumer does after a LogTruncationException, and read the new history.
      cursor.position = result.nextOffset;
      cursor.positionEpoch = -1;
      return this.retry(partition);
    }
    if (result.error === 'not-leader') return this.retry(partition);
    let records = 0;
    for (let i = 0; i < result.runs; i++) records += result.counts[i]!;
    const sendingUs = this.cluster.network.transmissionDelayUs(cursor.leader, this.sim.now, records * this.cluster.messageBytes);
    // Latency, jitter, retransmissions and in-order delivery, as every message on the network
    // (reachability is checked when the response arrives).
    const arrivalUs = this.cluster.network.arrivalUs(cursor.leader, this.node(partition), this.sim.now + sendingUs);
    this.sim.scheduleAt(arrivalUs, this.kinds.responseArrive, partition, serial);
  }

  /** fetch.max.wait.ms ran out for the parked fetches due now (answered empty); the timer moves to the next. */
  private answerExpiredFetches(): void {
    let nextUs = Infinity;
    for (let partition = 0; partition < this.cursors.length; partition++) {
      const cursor = this.cursors[partition]!;
      if (!cursor.parked) continue;
      if (cursor.parkedUntilUs <= this.sim.now) this.respond(partition, cursor.serial);
      else nextUs = Math.min(nextUs, cursor.parkedUntilUs);
    }
    if (nextUs < Infinity) this.fetchWaitTimer.armAt(nextUs);
  }

  private retry(partition: number): void {
    this.sim.schedule(this.options.retryBackoffUs, this.kinds.fetch, partition);
  }

  private onResponse(partition: number, serial: number): void {
    const cursor = this.cursors[partition]!;
    if (serial !== cursor.serial || !this.fetching(cursor)) return;
    const highWatermark = this.cluster.highWatermark(partition);
    this.maxLag = Math.max(this.maxLag, highWatermark - cursor.position);
    const { firstMessageIds, counts, runs } = cursor.fetched;
    if (runs === 0) return this.sendFetch(partition);
    const line = this.lines[cursor.consumer]!;
    for (let i = 0; i < runs; i++) {
      line.push(firstMessageIds[i]!, counts[i]!, partition);
      this.ledger.consumerFetched(firstMessageIds[i]!, counts[i]!);
      cursor.unprocessed += counts[i]!;
      this.onFetched(cursor.consumer, firstMessageIds[i]!, counts[i]!);
    }
    cursor.position = cursor.fetched.nextOffset;
    cursor.positionEpoch = cursor.fetched.lastEpoch;
    if (this.options.commit === 'before-processing') this.commit(cursor.consumer, cursor);
    this.startProcessing(cursor.consumer);
  }

  // ------------------------------------------------------------------------------ processing

  /**
   * The consumer takes its next fetched record, if it is free. A record that takes no time
   * (processing 0, or under half a µs) is completed at once, in this loop, instead of through
   * an event: at sale rates that is one event fewer per record. When processing is a constant
   * that rounds to 0 µs, the records of a run (up to the end of the poll) complete together.
   */
  private startProcessing(consumer: number): void {
    for (;;) {
      if (this.busy[consumer] || !this.alive[consumer]) return;
      const line = this.lines[consumer]!;
      if (this.pollLeft[consumer] === 0) {
        // Between two polls: a consumer that knows it is out of the group rejoins now.
        if (this.state[consumer] === OUT) return this.rejoin(consumer);
        if (line.length === 0) return;
        this.pollLeft[consumer] = Math.min(this.options.maxPollRecords, line.length);
        this.pollDeadlineUs[consumer] = this.sim.now + this.maxPollIntervalUs;
        this.pollIncarnation[consumer] = this.incarnation[consumer]!;
        if (!this.pollTimer.armed) this.pollTimer.armAt(this.pollDeadlineUs[consumer]!);
      }
      const messageId = line.headFirstId;
      const partition = line.headPartition;
      if (this.instant) {
        const count = Math.min(line.headCount, this.pollLeft[consumer]!);
        line.take(count);
        this.completeRecords(consumer, messageId, count, partition);
        continue;
      }
      line.take(1);
      this.busy[consumer] = true;
      this.inProgress[consumer] = messageId;
      this.inProgressPartition[consumer] = partition;
      this.onProcessingStart?.(messageId, partition, consumer);
      const processingUs = Math.round(this.processing[consumer]!() * 1_000_000);
      if (processingUs > 0) {
        const who = this.incarnation[consumer]! * CONSUMERS_MAX + consumer;
        this.sim.schedule(processingUs, this.kinds.processed, who, messageId * 65_536 + partition);
        return;
      }
      this.completeRecord(consumer, messageId, partition);
    }
  }

  private onProcessed(consumer: number, incarnation: number, packed: number): void {
    if (!this.alive[consumer] || incarnation !== this.incarnation[consumer]) return; // it died while processing
    this.completeRecord(consumer, Math.floor(packed / 65_536), packed % 65_536);
    this.startProcessing(consumer);
  }

  private completeRecord(consumer: number, messageId: number, partition: number): void {
    this.busy[consumer] = false;
    this.inProgress[consumer] = -1;
    this.completeRecords(consumer, messageId, 1, partition);
  }

  /**
   * Records `firstId .. firstId + count - 1` of `partition`, processed one after another in
   * this instant: delivered, and their poll's and partition's bookkeeping done.
   */
  private completeRecords(consumer: number, firstId: number, count: number, partition: number): void {
    const now = this.sim.now;
    this.ledger.markDelivered(firstId, count);
    const times = this.ledger.creationTimes(firstId, count);
    const from = this.ledger.creationSlot(firstId);
    const recent = this.recent;
    const endToEnd = this.endToEndLatencyUs;
    if (recent === null) for (let k = 0; k < count; k++) endToEnd.recordLatency(now - times[from + k]!);
    else {
      for (let k = 0; k < count; k++) {
        endToEnd.recordLatency(now - times[from + k]!);
        recent.recordLatency(now - times[from + k]!);
      }
    }
    const start = this.instant ? this.onProcessingStart : null;
    const delivered = this.onDelivered;
    if (start !== null || delivered !== null) {
      for (let k = 0; k < count; k++) {
        start?.(firstId + k, partition, consumer);
        delivered?.(firstId + k, partition, now - times[from + k]!);
      }
    }
    this.deliveredPerSecond.record(now, count);
    this.pollLeft[consumer]! -= count;
    if (this.pollLeft[consumer] === 0) this.pollDeadlineUs[consumer] = Infinity;
    const zombie = this.detached[consumer]!.length > 0 ? this.detachedEntry(consumer, partition) : null;
    if (zombie !== null) {
      // Records of a partition the group took away: processed, but their commit is refused.
      zombie.remaining -= count;
      zombie.committedAhead = Math.max(0, zombie.committedAhead - count);
      if (zombie.remaining === 0 && this.options.commit !== 'before-processing') this.commitFailed(consumer);
    } else {
      const cursor = this.cursors[partition]!;
      assert(cursor.consumer === consumer, () => `consumer ${consumer} processed a record of partition ${partition}, owned by ${cursor.consumer}`);
      cursor.unprocessed -= count;
      if (cursor.unprocessed === 0 && cursor.revoked) {
        this.commit(consumer, cursor); // a revoked partition's progress is committed before it moves
        this.revocationDrained();
      } else if (cursor.unprocessed === 0) {
        if (this.options.commit === 'after-processing') this.commit(consumer, cursor);
        else if (this.options.commit === 'auto' && this.sim.now - cursor.lastCommitUs >= (this.options.autoCommitIntervalUs ?? 5_000_000)) {
          if (this.commit(consumer, cursor)) cursor.lastCommitUs = this.sim.now;
        }
        this.sendFetch(partition);
      }
    }
  }

  private detachedEntry(consumer: number, partition: number): DetachedRecords | null {
    for (const entry of this.detached[consumer]!) if (entry.partition === partition && entry.remaining > 0) return entry;
    return null;
  }

  /**
   * OffsetCommit to the coordinator. It needs a member (else CommitFailedException: the
   * consumer learns it is out) and a link to the coordinator (else it is not delivered and the
   * next commit carries the position). Returns whether the offset was committed.
   */
  private commit(consumer: number, cursor: PartitionCursor): boolean {
    if (this.state[consumer] !== MEMBER || this.memberOf[consumer] !== this.memberSerial[consumer]) {
      this.commitFailed(consumer);
      return false;
    }
    if (!this.coordinatorReachable(consumer)) return false;
    cursor.committed = cursor.position;
    return true;
  }

  private commitFailed(consumer: number): void {
    this.commitsFailed++;
    this.learnOut(consumer);
  }

  private coordinatorReachable(consumer: number): boolean {
    return this.coordinatorNode === NOBODY || this.cluster.network.connected(this.nodeOf(consumer), this.coordinatorNode);
  }

  /** The polls whose max.poll.interval.ms ran out now; the timer moves to the next deadline. */
  private onPollTimeouts(): void {
    let nextUs = Infinity;
    for (let consumer = 0; consumer < this.pollDeadlineUs.length; consumer++) {
      const deadline = this.pollDeadlineUs[consumer]!;
      if (deadline <= this.sim.now) {
        this.pollDeadlineUs[consumer] = Infinity;
        this.onPollTimeout(consumer, this.pollIncarnation[consumer]!);
      } else nextUs = Math.min(nextUs, deadline);
    }
    if (nextUs < Infinity) this.pollTimer.armAt(nextUs);
  }

  /** max.poll.interval.ms passed within one poll: the consumer leaves the group (LeaveGroup). */
  private onPollTimeout(consumer: number, incarnation: number): void {
    if (!this.alive[consumer] || incarnation !== this.incarnation[consumer] || this.state[consumer] !== MEMBER) return;
    this.state[consumer] = OUT;
    this.sendToCoordinator(consumer, this.kinds.leaveArrive);
  }

  // ------------------------------------------------------------------------------ membership, consumer side

  /** A fresh member id: JoinGroup now and at every heartbeat interval until it is a member. */
  private startMembership(consumer: number, rejoining: boolean): void {
    this.memberSerial[consumer]!++;
    this.state[consumer] = JOINING;
    this.sendToCoordinator(consumer, this.kinds.joinArrive);
    this.sim.schedule(this.heartbeatIntervalUs, this.kinds.heartbeatTick, consumer, this.memberSerial[consumer]!);
    if (rejoining) this.everMember[consumer] = true;
  }

  private sendToCoordinator(consumer: number, kind: number): void {
    const serial = this.memberSerial[consumer]!;
    if (this.coordinatorNode === NOBODY) this.sim.schedule(0, kind, consumer, serial);
    else this.cluster.sendOver(this.nodeOf(consumer), this.coordinatorNode, kind, consumer, serial);
  }

  private heartbeatTick(consumer: number, serial: number): void {
    if (!this.alive[consumer] || serial !== this.memberSerial[consumer]) return;
    const state = this.state[consumer];
    if (state === MEMBER) this.sendToCoordinator(consumer, this.kinds.heartbeatArrive);
    else if (state === JOINING) this.sendToCoordinator(consumer, this.kinds.joinArrive);
    if (state === MEMBER || state === JOINING) this.sim.schedule(this.heartbeatIntervalUs, this.kinds.heartbeatTick, consumer, serial);
  }

  /** The coordinator answered UNKNOWN_MEMBER_ID: the consumer was removed and must rejoin. */
  private onUnknownMember(consumer: number, serial: number): void {
    if (!this.alive[consumer] || serial !== this.memberSerial[consumer] || this.state[consumer] !== MEMBER) return;
    if (!this.coordinatorReachable(consumer)) return;
    this.learnOut(consumer);
  }

  /** The consumer learnt it is no longer a member; it rejoins at its next poll. */
  private learnOut(consumer: number): void {
    if (this.state[consumer] === MEMBER) this.state[consumer] = OUT;
    if (this.state[consumer] === OUT && !this.busy[consumer] && this.pollLeft[consumer] === 0) this.rejoin(consumer);
  }

  /**
   * At its next poll a consumer that is out drops what it fetched for the partitions it lost
   * (onPartitionsLost: nothing is committed) and joins again with a new member id.
   */
  private rejoin(consumer: number): void {
    this.dropHeld(consumer);
    this.startMembership(consumer, true);
  }

  // ------------------------------------------------------------------------------ membership, coordinator side

  private fromReachable(consumer: number): boolean {
    return this.coordinatorReachable(consumer); // checked again on arrival: a cut drops what is on the wire
  }

  private onJoin(consumer: number, serial: number): void {
    if (!this.fromReachable(consumer)) return;
    if (!this.alive[consumer] || serial !== this.memberSerial[consumer] || this.state[consumer] !== JOINING) return;
    if (this.memberOf[consumer] === serial || this.joinPending[consumer] === serial) return;
    this.joinPending[consumer] = serial;
    if (this.rebalanceEndsUs >= 0) return; // joins the rebalance in progress
    this.startRebalance(this.everMember[consumer] ? 'rejoined' : 'joined');
  }

  private onHeartbeat(consumer: number, serial: number): void {
    if (!this.fromReachable(consumer)) return;
    if (this.memberOf[consumer] === serial) {
      this.sessionTimers[consumer]!.armIn(this.sessionTimeoutUs, consumer, serial);
      if (this.rebalanceEndsUs >= 0) this.maybeCompleteRebalance();
      return;
    }
    if (this.coordinatorNode === NOBODY) this.sim.schedule(0, this.kinds.heartbeatError, consumer, serial);
    else this.cluster.sendOver(this.coordinatorNode, this.nodeOf(consumer), this.kinds.heartbeatError, consumer, serial);
  }

  private onLeave(consumer: number, serial: number): void {
    if (!this.fromReachable(consumer) || this.memberOf[consumer] !== serial) return;
    this.removeMember(consumer, 'poll-interval');
  }

  private onSessionExpired(consumer: number, serial: number): void {
    if (this.memberOf[consumer] !== serial) return;
    this.removeMember(consumer, 'session-timeout');
  }

  /**
   * The coordinator drops a member: its partitions have no owner until the rebalance this
   * starts completes. If its process still runs (a zombie), it keeps processing what it holds
   * without knowing; those records are read again by the new owner from the committed offset.
   */
  private removeMember(consumer: number, reason: RebalanceReason): void {
    this.memberOf[consumer] = NOBODY;
    this.sessionTimers[consumer]!.cancel();
    this.membersRemoved++;
    this.cursors.forEach((cursor, partition) => {
      if (cursor.consumer !== consumer) return;
      if (cursor.unprocessed > 0) {
        const first = cursor.position - cursor.unprocessed;
        const committedAhead = Math.min(cursor.unprocessed, Math.max(0, cursor.committed - first));
        this.detached[consumer]!.push({ partition, remaining: cursor.unprocessed, committedAhead });
      }
      this.release(cursor);
    });
    this.onMemberRemoved(consumer, reason);
    if (this.rebalanceEndsUs >= 0) return this.maybeCompleteRebalance();
    if (this.memberOf.some((serial) => serial !== NOBODY) || this.joinPending.some((serial) => serial !== NOBODY)) this.startRebalance(reason);
  }

  /** The partition has no owner now; answers to its fetches in flight are dropped. */
  private release(cursor: PartitionCursor): void {
    cursor.consumer = NOBODY;
    cursor.unprocessed = 0;
    cursor.revoked = false;
    cursor.serial++;
    cursor.parked = false;
  }

  private revoke(cursor: PartitionCursor): void {
    cursor.revoked = true;
    cursor.serial++; // answers to fetches in flight are dropped; their records stay in the log
    cursor.parked = false;
    this.partitionsRevoked++;
    const owner = cursor.consumer;
    // The member commits what it processed before giving the partition up (a dead one cannot).
    if (cursor.unprocessed === 0 && this.alive[owner]! && this.memberOf[owner] === this.memberSerial[owner]) this.commit(owner, cursor);
  }

  private startRebalance(reason: RebalanceReason, followUp = false): void {
    if (this.rebalanceEndsUs >= 0) return;
    const empty = !this.memberOf.some((serial) => serial !== NOBODY);
    const pauseUs = empty ? this.initialRebalanceDelayUs : this.rebalancePauseUs;
    const first = this.generation === 0;
    this.rebalanceEndsUs = this.sim.now + pauseUs;
    this.rebalanceReason = reason;
    this.followUpPending = false;
    for (const cursor of this.cursors) {
      if (cursor.consumer === NOBODY || cursor.revoked) continue;
      if (this.protocol === 'eager' || this.leaving[cursor.consumer]) this.revoke(cursor);
    }
    if (!first) {
      this.rebalances++;
      this.onRebalance('start', this.expectedMembers(), reason, followUp);
    }
    this.sim.schedule(pauseUs, this.kinds.rebalanceDue);
  }

  private expectedMembers(): number {
    let count = 0;
    for (let c = 0; c < this.memberOf.length; c++) {
      if (this.leaving[c]) continue;
      if (this.joinPending[c] !== NOBODY || this.memberOf[c] !== NOBODY) count++;
    }
    return count;
  }

  get rebalancing(): boolean {
    return this.rebalanceEndsUs >= 0 || this.followUpPending;
  }

  /** A member can rejoin: its process runs, believes it is this member, and reaches the coordinator. */
  private rejoinable(consumer: number): boolean {
    return this.alive[consumer]! && this.memberOf[consumer] === this.memberSerial[consumer] && this.state[consumer] === MEMBER && this.coordinatorReachable(consumer);
  }

  private revocationDrained(): void {
    if (this.rebalanceEndsUs >= 0) return this.maybeCompleteRebalance();
    if (this.followUpPending && !this.cursors.some((cursor) => cursor.revoked && cursor.unprocessed > 0)) {
      this.startRebalance(this.rebalanceReason, true);
    }
  }

  private maybeCompleteRebalance(): void {
    if (this.rebalanceEndsUs < 0 || this.sim.now < this.rebalanceEndsUs) return;
    for (let c = 0; c < this.memberOf.length; c++) if (this.memberOf[c] !== NOBODY && !this.rejoinable(c)) return; // waits for its session to expire
    if (this.cursors.some((cursor) => cursor.revoked && cursor.unprocessed > 0)) return;
    this.completeRebalance();
  }

  private completeRebalance(): void {
    const first = this.generation === 0;
    this.rebalanceEndsUs = -1;
    this.generation++;
    // Members scaled in leave (their partitions were revoked and drained); pending joins become members.
    for (let c = 0; c < this.memberOf.length; c++) {
      if (this.leaving[c]) {
        this.leaving[c] = false;
        if (this.memberOf[c] !== NOBODY) {
          this.memberOf[c] = NOBODY;
          this.sessionTimers[c]!.cancel();
        }
        this.cursors.forEach((cursor) => cursor.consumer === c && this.release(cursor));
        this.dropHeld(c);
        this.alive[c] = false;
        this.state[c] = STOPPED;
        this.joinPending[c] = NOBODY;
        continue;
      }
      const pending = this.joinPending[c]!;
      if (pending === NOBODY) continue;
      if (this.memberOf[c] !== NOBODY) continue; // its previous member id must go first
      this.joinPending[c] = NOBODY;
      if (!this.alive[c] || pending !== this.memberSerial[c] || this.state[c] !== JOINING) continue;
      this.memberOf[c] = pending;
      this.state[c] = MEMBER;
      this.everMember[c] = true;
      this.sessionTimers[c]!.armIn(this.sessionTimeoutUs, c, pending);
    }
    const memberList: number[] = [];
    for (let c = 0; c < this.memberOf.length; c++) if (this.memberOf[c] !== NOBODY) memberList.push(c);
    const owned: TopicPartition[][] = this.lines.map(() => []);
    this.cursors.forEach((cursor, partition) => {
      if (cursor.consumer === NOBODY) return;
      // Eager assignors see the previous assignment (the sticky one keeps what it can); the
      // cooperative one sees what each member still owns: its revoked partitions are free now.
      if (this.protocol === 'eager' || !cursor.revoked) owned[cursor.consumer]!.push({ topic: TOPIC, partition });
    });
    for (const cursor of this.cursors) if (cursor.revoked) this.release(cursor);
    if (memberList.length > 0) {
      const result = assign(
        this.assignor,
        memberList.map((c) => ({ memberId: memberIdOf(c), topics: [TOPIC], ownedPartitions: owned[c]! })),
        { [TOPIC]: this.cursors.length },
      );
      for (const c of memberList) {
        for (const { partition } of result.byMember[memberIdOf(c)] ?? []) {
          const cursor = this.cursors[partition]!;
          if (cursor.consumer === c) continue; // kept (cooperative)
          assert(cursor.consumer === NOBODY, () => `partition ${partition} given to consumer ${c} while consumer ${cursor.consumer} owns it`);
          this.giveTo(cursor, partition, c);
        }
        for (const { partition } of result.revokedByMember[memberIdOf(c)] ?? []) {
          this.revoke(this.cursors[partition]!);
          this.followUpPending = true;
        }
      }
    }
    this.members = this.nextMembers;
    if (!first) this.onRebalance('end', memberList.length, this.rebalanceReason, false);
    for (const c of memberList) this.startProcessing(c);
    // KIP-429: members that revoked partitions rejoin at once, and a second rebalance moves them.
    if (this.followUpPending) this.revocationDrained();
  }

  private giveTo(cursor: PartitionCursor, partition: number, consumer: number): void {
    cursor.consumer = consumer;
    cursor.position = cursor.committed;
    cursor.positionEpoch = -1;
    cursor.unprocessed = 0;
    cursor.revoked = false;
    cursor.parked = false;
    cursor.serial++;
    this.sim.schedule(0, this.kinds.fetch, partition);
  }

  /**
   * The group is scaled to `members` consumers: new processes start and join, surplus ones
   * leave cleanly (their partitions are revoked, drained and committed first). One rebalance,
   * with the group's assignor; `protocol` must be the one the assignor implies.
   */
  rebalance(members: number, protocol: RebalanceProtocol, pauseUs: number): void {
    assert(members >= 1 && members <= this.lines.length, () => `a rebalance to ${members} consumers exceeds the group's ${this.lines.length}`);
    assert(protocol === this.protocol, () => `the group's assignor ${this.assignor} uses the ${this.protocol} protocol, not ${protocol}`);
    if (this.rebalancing || members === this.members) return;
    this.rebalancePauseUs = pauseUs;
    this.nextMembers = members;
    for (let c = this.members; c < members; c++) {
      if (this.alive[c]) continue;
      this.alive[c] = true;
      this.incarnation[c]!++;
      this.startMembership(c, false);
      this.joinPending[c] = this.memberSerial[c]!; // joins with the scaling, no need to wait for its JoinGroup
    }
    for (let c = members; c < this.members; c++) if (this.alive[c]) this.leaving[c] = true;
    this.startRebalance('scaled');
  }

  /**
   * The lowest offset of `partition` the group may still read: its committed offset (where a
   * new owner or a rewind starts) or its position, whichever is lower. The cluster keeps the
   * logs from there on.
   */
  readFloor(partition: number): number {
    const cursor = this.cursors[partition]!;
    return Math.min(cursor.committed, cursor.position);
  }

  /** The lowest message id a consumer holds, fetched and not yet processed (Infinity when none). */
  lowestHeldId(): number {
    let lowest = Infinity;
    for (let c = 0; c < this.lines.length; c++) {
      lowest = Math.min(lowest, this.lines[c]!.minId());
      if (this.inProgress[c]! >= 0) lowest = Math.min(lowest, this.inProgress[c]!);
    }
    return lowest;
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
   * Drops every record the consumer fetched and has not processed (a crash, or partitions lost
   * before rejoining). Records below the committed offset will never be read again by this
   * group: with commit before processing they are lost (at-most-once). The rest are read again.
   */
  private dropHeld(consumer: number): void {
    const dropped: number[] = [];
    const droppedPartitions: number[] = [];
    if (this.inProgress[consumer]! >= 0) {
      dropped.push(this.inProgress[consumer]!);
      droppedPartitions.push(this.inProgressPartition[consumer]!);
    }
    this.lines[consumer]!.drain((firstId, count, partition) => {
      for (let id = firstId; id < firstId + count; id++) {
        dropped.push(id);
        droppedPartitions.push(partition);
      }
    });
    if (this.inProgress[consumer]! >= 0) this.incarnation[consumer]!++; // its processing event now goes nowhere
    this.inProgress[consumer] = -1;
    this.busy[consumer] = false;
    this.pollLeft[consumer] = 0;
    this.pollDeadlineUs[consumer] = Infinity;
    // Per owned partition, the dropped records are the last `unprocessed` ones before the position.
    const nextOffset = new Map<number, number>();
    dropped.forEach((messageId, index) => {
      const partition = droppedPartitions[index]!;
      const zombie = this.detached[consumer]!.length > 0 ? this.detachedEntry(consumer, partition) : null;
      if (zombie !== null) {
        zombie.remaining--;
        const committed = zombie.committedAhead > 0;
        if (committed) zombie.committedAhead--;
        this.ledger.consumerDropped(messageId, committed ? 'at-most-once-consumer-crash' : null);
        return;
      }
      const cursor = this.cursors[partition]!;
      const offset = nextOffset.get(partition) ?? cursor.position - cursor.unprocessed;
      nextOffset.set(partition, offset + 1);
      this.ledger.consumerDropped(messageId, offset < cursor.committed ? 'at-most-once-consumer-crash' : null);
    });
    for (const cursor of this.cursors) {
      if (cursor.consumer !== consumer) continue;
      cursor.unprocessed = 0;
      cursor.serial++; // answers to its fetches now go nowhere
      cursor.parked = false;
    }
    this.detached[consumer] = [];
  }

  /**
   * The consumer process dies: what it fetched and had not processed is dropped. The
   * coordinator is not told: its partitions wait until its session times out.
   */
  crash(consumer: number): void {
    if (!this.alive[consumer]) return;
    this.dropHeld(consumer);
    this.alive[consumer] = false;
    this.state[consumer] = STOPPED;
    this.revocationDrained();
  }

  /**
   * The consumer starts again: a new member id joins the group (a rebalance). Its previous
   * member keeps its partitions until its session expires, and the rebalance waits for that.
   */
  restart(consumer: number): void {
    if (this.alive[consumer] || consumer >= this.members) return;
    this.alive[consumer] = true;
    this.incarnation[consumer]!++;
    this.startMembership(consumer, true);
  }
}
