import { describe, expect, it } from 'vitest';
import { MessageTracer, type TraceHop } from '../../../src/model/kafka/message-trace';
import { kafkaSystem, seconds } from './harness';

/**
 * Three brokers, RF 3, acks=all, one partition, 0.5 ms links, 1 ms of processing, Kafka's
 * producer defaults (linger.ms 5): a traced message's hops in order, with the times the model
 * gives them.
 */
function tracedRun(trace: boolean) {
  const { sim, system } = kafkaSystem(3, {
    producer: { ratePerSecond: 200, stopAtUs: seconds(20) },
    group: { processingSeconds: { kind: 'constant', value: 0.001 } },
  });
  const tracer = trace ? new MessageTracer(sim, system) : null;
  system.start();
  sim.run({ untilUs: seconds(40) });
  return { tracer, hash: sim.traceHash(), system };
}

describe('following a message through the cluster', () => {
  const { tracer, hash, system } = tracedRun(true);
  const traces = tracer!.traces();

  it('keeps the latest finished traces, each a real message of the run', () => {
    expect(traces.length).toBe(64);
    for (const trace of traces) {
      expect(trace.done).toBe(true);
      expect(trace.id).toBeLessThan(system.ledger.produced);
      expect(trace.offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('records every hop in the order Kafka takes them, with the network and linger times of the model', () => {
    for (const trace of traces) {
      const at = (hop: TraceHop) => trace.steps.find((s) => s.hop === hop)!.atUs;
      const hops = trace.steps.map((s) => s.hop);
      expect(hops.slice(0, 3)).toEqual(['created', 'sent', 'appended']);
      expect(hops.filter((h) => h === 'replicated')).toHaveLength(2); // two followers
      expect(hops.slice(-1)).toEqual(['processed']);
      // linger.ms 5: a batch leaves at most 5 ms after its first record was created.
      expect(at('sent') - at('created')).toBeLessThanOrEqual(5_000);
      expect(at('appended') - at('sent')).toBe(500); // one link
      expect(at('committed')).toBeGreaterThanOrEqual(Math.max(...trace.steps.filter((s) => s.hop === 'replicated').map((s) => s.atUs)));
      expect(at('acked') - at('committed')).toBe(500); // the answer goes back over one link
      expect(at('processed') - at('fetched')).toBeGreaterThanOrEqual(1_000); // 1 ms of processing
      for (let i = 1; i < trace.steps.length; i++) expect(trace.steps[i]!.atUs).toBeGreaterThanOrEqual(trace.steps[i - 1]!.atUs);
    }
  });

  it('only listens: the traced run is the same run', () => {
    expect(tracedRun(false).hash).toBe(hash);
  });
});
