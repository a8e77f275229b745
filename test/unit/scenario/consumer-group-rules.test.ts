import { describe, expect, it } from 'vitest';
import { resolveAssignor } from '../../../src/model/kafka/consumer-group';
import { loadScenario, type ScenarioProblem } from '../../../src/scenario';

/** A Kafka scenario whose consumers section is `consumers` (YAML flow mapping). */
function scenario(consumers: string): string {
  return [
    'version: 1',
    'title: consumer group rules',
    'kafka:',
    '  runSeconds: 10',
    '  producer: { ratePerSecond: 10, stopAtSeconds: 5 }',
    `  consumers: ${consumers}`,
    '',
  ].join('\n');
}

function problems(consumers: string): ScenarioProblem[] {
  const outcome = loadScenario(scenario(consumers), { fileName: 'group.yaml' });
  return outcome.ok ? [] : outcome.problems;
}

describe('kafka.consumers: Kafka\'s group rules as validation errors', () => {
  it('accepts the defaults and a consistent assignor and protocol', () => {
    expect(problems('{ count: 2 }')).toEqual([]);
    expect(problems('{ assignor: cooperative-sticky, rebalance: cooperative }')).toEqual([]);
    expect(problems('{ assignor: sticky, rebalance: eager }')).toEqual([]);
    expect(problems('{ sessionTimeoutMs: 6000, heartbeatIntervalMs: 2000 }')).toEqual([]);
  });

  it('fills Kafka 4\'s defaults', () => {
    const outcome = loadScenario(scenario('{ count: 2 }'), { fileName: 'group.yaml' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.kafka?.consumers).toMatchObject({
      heartbeatIntervalMs: 3_000,
      sessionTimeoutMs: 45_000,
      maxPollIntervalMs: 300_000,
      maxPollRecords: 500,
    });
    // Resolved when the run is built: Kafka's 3,000 ms, or 0 in a sale (kafka-run.ts).
    expect(outcome.scenario.kafka?.consumers.initialRebalanceDelayMs).toBeUndefined();
    expect(outcome.scenario.kafka?.consumers.assignor).toBeUndefined();
  });

  it('rebalance: cooperative with an eager assignor names both fields and the fix', () => {
    const found = problems('{ assignor: range, rebalance: cooperative }');
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe('kafka.consumers.rebalance');
    expect(found[0]!.problem).toContain('kafka.consumers.assignor range');
    expect(found[0]!.hint).toContain('assignor: cooperative-sticky');
    expect(found[0]!.hint).toContain('remove rebalance');
  });

  it('rebalance: eager with cooperative-sticky is refused too', () => {
    const found = problems('{ assignor: cooperative-sticky, rebalance: eager }');
    expect(found.map((p) => p.path)).toEqual(['kafka.consumers.rebalance']);
    expect(found[0]!.hint).toContain('range, roundrobin or sticky');
  });

  it('a session timeout outside group.min/max.session.timeout.ms (6 s to 30 min) is refused', () => {
    for (const value of [5_999, 1_800_001]) {
      const found = problems(`{ sessionTimeoutMs: ${value}, heartbeatIntervalMs: 1000 }`);
      expect(found.map((p) => p.path)).toEqual(['kafka.consumers.sessionTimeoutMs']);
      expect(found[0]!.problem).toContain('group.min.session.timeout.ms');
      expect(found[0]!.hint).toContain('6000 to 1800000');
    }
  });

  it('a heartbeat interval not below the session timeout is refused, also against the default session', () => {
    expect(problems('{ sessionTimeoutMs: 10000, heartbeatIntervalMs: 10000 }').map((p) => p.path)).toEqual(['kafka.consumers.heartbeatIntervalMs']);
    const found = problems('{ heartbeatIntervalMs: 50000 }');
    expect(found.map((p) => p.path)).toEqual(['kafka.consumers.heartbeatIntervalMs']);
    expect(found[0]!.problem).toContain('45000');
  });

  it('rebalance alone picks the assignor; the assignor alone decides the protocol', () => {
    expect(resolveAssignor(undefined, undefined)).toBe('range');
    expect(resolveAssignor(undefined, 'eager')).toBe('range');
    expect(resolveAssignor(undefined, 'cooperative')).toBe('cooperative-sticky');
    expect(resolveAssignor('roundrobin', undefined)).toBe('roundrobin');
  });
});
