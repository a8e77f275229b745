import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario';

/** The power-failure fault and the ELR / flush settings in scenario files (schema.ts, rules.ts). */
const kafka = (...lines: string[]): string =>
  ['version: 1', 'title: t', 'kafka:', '  runSeconds: 10', '  producer: { ratePerSecond: 10, stopAtSeconds: 5 }', ...lines, ''].join('\n');

describe('power-failure faults, eligibleLeaderReplicas and flushIntervalMessages', () => {
  it('defaults: ELR off (Kafka 4.0), no flush setting, a power failure hits all brokers', () => {
    const outcome = loadScenario(kafka('  faults:', '    - { kind: power-failure, atSeconds: 3, restartAtSeconds: 5 }'), { fileName: 'k.yaml' });
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.kafka?.eligibleLeaderReplicas).toBe(false);
    expect(outcome.scenario.kafka?.flushIntervalMessages).toBeUndefined();
    expect(outcome.scenario.kafka?.faults).toEqual([{ kind: 'power-failure', brokers: 'all', atSeconds: 3, restartAtSeconds: 5 }]);
  });

  it('accepts a list of brokers, ELR on and an fsync per message', () => {
    const outcome = loadScenario(
      kafka('  eligibleLeaderReplicas: true', '  flushIntervalMessages: 1', '  faults:', '    - { kind: power-failure, brokers: [0, 2], atSeconds: 3 }'),
      { fileName: 'k.yaml' },
    );
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.kafka).toMatchObject({ eligibleLeaderReplicas: true, flushIntervalMessages: 1, faults: [{ brokers: [0, 2] }] });
  });

  it('rejects brokers that do not exist or are listed twice, a restart before the failure, and a flush interval of 0', () => {
    const outcome = loadScenario(
      kafka('  flushIntervalMessages: 0', '  faults:', '    - { kind: power-failure, brokers: [1, 3, 1], atSeconds: 3, restartAtSeconds: 2 }'),
      { fileName: 'k.yaml' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => p.path).sort()).toEqual(
      ['kafka.faults[0].brokers[1]', 'kafka.faults[0].brokers[2]', 'kafka.faults[0].restartAtSeconds', 'kafka.flushIntervalMessages'].sort(),
    );
    expect(outcome.problems.find((p) => p.path === 'kafka.faults[0].brokers[1]')?.problem).toBe('broker 3 does not exist');
    expect(outcome.problems.find((p) => p.path === 'kafka.faults[0].brokers[2]')?.problem).toBe('broker 1 is listed twice');
  });

  it('rejects an empty broker list', () => {
    const outcome = loadScenario(kafka('  faults:', '    - { kind: power-failure, brokers: [], atSeconds: 3 }'), { fileName: 'k.yaml' });
    expect(outcome.ok).toBe(false);
  });
});
