import type { Simulation } from '../engine';
import { ConsumerScaler } from '../flows/consumer-scaler';
import { SaleSystem } from '../flows/sale-system';
import type { RateCurveSpec } from '../flows/traffic-curve';
import { KAFKA_DEFAULTS, KafkaSystem } from '../model/kafka/system';
import { protocolOf, resolveAssignor } from '../model/kafka/consumer-group';
import { brokerDefaults, producerDefaults } from '../model/kafka/defaults';
import type { KafkaSpec, SaleSpec, Scenario } from '../scenario';
import { SeriesSampler } from './series-sampler';

/** A fault as summary.json reports it. */
export interface FaultRecord {
  atMs: number;
  kind: string;
  target: string;
  endedAtMs: number | null;
}

const us = (seconds: number): number => Math.round(seconds * 1_000_000);
const usFromMs = (milliseconds: number): number => Math.round(milliseconds * 1_000);

/** A Kafka or sale run, built and ready to run until `endUs`. */
export interface PreparedKafkaRun {
  system: KafkaSystem;
  sale: SaleSystem | null;
  faults: FaultRecord[];
  sampler: SeriesSampler;
  endUs: number;
  /** Sale-clock seconds at simulated time 0; 0 outside a sale. */
  clockStartSeconds: number;
}

/** Time-series bucket: 1 s, widened for long runs so that a series keeps at most ~2,000 rows. */
export function bucketSecondsFor(runSeconds: number): number {
  return Math.max(1, Math.ceil(runSeconds / 2_000));
}

/** Builds the system a scenario's kafka (and sale) sections describe, with its faults and sampler. */
export function prepareKafkaRun(sim: Simulation, scenario: Scenario): PreparedKafkaRun {
  const kafka = scenario.kafka as KafkaSpec;
  const saleSpec = scenario.sale;
  const clockStartSeconds = saleSpec?.traffic.startSeconds ?? 0;
  const runSeconds = saleSpec === undefined ? (kafka.runSeconds ?? 0) : saleSpec.traffic.endSeconds + saleSpec.drainSeconds - clockStartSeconds;
  const { system, faults } = buildKafkaSystem(sim, kafka, clockStartSeconds, saleSpec !== undefined);
  const sale = saleSpec === undefined ? null : new SaleSystem(sim, system, saleOptions(saleSpec, clockStartSeconds));
  const sampler = new SeriesSampler(sim, system, sale, bucketSecondsFor(runSeconds), clockStartSeconds);
  sale?.start();
  return { system, sale, faults, sampler, endUs: us(runSeconds), clockStartSeconds };
}

function saleOptions(spec: SaleSpec, clockStartSeconds: number): SaleSystem['options'] {
  const { traffic, stock, salesNodes, push, gateway } = spec;
  if (traffic.curve.kind === 'csv') throw new Error(`the traffic CSV ${traffic.curve.file} must be read before the run (the CLI and the app do this)`);
  const applyMicros = typeof salesNodes.applyMicros === 'number' ? Array.from({ length: salesNodes.count }, () => salesNodes.applyMicros as number) : salesNodes.applyMicros;
  return {
    startSeconds: traffic.startSeconds,
    endSeconds: traffic.endSeconds,
    curve: traffic.curve as RateCurveSpec,
    users: traffic.users,
    items: traffic.items,
    zipfExponent: traffic.zipfExponent,
    keyBy: spec.keyBy,
    gateway: { rateLimitPerSecond: gateway.rateLimitPerSecond ?? Infinity, burst: gateway.burst, maxBacklog: gateway.maxBacklog ?? Infinity },
    stock: {
      items: traffic.items,
      unitsPerItem: stock.unitsPerItem,
      buckets: stock.buckets,
      deduction: stock.deduction,
      idempotent: stock.idempotent,
      unpaidFraction: stock.unpaidFraction,
      paymentTimeoutUs: us(stock.paymentTimeoutSeconds),
    },
    salesNodes: { applyUs: applyMicros, latencyUs: usFromMs(salesNodes.networkLatencyMs) },
    push: {
      ratePerSecond: push.ratePerSecond,
      failureProbability: push.failureProbability,
      maxAttempts: push.maxAttempts,
      retryDelayUs: us(push.retryDelaySeconds),
      tickUs: 10_000,
      promotion: push.promotion === undefined ? null : { atUs: us(push.promotion.atSeconds - clockStartSeconds), users: push.promotion.users },
    },
  };
}

/**
 * Builds the Kafka system a scenario's `kafka` section describes and schedules its faults.
 * In a sale, the sale drives the producer and fault times are on the sale clock, which
 * starts at `clockStartSeconds`.
 */
export function buildKafkaSystem(
  sim: Simulation,
  spec: KafkaSpec,
  clockStartSeconds = 0,
  saleDriven = false,
): { system: KafkaSystem; faults: FaultRecord[] } {
  const at = (seconds: number): number => us(seconds - clockStartSeconds);
  // Kafka 4's partition.assignment.strategy [range, cooperative-sticky] uses range; rebalance: cooperative picks cooperative-sticky.
  const assignor = resolveAssignor(spec.consumers.assignor, spec.consumers.rebalance);
  const system = new KafkaSystem(sim, {
    cluster: {
      ...KAFKA_DEFAULTS.cluster,
      brokers: spec.brokers,
      partitions: spec.partitions,
      replicationFactor: spec.replicationFactor,
      minInsyncReplicas: spec.minInsyncReplicas,
      uncleanLeaderElection: spec.uncleanLeaderElection,
      replicaLagTimeMaxUs: usFromMs(spec.replicaLagTimeMaxMs),
      messageBytes: spec.messageBytes,
      eligibleLeaderReplicas: spec.eligibleLeaderReplicas,
      autoLeaderRebalance: spec.autoLeaderRebalance,
      leaderImbalanceCheckIntervalUs: us(spec.leaderImbalanceCheckIntervalSeconds),
      // kafka.racks: R spreads the brokers round-robin over rack-0..rack-(R-1); a list names each broker's rack.
      ...(spec.racks === undefined ? {} : { brokerRacks: brokerRacks(spec.racks, spec.brokers) }),
      ...(spec.flushIntervalMessages === undefined ? {} : { flushIntervalMessages: spec.flushIntervalMessages }),
      ...(spec.brokerResources === undefined
        ? {}
        : {
            resources: {
              requestCpuUs: spec.brokerResources.requestCpuMicros,
              cpuNsPerByte: spec.brokerResources.cpuNanosPerByte,
              diskMBps: spec.brokerResources.diskMBps ?? Infinity,
              nicMBps: spec.brokerResources.nicMBps ?? Infinity,
            },
          }),
    },
    networkLatencyUs: usFromMs(spec.networkLatencyMs),
    ...(spec.networkJitterMs === undefined ? {} : { networkJitterMs: spec.networkJitterMs }),
    producer: {
      ratePerSecond: saleDriven ? 0 : (spec.producer.ratePerSecond ?? 0),
      keys: spec.producer.keys,
      acks: spec.producer.acks,
      // Kafka 4: on by default, silently off when acks is not all (ProducerConfig, §1.7).
      idempotent: spec.producer.idempotence ?? spec.producer.acks === 'all',
      requestTimeoutUs: usFromMs(spec.producer.requestTimeoutMs),
      // Left unset, delivery.timeout.ms is raised to linger.ms + request.timeout.ms (KafkaProducer).
      deliveryTimeoutUs: usFromMs(
        spec.producer.deliveryTimeoutMs ?? Math.max(producerDefaults.deliveryTimeoutMs, spec.producer.lingerMs + spec.producer.requestTimeoutMs),
      ),
      retryBackoffUs: usFromMs(spec.producer.retryBackoffMs),
      retryBackoffMaxUs: usFromMs(spec.producer.retryBackoffMaxMs),
      stopAtUs: saleDriven ? Infinity : us(spec.producer.stopAtSeconds ?? 0),
      lingerUs: usFromMs(spec.producer.lingerMs),
      batchSizeBytes: spec.producer.batchSizeBytes,
      maxInFlight: spec.producer.maxInFlightRequestsPerConnection,
      bufferMemoryBytes: spec.producer.bufferMemoryBytes,
      maxBlockUs: usFromMs(spec.producer.maxBlockMs),
    },
    group: {
      ...KAFKA_DEFAULTS.group,
      consumers: spec.consumers.count,
      maxPollRecords: spec.consumers.maxPollRecords,
      processingSeconds: spec.consumers.processingSeconds,
      commit: spec.consumers.commit,
      autoCommitIntervalUs: usFromMs(spec.consumers.autoCommitIntervalMs),
      maxConsumers: spec.consumers.scaling?.max ?? spec.consumers.count,
      heartbeatIntervalUs: usFromMs(spec.consumers.heartbeatIntervalMs),
      sessionTimeoutUs: usFromMs(spec.consumers.sessionTimeoutMs),
      maxPollIntervalUs: usFromMs(spec.consumers.maxPollIntervalMs),
      assignor,
      rebalancePauseUs: usFromMs(spec.consumers.rebalancePauseMs),
      // A sale's stock service runs long before the clip starts: its group has formed already.
      initialRebalanceDelayUs: usFromMs(spec.consumers.initialRebalanceDelayMs ?? (saleDriven ? 0 : brokerDefaults.groupInitialRebalanceDelayMs)),
    },
    readerGroups: spec.consumers.groups - 1,
  });
  const faults: FaultRecord[] = [];
  const node = (name: string): number => nodeId(name, spec.brokers);
  const everyNode = Array.from({ length: system.nodeCount }, (_, id) => id);
  for (const fault of spec.faults) {
    const record = (target: string, endSeconds: number | undefined) =>
      faults.push({ atMs: fault.atSeconds * 1000, kind: fault.kind, target, endedAtMs: ms(endSeconds) });
    switch (fault.kind) {
      case 'consumer-crash':
        system.crashConsumerAt(at(fault.atSeconds), fault.consumer);
        if (fault.restartAtSeconds !== undefined) system.restartConsumerAt(at(fault.restartAtSeconds), fault.consumer);
        record(`consumer-${fault.consumer}`, fault.restartAtSeconds);
        break;
      case 'broker-crash':
        system.crashBrokerAt(at(fault.atSeconds), fault.broker);
        if (fault.restartAtSeconds !== undefined) system.restartBrokerAt(at(fault.restartAtSeconds), fault.broker);
        record(`broker-${fault.broker}`, fault.restartAtSeconds);
        break;
      case 'isolate-broker':
        system.isolateAt(at(fault.atSeconds), fault.broker, true);
        if (fault.untilSeconds !== undefined) system.isolateAt(at(fault.untilSeconds), fault.broker, false);
        record(`broker-${fault.broker}`, fault.untilSeconds);
        break;
      case 'network-partition': {
        const side = fault.sideA.map(node);
        const otherSide = fault.sideB.map(node);
        system.partitionAt(at(fault.atSeconds), side, otherSide, true);
        if (fault.untilSeconds !== undefined) system.partitionAt(at(fault.untilSeconds), side, otherSide, false);
        record(`${fault.sideA.join(',')} | ${fault.sideB.join(',')}`, fault.untilSeconds);
        break;
      }
      case 'slow-link': {
        const [a, b] = fault.between.map(node) as [number, number];
        system.linkLatencyAt(at(fault.atSeconds), a, b, usFromMs(fault.latencyMs));
        if (fault.untilSeconds !== undefined) system.linkLatencyAt(at(fault.untilSeconds), a, b, usFromMs(spec.networkLatencyMs));
        record(fault.between.join(' - '), fault.untilSeconds);
        break;
      }
      case 'lossy-link': {
        const [a, b] = fault.between.map(node) as [number, number];
        system.linkLossAt(at(fault.atSeconds), a, b, fault.lossPercent / 100);
        if (fault.untilSeconds !== undefined) system.linkLossAt(at(fault.untilSeconds), a, b, 0);
        record(fault.between.join(' - '), fault.untilSeconds);
        break;
      }
      case 'slow-disk':
        system.diskSlowdownAt(at(fault.atSeconds), fault.broker, fault.factor);
        if (fault.untilSeconds !== undefined) system.diskSlowdownAt(at(fault.untilSeconds), fault.broker, 1);
        record(`broker-${fault.broker}`, fault.untilSeconds);
        break;
      case 'power-failure': {
        // Every listed machine loses power at once; each log is recovered to what was on disk.
        const brokers = fault.brokers === 'all' ? Array.from({ length: spec.brokers }, (_, b) => b) : [...new Set(fault.brokers)];
        system.powerFailureAt(at(fault.atSeconds), brokers);
        if (fault.restartAtSeconds !== undefined) for (const broker of brokers) system.restartBrokerAt(at(fault.restartAtSeconds), broker);
        record(fault.brokers === 'all' ? 'all brokers' : brokers.map((b) => `broker-${b}`).join(', '), fault.restartAtSeconds);
        break;
      }
      case 'pause': {
        // A paused process (a long GC, a stalled VM) neither sends nor answers: every link of
        // its node is cut for the pause, then restored. It keeps its state, unlike a crash.
        const paused = node(fault.node);
        const others = everyNode.filter((id) => id !== paused);
        system.partitionAt(at(fault.atSeconds), [paused], others, true);
        system.partitionAt(at(fault.atSeconds + fault.seconds), [paused], others, false);
        record(fault.node, fault.atSeconds + fault.seconds);
        break;
      }
    }
  }
  faults.sort((a, b) => a.atMs - b.atMs);
  // The producer node stands for every producer machine of a benchmark: their summed NIC.
  const clientNicMBps = spec.brokerResources?.clientNicMBps;
  if (clientNicMBps !== undefined) system.network.setNodeBandwidthMBps(nodeId('producer', spec.brokers), clientNicMBps);
  const scaling = spec.consumers.scaling;
  if (scaling !== undefined) {
    new ConsumerScaler(sim, system.group, {
      protocol: protocolOf(assignor),
      pauseUs: usFromMs(spec.consumers.rebalancePauseMs),
      max: scaling.max,
      scaleAt: scaling.scaleAt.map(({ atSeconds, count }) => ({ atUs: at(atSeconds), count })),
      onLag: scaling.onLag === undefined ? null : { above: scaling.onLag.above, forUs: us(scaling.onLag.forSeconds), step: scaling.onLag.step },
    });
  }
  system.start();
  return { system, faults };
}

/** broker.rack of every broker: `racks` racks named rack-0.. with broker b in rack b mod racks, or the list as given. */
export function brokerRacks(racks: number | readonly string[], brokers: number): string[] {
  return typeof racks === 'number' ? Array.from({ length: brokers }, (_, b) => `rack-${b % racks}`) : [...racks];
}

/** Node ids as KafkaSystem numbers them: brokers 0..B-1, the controller B, the producer B+1, consumers from B+2. */
export function nodeId(name: string, brokers: number): number {
  if (name === 'controller') return brokers;
  if (name === 'producer') return brokers + 1;
  const [kind, number] = name.split('-') as [string, string];
  return kind === 'broker' ? Number(number) : brokers + 2 + Number(number);
}

function ms(seconds: number | undefined): number | null {
  return seconds === undefined ? null : seconds * 1000;
}
