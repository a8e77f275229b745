/**
 * Kafka 4.x default configuration values the simulator uses, grouped the way Kafka groups
 * them. Units are in the field names (…Ms, …Bytes, …Seconds, …Percentage).
 *
 * Source tags, as in shared/reference/mq-semantics.md:
 * - [V]  read in the primary source (apache/kafka source or kafka.apache.org docs);
 * - [V2] seen in a secondary copy or mirror of the primary source;
 * - [R]  recalled, not re-read: treat as unverified.
 * "ref §x" means the value is taken from that section of mq-semantics.md with its tag. Where
 * this file was checked against apache/kafka directly, the file and commit are named.
 *
 * Version: the simulator models **Kafka 4.0 semantics** (KRaft only). The one default that
 * differs between 4.0 and later 4.x releases is eligible leader replicas (ELR, KIP-966): off
 * in 4.0 (opt-in via the `eligible.leader.replicas.version=1` feature), on by default for new
 * clusters from 4.1 (ref §1.5 [V], kafka.apache.org/42/operations/eligible-leader-replicas).
 * We choose 4.0 because its failure behaviour (no ELR, offline partition or unclean election
 * after the last ISR member dies) is the classic one the teaching scenarios and the oracle
 * table (ref §1.6, F3–F5) are written against; F6 shows ELR as an opt-in.
 *
 * Java's Integer.MAX_VALUE (2^31 − 1) is represented as Number.MAX_SAFE_INTEGER (2^53 − 1):
 * both mean "unbounded in practice"; the simulator never counts that high.
 */

/** The Kafka release whose semantics the defaults below describe. */
export const MODELLED_KAFKA_VERSION = '4.0';

/** Java's Integer.MAX_VALUE stand-in: see the file comment. */
export const JAVA_INT_MAX = Number.MAX_SAFE_INTEGER;

/** Kafka's cap on in-flight requests for the idempotent producer (broker keeps 5 batches per producer). */
export const MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

export const brokerDefaults = {
  /** replica.lag.time.max.ms — follower leaves the ISR after this long without catching up [V] ReplicationConfigs.java (ref §1.4); 10 s before 2.5 */
  replicaLagTimeMaxMs: 30_000,
  /** replica.fetch.wait.max.ms — max wait of a follower fetch on the leader [V] ReplicationConfigs.java (ref §1.4) */
  replicaFetchWaitMaxMs: 500,
  /** replica.fetch.min.bytes — min bytes before a follower fetch returns [V] ReplicationConfigs.java (ref §1.4) */
  replicaFetchMinBytes: 1,
  /** replica.fetch.max.bytes — per-partition cap of a follower fetch (1 MiB) [V] ReplicationConfigs.java (ref §1.4) */
  replicaFetchMaxBytes: 1_048_576,
  /** replica.fetch.response.max.bytes — cap of a whole follower fetch response (10 MiB) [V] ReplicationConfigs.java (ref §1.4) */
  replicaFetchResponseMaxBytes: 10_485_760,
  /** replica.fetch.backoff.ms — follower backoff after a fetch error [V] ReplicationConfigs.java (ref §1.4) */
  replicaFetchBackoffMs: 1_000,
  /** num.replica.fetchers — fetcher threads per source broker [V] ReplicationConfigs.java (ref §1.4) */
  numReplicaFetchers: 1,
  /** default.replication.factor — RF of auto-created topics [V] ReplicationConfigs.java (ref §1.4) */
  defaultReplicationFactor: 1,
  /** auto.leader.rebalance.enable — move leadership back to preferred replicas [V] ReplicationConfigs.java (ref §1.4) */
  autoLeaderRebalanceEnable: true,
  /** leader.imbalance.check.interval.seconds — how often the rebalance check runs [V] ReplicationConfigs.java (ref §1.4) */
  leaderImbalanceCheckIntervalSeconds: 300,
  /**
   * leader.imbalance.per.broker.percentage — imbalance that triggered a rebalance under the
   * ZooKeeper controller only; removed in Kafka 4.0 (KAFKA-18743, apache/kafka PR #18821): the
   * KRaft controller moves every partition it can back to its preferred leader at each check,
   * and the model follows that (cluster.ts). Kept here for the record. [V2] (ref §1.4 predates the removal)
   */
  leaderImbalancePerBrokerPercentage: 10,
  /** replica.high.watermark.checkpoint.interval.ms — HW persisted to disk this often [V] ReplicationConfigs.java (ref §1.4) */
  replicaHighWatermarkCheckpointIntervalMs: 5_000,
  /** broker.heartbeat.interval.ms — KRaft broker → active controller heartbeat period [V] KRaftConfigs.java (ref §1.5) */
  brokerHeartbeatIntervalMs: 2_000,
  /** broker.session.timeout.ms — controller fences a broker whose lease is this old [V] KRaftConfigs.java (ref §1.5) */
  brokerSessionTimeoutMs: 9_000,
  /** group.initial.rebalance.delay.ms — a new group waits this long before its first rebalance [V] GroupCoordinatorConfig (ref §1.8) */
  groupInitialRebalanceDelayMs: 3_000,
  /** group.min.session.timeout.ms — smallest consumer session.timeout.ms the broker accepts [V] GroupCoordinatorConfig (ref §1.8) */
  groupMinSessionTimeoutMs: 6_000,
  /** group.max.session.timeout.ms — largest consumer session.timeout.ms the broker accepts [V] GroupCoordinatorConfig (ref §1.8) */
  groupMaxSessionTimeoutMs: 1_800_000,
} as const;

export const topicDefaults = {
  /** min.insync.replicas — ISR size an acks=all write needs (ignored for acks 0/1) [V2] MIN_IN_SYNC_REPLICAS_DEFAULT (ref §1.3) */
  minInsyncReplicas: 1,
  /** unclean.leader.election.enable — elect an out-of-sync replica when no ISR member is left [V] ReplicationConfigs.java (ref §1.4); false since 0.11 [V2] */
  uncleanLeaderElectionEnable: false,
} as const;

export const controllerDefaults = {
  /** controller.quorum.election.timeout.ms — voter starts an election after this long without the leader [V] apache/kafka raft/.../QuorumConfig.java @cba0a2d (ref §1.5) */
  controllerQuorumElectionTimeoutMs: 1_000,
  /** controller.quorum.fetch.timeout.ms — max time without a successful fetch from the leader [V] QuorumConfig.java @cba0a2d (ref §1.5) */
  controllerQuorumFetchTimeoutMs: 2_000,
  /** controller.quorum.election.backoff.max.ms — cap of the exponential election backoff [V] QuorumConfig.java @cba0a2d */
  controllerQuorumElectionBackoffMaxMs: 1_000,
  /** controller.quorum.request.timeout.ms — Raft RPC timeout [V] QuorumConfig.java @cba0a2d */
  controllerQuorumRequestTimeoutMs: 2_000,
  /** controller.quorum.retry.backoff.ms — Raft RPC retry backoff [V] QuorumConfig.java @cba0a2d */
  controllerQuorumRetryBackoffMs: 20,
  /** controller.quorum.append.linger.ms — metadata-log leader batches writes this long before flushing [V] QuorumConfig.java @cba0a2d */
  controllerQuorumAppendLingerMs: 25,
  /**
   * eligible.leader.replicas.version ≥ 1 (ELR, KIP-966) — off: the simulator models 4.0, where
   * ELR is opt-in; 4.1+ enables it for new clusters (see the file comment) [V] ELR docs (ref §1.5)
   */
  eligibleLeaderReplicasEnable: false,
} as const;

export type Acks = 'all' | '1' | '0';
/** What a user may write for acks; "-1" and -1 mean "all", as in Kafka. */
export type AcksInput = Acks | '-1' | -1 | 0 | 1;
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** A producer configuration with every field resolved. */
export interface ProducerConfig {
  acks: Acks;
  enableIdempotence: boolean;
  batchSizeBytes: number;
  lingerMs: number;
  bufferMemoryBytes: number;
  maxBlockMs: number;
  retries: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  deliveryTimeoutMs: number;
  requestTimeoutMs: number;
  maxInFlightRequestsPerConnection: number;
  maxRequestSizeBytes: number;
  compressionType: CompressionType;
  partitionerIgnoreKeys: boolean;
  partitionerAdaptivePartitioningEnable: boolean;
  partitionerAvailabilityTimeoutMs: number;
  transactionTimeoutMs: number;
  transactionalId: string | null;
}

/**
 * Producer defaults. Checked against ProducerConfig.java's define(...) block: ref §1.7 [V], and
 * a public copy of the 4.x ProducerConfig.java (linger.ms default 5) [V2].
 */
export const producerDefaults = {
  /** acks — leader waits for the full ISR; default since 3.0 (KIP-679) [V] ProducerConfig.java (ref §1.2) */
  acks: 'all',
  /** enable.idempotence — broker dedups by (producerId, sequence); effective by default since 3.0.1/3.1.1/3.2 [V] ProducerConfig.java (ref §1.2, §1.7) */
  enableIdempotence: true,
  /** batch.size — per-partition batch cap; 0 disables batching [V] ProducerConfig.java (ref §1.7) */
  batchSizeBytes: 16_384,
  /** linger.ms — wait up to this long for a batch to fill; 0 before 4.0 [V] ProducerConfig.java (ref §1.7) */
  lingerMs: 5,
  /** buffer.memory — producer-side record buffer (32 MiB) [V] ProducerConfig.java (ref §1.7) */
  bufferMemoryBytes: 33_554_432,
  /** max.block.ms — send() blocks this long on a full buffer or missing metadata, then throws [V] ProducerConfig.java (ref §1.7) */
  maxBlockMs: 60_000,
  /** retries — Java Integer.MAX_VALUE, stood in for by Number.MAX_SAFE_INTEGER; bounded by delivery.timeout.ms [V] ProducerConfig.java (ref §1.7) */
  retries: JAVA_INT_MAX,
  /** retry.backoff.ms — first retry backoff, grows ×2 with ±20 % jitter [V] DEFAULT_RETRY_BACKOFF_MS in apache/kafka clients/.../CommonClientConfigs.java @7d11363; wired into ProducerConfig [V2] */
  retryBackoffMs: 100,
  /** retry.backoff.max.ms — cap of the exponential retry backoff (KIP-580) [V] DEFAULT_RETRY_BACKOFF_MAX_MS in CommonClientConfigs.java @7d11363; wired into ProducerConfig [V2] */
  retryBackoffMaxMs: 1_000,
  /** delivery.timeout.ms — upper bound from send() to success/failure, retries included [V] ProducerConfig.java (ref §1.5, §1.7) */
  deliveryTimeoutMs: 120_000,
  /** request.timeout.ms — wait for one produce response; should exceed replica.lag.time.max.ms [V] ProducerConfig.java (ref §1.7) */
  requestTimeoutMs: 30_000,
  /** max.in.flight.requests.per.connection — unacknowledged requests per broker connection [V] ProducerConfig.java (ref §1.7) */
  maxInFlightRequestsPerConnection: 5,
  /** max.request.size — cap of one produce request (1 MiB) [V] ProducerConfig.java (ref §1.7) */
  maxRequestSizeBytes: 1_048_576,
  /** compression.type [V] ProducerConfig.java (ref §1.7) */
  compressionType: 'none',
  /** partitioner.ignore.keys — false: keyed records are hashed (murmur2) [V] PARTITIONER doc (ref §1.7) */
  partitionerIgnoreKeys: false,
  /** partitioner.adaptive.partitioning.enable — true in Kafka; NOT modelled yet (see partitioner.ts) [V] PARTITIONER doc (ref §1.7) */
  partitionerAdaptivePartitioningEnable: true,
  /** partitioner.availability.timeout.ms — 0 = logic off; not modelled [V2] 4.x ProducerConfig.java copy */
  partitionerAvailabilityTimeoutMs: 0,
  /** transaction.timeout.ms — coordinator aborts an open transaction after this long [V] ProducerConfig.java (ref §1.7) */
  transactionTimeoutMs: 60_000,
  /** transactional.id — none: no transactions [V2] 4.x ProducerConfig.java copy */
  transactionalId: null,
} as const satisfies ProducerConfig;

export type ConsumerAssignor = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

/**
 * Consumer defaults (classic group protocol). ref §1.8 is [V] except where noted; values the
 * reference marks [R] were then read in apache/kafka clients/.../ConsumerConfig.java at commit
 * f2912c8 — an older (2.x-era) commit, so "[V old]": the value was seen, not re-read on 4.x.
 */
export const consumerDefaults = {
  /** session.timeout.ms — a silent member is evicted after this long; 10 s before 3.0 [V] ConsumerConfig.java (ref §1.8) */
  sessionTimeoutMs: 45_000,
  /** heartbeat.interval.ms — consumer → group coordinator heartbeat period [V] ConsumerConfig.java (ref §1.8) */
  heartbeatIntervalMs: 3_000,
  /** max.poll.interval.ms — a member that does not poll for this long leaves the group [V] ConsumerConfig.java (ref §1.8) */
  maxPollIntervalMs: 300_000,
  /** max.poll.records — records returned by one poll() [V old] ConsumerConfig.java @f2912c8 (ref §1.8 says [R]) */
  maxPollRecords: 500,
  /** enable.auto.commit — commit offsets in the background (forced false without group.id) [V] ConsumerConfig.java (ref §1.8) */
  enableAutoCommit: true,
  /** auto.commit.interval.ms — auto-commit period [V] ConsumerConfig.java (ref §1.8) */
  autoCommitIntervalMs: 5_000,
  /** auto.offset.reset — start at the log end when the group has no committed offset [V] ConsumerConfig.java (ref §1.8) */
  autoOffsetReset: 'latest',
  /** partition.assignment.strategy — [RangeAssignor, CooperativeStickyAssignor]; the first is used until all members support the second [V] ConsumerConfig.java (ref §1.8) */
  partitionAssignmentStrategy: ['range', 'cooperative-sticky'],
  /** fetch.min.bytes — broker answers a fetch as soon as this much data is there [V old] ConsumerConfig.java @f2912c8 (ref §1.8 says [R]) */
  fetchMinBytes: 1,
  /** fetch.max.wait.ms — broker holds a fetch at most this long waiting for fetch.min.bytes [V old] ConsumerConfig.java @f2912c8 (ref §1.8 says [R]) */
  fetchMaxWaitMs: 500,
  /** max.partition.fetch.bytes — per-partition cap of a fetch response (1 MiB) [V old] ConsumerConfig.java @f2912c8 (ref §1.8 says [R]) */
  maxPartitionFetchBytes: 1_048_576,
  /** fetch.max.bytes — cap of a whole fetch response (50 MiB) [V old] ConsumerConfig.java @f2912c8 */
  fetchMaxBytes: 52_428_800,
  /** isolation.level — read_uncommitted returns aborted transactional records too [V old] ISOLATION_LEVEL_DOC "(the default)", ConsumerConfig.java @f2912c8 (ref §1.8 says [R]) */
  isolationLevel: 'read_uncommitted',
  /** group.protocol — classic in 4.0; KIP-848 "consumer" protocol is GA but opt-in [R] (ref §1.8 says GA in 4.0 [V]; the default itself not re-read) */
  groupProtocol: 'classic',
} as const satisfies {
  partitionAssignmentStrategy: readonly ConsumerAssignor[];
  autoOffsetReset: 'latest' | 'earliest' | 'none';
  isolationLevel: 'read_uncommitted' | 'read_committed';
  groupProtocol: 'classic' | 'consumer';
  [key: string]: unknown;
};

// ---------------------------------------------------------------------------------------------
// Producer configuration validation
// ---------------------------------------------------------------------------------------------

/** What the user wrote: any subset of the producer fields. A field counts as *set explicitly* when it is present and not undefined. */
export type ProducerConfigInput = Partial<Omit<ProducerConfig, 'acks'>> & { acks?: AcksInput };

export interface ConfigProblem {
  /** The field in ProducerConfig (camelCase). */
  field: keyof ProducerConfig;
  /** The Kafka property name, e.g. `max.in.flight.requests.per.connection`. */
  configName: string;
  problem: string;
  /** How to fix it. */
  hint: string;
}

/** A value the validator changed silently, as the Java producer does (it logs them). */
export interface ConfigAdjustment {
  field: keyof ProducerConfig;
  configName: string;
  from: unknown;
  to: unknown;
  reason: string;
}

export type ProducerConfigResult =
  | { ok: true; effective: ProducerConfig; adjustments: ConfigAdjustment[] }
  | { ok: false; problems: ConfigProblem[] };

/** Kafka property names of the producer fields. */
export const PRODUCER_CONFIG_NAMES: Readonly<Record<keyof ProducerConfig, string>> = {
  acks: 'acks',
  enableIdempotence: 'enable.idempotence',
  batchSizeBytes: 'batch.size',
  lingerMs: 'linger.ms',
  bufferMemoryBytes: 'buffer.memory',
  maxBlockMs: 'max.block.ms',
  retries: 'retries',
  retryBackoffMs: 'retry.backoff.ms',
  retryBackoffMaxMs: 'retry.backoff.max.ms',
  deliveryTimeoutMs: 'delivery.timeout.ms',
  requestTimeoutMs: 'request.timeout.ms',
  maxInFlightRequestsPerConnection: 'max.in.flight.requests.per.connection',
  maxRequestSizeBytes: 'max.request.size',
  compressionType: 'compression.type',
  partitionerIgnoreKeys: 'partitioner.ignore.keys',
  partitionerAdaptivePartitioningEnable: 'partitioner.adaptive.partitioning.enable',
  partitionerAvailabilityTimeoutMs: 'partitioner.availability.timeout.ms',
  transactionTimeoutMs: 'transaction.timeout.ms',
  transactionalId: 'transactional.id',
};

/** Lower bounds of ProducerConfig's ConfigDef validators (atLeast / between); all integer-valued. */
const INTEGER_MINIMUMS: readonly (readonly [keyof ProducerConfig, number])[] = [
  ['batchSizeBytes', 0],
  ['lingerMs', 0],
  ['bufferMemoryBytes', 0],
  ['maxBlockMs', 0],
  ['retries', 0],
  ['retryBackoffMs', 0],
  ['retryBackoffMaxMs', 0],
  ['deliveryTimeoutMs', 0],
  ['requestTimeoutMs', 0],
  ['maxInFlightRequestsPerConnection', 1],
  ['maxRequestSizeBytes', 0],
  ['partitionerAvailabilityTimeoutMs', 0],
  ['transactionTimeoutMs', 0],
];

const COMPRESSION_TYPES: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

function normalizeAcks(value: unknown): Acks | undefined {
  switch (value) {
    case 'all':
    case '-1':
    case -1:
      return 'all';
    case '1':
    case 1:
      return '1';
    case '0':
    case 0:
      return '0';
    default:
      return undefined;
  }
}

function problem(field: keyof ProducerConfig, text: string, hint: string): ConfigProblem {
  return { field, configName: PRODUCER_CONFIG_NAMES[field], problem: text, hint };
}

/**
 * Resolves a producer configuration the way the Kafka 4.x Java producer does at construction
 * (ProducerConfig.postProcessAndValidateIdempotenceConfigs and KafkaProducer's delivery-timeout
 * check), returning problems instead of throwing ConfigException.
 *
 * Idempotence (ENABLE_IDEMPOTENCE_DOC, ref §1.7 [V]): it requires acks=all, retries > 0 and
 * max.in.flight.requests.per.connection ≤ 5.
 * - acks ≠ all or retries = 0: if enable.idempotence was set explicitly to true, that is an
 *   error naming the conflicting field; if it was left at its default, idempotence is silently
 *   disabled (reported in `adjustments`).
 * - max.in.flight > 5: an error whenever idempotence is on, explicitly or by default. This is
 *   the 4.0 behaviour (KAFKA-17927, apache/kafka PR #17717, merged for 4.0 [V2]); 3.x silently
 *   disabled idempotence here, and ref §1.7 still describes that 3.x rule. Like the Java code,
 *   the check runs in the same pass as the two above, so acks=1 with max.in.flight=6 and
 *   enable.idempotence unset is an error too: set enable.idempotence=false explicitly.
 * - transactional.id requires idempotence (error if it ends up disabled) [V2].
 *
 * delivery.timeout.ms must be ≥ linger.ms + request.timeout.ms (DELIVERY_TIMEOUT_MS_DOC,
 * ref §1.7 [V]). Set explicitly too low: an error. Left at its default while linger/request
 * were raised: raised silently to their sum, as KafkaProducer does [V2].
 *
 * Also checks the ConfigDef ranges (non-negative integers, max.in.flight ≥ 1), acks and
 * compression.type values, and that transactional.id is not empty.
 */
export function validateProducerConfig(config: ProducerConfigInput = {}): ProducerConfigResult {
  const problems: ConfigProblem[] = [];
  const adjustments: ConfigAdjustment[] = [];
  const isSet = (field: keyof ProducerConfig): boolean => config[field] !== undefined;

  const effective: ProducerConfig = { ...producerDefaults };
  for (const field of Object.keys(config) as (keyof ProducerConfig)[]) {
    const value = config[field];
    if (value !== undefined && field !== 'acks' && field in PRODUCER_CONFIG_NAMES) {
      (effective as unknown as Record<string, unknown>)[field] = value;
    }
  }

  if (config.acks !== undefined) {
    const acks = normalizeAcks(config.acks);
    if (acks === undefined) {
      problems.push(problem('acks', `acks=${String(config.acks)} is not a valid value`, 'use "all" (or -1), "1" or "0"'));
    } else {
      effective.acks = acks;
    }
  }
  if (!COMPRESSION_TYPES.includes(effective.compressionType)) {
    problems.push(
      problem('compressionType', `compression.type=${String(effective.compressionType)} is not a valid value`, `use one of ${COMPRESSION_TYPES.join(', ')}`),
    );
  }
  for (const [field, min] of INTEGER_MINIMUMS) {
    const value = effective[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      problems.push(
        problem(field, `${PRODUCER_CONFIG_NAMES[field]}=${String(value)} must be an integer ≥ ${min}`, `set ${PRODUCER_CONFIG_NAMES[field]} to an integer ≥ ${min}`),
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  // Idempotence (ProducerConfig.postProcessAndValidateIdempotenceConfigs, 4.x).
  const idempotenceExplicit = isSet('enableIdempotence');
  if (effective.enableIdempotence) {
    const disableBecause: { field: keyof ProducerConfig; reason: string }[] = [];
    if (effective.retries === 0) {
      if (idempotenceExplicit) {
        problems.push(
          problem(
            'retries',
            'enable.idempotence=true needs retries > 0, but retries=0',
            'remove retries (default: unbounded, limited by delivery.timeout.ms) or set it > 0; or set enable.idempotence=false',
          ),
        );
      } else {
        disableBecause.push({ field: 'retries', reason: 'retries=0' });
      }
    }
    if (effective.acks !== 'all') {
      if (idempotenceExplicit) {
        problems.push(
          problem(
            'acks',
            `enable.idempotence=true needs acks=all, but acks=${effective.acks}`,
            'set acks=all (the default), or set enable.idempotence=false to keep acks=' + effective.acks,
          ),
        );
      } else {
        disableBecause.push({ field: 'acks', reason: `acks=${effective.acks}, not all` });
      }
    }
    if (effective.maxInFlightRequestsPerConnection > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
      problems.push(
        problem(
          'maxInFlightRequestsPerConnection',
          `the idempotent producer${idempotenceExplicit ? '' : ' (on by default)'} allows at most ${MAX_IN_FLIGHT_FOR_IDEMPOTENCE} in-flight requests per connection, ` +
            `but max.in.flight.requests.per.connection=${effective.maxInFlightRequestsPerConnection}`,
          `set max.in.flight.requests.per.connection to ${MAX_IN_FLIGHT_FOR_IDEMPOTENCE} or less, or set enable.idempotence=false` +
            (idempotenceExplicit ? '' : ' explicitly (since Kafka 4.0 a larger value no longer disables idempotence silently)'),
        ),
      );
    }
    if (disableBecause.length > 0) {
      effective.enableIdempotence = false;
      adjustments.push({
        field: 'enableIdempotence',
        configName: PRODUCER_CONFIG_NAMES.enableIdempotence,
        from: true,
        to: false,
        reason:
          `idempotence disabled because ${disableBecause.map((d) => d.reason).join(' and ')} ` +
          '(enable.idempotence was not set explicitly; setting it to true would make this an error)',
      });
    }
  }

  if (effective.transactionalId !== null) {
    if (effective.transactionalId === '') {
      problems.push(problem('transactionalId', 'transactional.id must not be empty', 'remove transactional.id or give it a non-empty value'));
    } else if (!effective.enableIdempotence) {
      problems.push(
        problem(
          'transactionalId',
          'transactional.id is set but idempotence is disabled; transactions need the idempotent producer',
          'remove transactional.id, or enable idempotence (acks=all, retries > 0, max.in.flight ≤ 5, enable.idempotence not false)',
        ),
      );
    }
  }

  // delivery.timeout.ms ≥ linger.ms + request.timeout.ms (KafkaProducer.configureDeliveryTimeout).
  const floorMs = Math.min(effective.lingerMs + effective.requestTimeoutMs, JAVA_INT_MAX);
  if (effective.deliveryTimeoutMs < floorMs) {
    if (isSet('deliveryTimeoutMs')) {
      problems.push(
        problem(
          'deliveryTimeoutMs',
          `delivery.timeout.ms=${effective.deliveryTimeoutMs} is less than linger.ms + request.timeout.ms = ${effective.lingerMs} + ${effective.requestTimeoutMs} = ${floorMs}`,
          `set delivery.timeout.ms to at least ${floorMs}, or lower linger.ms / request.timeout.ms`,
        ),
      );
    } else {
      adjustments.push({
        field: 'deliveryTimeoutMs',
        configName: PRODUCER_CONFIG_NAMES.deliveryTimeoutMs,
        from: effective.deliveryTimeoutMs,
        to: floorMs,
        reason: `default delivery.timeout.ms raised to linger.ms + request.timeout.ms = ${floorMs}`,
      });
      effective.deliveryTimeoutMs = floorMs;
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, effective, adjustments };
}
