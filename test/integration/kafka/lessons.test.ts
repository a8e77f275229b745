import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../helpers/run-file';

/**
 * The leader-failover pair in simulations/: the same fault (leader cut off from its followers
 * at 5 s, dead at 10 s) with acks=1 and with acks=all + min.insync.replicas=2. Kafka's
 * documentation predicts loss of acknowledged writes for the first and none for the second
 * (ProducerConfig ACKS_DOC; shared/reference/mq-semantics.md §1.6 F2, F4).
 */
describe('leader failover lessons', () => {
  const acksOne = runSimulation('failover-acks1.yaml');
  const acksAll = runSimulation('failover-acks-all.yaml');

  it('acks=1 loses about five seconds of acknowledged orders, all with the same cause', () => {
    const m = acksOne.messages;
    // 100 orders/s for the 5 s between the cut and the crash: Poisson, so 500 ± a few dozen.
    expect(m.lost).toBeGreaterThan(400);
    expect(m.lost).toBeLessThan(600);
    expect(m.lostByCause).toEqual({ 'acked-then-leader-failed-unreplicated': m.lost });
    expect(acksOne.cluster?.leaderElections).toBe(1);
    expect(acksOne.invariants).toEqual({ conservation: true, violations: [] });
  });

  it('acks=all with min.insync.replicas=2 loses nothing and delivers every order', () => {
    const m = acksAll.messages;
    expect(m.lost).toBe(0);
    expect(m.rejected).toBe(0);
    expect(m.delivered).toBe(m.produced);
    expect(acksAll.invariants).toEqual({ conservation: true, violations: [] });
  });

  it('reports the peak second next to the mean rate', () => {
    // 100 orders/s, Poisson: the busiest of 30 seconds holds well above 100, far below 200.
    expect(acksAll.throughput.producedPerSecPeak).toBeGreaterThan(110);
    expect(acksAll.throughput.producedPerSecPeak).toBeLessThan(160);
    expect(acksAll.throughput.deliveredPerSecPeak).toBeGreaterThanOrEqual(acksAll.throughput.producedPerSecPeak * 0.5);
  });

  it('the summary names the faults with their times', () => {
    expect(acksOne.faults).toEqual([
      { atMs: 5_000, kind: 'isolate-broker', target: 'broker-0', endedAtMs: 20_000 },
      { atMs: 10_000, kind: 'broker-crash', target: 'broker-0', endedAtMs: 20_000 },
    ]);
  });
});

describe('retry reordering lesson (fault table F9, F10)', () => {
  const reordered = runSimulation('retry-reordering.yaml');

  it('without idempotence the retried batches land behind later ones, and nothing is lost', () => {
    expect(reordered.cluster?.reorderedBatches).toBeGreaterThan(0);
    expect(reordered.messages.lost).toBe(0);
    expect(reordered.messages.delivered).toBe(reordered.messages.produced);
    expect(reordered.expectations?.every((e) => e.met)).toBe(true);
  });

  it('the two fixes the file names keep the order', () => {
    for (const [path, value] of [
      ['kafka.producer.idempotence', true],
      ['kafka.producer.maxInFlightRequestsPerConnection', 1],
    ] as const) {
      const fixed = runSimulation('retry-reordering.yaml', [{ path, value }]);
      expect(fixed.cluster?.reorderedBatches, path).toBe(0);
      expect(fixed.messages.delivered, path).toBe(fixed.messages.produced);
    }
  });
});
