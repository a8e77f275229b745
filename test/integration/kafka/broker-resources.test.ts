import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../../src/report/summary';
import { runScenario } from '../../../src/run';
import { loadScenario } from '../../../src/scenario';

function run(yaml: string) {
  const outcome = loadScenario(yaml, { fileName: 'inline.yaml' });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return buildSummary(runScenario(outcome.scenario));
}

/**
 * One broker, one partition, Poisson produce at `ratePerSecond` with acks=1 over 0.5 ms links,
 * one record per batch and no linger (each message is its own request),
 * where one resource (`resources`) costs `serviceMs` per message: an M/D/1 queue, whose mean
 * produce latency is the round trip + service + Pollaczek-Khinchine's wait rho D / (2 (1 - rho)).
 */
function expectMD1ProduceLatency(resources: string, ratePerSecond: number, serviceMs: number): void {
  const summary = run(`
version: 1
title: M/D/1
kafka:
  brokers: 1
  partitions: 1
  replicationFactor: 1
  minInsyncReplicas: 1
  runSeconds: 400
  networkLatencyMs: 0.5
  messageBytes: 1000
  brokerResources: ${resources}
  producer: { ratePerSecond: ${ratePerSecond}, acks: 1, stopAtSeconds: 400, lingerMs: 0, batchSizeBytes: 0 }
`);
  const rho = ratePerSecond * (serviceMs / 1000);
  const expectedMs = 2 * 0.5 + serviceMs + (rho * serviceMs) / (2 * (1 - rho));
  expect(Math.abs(summary.latencyMs.produce!.mean - expectedMs) / expectedMs).toBeLessThan(0.02);
  expect(summary.messages.lost).toBe(0);
}

describe('broker resources: a broker serves writes one at a time', () => {
  it('one broker with a fixed CPU cost per request is an M/D/1 queue: produce latency matches Pollaczek-Khinchine', () => {
    // 0.5 ms a request at 1,000/s (rho = 0.5): 1.75 ms.
    expectMD1ProduceLatency('{ requestCpuMicros: 500 }', 1000, 0.5);
  });

  it("a NIC sends one message after another: the producer's 1 MB/s NIC is an M/D/1 queue too", () => {
    // 1,000 bytes at 1 MB/s is 1 ms on the wire; at 400/s, rho = 0.4.
    expectMD1ProduceLatency('{ nicMBps: 1 }', 400, 1);
  });

  it('with no costs set, nothing changes: a broker costs nothing (the trace hash of a scenario without resources)', () => {
    const yaml = (resources: string) => `
version: 1
title: free brokers
kafka:
  brokers: 3
  partitions: 2
  runSeconds: 20
${resources}
  producer: { ratePerSecond: 200, stopAtSeconds: 20 }
`;
    expect(run(yaml('')).traceHash).toBe(run(yaml('  brokerResources: {}')).traceHash);
  });

  it('a slow disk on a follower makes it fall behind and leave the ISR after replica.lag.time.max.ms; nothing is lost', () => {
    const yaml = (faults: string) => `
version: 1
title: slow disk
kafka:
  brokers: 3
  partitions: 1
  minInsyncReplicas: 2
  runSeconds: 90
  brokerResources: { diskMBps: 100 }
  faults: ${faults}
  producer: { ratePerSecond: 200, acks: all, stopAtSeconds: 60 }
`;
    // 1 KB at 100 MB/s is 10 us; 10,000 times slower is 100 ms a record: 10 records/s against 200 offered.
    const slow = run(yaml('[{ kind: slow-disk, broker: 1, factor: 10000, atSeconds: 5 }]'));
    const normal = run(yaml('[]'));
    expect(normal.cluster!.underReplicatedPartitionSeconds).toBe(0);
    expect(slow.cluster!.underReplicatedPartitionSeconds).toBeGreaterThan(20);
    expect(slow.messages.lost).toBe(0);
    expect(slow.messages.delivered).toBe(slow.messages.produced);
    expect(slow.faults).toEqual([{ atMs: 5000, kind: 'slow-disk', target: 'broker-1', endedAtMs: null }]);
  });

  it('refuses a slow disk on a cluster without disk costs, saying what to set', () => {
    const outcome = loadScenario(
      'version: 1\ntitle: t\nkafka:\n  runSeconds: 5\n  producer: { ratePerSecond: 5, stopAtSeconds: 5 }\n  faults: [{ kind: slow-disk, broker: 0, factor: 10, atSeconds: 1 }]\n',
      { fileName: 'x.yaml' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => `${p.path}: ${p.problem} (${p.hint})`)).toContain(
      'kafka.faults[0]: a slow disk needs a disk to slow down (set kafka.brokerResources.diskMBps (e.g. 500) so that writes take disk time)',
    );
  });
});
