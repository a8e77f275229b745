import { describe, expect, it } from 'vitest';
import {
  brokerDefaults,
  consumerDefaults,
  controllerDefaults,
  producerDefaults,
  topicDefaults,
  validateProducerConfig,
  type ConfigProblem,
  type ProducerConfigInput,
  type ProducerConfigResult,
} from '../../../src/model/kafka/defaults';

function problemsOf(result: ProducerConfigResult): ConfigProblem[] {
  if (result.ok) throw new Error(`expected problems, got ok: ${JSON.stringify(result.effective)}`);
  return result.problems;
}

function okOf(result: ProducerConfigResult): Extract<ProducerConfigResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.problems)}`);
  return result;
}

describe('defaults', () => {
  it('holds the Kafka 4.0 values the reference lists', () => {
    expect(brokerDefaults.replicaLagTimeMaxMs).toBe(30_000);
    expect(brokerDefaults.replicaFetchMaxBytes).toBe(1024 * 1024);
    expect(brokerDefaults.replicaFetchResponseMaxBytes).toBe(10 * 1024 * 1024);
    expect(brokerDefaults.brokerSessionTimeoutMs).toBe(9_000);
    expect(topicDefaults.minInsyncReplicas).toBe(1);
    expect(topicDefaults.uncleanLeaderElectionEnable).toBe(false);
    expect(controllerDefaults.eligibleLeaderReplicasEnable).toBe(false);
    expect(producerDefaults.lingerMs).toBe(5);
    expect(producerDefaults.acks).toBe('all');
    expect(producerDefaults.retries).toBe(Number.MAX_SAFE_INTEGER);
    expect(producerDefaults.bufferMemoryBytes).toBe(32 * 1024 * 1024);
    expect(consumerDefaults.sessionTimeoutMs).toBe(45_000);
    expect(consumerDefaults.partitionAssignmentStrategy).toEqual(['range', 'cooperative-sticky']);
  });

  it('keeps the documented timing relations between the defaults', () => {
    // request.timeout.ms "should be larger than replica.lag.time.max.ms" (ProducerConfig doc).
    expect(producerDefaults.requestTimeoutMs).toBeGreaterThanOrEqual(brokerDefaults.replicaLagTimeMaxMs);
    expect(brokerDefaults.replicaFetchWaitMaxMs).toBeLessThan(brokerDefaults.replicaLagTimeMaxMs);
    expect(consumerDefaults.heartbeatIntervalMs).toBeLessThan(consumerDefaults.sessionTimeoutMs);
    expect(consumerDefaults.sessionTimeoutMs).toBeGreaterThanOrEqual(brokerDefaults.groupMinSessionTimeoutMs);
    expect(consumerDefaults.sessionTimeoutMs).toBeLessThanOrEqual(brokerDefaults.groupMaxSessionTimeoutMs);
    expect(brokerDefaults.brokerHeartbeatIntervalMs).toBeLessThan(brokerDefaults.brokerSessionTimeoutMs);
  });
});

describe('validateProducerConfig', () => {
  it('accepts the defaults unchanged, with no adjustments', () => {
    const result = okOf(validateProducerConfig());
    expect(result.effective).toEqual({ ...producerDefaults });
    expect(result.adjustments).toEqual([]);
    expect(okOf(validateProducerConfig({})).effective.enableIdempotence).toBe(true);
  });

  it('does not alias the exported defaults', () => {
    const result = okOf(validateProducerConfig());
    result.effective.lingerMs = 99;
    expect(producerDefaults.lingerMs).toBe(5);
  });

  it('normalizes acks: "all", "-1" and -1 are all; 1 and "1" are 1; 0 and "0" are 0', () => {
    for (const acks of ['all', '-1', -1] as const) expect(okOf(validateProducerConfig({ acks })).effective.acks).toBe('all');
    for (const acks of [1, '1'] as const) {
      expect(okOf(validateProducerConfig({ acks, enableIdempotence: false })).effective.acks).toBe('1');
    }
    for (const acks of [0, '0'] as const) {
      expect(okOf(validateProducerConfig({ acks, enableIdempotence: false })).effective.acks).toBe('0');
    }
  });

  describe('idempotence not set explicitly: conflicts disable it silently', () => {
    it('acks=1 disables idempotence and says why', () => {
      const result = okOf(validateProducerConfig({ acks: '1' }));
      expect(result.effective.enableIdempotence).toBe(false);
      expect(result.effective.acks).toBe('1');
      expect(result.adjustments).toHaveLength(1);
      expect(result.adjustments[0]).toMatchObject({ field: 'enableIdempotence', configName: 'enable.idempotence', from: true, to: false });
      expect(result.adjustments[0]!.reason).toContain('acks=1');
    });

    it('acks=0 disables idempotence', () => {
      expect(okOf(validateProducerConfig({ acks: 0 })).effective.enableIdempotence).toBe(false);
    });

    it('retries=0 disables idempotence', () => {
      const result = okOf(validateProducerConfig({ retries: 0 }));
      expect(result.effective.enableIdempotence).toBe(false);
      expect(result.effective.retries).toBe(0);
      expect(result.adjustments[0]!.reason).toContain('retries=0');
    });

    it('acks=1 and retries=0 together give one adjustment naming both', () => {
      const result = okOf(validateProducerConfig({ acks: '1', retries: 0 }));
      expect(result.effective.enableIdempotence).toBe(false);
      expect(result.adjustments).toHaveLength(1);
      expect(result.adjustments[0]!.reason).toMatch(/retries=0.*acks=1/);
    });

    it('max.in.flight up to 5 keeps idempotence on', () => {
      for (const n of [1, 2, 5]) {
        const result = okOf(validateProducerConfig({ maxInFlightRequestsPerConnection: n }));
        expect(result.effective.enableIdempotence).toBe(true);
        expect(result.effective.maxInFlightRequestsPerConnection).toBe(n);
      }
    });

    it('max.in.flight > 5 is an error in Kafka 4.x even when idempotence is only on by default', () => {
      const problems = problemsOf(validateProducerConfig({ maxInFlightRequestsPerConnection: 6 }));
      expect(problems).toHaveLength(1);
      expect(problems[0]!.field).toBe('maxInFlightRequestsPerConnection');
      expect(problems[0]!.configName).toBe('max.in.flight.requests.per.connection');
      expect(problems[0]!.problem).toContain('max.in.flight.requests.per.connection=6');
      expect(problems[0]!.hint).toContain('enable.idempotence=false');
    });

    it('max.in.flight > 5 stays an error even with acks=1 unless idempotence is disabled explicitly (4.x order of checks)', () => {
      expect(problemsOf(validateProducerConfig({ acks: '1', maxInFlightRequestsPerConnection: 10 }))[0]!.field).toBe(
        'maxInFlightRequestsPerConnection',
      );
      const result = okOf(validateProducerConfig({ acks: '1', maxInFlightRequestsPerConnection: 10, enableIdempotence: false }));
      expect(result.effective.maxInFlightRequestsPerConnection).toBe(10);
      expect(result.adjustments).toEqual([]);
    });
  });

  describe('idempotence set explicitly to true: conflicts are errors naming the field and the fix', () => {
    it('acks=1', () => {
      const problems = problemsOf(validateProducerConfig({ enableIdempotence: true, acks: 1 }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ field: 'acks', configName: 'acks' });
      expect(problems[0]!.problem).toContain('acks=1');
      expect(problems[0]!.hint).toMatch(/acks=all/);
      expect(problems[0]!.hint).toMatch(/enable\.idempotence=false/);
    });

    it('retries=0', () => {
      const problems = problemsOf(validateProducerConfig({ enableIdempotence: true, retries: 0 }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ field: 'retries', configName: 'retries' });
      expect(problems[0]!.hint).toMatch(/retries/);
    });

    it('max.in.flight=6', () => {
      const problems = problemsOf(validateProducerConfig({ enableIdempotence: true, maxInFlightRequestsPerConnection: 6 }));
      expect(problems).toHaveLength(1);
      expect(problems[0]!.field).toBe('maxInFlightRequestsPerConnection');
      expect(problems[0]!.hint).toContain('5 or less');
    });

    it('reports every conflicting field at once', () => {
      const problems = problemsOf(
        validateProducerConfig({ enableIdempotence: true, acks: '0', retries: 0, maxInFlightRequestsPerConnection: 8 }),
      );
      expect(problems.map((p) => p.field).sort()).toEqual(['acks', 'maxInFlightRequestsPerConnection', 'retries']);
    });

    it('a compatible explicit configuration is fine', () => {
      const result = okOf(validateProducerConfig({ enableIdempotence: true, acks: 'all', retries: 3, maxInFlightRequestsPerConnection: 5 }));
      expect(result.effective.enableIdempotence).toBe(true);
      expect(result.adjustments).toEqual([]);
    });
  });

  it('idempotence set explicitly to false allows any acks, retries and in-flight count', () => {
    const result = okOf(validateProducerConfig({ enableIdempotence: false, acks: '1', retries: 0, maxInFlightRequestsPerConnection: 50 }));
    expect(result.effective).toMatchObject({ enableIdempotence: false, acks: '1', retries: 0, maxInFlightRequestsPerConnection: 50 });
    expect(result.adjustments).toEqual([]);
  });

  describe('transactional.id', () => {
    it('is accepted with idempotence on', () => {
      expect(okOf(validateProducerConfig({ transactionalId: 'checkout-1' })).effective.transactionalId).toBe('checkout-1');
    });

    it('is an error when idempotence ends up disabled, explicitly or silently', () => {
      expect(problemsOf(validateProducerConfig({ transactionalId: 'tx', enableIdempotence: false }))[0]!.field).toBe('transactionalId');
      expect(problemsOf(validateProducerConfig({ transactionalId: 'tx', acks: '1' }))[0]!.field).toBe('transactionalId');
    });

    it('must not be empty', () => {
      expect(problemsOf(validateProducerConfig({ transactionalId: '' }))[0]!.problem).toContain('empty');
    });
  });

  describe('delivery.timeout.ms >= linger.ms + request.timeout.ms', () => {
    it('accepts equality', () => {
      const result = okOf(validateProducerConfig({ deliveryTimeoutMs: 30_005, lingerMs: 5, requestTimeoutMs: 30_000 }));
      expect(result.effective.deliveryTimeoutMs).toBe(30_005);
    });

    it('explicitly too low: an error naming delivery.timeout.ms with the required minimum', () => {
      const problems = problemsOf(validateProducerConfig({ deliveryTimeoutMs: 30_000 }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ field: 'deliveryTimeoutMs', configName: 'delivery.timeout.ms' });
      expect(problems[0]!.problem).toContain('30005');
      expect(problems[0]!.hint).toContain('at least 30005');
    });

    it('left at the default while request.timeout.ms was raised: the default is raised to the sum', () => {
      const result = okOf(validateProducerConfig({ requestTimeoutMs: 200_000, lingerMs: 50 }));
      expect(result.effective.deliveryTimeoutMs).toBe(200_050);
      expect(result.adjustments).toEqual([
        expect.objectContaining({ field: 'deliveryTimeoutMs', from: 120_000, to: 200_050 }),
      ]);
    });

    it('combines with an idempotence problem', () => {
      const problems = problemsOf(validateProducerConfig({ enableIdempotence: true, acks: '1', deliveryTimeoutMs: 1_000 }));
      expect(problems.map((p) => p.field).sort()).toEqual(['acks', 'deliveryTimeoutMs']);
    });
  });

  describe('value ranges', () => {
    it.each<[ProducerConfigInput, string]>([
      [{ maxInFlightRequestsPerConnection: 0 }, 'maxInFlightRequestsPerConnection'],
      [{ retries: -1 }, 'retries'],
      [{ lingerMs: -5 }, 'lingerMs'],
      [{ batchSizeBytes: 1.5 }, 'batchSizeBytes'],
      [{ requestTimeoutMs: Number.NaN }, 'requestTimeoutMs'],
      [{ deliveryTimeoutMs: Number.POSITIVE_INFINITY }, 'deliveryTimeoutMs'],
    ])('%j is rejected', (input, field) => {
      expect(problemsOf(validateProducerConfig(input)).map((p) => p.field)).toEqual([field]);
    });

    it('rejects an unknown acks or compression value without throwing', () => {
      const bad = { acks: '2', compressionType: 'brotli' } as unknown as ProducerConfigInput;
      expect(problemsOf(validateProducerConfig(bad)).map((p) => p.field)).toEqual(['acks', 'compressionType']);
    });

    it('accepts batch.size 0 (batching disabled) and linger.ms 0 (the pre-4.0 default)', () => {
      const result = okOf(validateProducerConfig({ batchSizeBytes: 0, lingerMs: 0 }));
      expect(result.effective.batchSizeBytes).toBe(0);
      expect(result.effective.lingerMs).toBe(0);
    });
  });
});
