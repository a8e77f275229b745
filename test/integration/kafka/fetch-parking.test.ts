import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/engine';
import { kafkaSystem, seconds } from './harness';
import { randomCase, runCase } from './random-cases';

/**
 * A consumer fetch that will find nothing at the leader parks there at its arrival time
 * without an event of its own (consumer-group.ts, sendFetch); it arrives as an event only if
 * data or a fault reaches the leader while it is on its way. That must change nothing but
 * the number of events: each random cluster runs with every arrival an event and with
 * parking ahead, and every figure (deliveries, losses, duplicates, latencies, lag, commits)
 * must be the same. The trace hash differs (fewer events) and is not compared.
 */
const CASES = 120;
const SEED = 11;

describe(`parking fetches ahead of their arrival changes no figure (${CASES} random clusters, seed=${SEED})`, () => {
  const random = new RandomStream(SEED, 'fetch-parking');
  const cases = Array.from({ length: CASES }, () => randomCase(random, true));

  it('gives the same outcome as an arrival event for every fetch', () => {
    let fewerEvents = 0;
    for (const [index, testCase] of cases.entries()) {
      const label = `seed=${SEED} case=${index} ${JSON.stringify(testCase)}`;
      const figures = (run: ReturnType<typeof runCase>) => {
        const { group, readers, cluster } = run.system;
        return {
          ...run.result,
          latency: [group, ...readers].map((g) => g.endToEndLatencyUs.percentiles()),
          lag: [group, ...readers].map((g) => [g.maxLag, g.totalLag(), g.rebalances, g.commitsFailed]),
          committed: cluster.partitions.map((_, p) => group.committedOffset(p)),
          produceLatency: run.system.producer.produceLatencyUs.percentiles(),
        };
      };
      const eager = runCase({ ...testCase, overrides: { ...testCase.overrides, group: { ...testCase.overrides.group, eagerFetchArrivals: true } } }, SEED);
      const parked = runCase(testCase, SEED);
      expect(figures(parked), label).toEqual(figures(eager));
      if (parked.events < eager.events) fewerEvents++;
    }
    expect(fewerEvents).toBeGreaterThan(CASES * 0.9);
  });
});

/**
 * Faults that reach the leader while a fetch is on its way (20 ms links, so fetches spend half
 * their time on the wire): a leader crash and restart, the consumer cut from the leader and
 * healed. Every message's delivery time must be the same with and without parking ahead.
 */
describe('a fault while a parked-ahead fetch is still on its way', () => {
  function deliveries(eagerFetchArrivals: boolean, fault: 'crash' | 'cut'): { times: number[]; events: number } {
    const { sim, system } = kafkaSystem(3, {
      cluster: { brokers: 3, partitions: 2, replicationFactor: 3 },
      producer: { ratePerSecond: 60, stopAtUs: seconds(40) },
      group: { consumers: 1, eagerFetchArrivals },
      networkLatencyUs: 20_000,
    });
    const times: number[] = [];
    system.group.onDelivered = (id) => {
      times[id] = sim.now;
    };
    const consumerNode = system.options.cluster.brokers + 2;
    // Many faults at odd moments, so that several catch a fetch on the wire.
    for (let k = 0; k < 12; k++) {
      const atS = 2.0031 + k * 2.9177;
      if (fault === 'crash') {
        system.crashBrokerAt(seconds(atS), k % 3);
        system.restartBrokerAt(seconds(atS + 0.9), k % 3);
      } else {
        system.partitionAt(seconds(atS), [consumerNode], [0, 1, 2], true);
        system.partitionAt(seconds(atS + 0.31), [consumerNode], [0, 1, 2], false);
      }
    }
    system.start();
    sim.run({ untilUs: seconds(60) });
    return { times, events: sim.eventsProcessed };
  }

  for (const fault of ['crash', 'cut'] as const) {
    it(`${fault}: every message is delivered at the same moment`, () => {
      const eager = deliveries(true, fault);
      const parked = deliveries(false, fault);
      expect(parked.times.length).toBeGreaterThan(2_000);
      expect(parked.times).toEqual(eager.times);
      expect(parked.events).toBeLessThan(eager.events);
    });
  }
});
