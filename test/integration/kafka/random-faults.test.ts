import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/engine';
import { kafkaSystem, outcome, seconds, type Overrides } from './harness';

/**
 * Hundreds of random small clusters with random fault schedules (crashes with restarts,
 * nodes cut off and reconnected). Safety: the conservation audit holds in every run and no
 * message vanishes silently. Liveness: once every fault has healed, the system drains, and
 * every message ends delivered, lost with a cause, or rejected to the application.
 * Determinism: every case run twice gives the same trace hash and the same figures.
 */
const CASES = 200;
const SEED = 1;

interface Case {
  overrides: Overrides;
  faults: { kind: 'crash' | 'isolate' | 'consumer'; node: number; fromS: number; toS: number }[];
  nodes: number;
}

function randomCase(random: RandomStream): Case {
  const brokers = 1 + random.nextInt(4);
  const replicationFactor = 1 + random.nextInt(Math.min(3, brokers));
  const consumers = 1 + random.nextInt(3);
  const acks = ([0, 1, 'all'] as const)[random.nextInt(3)]!;
  const overrides: Overrides = {
    cluster: {
      brokers,
      partitions: 1 + random.nextInt(4),
      replicationFactor,
      minInsyncReplicas: 1 + random.nextInt(replicationFactor),
      uncleanLeaderElection: random.nextInt(2) === 1,
    },
    producer: { acks, ratePerSecond: 5 + random.nextInt(30), keys: 1 + random.nextInt(100), stopAtUs: seconds(60) },
    group: {
      consumers,
      commit: random.nextInt(2) === 0 ? 'after-processing' : 'before-processing',
      processingSeconds: { kind: 'exponential', mean: 0.001 + random.nextFloat() * 0.01 },
    },
    networkLatencyUs: random.nextInt(5_000),
  };
  const faults: Case['faults'] = [];
  const nodes = brokers + 2 + consumers;
  for (let f = random.nextInt(5); f > 0; f--) {
    const fromS = 1 + random.nextInt(60);
    const toS = fromS + 1 + random.nextInt(180); // some outlast delivery.timeout.ms (120 s)
    const kind = random.nextInt(3);
    if (kind === 0) faults.push({ kind: 'crash', node: random.nextInt(brokers), fromS, toS });
    else if (kind === 1) faults.push({ kind: 'isolate', node: random.nextInt(nodes), fromS, toS });
    else faults.push({ kind: 'consumer', node: random.nextInt(consumers), fromS, toS });
  }
  return { overrides, faults, nodes };
}

function runCase(testCase: Case) {
  const { sim, system } = kafkaSystem(SEED, testCase.overrides);
  for (const fault of testCase.faults) {
    if (fault.kind === 'crash') {
      system.crashBrokerAt(seconds(fault.fromS), fault.node);
      system.restartBrokerAt(seconds(fault.toS), fault.node);
    } else if (fault.kind === 'consumer') {
      system.crashConsumerAt(seconds(fault.fromS), fault.node);
      system.restartConsumerAt(seconds(fault.toS), fault.node);
    } else {
      system.isolateAt(seconds(fault.fromS), fault.node, true);
      system.isolateAt(seconds(fault.toS), fault.node, false);
    }
  }
  // Overlapping cuts heal each other's links early; reconnect everything before draining.
  system.healAllAt(seconds(250));
  system.isolationPeers = (node) => Array.from({ length: testCase.nodes }, (_, n) => n).filter((n) => n !== node);
  system.start();
  sim.run({ untilUs: seconds(500) });
  return { hash: sim.traceHash(), result: outcome(system), system };
}

describe(`random clusters with random faults (${CASES} cases, seed=${SEED})`, () => {
  const random = new RandomStream(SEED, 'random-faults');
  const cases = Array.from({ length: CASES }, () => randomCase(random));

  it('conserve every message, drain after the faults heal, and replay bit for bit', () => {
    const seen = { elections: 0, unclean: 0, lost: 0, rejected: 0, duplicates: 0 };
    for (const [index, testCase] of cases.entries()) {
      const label = `seed=${SEED} case=${index} ${JSON.stringify(testCase)}`;
      const first = runCase(testCase);
      const r = first.result;
      expect(r.audit, label).toEqual([]);
      expect(r.produced, label).toBe(r.delivered + r.lost + r.inFlight + r.rejected);
      expect(r.inFlight, `${label} ${JSON.stringify(r)}`).toBe(0);
      const lostByCause = Object.values(r.lostByCause).reduce((sum, n) => sum + n, 0);
      expect(lostByCause, label).toBe(r.lost);
      const atLeastOnce = testCase.overrides.group?.commit === 'after-processing';
      if (testCase.overrides.producer?.acks === 'all' && !testCase.overrides.cluster?.uncleanLeaderElection && atLeastOnce) {
        // acks=all without unclean election never loses an acknowledged write (§1.6), and a
        // group that commits after processing never skips one (§1.8).
        expect(r.lost, `${label} ${JSON.stringify(r)}`).toBe(0);
      }
      const second = runCase(testCase);
      expect(second.hash, label).toBe(first.hash);
      expect(second.result, label).toEqual(r);
      seen.elections += r.elections > 0 ? 1 : 0;
      seen.unclean += r.uncleanElections > 0 ? 1 : 0;
      seen.lost += r.lost > 0 ? 1 : 0;
      seen.rejected += r.rejected > 0 ? 1 : 0;
      seen.duplicates += r.duplicates > 0 ? 1 : 0;
    }
    // The schedules must actually exercise failover, loss, rejection and redelivery.
    for (const [what, cases] of Object.entries(seen)) expect(cases, `cases with ${what}: ${JSON.stringify(seen)}`).toBeGreaterThan(3);
  });
});
