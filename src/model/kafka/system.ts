import { makeSampler, type DistributionSpec, type RandomStream, type Simulation } from '../../engine';
import { KafkaCluster, type ClusterOptions } from './cluster';
import { brokerDefaults, consumerDefaults, controllerDefaults, producerDefaults, topicDefaults } from './defaults';
import { ConsumerGroup, readerLedger, type ConsumerGroupOptions } from './consumer-group';
import { MessageLedger } from './ledger';
import { Network } from './network';
import { Producer, type ProducerOptions } from './producer';

/**
 * A Kafka system to simulate: brokers and the controller, one producer application and one
 * consumer group on one topic, and the faults a trainer can inject. Node ids: brokers
 * 0..B-1, the controller B, the producer B+1, consumers from B+2.
 *
 * Defaults are Kafka 4.0's (shared/reference/mq-semantics.md §1.4, §1.5, §1.7, §1.8), so a
 * system that sets nothing behaves like an out-of-the-box cluster, except where a feature is not
 * modelled yet (docs/model.md lists them).
 */
export interface KafkaSystemOptions {
  cluster: ClusterOptions;
  networkLatencyUs: number;
  /** Extra per-message delay on every link, a distribution in milliseconds; none if absent. */
  networkJitterMs?: DistributionSpec;
  producer: Omit<ProducerOptions, 'node'>;
  /** The group's settings; the system gives it its nodes, its coordinator and the retry backoff. */
  group: Omit<ConsumerGroupOptions, 'firstNode' | 'name' | 'coordinatorNode' | 'retryBackoffUs'>;
  /**
   * Further consumer groups, each like `group`, reading the same topic (a fan-out: stock, search
   * index, analytics). They have their own lag and latency; the message accounting follows `group`.
   */
  readerGroups?: number;
  /**
   * Messages the ledger's window holds before it first settles the ones no event can touch
   * any more (default 65,536; it grows when they are all still live). Tests set it small so
   * that settling happens all the time.
   */
  ledgerWindow?: number;
}

const ms = (value: number): number => value * 1_000;

/** Kafka 4.0 defaults (defaults.ts, with their sources), in the units the model uses. */
export const KAFKA_DEFAULTS: KafkaSystemOptions = {
  cluster: {
    brokers: 3,
    partitions: 1,
    replicationFactor: 3,
    minInsyncReplicas: topicDefaults.minInsyncReplicas,
    uncleanLeaderElection: topicDefaults.uncleanLeaderElectionEnable,
    replicaLagTimeMaxUs: ms(brokerDefaults.replicaLagTimeMaxMs),
    replicaFetchWaitMaxUs: ms(brokerDefaults.replicaFetchWaitMaxMs),
    replicaFetchMaxBytes: brokerDefaults.replicaFetchMaxBytes,
    replicaFetchResponseMaxBytes: brokerDefaults.replicaFetchResponseMaxBytes,
    brokerHeartbeatIntervalUs: ms(brokerDefaults.brokerHeartbeatIntervalMs),
    brokerSessionTimeoutUs: ms(brokerDefaults.brokerSessionTimeoutMs),
    eligibleLeaderReplicas: controllerDefaults.eligibleLeaderReplicasEnable,
    autoLeaderRebalance: brokerDefaults.autoLeaderRebalanceEnable,
    leaderImbalanceCheckIntervalUs: ms(brokerDefaults.leaderImbalanceCheckIntervalSeconds * 1_000),
  },
  networkLatencyUs: 500,
  producer: {
    ratePerSecond: 100,
    keys: 1_000,
    acks: 'all',
    requestTimeoutUs: ms(producerDefaults.requestTimeoutMs),
    deliveryTimeoutUs: ms(producerDefaults.deliveryTimeoutMs),
    retryBackoffUs: ms(producerDefaults.retryBackoffMs),
    retryBackoffMaxUs: ms(producerDefaults.retryBackoffMaxMs),
    stopAtUs: 60_000_000,
    lingerUs: ms(producerDefaults.lingerMs),
    batchSizeBytes: producerDefaults.batchSizeBytes,
    maxInFlight: producerDefaults.maxInFlightRequestsPerConnection,
    bufferMemoryBytes: producerDefaults.bufferMemoryBytes,
    maxBlockUs: ms(producerDefaults.maxBlockMs),
  },
  group: {
    consumers: 1,
    maxPollRecords: consumerDefaults.maxPollRecords,
    fetchMaxWaitUs: ms(consumerDefaults.fetchMaxWaitMs),
    processingSeconds: { kind: 'constant', value: 0 },
    // Commit after processing is what the default auto-commit amounts to for a consumer that
    // processes synchronously between polls (§1.8: at-least-once).
    commit: 'after-processing',
  },
};

export class KafkaSystem {
  readonly ledger: MessageLedger;
  readonly network: Network;
  readonly cluster: KafkaCluster;
  readonly producer: Producer;
  readonly group: ConsumerGroup;
  /** The further groups of `options.readerGroups`, reading without counting deliveries. */
  readonly readers: ConsumerGroup[] = [];
  private readonly kinds;
  private readonly scheduledPartitions: { side: number[]; otherSide: number[] }[] = [];
  private readonly scheduledLatencies: { a: number; b: number; latencyUs: number }[] = [];
  private readonly scheduledLosses: { a: number; b: number; probability: number }[] = [];
  private lossDraws: RandomStream | null = null;

  constructor(
    private readonly sim: Simulation,
    readonly options: KafkaSystemOptions,
  ) {
    this.ledger = new MessageLedger({ windowCapacity: options.ledgerWindow });
    const brokers = options.cluster.brokers;
    const consumerNodes = Math.max(options.group.consumers, options.group.maxConsumers ?? 0);
    const readerGroups = options.readerGroups ?? 0;
    this.network = new Network(brokers + 2 + consumerNodes * (1 + readerGroups), options.networkLatencyUs);
    if (options.networkJitterMs !== undefined) {
      const jitterMs = makeSampler(options.networkJitterMs, sim.stream('network/jitter'));
      this.network.setJitter(() => jitterMs() * 1_000);
    }
    this.cluster = new KafkaCluster(sim, this.network, this.ledger, options.cluster);
    this.producer = new Producer(sim, this.cluster, this.ledger, { node: brokers + 1, ...options.producer });
    this.group = new ConsumerGroup(sim, this.cluster, this.ledger, {
      firstNode: brokers + 2,
      // The group coordinator: the controller node (docs/model.md, "Consumer groups").
      coordinatorNode: brokers,
      retryBackoffUs: options.producer.retryBackoffUs,
      ...options.group,
    });
    for (let r = 1; r <= readerGroups; r++) {
      this.readers.push(
        new ConsumerGroup(sim, this.cluster, readerLedger(this.ledger), {
          firstNode: brokers + 2 + consumerNodes * r,
          coordinatorNode: brokers,
          retryBackoffUs: options.producer.retryBackoffUs,
          ...options.group,
          name: `reader-group-${r}`,
        }),
      );
    }
    this.ledger.liveFloor = () => this.liveFloor();
    this.kinds = {
      crash: sim.defineEvent('fault/broker-crash', (broker) => this.cluster.crash(broker)),
      restart: sim.defineEvent('fault/broker-restart', (broker) => this.cluster.restart(broker)),
      isolate: sim.defineEvent('fault/isolate', (node, cut) => this.isolateNow(node, cut === 1)),
      healAll: sim.defineEvent('fault/heal-all', () => this.network.healAll()),
      consumerCrash: sim.defineEvent('fault/consumer-crash', (consumer) => this.group.crash(consumer)),
      consumerRestart: sim.defineEvent('fault/consumer-restart', (consumer) => this.group.restart(consumer)),
      partition: sim.defineEvent('fault/network-partition', (index, cut) => {
        const { side, otherSide } = this.scheduledPartitions[index]!;
        this.network.partition(side, otherSide, cut === 1);
      }),
      linkLatency: sim.defineEvent('fault/link-latency', (index) => {
        const { a, b, latencyUs } = this.scheduledLatencies[index]!;
        this.network.setLatencyUs(a, b, latencyUs);
      }),
      // Registered last, so that scenarios without them keep their event kinds (and trace hashes).
      diskSlowdown: sim.defineEvent('fault/slow-disk', (broker, factor) => this.cluster.resources.setDiskSlowdown(broker, factor)),
      linkLoss: sim.defineEvent('fault/link-loss', (index) => {
        const { a, b, probability } = this.scheduledLosses[index]!;
        this.network.setLoss(a, b, probability, this.lossStream());
      }),
    };
  }

  start(): void {
    this.cluster.start();
    this.producer.start();
    this.group.start();
    for (const reader of this.readers) reader.start();
  }

  crashBrokerAt(timeUs: number, broker: number): void {
    this.sim.scheduleAt(timeUs, this.kinds.crash, broker);
  }

  restartBrokerAt(timeUs: number, broker: number): void {
    this.sim.scheduleAt(timeUs, this.kinds.restart, broker);
  }

  /** Cuts (or heals) every link between `node` and the listed peers at `timeUs`. */
  isolateAt(timeUs: number, node: number, cut: boolean): void {
    this.sim.scheduleAt(timeUs, this.kinds.isolate, node, cut ? 1 : 0);
  }

  crashConsumerAt(timeUs: number, consumer: number): void {
    this.sim.scheduleAt(timeUs, this.kinds.consumerCrash, consumer);
  }

  restartConsumerAt(timeUs: number, consumer: number): void {
    this.sim.scheduleAt(timeUs, this.kinds.consumerRestart, consumer);
  }

  /** Cuts (or heals) every link between the two sides at `timeUs`: a network partition. */
  partitionAt(timeUs: number, side: number[], otherSide: number[], cut: boolean): void {
    const index = this.scheduledPartitions.push({ side, otherSide }) - 1;
    this.sim.scheduleAt(timeUs, this.kinds.partition, index, cut ? 1 : 0);
  }

  /** Sets the one-way latency of the link between `a` and `b` (both ways) at `timeUs`. */
  linkLatencyAt(timeUs: number, a: number, b: number, latencyUs: number): void {
    const index = this.scheduledLatencies.push({ a, b, latencyUs }) - 1;
    this.sim.scheduleAt(timeUs, this.kinds.linkLatency, index);
  }

  /** The link between `a` and `b` loses packets with `probability` from `timeUs` (0: clean again). */
  linkLossAt(timeUs: number, a: number, b: number, probability: number): void {
    const index = this.scheduledLosses.push({ a, b, probability }) - 1;
    this.sim.scheduleAt(timeUs, this.kinds.linkLoss, index);
  }

  /** The network's loss draws: a stream of its own, made only when a link first turns lossy. */
  private lossStream(): RandomStream {
    this.lossDraws ??= this.sim.stream('network/packet-loss');
    return this.lossDraws;
  }

  /** A broker's disk writes `factor` times slower from `timeUs` (1: back to normal). */
  diskSlowdownAt(timeUs: number, broker: number, factor: number): void {
    this.sim.scheduleAt(timeUs, this.kinds.diskSlowdown, broker, factor);
  }

  private powerFailureKind = -1;

  /**
   * The listed brokers lose power at `timeUs` (§1.6 F7): each process dies with its page
   * cache, and its log is cut to what was on disk when it restarts (`restartBrokerAt`). Call
   * before `start`: it turns on page-cache tracking (cluster.trackPageCache). Its event kind is
   * registered on the first call, after every other kind, so that runs without a power
   * failure keep their event kinds and trace hashes.
   */
  powerFailureAt(timeUs: number, brokers: readonly number[]): void {
    this.cluster.trackPageCache();
    if (this.powerFailureKind < 0) this.powerFailureKind = this.sim.defineEvent('fault/power-failure', (broker) => this.cluster.powerFailure(broker));
    for (const broker of brokers) this.sim.scheduleAt(timeUs, this.powerFailureKind, broker);
  }

  /** Every node id: brokers, the controller, the producer and the consumers. */
  get nodeCount(): number {
    return this.network.nodeCount;
  }

  /** Reconnects every link at `timeUs`. */
  healAllAt(timeUs: number): void {
    this.sim.scheduleAt(timeUs, this.kinds.healAll);
  }

  /** Peers a node is cut from: by default, every other broker (replication stops). */
  isolationPeers: (node: number) => number[] = (node) =>
    Array.from({ length: this.options.cluster.brokers }, (_, b) => b).filter((b) => b !== node);

  private isolateNow(node: number, cut: boolean): void {
    this.network.partition([node], this.isolationPeers(node), cut);
  }

  /**
   * The lowest message id any future event can touch (the ledger settles what lies below):
   * what the producer may still send, what some log still holds that a reader, an election or
   * a truncation may need, and what a consumer holds.
   */
  private liveFloor(): number {
    const groups = [this.group, ...this.readers];
    let floor = this.producer.lowestHeldId();
    for (const group of groups) floor = Math.min(floor, group.lowestHeldId());
    const readFloor = (partition: number): number => {
      let offset = Infinity;
      for (const group of groups) offset = Math.min(offset, group.readFloor(partition));
      return offset;
    };
    return Math.min(floor, this.cluster.forgetSettled(readFloor));
  }

  /** Conservation audit (ledger.audit) plus the running totals' identity. */
  audit(): string[] {
    return this.ledger.audit((id) => this.producer.heldByProducer(id));
  }
}
