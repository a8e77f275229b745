import { describe, expect, it } from 'vitest';
import type { CommitOrder } from '../../../src/model/kafka/consumer-group';
import { kafkaSystem, outcome, seconds } from './harness';

/**
 * A consumer crash with commit before processing (at-most-once) and after processing
 * (at-least-once), §1.8 "Delivery semantics": the first loses what was fetched but not yet
 * processed, the second processes part of it twice. The expected counts come from watching
 * deliveries (which ids were processed, how often), not from the ledger under test.
 */
function crashRun(commit: CommitOrder) {
  const { sim, system } = kafkaSystem(1, {
    producer: { ratePerSecond: 100, stopAtUs: seconds(20) },
    // 20 records/s against 100/s: the consumer lags and polls full batches of 100.
    group: { commit, maxPollRecords: 100, processingSeconds: { kind: 'constant', value: 0.05 } },
  });
  const timesDelivered = new Map<number, number>();
  system.group.onDelivered = (id) => timesDelivered.set(id, (timesDelivered.get(id) ?? 0) + 1);
  system.crashConsumerAt(seconds(10.02), 0);
  system.restartConsumerAt(seconds(15), 0);
  system.start();
  sim.run({ untilUs: seconds(400) });
  const result = outcome(system);
  const processedTwice = [...timesDelivered.values()].filter((n) => n === 2).length;
  const neverProcessed = result.produced - timesDelivered.size;
  return { result, processedTwice, neverProcessed, processedThrice: [...timesDelivered.values()].some((n) => n > 2) };
}

describe('consumer crash', () => {
  it('commit before processing (at-most-once): the unprocessed rest of the poll is lost, nothing twice', () => {
    const { result, processedTwice, neverProcessed } = crashRun('before-processing');
    expect(neverProcessed, JSON.stringify(result)).toBeGreaterThan(0);
    expect(neverProcessed).toBeLessThan(100); // at most one poll
    expect(result.lost).toBe(neverProcessed);
    expect(result.lostByCause).toEqual({ 'at-most-once-consumer-crash': neverProcessed });
    expect(processedTwice).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.audit).toEqual([]);
    expect(result.inFlight).toBe(0);
  });

  it('commit after processing (at-least-once): nothing lost, the processed part of the poll is processed again', () => {
    const { result, processedTwice, neverProcessed, processedThrice } = crashRun('after-processing');
    expect(neverProcessed, JSON.stringify(result)).toBe(0);
    expect(result.lost).toBe(0);
    expect(processedTwice).toBeGreaterThan(0);
    expect(processedTwice).toBeLessThan(100);
    expect(processedThrice).toBe(false);
    expect(result.duplicates).toBe(processedTwice);
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });
});
