import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../../src/report/summary';
import { runScenario } from '../../../src/run';
import { loadScenario } from '../../../src/scenario';
import { runSimulation } from '../../helpers/run-file';

/**
 * The network faults of the scenario vocabulary on the failover cluster (3 brokers, one
 * partition led by broker 0, acks=all, min.insync.replicas=2, 100 messages/s for 30 s).
 */
const withFaults = (faults: unknown[]) => [{ path: 'kafka.faults', value: faults }];

describe('network faults', () => {
  it('a pause shorter than the broker session timeout (9 s) costs latency, not leadership', () => {
    const summary = runSimulation('failover-acks-all.yaml', withFaults([{ kind: 'pause', node: 'broker-0', atSeconds: 5, seconds: 4 }]));
    expect(summary.cluster?.leaderElections).toBe(0);
    expect(summary.messages.lost).toBe(0);
    expect(summary.latencyMs.produce?.max).toBeGreaterThan(3_500);
    expect(summary.faults).toEqual([{ atMs: 5_000, kind: 'pause', target: 'broker-0', endedAtMs: 9_000 }]);
  });

  it('a pause longer than the session timeout gets the leader fenced and replaced, and loses nothing with acks=all', () => {
    const summary = runSimulation('failover-acks-all.yaml', withFaults([{ kind: 'pause', node: 'broker-0', atSeconds: 5, seconds: 15 }]));
    expect(summary.cluster?.leaderElections).toBeGreaterThan(0);
    expect(summary.messages.lost).toBe(0);
    expect(summary.invariants.conservation).toBe(true);
  });

  it('a partition between the producer and the leader stalls produce until it heals', () => {
    const summary = runSimulation(
      'failover-acks-all.yaml',
      withFaults([{ kind: 'network-partition', sideA: ['producer'], sideB: ['broker-0'], atSeconds: 5, untilSeconds: 15 }]),
    );
    expect(summary.cluster?.leaderElections).toBe(0); // the controller still hears broker 0
    expect(summary.messages.lost).toBe(0);
    expect(summary.messages.delivered).toBe(summary.messages.produced);
    expect(summary.latencyMs.produce?.max).toBeGreaterThan(9_000);
  });

  it('a slow link adds its round trip to every produce request, and a wait for one of the 5 in-flight slots', () => {
    const slow = runSimulation(
      'failover-acks-all.yaml',
      withFaults([{ kind: 'slow-link', between: ['producer', 'broker-0'], latencyMs: 200, atSeconds: 0 }]),
    );
    const normal = runSimulation('failover-acks-all.yaml', withFaults([]));
    const added = slow.latencyMs.produce!.p50 - normal.latencyMs.produce!.p50;
    expect(added).toBeGreaterThan(400);
    // 100 messages/s over a 400 ms round trip need 40 requests in flight; with 5 allowed, a
    // slot frees every 80 ms and batches grow to about 8 records: a record waits up to 80 ms.
    expect(added).toBeLessThan(400 + 80);
  });
});

describe('idempotence against retries whose answers were lost (fault table: idempotence on/off)', () => {
  // Requests sent while the producer-leader link is slow (400 ms round trip) time out after
  // 300 ms and are retried, though the leader has appended them.
  const slowAnswers = (idempotence: boolean) =>
    runSimulation('failover-acks-all.yaml', [
      { path: 'kafka.faults', value: [{ kind: 'slow-link', between: ['producer', 'broker-0'], latencyMs: 200, atSeconds: 5, untilSeconds: 7 }] },
      { path: 'kafka.producer.requestTimeoutMs', value: 300 },
      { path: 'kafka.producer.idempotence', value: idempotence },
    ]);

  it('without idempotence each such retry writes the message again and it is delivered twice, with that cause', () => {
    const summary = slowAnswers(false);
    expect(summary.messages.duplicates).toBeGreaterThan(20);
    expect(summary.messages.duplicatesByCause).toEqual({ 'retry-without-idempotence': summary.messages.duplicates });
    expect(summary.messages.lost).toBe(0);
  });

  it('with idempotence (Kafka 4 default with acks=all) the leader answers the retry from its log: no duplicate', () => {
    const summary = slowAnswers(true);
    expect(summary.messages.duplicates).toBe(0);
    expect(summary.messages.delivered).toBe(summary.messages.produced);
  });
});

describe('a lossy link (TCP under packet loss)', () => {
  it('loses no message but delays some by the retransmission timeout: 200 ms, then 400 ms more', () => {
    const lossy = runSimulation(
      'failover-acks-all.yaml',
      withFaults([{ kind: 'lossy-link', between: ['producer', 'broker-0'], lossPercent: 10, atSeconds: 0, untilSeconds: 30 }]),
    );
    expect(lossy.messages.lost).toBe(0);
    expect(lossy.messages.delivered).toBe(lossy.messages.produced);
    // About 19 % of round trips lose a packet (10 % each way): p95 carries one RTO; some lose two in a row.
    expect(lossy.latencyMs.produce!.p95).toBeGreaterThan(200);
    expect(lossy.latencyMs.produce!.p50).toBeLessThan(200);
    expect(lossy.latencyMs.produce!.max).toBeGreaterThan(600);
    const again = runSimulation(
      'failover-acks-all.yaml',
      withFaults([{ kind: 'lossy-link', between: ['producer', 'broker-0'], lossPercent: 10, atSeconds: 0, untilSeconds: 30 }]),
    );
    expect(again.traceHash).toBe(lossy.traceHash);
  });
});

describe('link jitter (kafka.networkJitterMs)', () => {
  // One broker, acks=1, one record per request, 20 messages/s: a produce is one round trip, so
  // its latency is 2 × (0.5 ms + jitter). With exponential jitter of mean 1 ms the sum of the
  // two jitters is Erlang-2: mean 2 ms, p99 6.64 ms (the in-order rule hardly ever binds at
  // this rate).
  const yaml = (jitter: string) => `
version: 1
title: jitter
kafka:
  brokers: 1
  partitions: 1
  replicationFactor: 1
  runSeconds: 2000
  networkLatencyMs: 0.5
${jitter}
  producer: { ratePerSecond: 20, acks: 1, stopAtSeconds: 2000, lingerMs: 0, batchSizeBytes: 0 }
`;
  const run = (jitter: string) => {
    const outcome = loadScenario(yaml(jitter), { fileName: 'jitter.yaml' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    return buildSummary(runScenario(outcome.scenario));
  };

  it('adds its mean to each way of a round trip, and its spread to the tail', () => {
    const jittered = run('  networkJitterMs: { kind: exponential, mean: 1 }');
    expect(jittered.latencyMs.produce!.mean).toBeGreaterThan(3 * 0.97);
    expect(jittered.latencyMs.produce!.mean).toBeLessThan(3 * 1.03);
    expect(jittered.latencyMs.produce!.p99).toBeGreaterThan(7.64 * 0.93);
    expect(jittered.latencyMs.produce!.p99).toBeLessThan(7.64 * 1.07);
    expect(jittered.messages.delivered).toBe(jittered.messages.produced);
  });

  it('a constant 0 jitter is the run without it: no events and no draws of its own', () => {
    expect(run('').traceHash).toBe(run('  networkJitterMs: { kind: constant, value: 0 }').traceHash);
  });

  it('refuses a bad distribution with its path', () => {
    const outcome = loadScenario(yaml('  networkJitterMs: { kind: uniform, min: 2, max: 1 }'), { fileName: 'jitter.yaml' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.path)).toEqual(['kafka.networkJitterMs.max']);
  });
});
