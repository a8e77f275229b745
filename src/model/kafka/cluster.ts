import { assert, type Simulation, type Timer } from '../../engine';
import type { LossCause, MessageLedger } from './ledger';
import type { Network } from './network';
import { ReplicaLog } from './replica-log';
import { BrokerResources, NO_COSTS, type BrokerResourceOptions } from './broker-resources';
import { PageCache } from './page-cache';
import { PendingAcks } from './pending-acks';
import { rackAwareAssignment, roundRobinAssignment } from './placement';
import { brokerDefaults } from './defaults';

/**
 * Brokers, one topic's partitions and their replication, and the KRaft controller.
 *
 * Behaviour and its sources (shared/reference/mq-semantics.md §1, docs/model.md):
 * - all produce and fetch traffic goes to the leader; followers fetch from it (§1.1);
 * - high watermark = min log end offset over the ISR; consumers read below it (§1.1);
 * - a follower leaves the ISR when it has not caught up for replica.lag.time.max.ms (§1.4);
 *   it rejoins when its log end offset reaches the high watermark;
 * - brokers heartbeat every broker.heartbeat.interval.ms; the controller fences a broker
 *   silent for broker.session.timeout.ms and elects new leaders from the ISR; with nobody
 *   eligible the partition goes offline, or with unclean.leader.election.enable an
 *   out-of-sync replica is elected and its log becomes the truth (§1.5);
 * - followers truncate to the leader's end offset of their last epoch (KIP-101/KIP-320,
 *   the "diverging epoch" in the fetch response), never to their high watermark (§1.6 F8);
 * - acks=all needs min.insync.replicas in the ISR at append, else NotEnoughReplicas (§1.3);
 * - with eligible leader replicas (KIP-966, opt-in as in 4.0) the high watermark waits for an
 *   ISR of min.insync.replicas, replicas leaving a smaller ISR join the ELR, and elections
 *   take an ISR member, else an unfenced ELR member, else the last leader (§1.5, F6);
 * - a power failure loses each log's tail that the OS had not written back yet (§1.6 F7,
 *   page-cache.ts); a process crash keeps the whole log.
 *
 * The ISR lives with the controller; a leader's ISR change reaches it at once (AlterPartition
 * latency is not modelled). Leadership and ISR reach brokers as messages over the network,
 * so a broker cut off from the controller keeps acting on what it last heard, as in Kafka.
 */
export interface ClusterOptions {
  brokers: number;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
  replicaLagTimeMaxUs: number;
  replicaFetchWaitMaxUs: number;
  /** replica.fetch.max.bytes: what a fetch response carries per partition (at least one batch). */
  replicaFetchMaxBytes: number;
  /** replica.fetch.response.max.bytes: what a whole fetch response carries (at least one batch). */
  replicaFetchResponseMaxBytes: number;
  brokerHeartbeatIntervalUs: number;
  brokerSessionTimeoutUs: number;
  /** CPU and disk costs of writes (broker-resources.ts); none by default. */
  resources?: BrokerResourceOptions;
  /** Size of one record on the wire and on disk, bytes (default 1,024, as in Confluent's benchmark). */
  messageBytes?: number;
  /**
   * Eligible leader replicas (KIP-966, eligible.leader.replicas.version=1): off by default in
   * Kafka 4.0, on by default for new clusters from 4.1 (ref §1.5). With it the high watermark
   * does not advance while the ISR is smaller than min.insync.replicas ("strict min ISR"), and
   * replicas that leave the ISR then stay electable.
   */
  eligibleLeaderReplicas?: boolean;
  /** log.flush.interval.messages: Kafka fsyncs after this many messages; absent: never (Long.MAX). */
  flushIntervalMessages?: number;
  /**
   * broker.rack of each broker (index: broker id). Absent: the rack-unaware round-robin
   * placement; present: Kafka's rack-aware assignment (placement.ts).
   */
  brokerRacks?: readonly string[];
  /**
   * auto.leader.rebalance.enable (Kafka's default: true; absent here: false): the controller
   * moves leadership back to each partition's preferred replica, the first in its replica
   * list, once it is alive, unfenced and in the ISR, checking leader.imbalance.check.interval
   * after a change left a partition led by another replica (KRaft's QuorumController).
   */
  autoLeaderRebalance?: boolean;
  /** leader.imbalance.check.interval.seconds, in µs (default 300 s). */
  leaderImbalanceCheckIntervalUs?: number;
}

/** What the controller knows of a partition: the truth. */
export interface PartitionState {
  replicas: number[];
  leader: number; // -1 when offline
  leaderEpoch: number;
  isr: number[];
  /** The leader before the current one (or the last one before going offline). */
  lastLeader: number;
  /**
   * Eligible leader replicas (KIP-966): replicas out of the ISR that hold everything below the
   * high watermark, because they left while the ISR was below min.insync.replicas and the
   * high watermark has not moved since. Always empty without `eligibleLeaderReplicas`.
   */
  elr: number[];
}

/** What one broker knows of one partition, and its copy of the log. */
interface Replica {
  log: ReplicaLog;
  leaderEpoch: number;
  leader: number;
  highWatermark: number;
  // Leader side: what it knows of each follower (indexed by broker id).
  followerEndOffset: Float64Array;
  followerCaughtUpUs: Float64Array;
  /** Follower side: the partition sits out of its session's fetches until then, after an error (replica.fetch.backoff.ms). */
  fetchNotBeforeUs: number;
}

export type ProduceError = 'none' | 'not-leader' | 'not-enough-replicas' | 'not-enough-replicas-after-append' | 'out-of-order-sequence';

/** Called when a broker answers a produce request (never for acks=0); the caller carries it back. */
/** `afterUs`: the leader's own write is still in progress; the answer leaves when it is done. */
export type ProduceResponder = (requestId: number, error: ProduceError, broker: number, afterUs?: number) => void;

export interface ConsumerFetchResult {
  error: 'none' | 'not-leader' | 'diverging';
  /** Runs of consecutive messages returned: `firstMessageIds[i]`, `counts[i]` for i < runs (the arrays are reused). */
  runs: number;
  firstMessageIds: number[];
  counts: number[];
  nextOffset: number;
  /** Epoch of the last batch returned (or the one asked about, when nothing is returned). */
  lastEpoch: number;
  highWatermark: number;
}

/**
 * A follower's fetch session with one leader (Kafka's ReplicaFetcherThread: one per source
 * broker, num.replica.fetchers = 1, with the incremental fetch sessions of KIP-227): one
 * request carries every partition the follower replicates from that leader, and one response
 * brings back what each of them has. The request and the response are copied into the
 * session's arrays when they are made, so a later truncation of either log cannot change
 * what is on the wire; only one fetch per session is ever on its way.
 */
interface FetchSession {
  readonly follower: number;
  readonly leader: number;
  /** Its place in `sessions` (follower * brokers + leader), which its events carry. */
  readonly index: number;
  /** A fetch is on its way, parked at the leader, or scheduled: the session's loop runs. */
  running: boolean;
  /** Serial of the fetch on its way; events of an older one are ignored. */
  serial: number;
  /** Parked at the leader until data arrives or `parkedUntilUs` (replica.fetch.wait.max.ms). */
  parked: boolean;
  parkedUntilUs: number;
  // The request, per partition in it (the first `size` entries; the arrays are reused).
  size: number;
  partitions: number[];
  fetchOffsets: number[];
  lastFetchedEpochs: number[];
  leaderEpochs: number[];
  // The response, per partition in the request: RESPONSE_ERROR (not the leader in that epoch),
  // the offset to truncate to (diverging epoch), or RESPONSE_DATA with `batchEnds[i]` closing
  // its run of [count, epoch, firstMessageId, sequence] quadruples in `batches`.
  outcomes: number[];
  batchEnds: number[];
  highWatermarks: number[];
  batches: Float64Array;
}

const RESPONSE_DATA = -1;
const RESPONSE_ERROR = -2;
/** replica.fetch.backoff.ms (1 s, ref §1.4): a follower waits this long after a fetch error before asking again. */
const REPLICA_FETCH_BACKOFF_US = brokerDefaults.replicaFetchBackoffMs * 1_000;

const NONE = -1;
/** leader.imbalance.check.interval.seconds (300, ref §1.4), in µs. */
const LEADER_IMBALANCE_CHECK_INTERVAL_US = 300_000_000;
/** KRaft's controller moves at most this many leaders per imbalance check (QuorumController maxElectionsPerImbalance). */
const MAX_ELECTIONS_PER_IMBALANCE = 1_000;

export class KafkaCluster {
  readonly controllerNode: number;
  readonly partitions: PartitionState[] = [];
  private readonly replicas: Replica[][] = []; // [broker][partition]
  /** The partitions each broker holds a replica of, ascending (replica sets never change). */
  private readonly replicated: number[][] = [];
  private readonly alive: boolean[] = [];
  private readonly fenced: boolean[] = [];
  private readonly incarnation: number[] = [];
  private readonly registeredIncarnation: number[] = [];
  private readonly sessionTimers;
  private readonly pendingAcks: PendingAcks[] = [];
  /** Fetch sessions, [follower * brokers + leader]. */
  private readonly sessions: FetchSession[] = [];
  /** Answers parked sessions when replica.fetch.wait.max.ms runs out: one timer at the earliest deadline. */
  private readonly fetchWaitTimer: Timer;
  private readonly metadataUpdates: { partition: number; leader: number; leaderEpoch: number }[] = [];
  private readonly kinds;
  /** Goes up whenever some partition's leader changes (clients cache who leads what by it). */
  leadershipVersion = 0;
  leaderElections = 0;
  uncleanElections = 0;
  /**
   * Batches a leader appended behind a batch the producer made later (a retry overtaken by the
   * next batch, §1.7 F9): each one breaks the per-key order readers see.
   */
  reorderedBatches = 0;
  readonly resources: BrokerResources;
  /**
   * When the leader finished the write of the last produce request it took (its CPU and disk
   * work): an acks=1 answer leaves then. Read right after `produce` returns.
   */
  lastWriteDoneUs = 0;
  private offlineSinceUs: number[] = [];
  /** Per partition: the log end offset of the last true leader when it was deposed. */
  private readonly historyEndOffset: number[] = [];
  offlinePartitionUs = 0;
  private underReplicatedSinceUs: number[] = [];
  underReplicatedPartitionUs = 0;
  /** Told when a partition's high watermark advances (consumers waiting on it wake up). */
  onHighWatermark: (partition: number) => void = () => undefined;
  /** Told of every batch a replica appends (`leader`: by a produce request), for the message tracer. */
  onAppend: (broker: number, partition: number, firstMessageId: number, count: number, baseOffset: number, leader: boolean) => void = () => undefined;
  /**
   * Told when a partition gets a new leader (the timeline marks elections); `fromElr`: the
   * leader came from the eligible leader replicas, not the ISR (KIP-966); `preferred`: a
   * planned move back to the preferred replica (auto.leader.rebalance.enable).
   */
  onLeaderElected: (partition: number, leader: number, unclean: boolean, fromElr?: boolean, preferred?: boolean) => void = () => undefined;
  /** Elections that took the leader from the eligible leader replicas (KIP-966). */
  elrElections = 0;
  /** Preferred-leader elections of the automatic leader rebalance (counted in leaderElections too). */
  preferredElections = 0;
  /**
   * The controller's leader-imbalance check (auto.leader.rebalance.enable). Its event kind is
   * registered, and the timer made, when a partition first loses its preferred leader, after
   * every other kind: runs in which leadership never moves keep their event kinds and hashes.
   */
  private rebalanceTimer: Timer | null = null;
  /** What each replica has on disk, kept only in runs that can lose power (`trackPageCache`). */
  private pageCache: PageCache | null = null;
  private writebackKind = NONE;
  /** Per broker, when it lost power: the offset each partition's log recovers to at restart. */
  private readonly recoveryOffsets: (number[] | null)[] = [];
  /** Answers produce requests; set by the producer side. */
  respondToProduce: ProduceResponder = () => undefined;

  constructor(
    private readonly sim: Simulation,
    readonly network: Network,
    private readonly ledger: MessageLedger,
    readonly options: ClusterOptions,
  ) {
    assert(options.replicationFactor <= options.brokers, 'replication factor cannot exceed the number of brokers');
    this.controllerNode = options.brokers;
    this.resources = new BrokerResources(options.brokers, options.resources ?? NO_COSTS);
    if (options.resources?.nicMBps !== undefined && options.resources.nicMBps !== Infinity) network.setBandwidthMBps(options.resources.nicMBps);
    network.onLinksChanged = () => this.disturbed();
    this.kinds = {
      heartbeatSend: sim.defineEvent('kafka/heartbeat-send', (broker, incarnation) => this.sendHeartbeat(broker, incarnation)),
      heartbeatArrive: sim.defineEvent('kafka/heartbeat-arrive', (broker, incarnation) => this.onHeartbeat(broker, incarnation)),
      sessionExpire: sim.defineEvent('kafka/session-expire', (broker) => this.fence(broker)),
      metadataArrive: sim.defineEvent('kafka/metadata-arrive', (broker, update) => this.onMetadata(broker, update)),
      fetchSend: sim.defineEvent('kafka/fetch-send', (follower, leader) => this.sendFetch(follower, leader)),
      fetchArrive: sim.defineEvent('kafka/fetch-arrive', (session, serial) => this.onFetch(session, serial)),
      fetchWaitExpire: sim.defineEvent('kafka/fetch-wait-expire', () => this.answerExpiredFetches()),
      fetchResponseArrive: sim.defineEvent('kafka/fetch-response-arrive', (session, serial) => this.onFetchResponse(session, serial)),
      isrCheck: sim.defineEvent('kafka/isr-check', (broker, incarnation) => this.checkIsr(broker, incarnation)),
    };
    this.sessionTimers = Array.from({ length: options.brokers }, () => sim.timer(this.kinds.sessionExpire));
    this.fetchWaitTimer = sim.timer(this.kinds.fetchWaitExpire);
    this.createBrokersAndPartitions();
  }

  private createBrokersAndPartitions(): void {
    const { brokers, partitions, replicationFactor } = this.options;
    for (let b = 0; b < brokers; b++) {
      this.alive.push(true);
      this.fenced.push(false);
      this.incarnation.push(0);
      this.registeredIncarnation.push(0);
      this.replicas.push([]);
      this.recoveryOffsets.push(null);
    }
    for (let follower = 0; follower < brokers; follower++) {
      for (let leader = 0; leader < brokers; leader++) {
        this.sessions.push({
          follower,
          leader,
          index: this.sessions.length,
          running: false,
          serial: 0,
          size: 0,
          parked: false,
          parkedUntilUs: 0,
          partitions: [],
          fetchOffsets: [],
          lastFetchedEpochs: [],
          leaderEpochs: [],
          outcomes: [],
          batchEnds: [],
          highWatermarks: [],
          batches: new Float64Array(256),
        });
      }
    }
    // Round-robin placement with the leader spread, as Kafka's default assignment does, or
    // Kafka's rack-aware assignment when the brokers have racks (placement.ts). The first
    // replica of each partition is its preferred leader.
    const racks = this.options.brokerRacks;
    assert(racks === undefined || racks.length === brokers, 'brokerRacks needs one rack per broker');
    const placement = racks === undefined ? roundRobinAssignment(brokers, partitions, replicationFactor) : rackAwareAssignment(racks, partitions, replicationFactor);
    for (let p = 0; p < partitions; p++) {
      const replicas = placement[p]!;
      this.partitions.push({ replicas, leader: replicas[0]!, leaderEpoch: 0, isr: [...replicas], lastLeader: NONE, elr: [] });
      for (const broker of replicas) (this.replicated[broker] ??= []).push(p);
      this.pendingAcks.push(new PendingAcks());
      this.offlineSinceUs.push(NONE);
      this.historyEndOffset.push(0);
      this.underReplicatedSinceUs.push(NONE);
      for (let b = 0; b < brokers; b++) {
        this.replicas[b]!.push({
          log: new ReplicaLog(),
          leaderEpoch: 0,
          leader: replicas[0]!,
          highWatermark: 0,
          followerEndOffset: new Float64Array(brokers),
          followerCaughtUpUs: new Float64Array(brokers),
          fetchNotBeforeUs: 0,
        });
      }
    }
  }

  start(): void {
    for (let b = 0; b < this.options.brokers; b++) this.startBroker(b);
  }

  private startBroker(broker: number): void {
    const incarnation = this.incarnation[broker]!;
    this.sim.schedule(0, this.kinds.heartbeatSend, broker, incarnation);
    this.sim.schedule(this.options.replicaLagTimeMaxUs / 2, this.kinds.isrCheck, broker, incarnation);
    for (const p of this.replicated[broker] ?? []) {
      const replica = this.replica(broker, p);
      if (replica.leader !== broker && replica.leader !== NONE) this.startFetching(broker, replica.leader);
    }
  }

  isAlive(broker: number): boolean {
    return this.alive[broker]!;
  }

  /** Read-only, for the live view: whether the controller has fenced the broker. */
  isFenced(broker: number): boolean {
    return this.fenced[broker]!;
  }

  replica(broker: number, partition: number): Replica {
    return this.replicas[broker]![partition]!;
  }

  highWatermark(partition: number): number {
    const state = this.partitions[partition]!;
    return state.leader === NONE ? 0 : this.replica(state.leader, partition).highWatermark;
  }

  // ---------------------------------------------------------------- produce

  /**
   * One record batch of a produce request reaches `broker`. Returns the error, or 'none' when
   * appended; acks=all batches are answered later through `respondToProduce`, when the high
   * watermark passes them.
   *
   * An idempotent producer numbers its batches per partition (`sequence`). The leader appends
   * only the batch that follows the last sequence in its log, answers a batch its log already
   * holds (a retry after a lost answer) like the original, and refuses one that comes too
   * early with OutOfOrderSequence so that the producer resends it after the missing one: this
   * is what keeps order with up to 5 requests in flight (KIP-98, §1.7 F10). `firstPending`
   * says no earlier batch of this partition is still coming (the producer gave it up): the
   * leader then accepts the gap, as Kafka does after the producer bumps its epoch (KIP-360).
   */
  produce(
    broker: number,
    partition: number,
    firstMessageId: number,
    count: number,
    acks: 0 | 1 | 'all',
    requestId: number,
    idempotent = false,
    sequence = -1,
    firstPending = true,
  ): ProduceError | 'pending' {
    const replica = this.replica(broker, partition);
    if (replica.leader !== broker) return 'not-leader';
    const isr = this.partitions[partition]!.isr;
    // The leader's own ISR view is the controller's while it is the true leader; a deposed
    // leader that has not heard yet still believes in the ISR it knew (it may accept acks=1).
    // Kafka checks min.insync.replicas before the log sees the batch (Partition.appendRecordsToLeader),
    // so a retry is refused too while the ISR is short, not answered from the log.
    const believedIsr = this.isTrueLeader(broker, partition) ? isr : [broker];
    if (acks === 'all' && believedIsr.length < this.options.minInsyncReplicas) return 'not-enough-replicas';
    if (idempotent) {
      const lastSequence = replica.log.lastSequence;
      if (sequence <= lastSequence) {
        const endOffset = replica.log.endOffsetOfSequence(sequence);
        this.lastWriteDoneUs = this.sim.now;
        if (endOffset < 0 || acks !== 'all' || replica.highWatermark >= endOffset) return 'none';
        this.pendingAcks[partition]!.push(requestId, broker, endOffset, this.sim.now);
        return 'pending';
      }
      if (sequence > lastSequence + 1 && !firstPending) return 'out-of-order-sequence';
    }
    this.lastWriteDoneUs = this.resources.serve(broker, this.sim.now, count * this.messageBytes);
    if (replica.log.batchCount > 0 && firstMessageId < replica.log.lastFirstMessageId) this.reorderedBatches++;
    replica.log.append(count, replica.leaderEpoch, firstMessageId, sequence);
    this.ledger.replicaAppended(firstMessageId, count);
    this.onAppend(broker, partition, firstMessageId, count, replica.log.logEndOffset - count, true);
    if (this.isTrueLeader(broker, partition)) this.ledger.enterHistory(firstMessageId, count);
    replica.followerEndOffset[broker] = replica.log.logEndOffset;
    this.answerParkedFetches(broker, partition);
    if (acks !== 'all') {
      this.maybeAdvanceHighWatermark(broker, partition);
      return 'none';
    }
    this.pendingAcks[partition]!.push(requestId, broker, replica.log.logEndOffset, this.lastWriteDoneUs);
    this.maybeAdvanceHighWatermark(broker, partition);
    return 'pending';
  }

  private isTrueLeader(broker: number, partition: number): boolean {
    const state = this.partitions[partition]!;
    return state.leader === broker && this.replica(broker, partition).leaderEpoch === state.leaderEpoch;
  }

  private maybeAdvanceHighWatermark(leader: number, partition: number): void {
    if (!this.isTrueLeader(leader, partition)) return;
    const replica = this.replica(leader, partition);
    const isr = this.partitions[partition]!.isr;
    let minimum = replica.log.logEndOffset;
    for (const member of isr) minimum = Math.min(minimum, replica.followerEndOffset[member]!);
    // Strict min ISR (KIP-966): with eligible leader replicas the high watermark stays where it
    // is while the ISR is below min.insync.replicas, so whoever left the ISR since holds it all.
    const frozen = this.options.eligibleLeaderReplicas === true && isr.length < this.options.minInsyncReplicas;
    if (!frozen && minimum > replica.highWatermark) {
      replica.highWatermark = minimum;
      this.onHighWatermark(partition);
    }
    this.completeAcks(leader, partition);
  }

  /** Answers the acks=all requests whose records are now below the high watermark, in order. */
  private completeAcks(leader: number, partition: number): void {
    const replica = this.replica(leader, partition);
    const enoughReplicas = this.partitions[partition]!.isr.length >= this.options.minInsyncReplicas;
    const queue = this.pendingAcks[partition]!;
    // Requests wait in append order, so the answerable ones are a prefix: stop at the first
    // that is not, instead of scanning every waiting request on every append (quadratic while
    // the high watermark is stuck). A deposed leader's leftovers fall back to a full scan.
    const highWatermark = replica.highWatermark;
    const error = enoughReplicas ? 'none' : 'not-enough-replicas-after-append';
    let answered = 0;
    while (answered < queue.length && queue.leader(answered) === leader && queue.endOffset(answered) <= highWatermark) answered++;
    if (answered < queue.length && queue.leader(answered) !== leader) {
      queue.retain(
        (i) => queue.leader(i) !== leader || queue.endOffset(i) > highWatermark,
        (i) => this.respondToProduce(queue.requestId(i), error, leader, Math.max(0, queue.readyAtUs(i) - this.sim.now)),
      );
      return;
    }
    for (let i = 0; i < answered; i++) this.respondToProduce(queue.requestId(i), error, leader, Math.max(0, queue.readyAtUs(i) - this.sim.now));
    queue.dropFirst(answered);
  }

  /** A broker that learns it no longer leads answers its waiting acks=all requests NotLeader. */
  private failPendingAcks(broker: number, partition: number, answer: boolean): void {
    const queue = this.pendingAcks[partition]!;
    queue.retain(
      (i) => queue.leader(i) !== broker,
      (i) => answer && this.respondToProduce(queue.requestId(i), 'not-leader', broker),
    );
  }

  // ---------------------------------------------------------------- consume

  /**
   * A consumer's fetch at `broker`: the batches from `offset` up to the high watermark (only
   * committed records are given out, §1.1), at most about `maxRecords` records.
   */
  readCommitted(broker: number, partition: number, offset: number, lastEpoch: number, maxRecords: number, into?: ConsumerFetchResult): ConsumerFetchResult {
    const replica = this.replica(broker, partition);
    const log = replica.log;
    const result = into ?? { error: 'none', runs: 0, firstMessageIds: [], counts: [], nextOffset: 0, lastEpoch: 0, highWatermark: 0 };
    result.error = 'none';
    result.runs = 0;
    result.nextOffset = offset;
    result.lastEpoch = lastEpoch;
    result.highWatermark = replica.highWatermark;
    if (replica.leader !== broker) {
      result.error = 'not-leader';
      return result;
    }
    // The consumer's position was read in `lastEpoch`; if this log ended that epoch earlier,
    // the records it read there are gone (KIP-320): it must go back to where the logs agree.
    // (A position without an epoch, after a reset or a restart from a committed offset, is
    // taken as it is.)
    const divergence = this.divergence(log, lastEpoch, offset, null);
    if (divergence !== NONE || offset > log.logEndOffset) {
      result.error = 'diverging';
      result.nextOffset = divergence !== NONE ? divergence : Math.min(replica.highWatermark, log.logEndOffset);
      return result;
    }
    if (offset >= replica.highWatermark) return result; // nothing committed to give yet
    let records = 0;
    for (let index = log.batchIndexAt(offset); index < log.batchCount && records < maxRecords; index++) {
      const base = log.batchBaseOffset(index);
      const end = base + log.batchRecordCount(index);
      if (end > replica.highWatermark) break;
      const skip = offset > base ? offset - base : 0; // a batch the consumer has partly read
      result.firstMessageIds[result.runs] = log.batchFirstMessageId(index) + skip;
      result.counts[result.runs++] = end - base - skip;
      records += end - base - skip;
      result.nextOffset = end;
      result.lastEpoch = log.batchEpoch(index);
    }
    return result;
  }

  /**
   * Whether `readCommitted` would answer now with no records and no error: `broker` leads the
   * partition in its own view, the reader's epoch agrees with the log, and nothing committed
   * lies beyond `offset` (the high watermark sits at a batch boundary). Reads nothing.
   */
  wouldAnswerEmpty(broker: number, partition: number, offset: number, lastEpoch: number): boolean {
    const replica = this.replica(broker, partition);
    if (replica.leader !== broker || offset > replica.log.logEndOffset) return false;
    return offset >= replica.highWatermark && this.divergence(replica.log, lastEpoch, offset, null) === NONE;
  }

  // ---------------------------------------------------------------- replication

  private session(follower: number, leader: number): FetchSession {
    return this.sessions[follower * this.options.brokers + leader]!;
  }

  /** Starts the follower's fetch loop with `leader` unless it runs already. */
  private startFetching(follower: number, leader: number, afterUs = 0): void {
    const session = this.session(follower, leader);
    if (session.running) return;
    session.running = true;
    this.sim.schedule(afterUs, this.kinds.fetchSend, follower, leader);
  }

  get messageBytes(): number {
    return this.options.messageBytes ?? 1_024;
  }

  /**
   * The follower asks `leader` for every partition it follows there (as it believes), from
   * its log end offset, with the epoch of its last batch. The loop stops when it follows
   * nothing there any more; metadata naming this leader starts it again.
   */
  private sendFetch(follower: number, leader: number): void {
    const session = this.session(follower, leader);
    session.running = false;
    if (!this.alive[follower]) return;
    let size = 0;
    let backedOffUntilUs = Infinity;
    const replicated = this.replicated[follower] ?? [];
    for (let k = 0; k < replicated.length; k++) {
      const p = replicated[k]!;
      const replica = this.replica(follower, p);
      if (replica.leader !== leader || leader === follower) continue;
      if (replica.fetchNotBeforeUs > this.sim.now) {
        backedOffUntilUs = Math.min(backedOffUntilUs, replica.fetchNotBeforeUs);
        continue;
      }
      session.partitions[size] = p;
      session.fetchOffsets[size] = replica.log.logEndOffset;
      session.lastFetchedEpochs[size] = replica.log.lastEpoch;
      session.leaderEpochs[size++] = replica.leaderEpoch;
    }
    session.size = size;
    if (size === 0) {
      if (backedOffUntilUs < Infinity) this.startFetching(follower, leader, backedOffUntilUs - this.sim.now);
      return;
    }
    session.running = true;
    session.serial++;
    if (!this.sendOver(follower, leader, this.kinds.fetchArrive, session.index, session.serial)) this.retryFetchLater(session);
  }

  /**
   * The fetch reaches the leader. Per partition: refused when this broker does not lead it in
   * the follower's epoch, a diverging epoch when the follower's log went further in its last
   * epoch than the leader's (KIP-320), else the follower's position counts (ISR, high
   * watermark). Answered at once when some partition has something to say, else parked until
   * data arrives or replica.fetch.wait.max.ms.
   */
  private onFetch(index: number, serial: number): void {
    const session = this.sessions[index]!;
    if (serial !== session.serial) return;
    const { follower, leader } = session;
    if (!this.alive[leader] || !this.network.connected(follower, leader)) return this.retryFetchLater(session);
    let answerNow = false;
    for (let i = 0; i < session.size; i++) {
      const partition = session.partitions[i]!;
      const replica = this.replica(leader, partition);
      if (replica.leader !== leader || replica.leaderEpoch < session.leaderEpochs[i]!) {
        session.outcomes[i] = RESPONSE_ERROR;
        answerNow = true;
        continue;
      }
      const fetchOffset = session.fetchOffsets[i]!;
      const divergence = this.divergence(replica.log, session.lastFetchedEpochs[i]!, fetchOffset, this.replica(follower, partition).log);
      if (divergence !== NONE) {
        session.outcomes[i] = divergence;
        answerNow = true;
        continue;
      }
      session.outcomes[i] = RESPONSE_DATA;
      this.recordFollowerPosition(leader, partition, follower, fetchOffset);
      if (replica.log.logEndOffset > fetchOffset) answerNow = true;
    }
    if (answerNow) return this.respondToFetch(session);
    this.setParked(session, true);
    session.parkedUntilUs = this.sim.now + this.options.replicaFetchWaitMaxUs;
    if (!this.fetchWaitTimer.armed || this.fetchWaitTimer.dueUs > session.parkedUntilUs) this.fetchWaitTimer.armAt(session.parkedUntilUs);
  }

  /**
   * Where a reader whose log ends at `offset` in `lastEpoch` must truncate to agree with the
   * leader's log, or NONE when it agrees (KIP-101/KIP-279): the leader names its last epoch at
   * or below the reader's and where that ends; the reader cuts at the smaller of that end and
   * its own end of that epoch. The follower's own log is consulted here directly, standing in
   * for the second half of the exchange, which happens on the follower in Kafka.
   */
  private divergence(leaderLog: ReplicaLog, lastEpoch: number, offset: number, readerLog: ReplicaLog | null): number {
    if (lastEpoch < 0) return NONE;
    // The reader is in the leader's current epoch (the usual case): only a log end beyond the leader's diverges.
    if (lastEpoch === leaderLog.lastEpoch) return offset > leaderLog.logEndOffset ? leaderLog.logEndOffset : NONE;
    const answer = leaderLog.lastEpochAtOrBelow(lastEpoch);
    const readerEnd = answer.epoch === lastEpoch || readerLog === null ? offset : readerLog.endOffsetForEpoch(answer.epoch);
    const cut = Math.min(answer.endOffset, readerEnd, offset);
    return cut < offset ? cut : NONE;
  }

  /** A follower that fetches from offset X holds everything below X. */
  private recordFollowerPosition(leader: number, partition: number, follower: number, fetchOffset: number): void {
    const replica = this.replica(leader, partition);
    replica.followerEndOffset[follower] = fetchOffset;
    if (fetchOffset >= replica.log.logEndOffset) replica.followerCaughtUpUs[follower] = this.sim.now;
    const state = this.partitions[partition]!;
    const rejoins =
      this.isTrueLeader(leader, partition) &&
      !state.isr.includes(follower) &&
      !this.fenced[follower] &&
      fetchOffset >= replica.highWatermark &&
      fetchOffset >= replica.log.endOffsetForEpoch(replica.leaderEpoch - 1);
    if (rejoins) {
      this.setIsr(partition, [...state.isr, follower].sort((a, b) => a - b));
      replica.followerCaughtUpUs[follower] = this.sim.now;
      this.noteUnderReplication(partition);
    }
    this.maybeAdvanceHighWatermark(leader, partition);
  }

  /** Fetch sessions parked at their leaders now (most of the time none, under load). */
  private parkedSessions = 0;

  private setParked(session: FetchSession, parked: boolean): void {
    if (session.parked !== parked) this.parkedSessions += parked ? 1 : -1;
    session.parked = parked;
  }

  /** New data (or a leadership change) for `partition` at `leader`: its parked sessions answer now. */
  private answerParkedFetches(leader: number, partition: number): void {
    if (this.parkedSessions === 0) return;
    for (let follower = 0; follower < this.options.brokers; follower++) {
      const session = this.session(follower, leader);
      if (session.parked && includes(session.partitions, session.size, partition)) this.respondToFetch(session);
    }
  }

  /** replica.fetch.wait.max.ms ran out for the parked sessions due now; the timer moves to the next. */
  private answerExpiredFetches(): void {
    let nextUs = Infinity;
    for (const session of this.sessions) {
      if (!session.parked) continue;
      if (session.parkedUntilUs <= this.sim.now) this.respondToFetch(session);
      else nextUs = Math.min(nextUs, session.parkedUntilUs);
    }
    if (nextUs < Infinity) this.fetchWaitTimer.armAt(nextUs);
  }

  /**
   * The leader answers: per partition its error or diverging epoch, or the batches from the
   * follower's offset and its high watermark, copied now: whole batches, up to
   * replica.fetch.max.bytes per partition and replica.fetch.response.max.bytes in all (always
   * the first batch, as Kafka does so that a large batch cannot stall replication). The
   * response leaves after the leader's NIC has sent its bytes.
   */
  private respondToFetch(session: FetchSession): void {
    this.setParked(session, false);
    const { leader, follower } = session;
    let values = 0;
    let records = 0;
    const recordBytes = this.messageBytes;
    for (let i = 0; i < session.size; i++) {
      const replica = this.replica(leader, session.partitions[i]!);
      // A leadership change while parked: this broker no longer answers for the partition.
      if (session.outcomes[i] === RESPONSE_DATA && (replica.leader !== leader || replica.leaderEpoch < session.leaderEpochs[i]!)) session.outcomes[i] = RESPONSE_ERROR;
      if (session.outcomes[i] === RESPONSE_DATA) {
        // replica.fetch.max.bytes for this partition, and what replica.fetch.response.max.bytes leaves.
        const maxRecords = Math.min(this.options.replicaFetchMaxBytes, this.options.replicaFetchResponseMaxBytes - records * recordBytes) / recordBytes;
        const log = replica.log;
        records += log.copyBatches(session.fetchOffsets[i]!, maxRecords, records === 0, session.batches, values);
        session.batches = log.grownOut;
        values = log.copiedValues;
      }
      session.batchEnds[i] = values;
      session.highWatermarks[i] = replica.highWatermark;
    }
    const sendingUs = this.network.transmissionDelayUs(leader, this.sim.now, records * this.messageBytes);
    if (!this.alive[leader] || !this.sendOver(leader, follower, this.kinds.fetchResponseArrive, session.index, session.serial, sendingUs)) {
      this.retryFetchLater(session);
    }
  }

  /**
   * The follower takes the response: per partition it truncates to a diverging epoch's end,
   * or appends the batches and takes the leader's high watermark; a refused partition sits out
   * for replica.fetch.backoff.ms. A partition whose leader epoch changed meanwhile is left
   * alone. The next fetch goes out once the follower's write is done: a slow disk slows
   * replication.
   */
  private onFetchResponse(index: number, serial: number): void {
    const session = this.sessions[index]!;
    if (serial !== session.serial) return;
    const { follower, leader } = session;
    if (!this.network.connected(leader, follower)) return this.retryFetchLater(session);
    session.running = false;
    if (!this.alive[follower]) return;
    let records = 0;
    let from = 0;
    for (let i = 0; i < session.size; i++) {
      const partition = session.partitions[i]!;
      const to = session.batchEnds[i]!;
      const replica = this.replica(follower, partition);
      const outcome = session.outcomes[i]!;
      if (replica.leaderEpoch !== session.leaderEpochs[i]) {
        from = to;
        continue;
      }
      if (outcome === RESPONSE_ERROR) replica.fetchNotBeforeUs = this.sim.now + REPLICA_FETCH_BACKOFF_US;
      else if (outcome !== RESPONSE_DATA) this.truncate(follower, partition, outcome);
      else {
        for (let b = from; b < to; b += 4) {
          const count = session.batches[b]!;
          const firstMessageId = session.batches[b + 2]!;
          replica.log.append(count, session.batches[b + 1]!, firstMessageId, session.batches[b + 3]!);
          this.ledger.replicaAppended(firstMessageId, count);
          this.onAppend(follower, partition, firstMessageId, count, replica.log.logEndOffset - count, false);
          records += count;
        }
        replica.highWatermark = Math.min(session.highWatermarks[i]!, replica.log.logEndOffset);
      }
      from = to;
    }
    const writeDoneUs = records > 0 ? this.resources.serve(follower, this.sim.now, records * this.messageBytes) : this.sim.now;
    if (writeDoneUs > this.sim.now) this.startFetching(follower, leader, writeDoneUs - this.sim.now);
    else this.sendFetch(follower, leader); // the fetcher thread asks again as soon as it has written
  }

  /** The fetch failed (the leader is gone or out of reach): the follower asks again after replica.fetch.backoff.ms. */
  private retryFetchLater(session: FetchSession): void {
    this.setParked(session, false);
    session.serial++; // whatever of this fetch is still on its way is void
    session.running = true;
    this.sim.schedule(REPLICA_FETCH_BACKOFF_US, this.kinds.fetchSend, session.follower, session.leader);
  }

  private truncate(broker: number, partition: number, offset: number): void {
    this.disturbed();
    this.replica(broker, partition).log.truncateTo(offset, (firstMessageId, count) => {
      this.ledger.replicaTruncated(firstMessageId, count);
      this.ledger.destroyedOutsideHistory(firstMessageId, count, 'acked-by-fenced-leader');
    });
  }

  // ---------------------------------------------------------------- ISR

  /** The leader drops followers that have not caught up for replica.lag.time.max.ms. */
  private checkIsr(broker: number, incarnation: number): void {
    if (!this.alive[broker] || this.incarnation[broker] !== incarnation) return;
    for (let p = 0; p < this.options.partitions; p++) {
      if (!this.isTrueLeader(broker, p)) continue;
      const replica = this.replica(broker, p);
      const state = this.partitions[p]!;
      const keep = state.isr.filter(
        (member) => member === broker || this.sim.now - replica.followerCaughtUpUs[member]! <= this.options.replicaLagTimeMaxUs,
      );
      if (keep.length !== state.isr.length) {
        this.setIsr(p, keep);
        this.noteUnderReplication(p);
        this.maybeAdvanceHighWatermark(broker, p);
      }
    }
    this.sim.schedule(this.options.replicaLagTimeMaxUs / 2, this.kinds.isrCheck, broker, incarnation);
  }

  /**
   * A new ISR, and with eligible leader replicas the ELR that goes with it (KIP-966, as
   * Kafka's PartitionChangeBuilder keeps it): while the ISR is below min.insync.replicas the
   * high watermark is frozen, so every replica that leaves the ISR then (fenced, or dropped
   * for lagging) still holds everything below it and joins the ELR; an ISR back at
   * min.insync.replicas clears the ELR.
   */
  private setIsr(partition: number, isr: number[]): void {
    const state = this.partitions[partition]!;
    if (this.options.eligibleLeaderReplicas === true) {
      if (isr.length >= this.options.minInsyncReplicas) state.elr = [];
      else {
        const elr = [...state.elr, ...state.isr].filter((broker, index, all) => !isr.includes(broker) && all.indexOf(broker) === index);
        state.elr = elr.sort((a, b) => a - b);
      }
    }
    state.isr = isr;
  }

  // ---------------------------------------------------------------- controller

  private sendHeartbeat(broker: number, incarnation: number): void {
    if (!this.alive[broker] || this.incarnation[broker] !== incarnation) return;
    this.sendOver(broker, this.controllerNode, this.kinds.heartbeatArrive, broker, incarnation);
    this.sim.schedule(this.options.brokerHeartbeatIntervalUs, this.kinds.heartbeatSend, broker, incarnation);
  }

  private onHeartbeat(broker: number, incarnation: number): void {
    if (!this.network.connected(broker, this.controllerNode) || this.incarnation[broker] !== incarnation) return;
    this.sessionTimers[broker]!.armIn(this.options.brokerSessionTimeoutUs, broker);
    // A new incarnation is a re-registration: what the old process led must move first.
    if (this.registeredIncarnation[broker] !== incarnation) {
      this.registeredIncarnation[broker] = incarnation;
      if (incarnation > 0) {
        this.fence(broker);
        // Every restart here follows a crash, an unclean shutdown: the broker may have lost
        // what its page cache held, so it leaves every ELR (KAFKA-15586, KIP-966).
        if (this.options.eligibleLeaderReplicas === true) {
          for (const state of this.partitions) if (state.elr.includes(broker)) state.elr = state.elr.filter((member) => member !== broker);
        }
      }
    }
    if (!this.fenced[broker]) return;
    this.fenced[broker] = false;
    for (let p = 0; p < this.options.partitions; p++) {
      const state = this.partitions[p]!;
      if (!state.replicas.includes(broker)) continue;
      if (state.leader === NONE) this.electLeader(p);
      this.sendMetadata(broker, p);
    }
  }

  /** Session expired: the broker is fenced and loses its leaderships and ISR memberships. */
  private fence(broker: number): void {
    if (this.fenced[broker]) return;
    this.fenced[broker] = true;
    for (let p = 0; p < this.options.partitions; p++) {
      const state = this.partitions[p]!;
      if (!state.replicas.includes(broker)) continue;
      // KRaft keeps the last ISR member even when fenced, so a clean election stays possible;
      // with eligible leader replicas the ISR may empty, its last member going to the ELR.
      const isr = state.isr.filter((member) => member !== broker);
      if (isr.length !== state.isr.length && (isr.length > 0 || this.options.eligibleLeaderReplicas === true)) this.setIsr(p, isr);
      if (state.leader === broker) this.electLeader(p);
      else this.broadcastPartition(p);
      this.noteUnderReplication(p);
      // The leader sees the smaller ISR at once: its high watermark may move, and the acks=all
      // requests waiting on the fenced follower get their answer (NotEnoughReplicasAfterAppend
      // when the ISR is now below min.insync.replicas).
      if (state.leader !== NONE && state.leader !== broker) this.maybeAdvanceHighWatermark(state.leader, p);
    }
  }

  private electLeader(partition: number): void {
    const state = this.partitions[partition]!;
    const previous = state.leader !== NONE ? state.leader : state.lastLeader;
    // History ends where the deposed leader's log ended when it stopped being the leader;
    // what it appends afterwards, cut off from the controller, was never in history.
    if (state.leader !== NONE) this.historyEndOffset[partition] = this.replica(state.leader, partition).log.logEndOffset;
    const eligible = (broker: number) => !this.fenced[broker] && this.alive[broker]!;
    let leader = state.replicas.find((broker) => state.isr.includes(broker) && eligible(broker)) ?? NONE;
    let unclean = false;
    // With eligible leader replicas (KIP-966, ref §1.5): an ISR member, else an unfenced ELR
    // member, else the last known leader if it is unfenced; an unclean election only after.
    let fromElr = false;
    if (leader === NONE && this.options.eligibleLeaderReplicas === true) {
      leader = state.replicas.find((broker) => state.elr.includes(broker) && eligible(broker)) ?? NONE;
      fromElr = leader !== NONE;
      if (leader === NONE && previous !== NONE && eligible(previous)) leader = previous;
      if (leader !== NONE) {
        state.isr = [leader];
        state.elr = state.elr.filter((member) => member !== leader);
      }
    }
    if (leader === NONE && this.options.uncleanLeaderElection) {
      leader = state.replicas.find(eligible) ?? NONE;
      unclean = leader !== NONE;
    }
    if (leader === NONE) {
      if (state.leader !== NONE) {
        state.lastLeader = state.leader;
        state.leader = NONE;
        this.leadershipVersion++;
        this.offlineSinceUs[partition] = this.sim.now;
        this.maybeScheduleLeaderRebalance();
      }
      return;
    }
    if (leader === state.leader) return;
    this.installLeader(partition, previous, leader, unclean, fromElr, false);
  }

  /**
   * A preferred-leader election (KRaft's PartitionChangeBuilder with Election.PREFERRED): the
   * partition's first replica takes over when it is alive, unfenced and in the ISR. A planned,
   * clean election: the epoch goes up, the old leader steps down when the news reaches it, and
   * the new leader, being in the ISR, holds everything below the high watermark.
   */
  private electPreferredLeader(partition: number): boolean {
    const state = this.partitions[partition]!;
    const preferred = state.replicas[0]!;
    if (state.leader === preferred || !state.isr.includes(preferred) || this.fenced[preferred] || !this.alive[preferred]) return false;
    const previous = state.leader !== NONE ? state.leader : state.lastLeader;
    if (state.leader !== NONE) this.historyEndOffset[partition] = this.replica(state.leader, partition).log.logEndOffset;
    this.installLeader(partition, previous, preferred, false, false, true);
    return true;
  }

  /** `leader` leads `partition` from now on, in a new epoch. */
  private installLeader(partition: number, previous: number, leader: number, unclean: boolean, fromElr: boolean, preferred: boolean): void {
    const state = this.partitions[partition]!;
    if (this.offlineSinceUs[partition] !== NONE) {
      this.offlinePartitionUs += this.sim.now - this.offlineSinceUs[partition]!;
      this.offlineSinceUs[partition] = NONE;
    }
    this.leaderElections++;
    if (unclean) {
      this.uncleanElections++;
      state.isr = [leader];
      state.elr = []; // the new log is the truth: nobody else is known to hold all of it
    }
    if (fromElr) this.elrElections++;
    if (preferred) this.preferredElections++;
    state.lastLeader = previous;
    state.leader = leader;
    this.leadershipVersion++;
    state.leaderEpoch++;
    this.rewriteHistory(partition, previous, leader, unclean ? 'unclean-election-truncation' : 'acked-then-leader-failed-unreplicated');
    this.disturbed();
    this.becomeLeader(leader, partition);
    this.broadcastPartition(partition);
    this.onLeaderElected(partition, leader, unclean, fromElr, preferred);
    this.maybeScheduleLeaderRebalance();
  }

  // ---------------------------------------------------------------- preferred leaders

  /** Whether some partition is not led by its preferred replica (offline ones included, as in KRaft). */
  private leadersImbalanced(): boolean {
    for (const state of this.partitions) if (state.leader !== state.replicas[0]) return true;
    return false;
  }

  /**
   * KRaft's QuorumController.maybeScheduleNextBalancePartitionLeaders, which runs after every
   * controller write: with auto.leader.rebalance.enable, when some partition is not led by its
   * preferred replica and no check is pending, a check is due leader.imbalance.check.interval
   * from now. (KRaft has no leader.imbalance.per.broker.percentage: that threshold was
   * ZooKeeper-only and Kafka 4.0 removed it, KAFKA-18743.)
   */
  private maybeScheduleLeaderRebalance(): void {
    if (this.options.autoLeaderRebalance !== true) return;
    if (this.rebalanceTimer?.armed === true || !this.leadersImbalanced()) return;
    if (this.rebalanceTimer === null) {
      const kind = this.sim.defineEvent('kafka/leader-imbalance-check', () => this.checkLeaderImbalance());
      this.rebalanceTimer = this.sim.timer(kind);
    }
    this.rebalanceTimer.armIn(this.options.leaderImbalanceCheckIntervalUs ?? LEADER_IMBALANCE_CHECK_INTERVAL_US);
  }

  /**
   * ReplicationControlManager.maybeBalancePartitionLeaders: a preferred-leader election for
   * every partition not led by its preferred replica, at most 1,000 per check
   * (maxElectionsPerImbalance; the rest follow 10 ms later). Partitions whose preferred replica
   * is not back in the ISR yet wait for the next check, one interval later.
   */
  private checkLeaderImbalance(): void {
    let elected = 0;
    let more = false;
    for (let p = 0; p < this.options.partitions; p++) {
      const state = this.partitions[p]!;
      if (state.leader === state.replicas[0]) continue;
      if (elected >= MAX_ELECTIONS_PER_IMBALANCE) {
        more = true;
        break;
      }
      if (this.electPreferredLeader(p)) elected++;
    }
    if (more) this.rebalanceTimer!.armIn(10_000);
    else this.maybeScheduleLeaderRebalance();
  }

  /**
   * The new leader's log is the partition's history from now on. What the previous leader
   * had beyond their common prefix leaves history (it will be truncated wherever it lives);
   * that is where acknowledged writes are lost. A replica elected uncleanly may also bring
   * batches the previous leader never had.
   */
  private rewriteHistory(partition: number, previous: number, next: number, cause: LossCause): void {
    if (previous === NONE) return;
    const before = this.replica(previous, partition).log;
    const after = this.replica(next, partition).log;
    const historyBatches = before.batchIndexAt(this.historyEndOffset[partition]!);
    const common = Math.min(commonPrefixBatches(before, after), historyBatches);
    for (let index = historyBatches - 1; index >= common; index--) {
      this.ledger.leaveHistory(before.batchFirstMessageId(index), before.batchRecordCount(index), cause);
    }
    for (let index = common; index < after.batchCount; index++) {
      this.ledger.enterHistory(after.batchFirstMessageId(index), after.batchRecordCount(index));
    }
  }

  private becomeLeader(broker: number, partition: number): void {
    const replica = this.replica(broker, partition);
    const state = this.partitions[partition]!;
    replica.leader = broker;
    replica.leaderEpoch = state.leaderEpoch;
    replica.followerEndOffset.fill(0);
    replica.followerEndOffset[broker] = replica.log.logEndOffset;
    replica.followerCaughtUpUs.fill(this.sim.now);
  }

  private broadcastPartition(partition: number): void {
    for (const broker of this.partitions[partition]!.replicas) this.sendMetadata(broker, partition);
  }

  private sendMetadata(broker: number, partition: number): void {
    const state = this.partitions[partition]!;
    const update = this.metadataUpdates.length;
    this.metadataUpdates.push({ partition, leader: state.leader, leaderEpoch: state.leaderEpoch });
    if (broker === state.leader && this.alive[broker]) return this.onMetadata(broker, update);
    this.sendOver(this.controllerNode, broker, this.kinds.metadataArrive, broker, update);
  }

  private onMetadata(broker: number, updateId: number): void {
    const update = this.metadataUpdates[updateId]!;
    const replica = this.replica(broker, update.partition);
    if (!this.alive[broker] || update.leaderEpoch < replica.leaderEpoch) return;
    if (update.leaderEpoch === replica.leaderEpoch && replica.leader === update.leader) return;
    this.disturbed();
    const wasLeader = replica.leader === broker;
    replica.leaderEpoch = update.leaderEpoch;
    replica.leader = update.leader;
    if (wasLeader && update.leader !== broker) this.failPendingAcks(broker, update.partition, true);
    if (update.leader === broker) this.becomeLeader(broker, update.partition);
    else if (update.leader !== NONE) {
      this.answerParkedFetches(broker, update.partition);
      this.startFetching(broker, update.leader);
    }
  }

  private noteUnderReplication(partition: number): void {
    const state = this.partitions[partition]!;
    const under = state.isr.length < state.replicas.length;
    const since = this.underReplicatedSinceUs[partition]!;
    if (under && since === NONE) this.underReplicatedSinceUs[partition] = this.sim.now;
    if (!under && since !== NONE) {
      this.underReplicatedPartitionUs += this.sim.now - since;
      this.underReplicatedSinceUs[partition] = NONE;
    }
  }

  /** Closes the open offline and under-replicated intervals at the end of a run. */
  settleGauges(): void {
    for (let p = 0; p < this.options.partitions; p++) {
      if (this.offlineSinceUs[p] !== NONE) this.offlinePartitionUs += this.sim.now - this.offlineSinceUs[p]!;
      if (this.underReplicatedSinceUs[p] !== NONE) this.underReplicatedPartitionUs += this.sim.now - this.underReplicatedSinceUs[p]!;
      this.offlineSinceUs[p] = this.offlineSinceUs[p] === NONE ? NONE : this.sim.now;
      this.underReplicatedSinceUs[p] = this.underReplicatedSinceUs[p] === NONE ? NONE : this.sim.now;
    }
  }

  // ---------------------------------------------------------------- faults

  /**
   * The process dies; the machine and its page cache stay up, so the whole log survives
   * (what a power failure does instead: `powerFailure`).
   */
  crash(broker: number): void {
    if (!this.alive[broker]) return;
    this.disturbed();
    this.alive[broker] = false;
    this.incarnation[broker]!++;
    for (let other = 0; other < this.options.brokers; other++) {
      // Followers waiting on this leader see their connection refused and try again later.
      const waiting = this.session(other, broker);
      if (waiting.parked) this.retryFetchLater(waiting);
      // Its own fetch loops die with it; what they have on the wire is void.
      const own = this.session(broker, other);
      own.running = false;
      this.setParked(own, false);
      own.serial++;
    }
    for (let p = 0; p < this.options.partitions; p++) {
      this.replica(broker, p).fetchNotBeforeUs = 0;
      this.failPendingAcks(broker, p, false); // a dead broker answers nothing: producers time out
    }
  }

  /** The process starts again, recovers its log, registers and catches up as a follower. */
  restart(broker: number): void {
    if (this.alive[broker]) return;
    this.disturbed();
    this.alive[broker] = true;
    const recovery = this.recoveryOffsets[broker];
    if (recovery !== null && recovery !== undefined) {
      this.recoveryOffsets[broker] = null;
      for (let p = 0; p < this.options.partitions; p++) this.recoverLog(broker, p, recovery[p]!);
    }
    for (let p = 0; p < this.options.partitions; p++) {
      const replica = this.replica(broker, p);
      // It does not know who leads now; the controller tells it after its first heartbeat.
      replica.leader = NONE;
      replica.highWatermark = Math.min(replica.highWatermark, replica.log.logEndOffset);
    }
    this.startBroker(broker);
  }

  /**
   * Keeps, from now on, what each replica has on disk (page-cache.ts): one writeback pass
   * every 5 s. Needed before a `powerFailure`; runs without one never call it, so their events
   * (and trace hashes) stay as they were. Its event kind is registered on the first call.
   */
  trackPageCache(): void {
    if (this.pageCache !== null) return;
    const cache = new PageCache(this.options.brokers, this.options.partitions, { flushIntervalMessages: this.options.flushIntervalMessages });
    this.pageCache = cache;
    this.writebackKind = this.sim.defineEvent('kafka/page-cache-writeback', (pass) => {
      cache.recordPass(pass, (broker, partition) => this.replica(broker, partition).log.logEndOffset);
      this.sim.schedule(cache.writebackIntervalUs, this.writebackKind, pass + 1);
    });
    const first = Math.ceil(this.sim.now / cache.writebackIntervalUs);
    this.sim.scheduleAt(first * cache.writebackIntervalUs, this.writebackKind, first);
  }

  /** Read-only: where `broker`'s copy of `partition` is on disk now (the whole log without page-cache tracking). */
  durableOffset(broker: number, partition: number): number {
    const log = this.replica(broker, partition).log;
    return this.pageCache === null ? log.logEndOffset : this.pageCache.durableOffset(broker, partition, log.logEndOffset);
  }

  /**
   * The machine loses power: the process dies and so does the page cache. What was not yet
   * on disk is gone; the log recovery at restart finds each log cut at its durable offset
   * (whole batches: Kafka's recovery drops a batch it cannot read completely).
   */
  powerFailure(broker: number): void {
    assert(this.pageCache !== null, 'a power failure needs trackPageCache() before the run');
    const durable = Array.from({ length: this.options.partitions }, (_, p) => this.durableOffset(broker, p));
    const earlier = this.recoveryOffsets[broker];
    this.recoveryOffsets[broker] = earlier === null || earlier === undefined ? durable : durable.map((offset, p) => Math.min(offset, earlier[p]!));
    this.crash(broker);
  }

  /**
   * Log recovery after a power failure: the log is cut at `durable`. Batches that were the
   * partition's history (the log of its leader, or of its last leader while it is offline)
   * leave it: acknowledged messages nobody holds elsewhere are lost, with cause
   * `unflushed-page-cache-power-loss`.
   */
  private recoverLog(broker: number, partition: number, durable: number): void {
    const log = this.replica(broker, partition).log;
    if (durable >= log.logEndOffset) return;
    const index = log.batchIndexAt(durable);
    const cut = index < log.batchCount ? log.batchBaseOffset(index) : log.logEndOffset;
    const state = this.partitions[partition]!;
    const lastLeaderOffline = state.leader === NONE && state.lastLeader === broker;
    const historyEnd = state.leader === broker ? Infinity : lastLeaderOffline ? this.historyEndOffset[partition]! : 0;
    log.truncateTo(cut, (firstMessageId, count, baseOffset) => {
      this.ledger.replicaTruncated(firstMessageId, count);
      if (baseOffset < historyEnd) this.ledger.leaveHistory(firstMessageId, count, 'unflushed-page-cache-power-loss');
      else this.ledger.destroyedOutsideHistory(firstMessageId, count, 'unflushed-page-cache-power-loss');
    });
    if (lastLeaderOffline) this.historyEndOffset[partition] = Math.min(this.historyEndOffset[partition]!, cut);
    this.pageCache?.recovered(broker, partition, cut);
  }

  /**
   * Forgets the batches no event can need any more, in every replica's log, and returns the
   * lowest message id still in some log (Infinity when none): the ledger keeps the state of
   * every message from there on. A batch is forgotten (the log start moves past it) when it
   * lies below
   * - what every group may still read (`readFloor`: its committed offset or its position),
   * - the point up to which every replica agrees with the partition's history: a clean
   *   election keeps everything below it, an unclean one can only cut beyond a replica's
   *   own agreement, and a follower only ever truncates its own divergent tail,
   * - what each replica has on disk when it can lose power (a recovery cuts there), and
   * - for an offline partition, the end of its history.
   * Below that offset the logs hold the same batches, nothing can truncate them, and every
   * reader has passed them: their messages' fates are decided.
   */
  forgetSettled(readFloor: (partition: number) => number): number {
    let lowest = Infinity;
    for (let p = 0; p < this.options.partitions; p++) {
      const floor = this.settledOffset(p, readFloor(p));
      for (const broker of this.partitions[p]!.replicas) {
        const log = this.replica(broker, p).log;
        log.trimBelow(floor);
        // The log keeps its last batch even below the floor; no event reads its messages.
        lowest = Math.min(lowest, log.minMessageIdFrom(log.batchIndexAt(Math.max(floor, log.startOffset))));
      }
    }
    return lowest;
  }

  private settledOffset(partition: number, readFloor: number): number {
    const state = this.partitions[partition]!;
    const reference = state.leader !== NONE ? state.leader : state.lastLeader;
    if (reference === NONE) return 0;
    const history = this.replica(reference, partition).log;
    let floor = state.leader === NONE ? Math.min(readFloor, this.historyEndOffset[partition]!) : readFloor;
    for (const broker of state.replicas) {
      floor = Math.min(floor, commonPrefixOffset(this.replica(broker, partition).log, history));
      if (this.pageCache !== null) floor = Math.min(floor, this.durableOffset(broker, partition));
      const recovery = this.recoveryOffsets[broker];
      if (recovery !== null && recovery !== undefined) floor = Math.min(floor, recovery[partition]!);
    }
    return floor;
  }

  /** Whether a message from `from` reaches `to` now: the link is up and a broker end is alive. */
  reachable(from: number, to: number): boolean {
    if (!this.network.connected(from, to)) return false;
    return (to >= this.options.brokers || this.alive[to]!) && (from >= this.options.brokers || this.alive[from]!);
  }

  /** Sends an event across the network; false when the link is down or an end is dead. */
  sendOver(from: number, to: number, kind: number, a: number, b = 0, afterUs = 0): boolean {
    const arrivalUs = this.deliveryUs(from, to, afterUs);
    if (arrivalUs < 0) return false;
    this.sim.scheduleAt(arrivalUs, kind, a, b);
    return true;
  }

  /**
   * When a message sent now from `from` reaches `to` (as `sendOver` would schedule it, and
   * with the same effect on the link), or -1 when the link is down or the broker end is dead.
   */
  deliveryUs(from: number, to: number, afterUs = 0): number {
    if (!this.network.connected(from, to)) return -1;
    if (to < this.options.brokers && !this.alive[to]) return -1;
    return this.network.arrivalUs(from, to, this.sim.now + afterUs);
  }

  /**
   * Listeners told when something other than new data may change how a broker answers a fetch:
   * a crash or restart, a leadership or epoch change a broker learns, a truncation, a link cut
   * or healed. Consumer groups that let fetches park without an arrival event (they would find
   * nothing) make them arrive for real then.
   */
  readonly onDisturbance: (() => void)[] = [];

  private disturbed(): void {
    for (const listener of this.onDisturbance) listener();
  }
}

/**
 * Number of leading batches two logs share (same epoch and same messages), as an absolute batch
 * index. Logs agree below the offset both were trimmed to (the cluster trims only what every
 * replica holds alike), so the search starts at the later of their log starts.
 */
function commonPrefixBatches(a: ReplicaLog, b: ReplicaLog): number {
  let low = Math.max(a.firstBatchIndex, b.firstBatchIndex);
  let high = Math.min(a.batchCount, b.batchCount);
  while (low < high) {
    const middle = (low + high) >>> 1;
    const same =
      a.batchEpoch(middle) === b.batchEpoch(middle) &&
      a.batchFirstMessageId(middle) === b.batchFirstMessageId(middle) &&
      a.batchRecordCount(middle) === b.batchRecordCount(middle);
    if (same) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The offset up to which `log` holds the same batches as `history`. */
function commonPrefixOffset(log: ReplicaLog, history: ReplicaLog): number {
  if (log === history) return log.logEndOffset;
  const common = commonPrefixBatches(log, history);
  return common < log.batchCount ? log.batchBaseOffset(common) : log.logEndOffset;
}

/** Whether `values[0..size)` holds `value`. */
function includes(values: readonly number[], size: number, value: number): boolean {
  for (let i = 0; i < size; i++) if (values[i] === value) return true;
  return false;
}
