import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/engine';
import { rackAlternatedBrokerList, rackAwareAssignment } from '../../../src/model/kafka/placement';
import type { KafkaSystem } from '../../../src/model/kafka/system';
import { buildSummary } from '../../../src/report/summary';
import { runScenario } from '../../../src/run';
import { buildKafkaSystem } from '../../../src/run/kafka-run';
import { loadScenario, type KafkaSpec } from '../../../src/scenario';
import { kafkaSystem, outcome, seconds } from './harness';

/**
 * Replica placement with and without racks (placement.ts: Kafka's AdminUtils), and preferred
 * leaders: after a failover leadership stays where it moved until the controller's
 * leader-imbalance check (auto.leader.rebalance.enable, KRaft's QuorumController) gives it back
 * to the first replica, once that replica is alive, unfenced and in the ISR.
 */

/** The replica lists as the cluster holds them. */
const replicasOf = (system: KafkaSystem): number[][] => system.cluster.partitions.map((p) => p.replicas);

function countBy(values: number[], size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (const value of values) counts[value]!++;
  return counts;
}

describe('replica placement', () => {
  it('without racks stays round-robin: partition p on brokers p, p+1, ... (mod brokers), led by p mod brokers', () => {
    const brokers = 5;
    const partitions = 12;
    const { system } = kafkaSystem(1, { cluster: { brokers, partitions, replicationFactor: 3 } });
    const expected = Array.from({ length: partitions }, (_, p) => [p % brokers, (p + 1) % brokers, (p + 2) % brokers]);
    expect(replicasOf(system)).toEqual(expected);
    expect(system.cluster.partitions.map((p) => p.leader)).toEqual(expected.map((replicas) => replicas[0]));
  });

  it('6 brokers in 3 racks, RF 3: every partition on 3 racks, leaders and replicas spread evenly', () => {
    const brokerRacks = ['a', 'a', 'b', 'b', 'c', 'c'];
    const partitions = 24;
    const { system } = kafkaSystem(1, { cluster: { brokers: 6, partitions, replicationFactor: 3, brokerRacks } });
    const placement = replicasOf(system);
    for (const replicas of placement) expect(new Set(replicas.map((b) => brokerRacks[b])).size, `${replicas}`).toBe(3);
    // Preferred leaders (first replicas) lead at the start: 24 / 6 = 4 per broker, 12 replicas each.
    expect(countBy(system.cluster.partitions.map((p) => p.leader), 6)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(countBy(placement.flat(), 6)).toEqual([12, 12, 12, 12, 12, 12]);
    // The rack-unaware placement would put partition 0 on brokers 0, 1, 2: racks a, a, b.
    expect(placement[0]).toEqual([0, 2, 4]);
    expect(placement[6]).toEqual([0, 3, 5]); // second round: followers shifted by one rack
  });

  it('reproduces the examples of AdminUtils (apache/kafka server-common, org.apache.kafka.admin.AdminUtils)', () => {
    // getRackAlternatedBrokerList: rack1 {0,1,2}, rack2 {3,4,5}, rack3 {6,7,8} -> 0,3,6,1,4,7,2,5,8.
    expect(rackAlternatedBrokerList(['rack1', 'rack1', 'rack1', 'rack2', 'rack2', 'rack2', 'rack3', 'rack3', 'rack3'])).toEqual([0, 3, 6, 1, 4, 7, 2, 5, 8]);
    // assignReplicasToBrokers: 0 -> rack1, 1 -> rack3, 2 -> rack3, 3 -> rack2, 4 -> rack2, 5 -> rack1.
    const racks = ['rack1', 'rack3', 'rack3', 'rack2', 'rack2', 'rack1'];
    expect(rackAlternatedBrokerList(racks)).toEqual([0, 3, 1, 5, 4, 2]);
    expect(rackAwareAssignment(racks, 7, 3)).toEqual([
      [0, 3, 1],
      [3, 1, 5],
      [1, 5, 4],
      [5, 4, 2],
      [4, 2, 0],
      [2, 0, 3],
      [0, 4, 2], // "instead of repeating 0,3,1 as partition 0"
    ]);
  });

  it('kafka.racks: 3 puts broker b in rack-(b mod 3); fewer replicas than racks land on distinct racks', () => {
    const outcome = loadScenario(
      ['version: 1', 'title: t', 'kafka:', '  brokers: 6', '  partitions: 12', '  replicationFactor: 2', '  racks: 3', '  runSeconds: 1', '  producer: { ratePerSecond: 1, stopAtSeconds: 1 }', ''].join('\n'),
      { fileName: 'k.yaml' },
    );
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    const { system } = buildKafkaSystem(new Simulation(1), outcome.scenario.kafka as KafkaSpec);
    expect(system.options.cluster.brokerRacks).toEqual(['rack-0', 'rack-1', 'rack-2', 'rack-0', 'rack-1', 'rack-2']);
    for (const replicas of replicasOf(system)) expect(new Set(replicas.map((b) => b % 3)).size).toBe(2);
    expect(countBy(system.cluster.partitions.map((p) => p.leader), 6)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});

interface Election {
  atUs: number;
  partition: number;
  leader: number;
  preferred: boolean;
  epoch: number;
}

/**
 * 3 brokers, 3 partitions, RF 3 (preferred leaders 0, 1, 2), acks=all, min.insync.replicas=2.
 * Broker 0 crashes at 10 s and restarts at `restartS`: partition 0 moves to broker 1 when the
 * controller fences broker 0 (about 9 s later), and broker 0 rejoins its ISR soon after the
 * restart. The producer sends until `stopS`.
 */
function crashAndRestart(options: { autoLeaderRebalance?: boolean; intervalS?: number; restartS: number; stopS: number; endS: number }) {
  const { sim, system } = kafkaSystem(7, {
    cluster: {
      partitions: 3,
      minInsyncReplicas: 2,
      ...(options.autoLeaderRebalance === undefined ? {} : { autoLeaderRebalance: options.autoLeaderRebalance }),
      ...(options.intervalS === undefined ? {} : { leaderImbalanceCheckIntervalUs: seconds(options.intervalS) }),
    },
    producer: { acks: 'all', ratePerSecond: 100, stopAtUs: seconds(options.stopS) },
  });
  const elections: Election[] = [];
  system.cluster.onLeaderElected = (partition, leader, _unclean, _fromElr, preferred) =>
    elections.push({ atUs: sim.now, partition, leader, preferred: preferred === true, epoch: system.cluster.partitions[partition]!.leaderEpoch });
  system.crashBrokerAt(seconds(10), 0);
  system.restartBrokerAt(seconds(options.restartS), 0);
  // When broker 0 is back in partition 0's ISR (watched every 10 ms).
  let rejoinedUs = -1;
  sim.onSnapshot(10_000, (nowUs) => {
    if (rejoinedUs < 0 && nowUs > seconds(options.restartS) && system.cluster.partitions[0]!.isr.includes(0)) rejoinedUs = nowUs;
  });
  system.start();
  sim.run({ untilUs: seconds(options.endS) });
  system.cluster.settleGauges();
  return { sim, system, elections, rejoinedUs };
}

describe('preferred leaders and the automatic leader rebalance', () => {
  it('moves partition 0 back to broker 0 at the first imbalance check after it rejoined the ISR (300 s after the failover), without loss', () => {
    const { system, elections, rejoinedUs } = crashAndRestart({ restartS: 40, stopS: 340, endS: 400 });
    const [failover, back, ...rest] = elections;
    expect(rest).toEqual([]);
    // The failover: broker 0 fenced 9 s after its last heartbeat, partition 0 to broker 1 (next in the ISR).
    expect(failover).toMatchObject({ partition: 0, leader: 1, preferred: false, epoch: 1 });
    expect(failover!.atUs).toBeGreaterThan(seconds(17));
    expect(failover!.atUs).toBeLessThan(seconds(19.1));
    // Broker 0 is back in the ISR within seconds of its restart, but leadership stays with broker 1 ...
    expect(rejoinedUs).toBeGreaterThan(seconds(40));
    expect(rejoinedUs).toBeLessThan(seconds(45));
    // ... until the controller's check, leader.imbalance.check.interval.seconds after the failover.
    expect(back).toMatchObject({ partition: 0, leader: 0, preferred: true, epoch: 2 });
    expect(back!.atUs - failover!.atUs).toBe(seconds(300));
    expect(system.cluster.preferredElections).toBe(1);
    expect(system.cluster.partitions.map((p) => p.leader)).toEqual([0, 1, 2]);
    // The old leader stepped down when the news reached it.
    expect(system.cluster.replica(1, 0).leader).toBe(0);
    // A clean, planned move: the producer kept sending through it and nothing was lost.
    const result = outcome(system);
    expect(result).toMatchObject({ lost: 0, rejected: 0, inFlight: 0, uncleanElections: 0, elections: 2, audit: [] });
    expect(result.produced).toBeGreaterThan(33_000);
    expect(result.delivered).toBe(result.produced);
  });

  it('waits for the check after the preferred replica is back: not at a check while it is down (interval 20 s)', () => {
    // Failover at 17 s; checks at +20 s (37 s: broker 0 still down, nothing moves) and +40 s
    // (57 s: broker 0 restarted at 45 s and is in the ISR again).
    const { system, elections, rejoinedUs } = crashAndRestart({ intervalS: 20, restartS: 45, stopS: 80, endS: 100 });
    const [failover, back, ...rest] = elections;
    expect(rest).toEqual([]);
    expect(failover).toMatchObject({ partition: 0, leader: 1, preferred: false });
    expect(back).toMatchObject({ partition: 0, leader: 0, preferred: true });
    expect(rejoinedUs).toBeLessThan(failover!.atUs + seconds(40));
    expect(back!.atUs - failover!.atUs).toBe(seconds(40));
    expect(outcome(system)).toMatchObject({ lost: 0, rejected: 0, inFlight: 0, audit: [] });
  });

  it('leaves leadership where it moved with autoLeaderRebalance: false', () => {
    const { system, elections, rejoinedUs } = crashAndRestart({ autoLeaderRebalance: false, restartS: 40, stopS: 340, endS: 700 });
    expect(elections.map((e) => [e.partition, e.leader, e.preferred])).toEqual([[0, 1, false]]);
    expect(rejoinedUs).toBeGreaterThan(0);
    expect(system.cluster.preferredElections).toBe(0);
    expect(system.cluster.partitions.map((p) => p.leader)).toEqual([1, 1, 2]);
    expect(outcome(system)).toMatchObject({ lost: 0, rejected: 0, inFlight: 0, audit: [] });
  });

  it('marks the move on the timeline and in summary.json (scenario fields autoLeaderRebalance, leaderImbalanceCheckIntervalSeconds)', () => {
    const yaml = [
      'version: 1',
      'title: preferred leader',
      'kafka:',
      '  brokers: 3',
      '  partitions: 3',
      '  minInsyncReplicas: 2',
      '  leaderImbalanceCheckIntervalSeconds: 30',
      '  runSeconds: 60',
      '  producer: { ratePerSecond: 100, stopAtSeconds: 55 }',
      '  faults:',
      '    - { kind: broker-crash, broker: 0, atSeconds: 5, restartAtSeconds: 15 }',
      'expect:',
      '  preferredElections: 1',
      '  lost: 0',
      '',
    ].join('\n');
    const loaded = loadScenario(yaml, { fileName: 'p.yaml' });
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.scenario.kafka).toMatchObject({ autoLeaderRebalance: true, leaderImbalanceCheckIntervalSeconds: 30 });
    const summary = buildSummary(runScenario(loaded.scenario));
    expect(summary.cluster).toMatchObject({ leaderElections: 2, preferredElections: 1, uncleanElections: 0 });
    const elections = (summary.timeline ?? []).filter((entry) => entry.kind.endsWith('election'));
    expect(elections.map((e) => e.kind)).toEqual(['election', 'preferred-election']);
    expect(elections[1]!.label).toContain('broker 0 leads again');
    expect(elections[1]!.atMs - elections[0]!.atMs).toBe(30_000);
    expect(summary.expectations?.every((e) => e.met)).toBe(true);
  });
});

describe('kafka.racks in scenario files', () => {
  const kafka = (...lines: string[]): string =>
    ['version: 1', 'title: t', 'kafka:', '  brokers: 6', '  runSeconds: 10', '  producer: { ratePerSecond: 10, stopAtSeconds: 5 }', ...lines, ''].join('\n');

  it('refuses a rack list whose length is not the number of brokers, with its path and a fix', () => {
    const outcome = loadScenario(kafka('  racks: [a, a, b, b, c]'), { fileName: 'k.yaml' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const problem = outcome.problems.find((p) => p.path === 'kafka.racks');
    expect(problem?.problem).toBe('lists 5 racks but there are 6 brokers');
    expect(problem?.hint).toContain('one rack name per broker');
  });

  it('refuses more racks than brokers, and accepts a list per broker or a number', () => {
    const tooMany = loadScenario(kafka('  racks: 7'), { fileName: 'k.yaml' });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.problems.map((p) => p.path)).toEqual(['kafka.racks']);
    for (const racks of ['[a, a, b, b, c, c]', '3']) {
      const accepted = loadScenario(kafka(`  racks: ${racks}`), { fileName: 'k.yaml' });
      expect(accepted.ok, JSON.stringify(accepted)).toBe(true);
    }
    const defaults = loadScenario(kafka(), { fileName: 'k.yaml' });
    expect(defaults.ok && defaults.scenario.kafka).toMatchObject({ autoLeaderRebalance: true, leaderImbalanceCheckIntervalSeconds: 300 });
    expect(defaults.ok && defaults.scenario.kafka?.racks).toBeUndefined();
  });
});
