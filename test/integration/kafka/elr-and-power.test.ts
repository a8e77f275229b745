import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../src/engine';
import type { ProduceError } from '../../../src/model/kafka/cluster';
import type { KafkaSystem } from '../../../src/model/kafka/system';
import { runSimulation } from '../../helpers/run-file';
import { createdBetween, kafkaSystem, outcome, seconds, type Overrides } from './harness';

/**
 * Rows F6 (eligible leader replicas, KIP-966) and F7 (page-cache loss on power failure) of the
 * fault/outcome table in shared/reference/mq-semantics.md §1.6. Expected counts come from the
 * messages' creation times and the fault timeline, never from the model's own loss logic.
 */
const RATE = 100;


/** Every link of `broker` silent from `fromS` to `toS`: the process runs on, nobody hears it (a long pause). */
function silence(system: KafkaSystem, broker: number, fromS: number, toS: number): void {
  const others = Array.from({ length: system.nodeCount }, (_, id) => id).filter((id) => id !== broker);
  system.partitionAt(seconds(fromS), [broker], others, true);
  system.partitionAt(seconds(toS), [broker], others, false);
}

interface Election {
  atUs: number;
  leader: number;
  unclean: boolean;
  fromElr: boolean;
}

function recordElections(system: KafkaSystem, sim: Simulation): Election[] {
  const elections: Election[] = [];
  system.cluster.onLeaderElected = (_partition, leader, unclean, fromElr) => elections.push({ atUs: sim.now, leader, unclean, fromElr: fromElr === true });
  return elections;
}

/**
 * F6 on RF 3 (replicas on brokers 0, 1, 2; broker 0 = A leads, 1 = B, 2 = C), acks=all,
 * min.insync.replicas=2, one partition:
 * - 5 s: C crashes (back at 70 s): the ISR becomes {A, B}, and A and B acknowledge on;
 * - 30 s: B goes silent (a 60 s pause: fenced at about 39 s, its log intact): the ISR is {A};
 * - 50 s: A crashes (back at 120 s): nobody in the ISR is left;
 * - 70 s: C is back, 90 s: B is back, 120 s: A is back.
 * The producer sends from 0 to 45 s; the consumer is slow (25/s), so what a truncation
 * removes has not been read yet.
 */
const F6 = { cCrashS: 5, cBackS: 70, bSilentS: 30, bBackS: 90, aCrashS: 50, aBackS: 120, stopS: 45, endS: 900 };

function f6(cluster: Overrides['cluster'], bCrashes = false) {
  const { sim, system } = kafkaSystem(1, {
    cluster: { minInsyncReplicas: 2, ...cluster },
    producer: { acks: 'all', ratePerSecond: RATE, stopAtUs: seconds(F6.stopS) },
    group: { processingSeconds: { kind: 'constant', value: 0.04 } },
  });
  const elections = recordElections(system, sim);
  system.crashBrokerAt(seconds(F6.cCrashS), 2);
  system.restartBrokerAt(seconds(F6.cBackS), 2);
  if (bCrashes) {
    system.crashBrokerAt(seconds(F6.bSilentS), 1);
    system.restartBrokerAt(seconds(F6.bBackS), 1);
  } else silence(system, 1, F6.bSilentS, F6.bBackS);
  system.crashBrokerAt(seconds(F6.aCrashS), 0);
  system.restartBrokerAt(seconds(F6.aBackS), 0);
  system.start();
  const probes: Record<string, { isr: number[]; elr: number[]; leader: number; hw: number }> = {};
  for (const atS of [45, 65, 85, 100, 200]) {
    sim.run({ untilUs: seconds(atS) });
    const state = system.cluster.partitions[0]!;
    probes[atS] = { isr: [...state.isr], elr: [...state.elr], leader: state.leader, hw: system.cluster.highWatermark(0) };
  }
  sim.run({ untilUs: seconds(F6.endS) });
  return { system, elections, probes, result: outcome(system) };
}

describe('F6: ISR {A, B} with min.insync.replicas=2, B fails, then A fails', () => {
  it('with eligible leader replicas: B joins the ELR, is elected when it comes back, and nothing is lost', () => {
    const { elections, probes, result } = f6({ eligibleLeaderReplicas: true });
    // B left the ISR while it was below min.insync.replicas: B is in the ELR.
    expect(probes[45]).toMatchObject({ isr: [0], elr: [1], leader: 0 });
    // A fenced too: with ELR the ISR empties and A joins B in the ELR; the partition is offline.
    expect(probes[65]).toMatchObject({ isr: [], elr: [0, 1], leader: -1 });
    // C came back at 70 s but was in neither set: still offline (no unclean election).
    expect(probes[85]!.leader).toBe(-1);
    // B is back: elected from the ELR within a heartbeat interval (2 s) of its return.
    const fromElr = elections.filter((e) => e.fromElr);
    expect(fromElr).toHaveLength(1);
    expect(fromElr[0]!.leader).toBe(1);
    expect(fromElr[0]!.atUs).toBeGreaterThanOrEqual(seconds(F6.bBackS));
    expect(fromElr[0]!.atUs).toBeLessThanOrEqual(seconds(F6.bBackS + 2.1));
    expect(probes[100]).toMatchObject({ leader: 1 });
    // A restarted after a crash (an unclean shutdown): it leaves the ELR and follows B.
    expect(probes[200]).toMatchObject({ leader: 1, elr: [] });
    expect(probes[200]!.isr.length).toBeGreaterThanOrEqual(2);
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.uncleanElections).toBe(0);
    expect(result.rejected).toBe(0);
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });

  it('without eligible leader replicas: offline until A, the last ISR member, comes back; nothing is lost', () => {
    const { system, elections, probes, result } = f6({});
    expect(probes[45]).toMatchObject({ isr: [0], elr: [], leader: 0 });
    expect(probes[65]).toMatchObject({ isr: [0], leader: -1 }); // KRaft keeps the last member
    expect(probes[100]!.leader).toBe(-1); // B is back, but not electable
    const last = elections[elections.length - 1]!;
    expect(last).toMatchObject({ leader: 0, unclean: false, fromElr: false });
    expect(last.atUs).toBeGreaterThanOrEqual(seconds(F6.aBackS));
    expect(system.cluster.offlinePartitionUs).toBeGreaterThan(seconds(F6.aBackS - F6.aCrashS - 10));
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.audit).toEqual([]);
  });

  it('without eligible leader replicas, with unclean election: C leads when it comes back, and loses what A and B acknowledged without it', () => {
    const { system, elections, result } = f6({ uncleanLeaderElection: true });
    const unclean = elections.filter((e) => e.unclean);
    expect(unclean).toHaveLength(1);
    expect(unclean[0]!.leader).toBe(2);
    expect(unclean[0]!.atUs).toBeGreaterThanOrEqual(seconds(F6.cBackS));
    expect(unclean[0]!.atUs).toBeLessThanOrEqual(seconds(F6.cBackS + 2.1));
    // Everything created from C's crash until B fell silent was acknowledged by A and B alone.
    const ackedWithoutC = createdBetween(system, seconds(F6.cCrashS), seconds(F6.bSilentS));
    expect(ackedWithoutC).toBeGreaterThan(2_000);
    expect(result.lost, JSON.stringify(result)).toBeGreaterThan(ackedWithoutC * 0.5);
    expect(Math.abs(result.lost + result.truncatedAfterRead - ackedWithoutC)).toBeLessThanOrEqual(2);
    expect(result.lostByCause).toEqual({ 'unclean-election-truncation': result.lost });
    expect(result.audit).toEqual([]);
  });

  it('with eligible leader replicas, a B that crashed is not electable: its restart is an unclean shutdown (KAFKA-15586)', () => {
    const { elections, probes, result } = f6({ eligibleLeaderReplicas: true }, true);
    expect(probes[45]).toMatchObject({ isr: [0], elr: [1] });
    expect(probes[100]).toMatchObject({ leader: -1, elr: [0] }); // B re-registered and left the ELR
    // A, the last known leader, leads again once it is back and unfenced (KIP-966's third choice).
    const last = elections[elections.length - 1]!;
    expect(last).toMatchObject({ leader: 0, unclean: false, fromElr: false });
    expect(last.atUs).toBeGreaterThanOrEqual(seconds(F6.aBackS));
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.audit).toEqual([]);
  });
});

describe('strict min ISR: with eligible leader replicas the high watermark waits for the ISR', () => {
  /**
   * RF 2 (replicas on brokers 0 and 1), min.insync.replicas=2, acks=all. At 10 s broker 1 is
   * cut off from the other brokers (it still heartbeats to the controller, so it stays
   * unfenced); the leader drops it from the ISR for lagging at its check at 45 s (caught up
   * last at 10 s, replica.lag.time.max.ms 30 s); the cut heals at 60 s.
   */
  function run(eligibleLeaderReplicas: boolean) {
    const { sim, system } = kafkaSystem(1, {
      cluster: { replicationFactor: 2, minInsyncReplicas: 2, eligibleLeaderReplicas },
      producer: { acks: 'all', ratePerSecond: RATE, stopAtUs: seconds(50) },
    });
    const answers: { atUs: number; error: ProduceError; isr: number }[] = [];
    const respond = system.cluster.respondToProduce;
    system.cluster.respondToProduce = (requestId, error, broker, afterUs) => {
      answers.push({ atUs: sim.now, error, isr: system.cluster.partitions[0]!.isr.length });
      respond(requestId, error, broker, afterUs);
    };
    system.isolateAt(seconds(10), 1, true);
    system.isolateAt(seconds(60), 1, false);
    system.start();
    sim.run({ untilUs: seconds(44) });
    const hwBefore = system.cluster.highWatermark(0);
    sim.run({ untilUs: seconds(50) });
    const state = { isr: [...system.cluster.partitions[0]!.isr], elr: [...system.cluster.partitions[0]!.elr], hw: system.cluster.highWatermark(0) };
    sim.run({ untilUs: seconds(400) });
    return { system, answers, hwBefore, state, result: outcome(system) };
  }

  it('ELR on: the high watermark stays put with the ISR at {0}, and the waiting acks=all requests succeed once broker 1 is back', () => {
    const { answers, hwBefore, state, result } = run(true);
    expect(state.isr).toEqual([0]);
    expect(state.elr).toEqual([1]); // dropped for lagging while the ISR fell below min: still electable
    expect(state.hw).toBe(hwBefore);
    expect(answers.filter((a) => a.error === 'not-enough-replicas-after-append')).toEqual([]);
    // Every success is answered with the ISR at min.insync.replicas: before the cut, or after it healed.
    const successes = answers.filter((a) => a.error === 'none');
    expect(successes.every((a) => a.isr >= 2)).toBe(true);
    expect(successes.filter((a) => a.atUs > seconds(10.01) && a.atUs < seconds(60))).toEqual([]);
    expect(successes.filter((a) => a.atUs >= seconds(60)).length).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    expect(result.audit).toEqual([]);
  });

  it('ELR off: the ISR shrink moves the high watermark past what only the leader holds (NotEnoughReplicasAfterAppend)', () => {
    const { answers, hwBefore, state, result } = run(false);
    expect(state.isr).toEqual([0]);
    expect(state.elr).toEqual([]);
    expect(state.hw).toBeGreaterThan(hwBefore);
    expect(answers.filter((a) => a.error === 'not-enough-replicas-after-append').length).toBeGreaterThan(0);
    expect(result.audit).toEqual([]);
  });
});

/**
 * F7: RF 3, acks=all, min.insync.replicas=2, a producer at 100/s from 0 to 80 s and a slow
 * consumer (25/s, so the lost messages were not read yet). Power fails at 62.3 s and comes
 * back at 82.3 s. The last writeback pass before the failure ran at 60 s and wrote back what
 * was written up to 30 s (dirty_expire 30 s, dirty_writeback 5 s), so every broker's log is cut
 * at its end as of 30 s: what was acknowledged after that is lost.
 */
const F7 = { failS: 62.3, backS: 82.3, stopS: 80, endS: 800 };

function f7(setup: (system: KafkaSystem) => void, cluster: Overrides['cluster'] = {}) {
  const { sim, system } = kafkaSystem(1, {
    cluster: { minInsyncReplicas: 2, ...cluster },
    producer: { acks: 'all', ratePerSecond: RATE, stopAtUs: seconds(F7.stopS) },
    group: { processingSeconds: { kind: 'constant', value: 0.04 } },
  });
  setup(system);
  system.start();
  sim.run({ untilUs: seconds(F7.endS) });
  return { system, result: outcome(system) };
}

const allBrokers = [0, 1, 2];

describe('F7: power failure with the default flush (the OS writes the page cache back)', () => {
  it('loses the acknowledged messages written after the last write-back horizon, with their cause', () => {
    const { system, result } = f7((s) => {
      s.powerFailureAt(seconds(F7.failS), allBrokers);
      for (const b of allBrokers) s.restartBrokerAt(seconds(F7.backS), b);
    });
    // The writeback rule: the pass at floor(62.3 / 5) * 5 = 60 s flushed what was written up to 60 - 30 = 30 s.
    const lastPassS = Math.floor(F7.failS / 5) * 5;
    const horizonS = lastPassS - 30;
    expect(horizonS).toBe(30);
    const predictedFromRate = RATE * (F7.failS - horizonS); // 3,230
    const createdAfterHorizon = createdBetween(system, seconds(horizonS), seconds(F7.failS));
    const lost = result.lostByCause['unflushed-page-cache-power-loss'] ?? 0;
    // The last few sends before the failure were not acknowledged yet: the producer retried them.
    expect(Math.abs(lost - createdAfterHorizon), JSON.stringify(result)).toBeLessThanOrEqual(3);
    expect(Math.abs(lost - predictedFromRate)).toBeLessThanOrEqual(4 * Math.sqrt(predictedFromRate)); // Poisson
    expect(result.lost - lost).toBeLessThanOrEqual(2); // a message or two on the leader's disk but not the new leader's
    expect(result.truncatedAfterRead).toBe(0);
    expect(result.rejected).toBe(0);
    expect(result.inFlight).toBe(0);
    expect(result.delivered + result.lost).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });

  it('a process crash of every broker keeps the page cache: nothing is lost', () => {
    const { result } = f7((s) => {
      for (const b of allBrokers) {
        s.crashBrokerAt(seconds(F7.failS), b);
        s.restartBrokerAt(seconds(F7.backS), b);
      }
    });
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });

  it('log.flush.interval.messages=1 (an fsync per write): a power failure loses nothing', () => {
    const { result } = f7(
      (s) => {
        s.powerFailureAt(seconds(F7.failS), allBrokers);
        for (const b of allBrokers) s.restartBrokerAt(seconds(F7.backS), b);
      },
      { flushIntervalMessages: 1 },
    );
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });

  it('power failure of the leader alone: the followers have every acknowledged write, nothing is lost', () => {
    const { result } = f7((s) => {
      s.powerFailureAt(seconds(F7.failS), [0]);
      s.restartBrokerAt(seconds(F7.backS), 0);
    });
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });

  it('replays identically', () => {
    const once = () =>
      f7((s) => {
        s.powerFailureAt(seconds(F7.failS), allBrokers);
        for (const b of allBrokers) s.restartBrokerAt(seconds(F7.backS), b);
      }).result;
    expect(once()).toEqual(once());
  });
});

describe('the lessons in simulations/', () => {
  it('power-failure.yaml: a data-centre-wide power failure loses about 32 s of acknowledged messages, with their cause', () => {
    const summary = runSimulation('power-failure.yaml');
    const m = summary.messages;
    // Power fails at 62.3 s: the writeback pass at 60 s had flushed up to 30 s; 100/s for 32.3 s.
    expect(Math.abs(m.lost - 3_230)).toBeLessThanOrEqual(4 * Math.sqrt(3_230));
    expect(m.lostByCause).toEqual({ 'unflushed-page-cache-power-loss': m.lost });
    expect(summary.faults).toEqual([{ atMs: 62_300, kind: 'power-failure', target: 'all brokers', endedAtMs: 80_000 }]);
    expect(summary.expectations?.every((e) => e.met)).toBe(true);
    expect(summary.invariants).toEqual({ conservation: true, violations: [] });
    const fsynced = runSimulation('power-failure.yaml', [{ path: 'kafka.flushIntervalMessages', value: 1 }]);
    expect(fsynced.messages.lost).toBe(0);
    expect(fsynced.invariants).toEqual({ conservation: true, violations: [] });
  });

  it('elr-failover.yaml: broker 1 leads from the ELR at about 90 s and nothing is lost; without ELR the partition waits for broker 0', () => {
    const summary = runSimulation('elr-failover.yaml');
    expect(summary.messages.lost).toBe(0);
    expect(summary.cluster?.elrElections).toBe(1);
    const elr = summary.timeline?.filter((entry) => entry.kind === 'elr-election') ?? [];
    expect(elr).toHaveLength(1);
    expect(elr[0]!.atMs).toBeGreaterThanOrEqual(90_000);
    expect(elr[0]!.atMs).toBeLessThanOrEqual(92_100);
    expect(summary.expectations?.every((e) => e.met)).toBe(true);
    expect(summary.invariants).toEqual({ conservation: true, violations: [] });
    const off = runSimulation('elr-failover.yaml', [{ path: 'kafka.eligibleLeaderReplicas', value: false }]);
    expect(off.messages.lost).toBe(0);
    expect(off.cluster?.offlinePartitionSeconds).toBeGreaterThan(60);
    expect(off.timeline?.map((entry) => entry.kind)).toEqual(['election']);
  });
});
