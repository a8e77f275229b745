import { describe, expect, it } from 'vitest';
import { partitionForNumericKey } from '../../../src/model/kafka/partitioner';
import { confidenceInterval } from '../../../src/metrics/confidence';
import { LogHistogram } from '../../../src/metrics/histogram';
import { kafkaSystem, seconds } from './harness';

/**
 * With no batching (one record per request and per poll), no network or disk delay and
 * exponential processing, a partition and its consumer are an M/M/1 queue: the producer's
 * Poisson stream arrives at the log and the consumer serves it in order. The end-to-end
 * latency (creation to processed) must then be the M/M/1 sojourn time, W = 1/(μ − λ),
 * P(W > t) = e^{−(μ−λ)t}. With P partitions and P consumers, each partition is its own M/M/1
 * fed by the keys that hash to it (shared/reference/mq-semantics.md §5: *not* M/M/P).
 */
const MU = 1_000; // records per second per consumer: mean processing 1 ms
const WARMUP = 10_000;
const BATCHES = 20;

function run(partitions: number, lambda: number, messages: number, keys: number) {
  const { sim, system } = kafkaSystem(1, {
    cluster: { brokers: 1, replicationFactor: 1, partitions },
    producer: { acks: 1, ratePerSecond: lambda, keys, stopAtUs: seconds(messages / lambda), lingerUs: 0, batchSizeBytes: 0 },
    group: { consumers: partitions, maxPollRecords: 1, processingSeconds: { kind: 'exponential', mean: 1 / MU } },
    networkLatencyUs: 0,
  });
  const latencies = new Float64Array(Math.ceil(messages * 1.1));
  system.group.onDelivered = (id, _partition, endToEndUs) => {
    if (id < latencies.length) latencies[id] = endToEndUs / 1e6;
  };
  system.start();
  sim.run({ untilUs: seconds(messages / lambda + 60) });
  const produced = system.ledger.produced;
  expect(system.ledger.delivered).toBe(produced);
  expect(system.audit()).toEqual([]);
  // Batch means by message id (creation order) after the warm-up.
  const batchSize = Math.floor((produced - WARMUP) / BATCHES);
  const means: number[] = [];
  const p99s: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const histogram = new LogHistogram();
    let sum = 0;
    for (let id = WARMUP + b * batchSize; id < WARMUP + (b + 1) * batchSize; id++) {
      sum += latencies[id]!;
      histogram.record(Math.round(latencies[id]! * 1e6));
    }
    means.push(sum / batchSize);
    p99s.push(histogram.quantile(0.99) / 1e6);
  }
  return { mean: confidenceInterval(means, 0.99), p99: confidenceInterval(p99s, 0.99) };
}

function expectInside(label: string, interval: { mean: number; halfWidth: number; relativeHalfWidth: number }, theory: number) {
  expect(Math.abs(interval.mean - theory), `${label} seed=1 measured ${interval.mean} ± ${interval.halfWidth}, theory ${theory}`).toBeLessThanOrEqual(interval.halfWidth);
  expect(interval.relativeHalfWidth, `${label} seed=1 interval too wide`).toBeLessThanOrEqual(0.02);
}

describe('a partition and its consumer form an M/M/1 queue', () => {
  it('one partition, one consumer, ρ = 0.5: mean and p99 end-to-end latency', () => {
    const lambda = 500;
    const { mean, p99 } = run(1, lambda, 2_000_000, 1_000);
    expectInside('mean W', mean, 1 / (MU - lambda));
    expectInside('p99 W', p99, Math.log(100) / (MU - lambda));
  });

  it('ten partitions and ten consumers are ten independent M/M/1 queues, not one M/M/10', () => {
    const lambda = 5_000;
    const partitions = 10;
    const keys = 100_000;
    const { mean, p99 } = run(partitions, lambda, 2_000_000, keys);
    // Each partition gets the keys that hash to it: λ_p = λ · share_p.
    const share = new Array<number>(partitions).fill(0);
    for (let key = 0; key < keys; key++) share[partitionForNumericKey(key, partitions)]! += 1 / keys;
    const meanTheory = share.reduce((sum, s) => sum + s / (MU - lambda * s), 0);
    const survival = (t: number) => share.reduce((sum, s) => sum + s * Math.exp(-(MU - lambda * s) * t), 0);
    let low = 0;
    let high = 1;
    for (let i = 0; i < 100; i++) [low, high] = survival((low + high) / 2) > 0.01 ? [(low + high) / 2, high] : [low, (low + high) / 2];
    expectInside('mean W', mean, meanTheory);
    expectInside('p99 W', p99, (low + high) / 2);
    // The pooled M/M/10 at the same load would wait almost nothing: W ≈ 1/μ.
    expect(mean.mean).toBeGreaterThan(1.8 / MU);
  });
});
