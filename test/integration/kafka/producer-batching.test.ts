import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../../src/report/summary';
import { runScenario } from '../../../src/run';
import { loadScenario } from '../../../src/scenario';
import { runSimulation } from '../../helpers/run-file';
import { kafkaSystem } from './harness';

function run(yaml: string) {
  const outcome = loadScenario(yaml, { fileName: 'inline.yaml' });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return buildSummary(runScenario(outcome.scenario));
}

function problemsOf(yaml: string) {
  const outcome = loadScenario(yaml, { fileName: 'inline.yaml' });
  return outcome.ok ? [] : outcome.problems;
}

/** One broker, one partition, 1 KB records, acks=1, Poisson produce; `extra` lines go under kafka. */
const cluster = (producer: string, extra = '', latencyMs = 0) => `
version: 1
title: batching
kafka:
  brokers: 1
  partitions: 1
  replicationFactor: 1
  runSeconds: 200
  networkLatencyMs: ${latencyMs}
  messageBytes: 1024
  producer: { acks: 1, stopAtSeconds: 190, ${producer} }
${extra}`;

describe('the record accumulator: batch.size and linger.ms (§1.7)', () => {
  it('under the batch size a batch holds its first record and what arrives in linger.ms: 1 + λL records', () => {
    // λ = 1,000/s, linger 5 ms: 1 + 5 = 6 records per batch. The first record waits the whole
    // linger, the others half of it on average: (5 + 5 · 2.5) / 6 = 2.917 ms.
    const summary = run(cluster('ratePerSecond: 1000, lingerMs: 5, batchSizeBytes: 16384'));
    expect(summary.cluster!.recordsPerBatch).toBeGreaterThan(6 * 0.99);
    expect(summary.cluster!.recordsPerBatch).toBeLessThan(6 * 1.01);
    expect(summary.latencyMs.produce!.mean).toBeGreaterThan(2.917 * 0.98);
    expect(summary.latencyMs.produce!.mean).toBeLessThan(2.917 * 1.02);
    expect(summary.messages.delivered).toBe(summary.messages.produced);
  });

  it('a batch that reaches batch.size goes at once: 16 KB holds 16 records of 1 KB', () => {
    const summary = run(cluster('ratePerSecond: 10000, lingerMs: 5, batchSizeBytes: 16384'));
    expect(summary.cluster!.recordsPerBatch).toBeGreaterThan(15.99);
    expect(summary.cluster!.recordsPerBatch).toBeLessThanOrEqual(16);
    // 16 records arrive in 1.6 ms, well before the linger: records wait about half of that.
    expect(summary.latencyMs.produce!.mean).toBeLessThan(1);
  });

  it('batch.size 0 and linger 0 send every record on its own', () => {
    const summary = run(cluster('ratePerSecond: 1000, lingerMs: 0, batchSizeBytes: 0'));
    expect(summary.cluster!.recordsPerBatch).toBe(1);
    expect(summary.cluster!.produceRequests).toBe(summary.messages.produced);
  });

  it('with linger 0, records batch up behind the in-flight limit: about λ · round trip per batch with one request in flight', () => {
    // 2,000/s over a 20 ms round trip with max.in.flight 1: each request carries what arrived
    // while the previous one was out, 2,000 × 0.020 = 40 records.
    const one = run(cluster('ratePerSecond: 2000, lingerMs: 0, batchSizeBytes: 131072, maxInFlightRequestsPerConnection: 1, idempotence: false', '', 10));
    expect(one.cluster!.recordsPerBatch).toBeGreaterThan(40 * 0.95);
    expect(one.cluster!.recordsPerBatch).toBeLessThan(40 * 1.05);
    const five = run(cluster('ratePerSecond: 2000, lingerMs: 0, batchSizeBytes: 131072, maxInFlightRequestsPerConnection: 5', '', 10));
    expect(five.cluster!.recordsPerBatch).toBeLessThan(one.cluster!.recordsPerBatch! / 4);
    expect(five.latencyMs.produce!.mean).toBeLessThan(one.latencyMs.produce!.mean);
  });
});

describe('retry backoff (KIP-580)', () => {
  it('doubles from retry.backoff.ms up to retry.backoff.max.ms, so a refused producer asks several times less often', () => {
    // Two brokers, min.insync.replicas 2: once the follower is fenced (9 s after it dies) every
    // write is refused with NotEnoughReplicas and retried until delivery.timeout.ms.
    const refused = (retryBackoffMaxMs: number) =>
      run(`
version: 1
title: backoff
kafka:
  brokers: 2
  partitions: 1
  replicationFactor: 2
  minInsyncReplicas: 2
  runSeconds: 60
  producer: { ratePerSecond: 10, acks: all, stopAtSeconds: 30, retryBackoffMaxMs: ${retryBackoffMaxMs} }
  faults:
    - { kind: broker-crash, broker: 1, atSeconds: 1 }
`);
    const flat = refused(100);
    const growing = refused(1000);
    // 100 ms apart for ~50 s against 100, 200, 400, 800 ms and then about 1 s apart.
    expect(growing.cluster!.produceRequests! * 5).toBeLessThan(flat.cluster!.produceRequests!);
    expect(growing.messages.rejectedByCause).toEqual(flat.messages.rejectedByCause);
  });
});

describe('buffer.memory and max.block.ms', () => {
  it('with the only broker gone, batches fill the buffer, then every send blocks for max.block.ms and fails with buffer-exhausted', () => {
    // 160 KB is ten 16 KB batches. The broker dies at 5 s; the batches that wait for it take
    // the whole buffer at about 5.16 s; from then every send is refused 2 s after it was made.
    const summary = run(
      cluster(
        'ratePerSecond: 1000, lingerMs: 5, batchSizeBytes: 16384, bufferMemoryBytes: 163840, maxBlockMs: 2000, deliveryTimeoutMs: 300000',
        '  faults:\n    - { kind: broker-crash, broker: 0, atSeconds: 5 }',
      ).replace('runSeconds: 200', 'runSeconds: 60').replace('stopAtSeconds: 190', 'stopAtSeconds: 60'),
    );
    const refused = summary.messages.rejectedByCause['buffer-exhausted'] ?? 0;
    const predicted = 1000 * (60 - 2 - 5.16);
    expect(refused).toBeGreaterThan(predicted * 0.97);
    expect(refused).toBeLessThan(predicted * 1.03);
    expect(summary.messages.lost).toBe(0);
    expect(summary.invariants.conservation).toBe(true);
  });
});

describe('per-key order under retries (fault table F9, F10)', () => {
  // Failover cluster (one partition led by broker 0, 100 messages/s, a batch every 5 ms or so):
  // the producer cannot reach broker 0 for 30 ms. The two or three requests sent then are lost
  // and hold their in-flight slots until request.timeout.ms (1 s); batches made after the cut
  // go out in the free slots and succeed; the lost ones are retried after them.
  const cutThenRetry = (producer: Record<string, unknown>) =>
    runSimulation('failover-acks-all.yaml', [
      { path: 'kafka.faults', value: [{ kind: 'network-partition', sideA: ['producer'], sideB: ['broker-0'], atSeconds: 5, untilSeconds: 5.03 }] },
      { path: 'kafka.producer.requestTimeoutMs', value: 1000 },
      ...Object.entries(producer).map(([field, value]) => ({ path: `kafka.producer.${field}`, value })),
    ]);

  it('without idempotence and 5 requests in flight, retried batches land behind later ones: order breaks', () => {
    const summary = cutThenRetry({ idempotence: false });
    expect(summary.cluster!.reorderedBatches).toBeGreaterThan(0);
    expect(summary.messages.delivered).toBe(summary.messages.produced);
  });

  it('with idempotence the leader refuses the later batches out of sequence until the retries are in: order holds', () => {
    const summary = cutThenRetry({ idempotence: true });
    expect(summary.cluster!.reorderedBatches).toBe(0);
    expect(summary.messages.duplicates).toBe(0);
    expect(summary.messages.delivered).toBe(summary.messages.produced);
  });

  it('without idempotence but one request in flight, nothing overtakes the retry: order holds', () => {
    const summary = cutThenRetry({ idempotence: false, maxInFlightRequestsPerConnection: 1 });
    expect(summary.cluster!.reorderedBatches).toBe(0);
    expect(summary.messages.delivered).toBe(summary.messages.produced);
  });
});

describe("the producer configuration is checked as Kafka's producer checks it", () => {
  it('refuses more than 5 requests in flight with idempotence, default or explicit, and names the way out', () => {
    const byDefault = problemsOf(cluster('ratePerSecond: 10, acks: all, maxInFlightRequestsPerConnection: 6').replace('acks: 1, ', ''));
    expect(byDefault.map((p) => p.path)).toContain('kafka.producer.maxInFlightRequestsPerConnection');
    expect(byDefault.find((p) => p.path === 'kafka.producer.maxInFlightRequestsPerConnection')!.hint).toMatch(/enable\.idempotence=false/);
    expect(problemsOf(cluster('ratePerSecond: 10, maxInFlightRequestsPerConnection: 6, idempotence: false'))).toEqual([]);
  });

  it('refuses a delivery.timeout.ms shorter than linger.ms + request.timeout.ms', () => {
    const problems = problemsOf(cluster('ratePerSecond: 10, lingerMs: 100, requestTimeoutMs: 1000, deliveryTimeoutMs: 1000'));
    expect(problems).toEqual([expect.objectContaining({ path: 'kafka.producer.deliveryTimeoutMs' })]);
    expect(problems[0]!.hint).toContain('1100');
  });

  it('refuses idempotence with acks=1', () => {
    const problems = problemsOf(cluster('ratePerSecond: 10, idempotence: true'));
    expect(problems.map((p) => p.path)).toEqual(['kafka.producer.acks']);
  });
});

/**
 * The Poisson driver draws arrivals ahead and wakes only when one fills a batch or a batch's
 * linger runs out (producer.ts, scheduleArrivals). With request slots to spare, that must
 * still send every batch at the very moment Kafka's sender would: a full one when its last
 * record arrives, any other one linger.ms after its first record.
 */
describe('the driver sends each batch at the moment it becomes ready', () => {
  it('full batches at their last record, the others at their first record + linger.ms, over 96 partitions', () => {
    for (const ratePerSecond of [3_000, 250_000, 600_000]) {
      const { sim, system } = kafkaSystem(5, {
        cluster: { brokers: 3, partitions: 96, replicationFactor: 1 },
        producer: { ratePerSecond, keys: 100_000, lingerUs: 5_000, batchSizeBytes: 16_384, maxInFlight: 1_000, stopAtUs: 300_000, acks: 1 },
        networkLatencyUs: 100,
      });
      const late: string[] = [];
      let full = 0;
      let lingered = 0;
      system.producer.onBatchSent = (firstId, count) => {
        if (system.ledger.isAcked(firstId)) return; // a retry, not a first send
        const expected = count === 16 ? system.ledger.createdAtUs(firstId + count - 1) : system.ledger.createdAtUs(firstId) + 5_000;
        if (count === 16) full++;
        else lingered++;
        if (sim.now !== expected) late.push(`${count} records at ${sim.now} µs, ready at ${expected}`);
      };
      system.start();
      sim.run({ untilUs: 400_000 });
      expect(late.slice(0, 5), `${ratePerSecond}/s`).toEqual([]);
      expect(full + lingered, `${ratePerSecond}/s`).toBeGreaterThan(50);
      // 3,000/s: every batch lingers; 250,000/s: some fill within the linger; 600,000/s: most do.
      if (ratePerSecond >= 250_000) expect(full, `${ratePerSecond}/s`).toBeGreaterThan(0);
      if (ratePerSecond <= 250_000) expect(lingered, `${ratePerSecond}/s`).toBeGreaterThan(0);
    }
  });
});
