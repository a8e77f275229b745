import { z } from 'zod';
import { brokerDefaults, consumerDefaults, controllerDefaults, producerDefaults, topicDefaults } from '../model/kafka/defaults';
import { HARDWARE_PRESET_NAMES } from '../model/kafka/hardware-presets';
import { expectSchema, sloSchema } from './expect-schema';
import { saleSchema } from './sale-schema';

/**
 * The scenario file format, version 1. One zod schema is the source of the TypeScript types,
 * of validation (every problem at once, each with its path) and of the JSON Schema shipped in
 * simulations/scenario.schema.json for editors. Units are in the field names.
 *
 * Today a scenario describes a queueing station (the teaching models of queueing theory);
 * cluster, workloads, faults and expectations join as further top-level sections.
 */
export const SCENARIO_VERSION = 1;

const positive = (what: string) => z.number().positive().describe(what);

export const distributionSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), value: z.number().min(0).describe('the fixed value') }),
    z.strictObject({
      kind: z.literal('uniform'),
      min: z.number().min(0).describe('the smallest value'),
      max: z.number().min(0).describe('the largest value, at least min'),
    }),
    z.strictObject({ kind: z.literal('exponential'), mean: positive('the mean, in the unit the field name gives') }),
    z.strictObject({ kind: z.literal('normal'), mean: z.number(), sd: z.number().min(0).describe('standard deviation') }),
    z.strictObject({
      kind: z.literal('lognormal'),
      mean: positive('mean of the variable itself'),
      sd: z.number().min(0).describe('standard deviation of the variable itself'),
    }),
    z.strictObject({
      kind: z.literal('pareto'),
      scale: positive('the minimum value x_m'),
      shape: positive('the tail index alpha; the mean is finite for alpha > 1'),
    }),
    z.strictObject({
      kind: z.literal('empirical'),
      points: z
        .array(
          z.tuple([
            z.number().describe('a value'),
            z.number().min(0).max(1).describe('the probability of a value at most this one'),
          ]),
        )
        .min(2)
        .describe('[value, cumulative probability] pairs from probability 0 to 1, interpolated linearly'),
    }),
  ])
  .describe('a probability distribution, chosen by "kind"');

export const queueSchema = z
  .strictObject({
    servers: z.int().min(1).max(100_000).default(1).describe('number of parallel servers c'),
    arrivalRatePerSecond: positive('mean Poisson arrival rate λ, customers per second'),
    serviceSeconds: distributionSchema.describe('service time of one customer, in seconds'),
    customers: z
      .int()
      .min(1_000)
      .max(1_000_000_000)
      .describe('measured customers after the warm-up, rounded down to a multiple of batches'),
    warmupCustomers: z.int().min(0).default(10_000).describe('customers served before measuring starts'),
    batches: z.int().min(2).max(1_000).default(20).describe('batches for the batch-means confidence intervals'),
  })
  .describe('an M/G/c queueing station: Poisson arrivals, c servers, FIFO, unlimited waiting room');

const brokerId = z.int().min(0).describe('broker number, from 0');
const nodeName = z
  .string()
  .regex(/^(broker-\d+|consumer-\d+|controller|producer)$/, 'must be broker-N, consumer-N, controller or producer')
  .describe('a node: broker-N, consumer-N (from 0), controller or producer');

export const faultSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('broker-crash'),
      broker: brokerId,
      atSeconds: z.number().describe('when the process dies, seconds (on the sale clock in a sale scenario)'),
      restartAtSeconds: z.number().optional().describe('when it starts again; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('isolate-broker'),
      broker: brokerId,
      atSeconds: z.number().describe('when its links to the other brokers are cut'),
      untilSeconds: z.number().optional().describe('when they come back; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('consumer-crash'),
      consumer: z.int().min(0).describe('consumer number in the group, from 0'),
      atSeconds: z.number().describe('when the consumer process dies'),
      restartAtSeconds: z.number().optional().describe('when it starts again from the committed offsets; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('network-partition'),
      sideA: z.array(nodeName).min(1).describe('nodes on one side of the cut'),
      sideB: z.array(nodeName).min(1).describe('nodes on the other side; every link between the sides is cut'),
      atSeconds: z.number().describe('when the network splits'),
      untilSeconds: z.number().optional().describe('when it heals; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('slow-link'),
      between: z.tuple([nodeName, nodeName]).describe('the two nodes whose link slows down (both directions)'),
      latencyMs: z.number().min(0).describe('one-way latency while slow, milliseconds'),
      atSeconds: z.number().describe('when the link slows down'),
      untilSeconds: z.number().optional().describe('when it is back to kafka.networkLatencyMs; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('lossy-link'),
      between: z.tuple([nodeName, nodeName]).describe('the two nodes whose link loses packets (both directions)'),
      lossPercent: z.number().min(0).max(99).describe('packets lost, percent; TCP resends each after 200 ms, doubling'),
      atSeconds: z.number().describe('when the link starts losing packets'),
      untilSeconds: z.number().optional().describe('when it is clean again; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('slow-disk'),
      broker: brokerId,
      factor: z.number().min(1).describe('how many times slower the disk writes (needs kafka.brokerResources.diskMBps)'),
      atSeconds: z.number().describe('when the disk slows down'),
      untilSeconds: z.number().optional().describe('when it is back to normal; never if absent'),
    }),
    z.strictObject({
      kind: z.literal('power-failure'),
      brokers: z
        .union([z.array(brokerId).min(1), z.literal('all')])
        .default('all')
        .describe('the brokers that lose power: a list of broker numbers, or all (the default: a data-centre-wide outage)'),
      atSeconds: z.number().describe('when the power goes: the processes die and their page cache is lost'),
      restartAtSeconds: z
        .number()
        .optional()
        .describe('when they start again; each log is recovered to what was on disk (written 30 s before the last 5 s writeback pass, or fsynced by kafka.flushIntervalMessages); never if absent'),
    }),
    z.strictObject({
      kind: z.literal('pause'),
      node: nodeName.describe('the paused process: broker-N or consumer-N'),
      atSeconds: z.number().describe('when the process stops answering (a long GC or VM stall)'),
      seconds: z.number().positive().describe('how long it stays silent: nothing in or out'),
    }),
  ])
  .describe('a fault at a time: broker-crash, isolate-broker, consumer-crash, network-partition, slow-link, lossy-link, slow-disk, power-failure or pause');

export const kafkaSchema = z
  .strictObject({
    brokers: z.int().min(1).max(64).default(3).describe('number of brokers'),
    partitions: z.int().min(1).max(4_096).default(1).describe('partitions of the topic'),
    replicationFactor: z.int().min(1).max(64).default(3).describe('replicas per partition, at most the number of brokers'),
    racks: z
      .union([
        z.int().min(1).max(64),
        z.array(z.string().min(1)).min(1),
      ])
      .optional()
      .describe(
        'broker.rack: a number R spreads the brokers over racks rack-0 to rack-(R-1), broker b in rack b mod R; or a list of rack names, one per broker in broker order (e.g. [a, a, b, b, c, c]). With racks, replicas are placed as Kafka\'s rack-aware assignment does (AdminUtils), each partition on as many racks as it has replicas where possible; absent: round-robin without racks',
      ),
    minInsyncReplicas: z.int().min(1).default(topicDefaults.minInsyncReplicas).describe('min.insync.replicas: ISR size acks=all needs'),
    uncleanLeaderElection: z.boolean().default(topicDefaults.uncleanLeaderElectionEnable).describe('unclean.leader.election.enable'),
    eligibleLeaderReplicas: z
      .boolean()
      .default(controllerDefaults.eligibleLeaderReplicasEnable)
      .describe(
        'eligible leader replicas (KIP-966, eligible.leader.replicas.version=1): the high watermark stays put while the ISR is below minInsyncReplicas, and replicas that leave the ISR then stay electable. Off by default, as in Kafka 4.0; new clusters have it on from Kafka 4.1',
      ),
    autoLeaderRebalance: z
      .boolean()
      .default(brokerDefaults.autoLeaderRebalanceEnable)
      .describe(
        'auto.leader.rebalance.enable: the controller moves leadership back to each partition\'s preferred replica (the first in its replica list) once it is back in the ISR, at a leader-imbalance check (Kafka\'s default: true)',
      ),
    leaderImbalanceCheckIntervalSeconds: z
      .number()
      .positive()
      .default(brokerDefaults.leaderImbalanceCheckIntervalSeconds)
      .describe(
        'leader.imbalance.check.interval.seconds: the controller checks this long after a change left a partition without its preferred leader, and again every interval while one remains (default 300)',
      ),
    flushIntervalMessages: z
      .int()
      .min(1)
      .optional()
      .describe('log.flush.interval.messages: Kafka fsyncs each log after this many messages (1: every write is on disk before it is acknowledged); absent: never (Kafka\'s default, Long.MAX), the OS writes the page cache back'),
    replicaLagTimeMaxMs: z.number().positive().default(brokerDefaults.replicaLagTimeMaxMs).describe('replica.lag.time.max.ms'),
    networkLatencyMs: z.number().min(0).default(0.5).describe('one-way latency of every link, milliseconds'),
    networkJitterMs: distributionSchema
      .optional()
      .describe('extra delay of each message on every link, milliseconds, drawn from this distribution (e.g. { kind: exponential, mean: 0.2 }); messages on one link stay in order, as over TCP'),
    runSeconds: z.number().positive().max(86_400).optional().describe('simulated time to run, seconds (required without a sale section, which sets it)'),
    producer: z.strictObject({
      ratePerSecond: positive('messages per second (Poisson; required without a sale section, where the traffic sets it)').optional(),
      keys: z.int().min(1).default(1_000).describe('distinct message keys; the key decides the partition'),
      acks: z.literal([0, 1, 'all']).default('all').describe('acks: 0, 1 or all'),
      idempotence: z
        .boolean()
        .optional()
        .describe('enable.idempotence: the leader refuses second copies of a retried write; on by default with acks=all, off otherwise (Kafka 4)'),
      stopAtSeconds: z.number().positive().optional().describe('when the application stops sending, seconds (required without a sale section)'),
      requestTimeoutMs: z.number().positive().default(producerDefaults.requestTimeoutMs).describe('request.timeout.ms'),
      deliveryTimeoutMs: z
        .number()
        .positive()
        .optional()
        .describe(`delivery.timeout.ms: from send() to success or error (default ${producerDefaults.deliveryTimeoutMs}, raised to linger.ms + request.timeout.ms when they add up to more, as Kafka does)`),
      retryBackoffMs: z.number().min(0).default(producerDefaults.retryBackoffMs).describe('retry.backoff.ms: the first retry waits this long'),
      retryBackoffMaxMs: z
        .number()
        .min(0)
        .default(producerDefaults.retryBackoffMaxMs)
        .describe('retry.backoff.max.ms: each further retry waits twice as long, up to this, with ±20 % jitter (KIP-580)'),
      lingerMs: z.number().min(0).default(producerDefaults.lingerMs).describe('linger.ms: how long a batch waits for more records before it is sent (Kafka 4: 5)'),
      batchSizeBytes: z
        .int()
        .min(0)
        .default(producerDefaults.batchSizeBytes)
        .describe('batch.size: records per partition collect in a batch up to this many bytes; 0 sends one record per batch'),
      maxInFlightRequestsPerConnection: z
        .int()
        .min(1)
        .default(producerDefaults.maxInFlightRequestsPerConnection)
        .describe('max.in.flight.requests.per.connection: unanswered produce requests per broker (at most 5 with idempotence)'),
      bufferMemoryBytes: z
        .int()
        .min(1)
        .default(producerDefaults.bufferMemoryBytes)
        .describe('buffer.memory: bytes of batches the producer may hold unacknowledged; send() blocks when they are used up'),
      maxBlockMs: z.number().min(0).default(producerDefaults.maxBlockMs).describe('max.block.ms: how long send() blocks on a full buffer before it fails'),
    }).prefault({}),
    consumers: z
      .strictObject({
        count: z.int().min(1).max(4_096).default(1).describe('consumers in the group'),
        groups: z
          .int()
          .min(1)
          .max(16)
          .default(1)
          .describe('consumer groups reading the topic, each with these settings; the first one is the accounted group (deliveries, faults, the live view), the others fan out with their own lag'),
        maxPollRecords: z.int().min(1).default(consumerDefaults.maxPollRecords).describe('max.poll.records'),
        processingSeconds: distributionSchema.default({ kind: 'constant', value: 0 }).describe('processing time of one record, seconds'),
        commit: z
          .enum(['after-processing', 'before-processing', 'auto'])
          .default('after-processing')
          .describe(
            'commit offsets after processing each poll (at-least-once), before processing (at-most-once), or auto: every auto.commit.interval.ms at a poll (Kafka\'s default; at-least-once, up to one interval re-read after a crash)',
          ),
        autoCommitIntervalMs: z.number().positive().default(consumerDefaults.autoCommitIntervalMs).describe('auto.commit.interval.ms, for commit: auto'),
        assignor: z
          .enum(['range', 'roundrobin', 'sticky', 'cooperative-sticky'])
          .optional()
          .describe(
            'partition.assignment.strategy: range (Kafka 4\'s default, the first of [range, cooperative-sticky]), roundrobin or sticky rebalance eagerly; cooperative-sticky incrementally (KIP-429). Default: range, or cooperative-sticky with rebalance: cooperative',
          ),
        rebalance: z
          .enum(['eager', 'cooperative'])
          .optional()
          .describe('the rebalance protocol, which the assignor implies: eager stops every partition, cooperative only those that move (KIP-429). Setting it alone picks range (eager) or cooperative-sticky; with an assignor it must agree'),
        rebalancePauseMs: z
          .number()
          .min(0)
          .default(3_000)
          .describe('how long a rebalance lasts at least while members notice it and rejoin, milliseconds (default 3,000, one heartbeat interval)'),
        heartbeatIntervalMs: z.number().positive().default(consumerDefaults.heartbeatIntervalMs).describe('heartbeat.interval.ms: how often a member heartbeats to the group coordinator (default 3,000)'),
        sessionTimeoutMs: z
          .number()
          .positive()
          .default(consumerDefaults.sessionTimeoutMs)
          .describe('session.timeout.ms: the coordinator removes a member silent this long (Kafka 4: 45,000; the broker accepts 6,000 to 1,800,000)'),
        maxPollIntervalMs: z
          .number()
          .positive()
          .default(consumerDefaults.maxPollIntervalMs)
          .describe('max.poll.interval.ms: a consumer whose processing of one poll takes longer leaves the group (default 300,000)'),
        initialRebalanceDelayMs: z
          .number()
          .min(0)
          .optional()
          .describe(
            `group.initial.rebalance.delay.ms (a broker setting): the first rebalance of an empty group waits this long, so consumers start after it (default ${brokerDefaults.groupInitialRebalanceDelayMs}; in a sale 0, because the stock service is already running when the clip starts)`,
          ),
        scaling: z
          .strictObject({
            max: z.int().min(1).max(4_096).describe('the most consumers the group may have'),
            scaleAt: z
              .array(z.strictObject({ atSeconds: z.number().describe('when'), count: z.int().min(1).describe('consumers from then on') }))
              .default([])
              .describe('planned scaling, e.g. pre-scaling before midnight'),
            onLag: z
              .strictObject({
                above: z.number().positive().describe('consumer lag, messages, that calls for more consumers'),
                forSeconds: z.number().min(0).default(5).describe('how long the lag must stay above before scaling (default 5)'),
                step: z.int().min(1).default(1).describe('consumers added per scale-out (default 1)'),
              })
              .optional()
              .describe('scale out while the lag stays high, one step at a time, up to max'),
          })
          .optional()
          .describe('scaling the group during the run; each change is a rebalance'),
      })
      .prefault({}),
    messageBytes: z.int().min(1).max(10_000_000).default(1_024).describe('size of one message on the wire and on disk, bytes (default 1,024)'),
    brokerResources: z
      .strictObject({
        requestCpuMicros: z.number().min(0).default(0).describe('CPU time per write request, microseconds'),
        cpuNanosPerByte: z.number().min(0).default(0).describe('CPU time per byte written, nanoseconds'),
        diskMBps: z.number().positive().optional().describe('disk write throughput, MB/s (10^6 bytes); free if absent'),
        nicMBps: z.number().positive().optional().describe('NIC bandwidth of every node (brokers and clients), MB/s; no limit if absent'),
        clientNicMBps: z
          .number()
          .positive()
          .optional()
          .describe('NIC bandwidth of the producer node, MB/s, which stands for all of a benchmark\'s producer machines (give their sum); nicMBps if absent'),
      })
      .optional()
      .describe('what a write costs a broker: each broker serves writes one at a time, so a busy or slow broker queues them; none if absent'),
    hardware: z
      .enum(HARDWARE_PRESET_NAMES)
      .optional()
      .describe(
        'a calibrated hardware preset: i3en.2xlarge-25g (Confluent 2020: 3 × i3en.2xlarge, 25 Gbit/s) or linkedin-2014-1gbe (LinkedIn 2014: 3 cheap machines, 1 GbE). It fills brokerResources and networkLatencyMs; any of those fields the scenario sets itself wins (docs/model.md, "Hardware presets and calibration")',
      ),
    faults: z.array(faultSchema).default([]).describe('faults to inject, in any order'),
  })
  .describe('a Kafka 4 cluster with one topic, one producer and one consumer group (defaults are Kafka\'s)');

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('path of the JSON Schema, for editors'),
    version: z.literal(SCENARIO_VERSION).describe(`scenario file format version; this QueueLab reads version ${SCENARIO_VERSION}`),
    title: z.string().min(1).describe('short title shown in reports and the app'),
    description: z.string().default('').describe('what the scenario teaches and what to look at'),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(1).describe('run seed; same seed, same run'),
    queue: queueSchema.optional(),
    kafka: kafkaSchema.optional(),
    sale: saleSchema.optional(),
    expect: expectSchema.optional(),
    slo: z.array(sloSchema).default([]).describe('service-level objectives checked per time bucket'),
  })
  .describe('A QueueLab scenario: a queue or a kafka section, and a sale on the kafka cluster');

export type DistributionSpecInput = z.input<typeof distributionSchema>;
export type QueueSpec = z.output<typeof queueSchema>;
export type KafkaSpec = z.output<typeof kafkaSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type { SaleSpec } from './sale-schema';
export type { ExpectSpec, SloSpec } from './expect-schema';

export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}
