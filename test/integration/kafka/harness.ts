import { Simulation } from '../../../src/engine';
import { KAFKA_DEFAULTS, KafkaSystem, type KafkaSystemOptions } from '../../../src/model/kafka/system';

export interface Overrides {
  cluster?: Partial<KafkaSystemOptions['cluster']>;
  producer?: Partial<KafkaSystemOptions['producer']>;
  group?: Partial<KafkaSystemOptions['group']>;
  networkLatencyUs?: number;
  readerGroups?: number;
  ledgerWindow?: number;
}

export function kafkaSystem(seed: number, overrides: Overrides = {}): { sim: Simulation; system: KafkaSystem } {
  const sim = new Simulation(seed);
  const options: KafkaSystemOptions = {
    cluster: { ...KAFKA_DEFAULTS.cluster, ...overrides.cluster },
    producer: { ...KAFKA_DEFAULTS.producer, ...overrides.producer },
    group: { ...KAFKA_DEFAULTS.group, ...overrides.group },
    networkLatencyUs: overrides.networkLatencyUs ?? KAFKA_DEFAULTS.networkLatencyUs,
    readerGroups: overrides.readerGroups,
    ledgerWindow: overrides.ledgerWindow,
  };
  return { sim, system: new KafkaSystem(sim, options) };
}

export const seconds = (value: number): number => Math.round(value * 1_000_000);

/**
 * Messages the application created in [fromUs, toUs): the tests' expected counts come from
 * these, never from the model's loss logic. It reads every message's creation time, so the
 * run must not have settled any (fewer messages than the ledger's window).
 */
export function createdBetween(system: KafkaSystem, fromUs: number, toUs: number): number {
  let count = 0;
  for (let id = 0; id < system.ledger.produced; id++) {
    const created = system.ledger.createdAtUs(id);
    if (created >= fromUs && created < toUs) count++;
  }
  return count;
}

/** The ledger's figures, for assertions and failure messages. */
export function outcome(system: KafkaSystem) {
  const ledger = system.ledger;
  return {
    ...ledger.totals(),
    truncatedAfterRead: ledger.truncatedAfterRead,
    elections: system.cluster.leaderElections,
    uncleanElections: system.cluster.uncleanElections,
    audit: system.audit(),
  };
}
