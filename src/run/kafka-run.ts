import type { Simulation } from '../engine';
import { KAFKA_DEFAULTS, KafkaSystem } from '../model/kafka/system';
import type { KafkaSpec } from '../scenario';

/** A fault as summary.json reports it. */
export interface FaultRecord {
  atMs: number;
  kind: string;
  target: string;
  endedAtMs: number | null;
}

const us = (seconds: number): number => Math.round(seconds * 1_000_000);
const usFromMs = (milliseconds: number): number => Math.round(milliseconds * 1_000);

/** Builds the Kafka system a scenario's `kafka` section describes and schedules its faults. */
export function buildKafkaSystem(sim: Simulation, spec: KafkaSpec): { system: KafkaSystem; faults: FaultRecord[] } {
  const system = new KafkaSystem(sim, {
    cluster: {
      ...KAFKA_DEFAULTS.cluster,
      brokers: spec.brokers,
      partitions: spec.partitions,
      replicationFactor: spec.replicationFactor,
      minInsyncReplicas: spec.minInsyncReplicas,
      uncleanLeaderElection: spec.uncleanLeaderElection,
      replicaLagTimeMaxUs: usFromMs(spec.replicaLagTimeMaxMs),
    },
    networkLatencyUs: usFromMs(spec.networkLatencyMs),
    producer: {
      ratePerSecond: spec.producer.ratePerSecond,
      keys: spec.producer.keys,
      acks: spec.producer.acks,
      requestTimeoutUs: usFromMs(spec.producer.requestTimeoutMs),
      deliveryTimeoutUs: usFromMs(spec.producer.deliveryTimeoutMs),
      retryBackoffUs: usFromMs(spec.producer.retryBackoffMs),
      stopAtUs: us(spec.producer.stopAtSeconds),
    },
    group: {
      ...KAFKA_DEFAULTS.group,
      consumers: spec.consumers.count,
      maxPollRecords: spec.consumers.maxPollRecords,
      processingSeconds: spec.consumers.processingSeconds,
      commit: spec.consumers.commit,
    },
  });
  const faults: FaultRecord[] = [];
  for (const fault of spec.faults) {
    if (fault.kind === 'consumer-crash') {
      system.crashConsumerAt(us(fault.atSeconds), fault.consumer);
      if (fault.restartAtSeconds !== undefined) system.restartConsumerAt(us(fault.restartAtSeconds), fault.consumer);
      faults.push({ atMs: fault.atSeconds * 1000, kind: fault.kind, target: `consumer-${fault.consumer}`, endedAtMs: ms(fault.restartAtSeconds) });
      continue;
    }
    const target = `broker-${fault.broker}`;
    if (fault.kind === 'broker-crash') {
      system.crashBrokerAt(us(fault.atSeconds), fault.broker);
      if (fault.restartAtSeconds !== undefined) system.restartBrokerAt(us(fault.restartAtSeconds), fault.broker);
      faults.push({ atMs: fault.atSeconds * 1000, kind: fault.kind, target, endedAtMs: ms(fault.restartAtSeconds) });
    } else {
      system.isolateAt(us(fault.atSeconds), fault.broker, true);
      if (fault.untilSeconds !== undefined) system.isolateAt(us(fault.untilSeconds), fault.broker, false);
      faults.push({ atMs: fault.atSeconds * 1000, kind: fault.kind, target, endedAtMs: ms(fault.untilSeconds) });
    }
  }
  faults.sort((a, b) => a.atMs - b.atMs);
  system.start();
  return { system, faults };
}

function ms(seconds: number | undefined): number | null {
  return seconds === undefined ? null : seconds * 1000;
}
