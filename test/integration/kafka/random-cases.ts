import type { RandomStream } from '../../../src/engine';
import { kafkaSystem, outcome, seconds, type Overrides } from './harness';

/**
 * Random small clusters with random fault schedules, shared by the random-fault property test
 * and the settling test. `extended` adds what the property test leaves out: power failures
 * (page-cache loss), eligible leader replicas, further reading groups and a buffer.memory of a
 * few batches.
 */
export interface RandomCase {
  overrides: Overrides;
  faults: { kind: 'crash' | 'isolate' | 'consumer' | 'power'; node: number; fromS: number; toS: number }[];
  nodes: number;
}

export function randomCase(random: RandomStream, extended = false): RandomCase {
  const brokers = 1 + random.nextInt(4);
  const replicationFactor = 1 + random.nextInt(Math.min(3, brokers));
  const consumers = 1 + random.nextInt(3);
  const acks = ([0, 1, 'all'] as const)[random.nextInt(3)]!;
  const overrides: Overrides = {
    cluster: {
      brokers,
      partitions: 1 + random.nextInt(4),
      replicationFactor,
      minInsyncReplicas: 1 + random.nextInt(replicationFactor),
      uncleanLeaderElection: random.nextInt(2) === 1,
    },
    producer: { acks, ratePerSecond: 5 + random.nextInt(30), keys: 1 + random.nextInt(100), stopAtUs: seconds(60) },
    group: {
      consumers,
      commit: random.nextInt(2) === 0 ? 'after-processing' : 'before-processing',
      processingSeconds: { kind: 'exponential', mean: 0.001 + random.nextFloat() * 0.01 },
    },
    networkLatencyUs: random.nextInt(5_000),
  };
  if (extended) {
    overrides.cluster!.eligibleLeaderReplicas = random.nextInt(2) === 1;
    overrides.readerGroups = random.nextInt(2);
    // A buffer.memory of a few batches: sends block, time out and wake the driver for every arrival.
    if (random.nextInt(3) === 0) overrides.producer!.bufferMemoryBytes = (1 + random.nextInt(6)) * 16_384;
  }
  const faults: RandomCase['faults'] = [];
  const nodes = brokers + 2 + consumers;
  for (let f = random.nextInt(5); f > 0; f--) {
    const fromS = 1 + random.nextInt(60);
    const toS = fromS + 1 + random.nextInt(180); // some outlast delivery.timeout.ms (120 s)
    const kind = random.nextInt(extended ? 4 : 3);
    if (kind === 0) faults.push({ kind: 'crash', node: random.nextInt(brokers), fromS, toS });
    else if (kind === 1) faults.push({ kind: 'isolate', node: random.nextInt(nodes), fromS, toS });
    else if (kind === 2) faults.push({ kind: 'consumer', node: random.nextInt(consumers), fromS, toS });
    else faults.push({ kind: 'power', node: random.nextInt(brokers), fromS, toS });
  }
  return { overrides, faults, nodes };
}

/** Runs a case for 500 s (every fault healed at 250 s); `prepare` may adjust the system before it starts. */
export function runCase(testCase: RandomCase, seed: number, prepare: (system: ReturnType<typeof kafkaSystem>['system']) => void = () => undefined) {
  const { sim, system } = kafkaSystem(seed, testCase.overrides);
  for (const fault of testCase.faults) {
    if (fault.kind === 'crash') {
      system.crashBrokerAt(seconds(fault.fromS), fault.node);
      system.restartBrokerAt(seconds(fault.toS), fault.node);
    } else if (fault.kind === 'power') {
      system.powerFailureAt(seconds(fault.fromS), [fault.node]);
      system.restartBrokerAt(seconds(fault.toS), fault.node);
    } else if (fault.kind === 'consumer') {
      system.crashConsumerAt(seconds(fault.fromS), fault.node);
      system.restartConsumerAt(seconds(fault.toS), fault.node);
    } else {
      system.isolateAt(seconds(fault.fromS), fault.node, true);
      system.isolateAt(seconds(fault.toS), fault.node, false);
    }
  }
  // Overlapping cuts heal each other's links early; reconnect everything before draining.
  system.healAllAt(seconds(250));
  system.isolationPeers = (node) => Array.from({ length: testCase.nodes }, (_, n) => n).filter((n) => n !== node);
  prepare(system);
  system.start();
  sim.run({ untilUs: seconds(500) });
  return { hash: sim.traceHash(), events: sim.eventsProcessed, result: outcome(system), system };
}
