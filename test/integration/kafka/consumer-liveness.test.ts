import { describe, expect, it } from 'vitest';
import { assign, type AssignorName } from '../../../src/model/kafka/assignors';
import { memberIdOf, protocolOf, type RebalanceReason } from '../../../src/model/kafka/consumer-group';
import type { KafkaSystem } from '../../../src/model/kafka/system';
import { kafkaSystem, outcome, seconds, type Overrides } from './harness';

/**
 * Consumer group liveness (§1.8): heartbeats to the coordinator (the controller node) over the
 * network, session.timeout.ms, max.poll.interval.ms, and the assignors wired into rebalances.
 * Heartbeats every 3 s, so the last one before a crash at t arrives in (t - 3 s, t]; the
 * coordinator removes the member session.timeout.ms (45 s) after it.
 */
const SESSION_S = 45;
const HEARTBEAT_S = 3;

interface Watched {
  removals: { atS: number; consumer: number; reason: RebalanceReason }[];
  rebalances: { atS: number; phase: 'start' | 'end'; reason: RebalanceReason }[];
  timesDelivered: Map<number, number>;
}

function watch(system: KafkaSystem, now: () => number): Watched {
  const watched: Watched = { removals: [], rebalances: [], timesDelivered: new Map() };
  system.group.onMemberRemoved = (consumer, reason) => watched.removals.push({ atS: now() / 1e6, consumer, reason });
  system.group.onRebalance = (phase, _members, reason) => watched.rebalances.push({ atS: now() / 1e6, phase, reason });
  system.group.onDelivered = (id) => watched.timesDelivered.set(id, (watched.timesDelivered.get(id) ?? 0) + 1);
  return watched;
}

/** 4 partitions, 2 consumers keeping up with 200 messages/s; range gives [0, 1] and [2, 3]. */
function group(overrides: Overrides = {}) {
  const { sim, system } = kafkaSystem(3, {
    ...overrides,
    cluster: { partitions: 4, ...overrides.cluster },
    producer: { ratePerSecond: 200, stopAtUs: seconds(120), ...overrides.producer },
    group: { consumers: 2, processingSeconds: { kind: 'constant', value: 0.001 }, ...overrides.group },
  });
  const watched = watch(system, () => sim.now);
  return { sim, system, watched };
}

const consumerNode = (system: KafkaSystem, consumer: number): number => system.options.cluster.brokers + 2 + consumer;
const coordinator = (system: KafkaSystem): number => system.options.cluster.brokers;

describe('session timeout: a crashed consumer is noticed after session.timeout.ms', () => {
  it('moves its partitions to the survivor between 42 and 45 s after the crash, and the survivor drains the lag', () => {
    const { sim, system, watched } = group();
    system.crashConsumerAt(seconds(10), 1);
    system.start();
    sim.run({ untilUs: seconds(10 + SESSION_S - HEARTBEAT_S - 0.1) });
    // Not instantly: until the session expires the dead member keeps its partitions.
    expect(system.group.assignment().slice(0, 2)).toEqual([[0, 1], [2, 3]]);
    expect(watched.removals).toEqual([]);
    sim.run({ untilUs: seconds(200) });
    expect(watched.removals).toHaveLength(1);
    const removal = watched.removals[0]!;
    expect(removal).toMatchObject({ consumer: 1, reason: 'session-timeout' });
    expect(removal.atS).toBeGreaterThan(10 + SESSION_S - HEARTBEAT_S);
    expect(removal.atS).toBeLessThanOrEqual(10 + SESSION_S);
    // The rebalance it starts completes after the pause, and consumer 0 owns everything.
    expect(watched.rebalances.map((r) => [r.phase, r.reason])).toEqual([['start', 'session-timeout'], ['end', 'session-timeout']]);
    expect(watched.rebalances[1]!.atS - removal.atS).toBeCloseTo(3, 1);
    expect(system.group.assignment().slice(0, 2)).toEqual([[0, 1, 2, 3], []]);
    const result = outcome(system);
    expect(result.delivered, JSON.stringify(result)).toBe(result.produced);
    expect(result.lost).toBe(0);
    expect(system.group.totalLag()).toBe(0);
    expect(result.audit).toEqual([]);
  });

  it('a consumer restarted after its session expired rejoins with a rebalance and gets its partitions back', () => {
    const { sim, system, watched } = group();
    system.crashConsumerAt(seconds(10), 1);
    system.restartConsumerAt(seconds(70), 1);
    system.start();
    sim.run({ untilUs: seconds(69) });
    expect(system.group.assignment().slice(0, 2)).toEqual([[0, 1, 2, 3], []]);
    sim.run({ untilUs: seconds(200) });
    expect(watched.rebalances.filter((r) => r.phase === 'start').map((r) => r.reason)).toEqual(['session-timeout', 'rejoined']);
    const rejoined = watched.rebalances.find((r) => r.reason === 'rejoined' && r.phase === 'end')!;
    expect(rejoined.atS).toBeGreaterThanOrEqual(73);
    expect(rejoined.atS).toBeLessThan(74);
    expect(system.group.assignment().slice(0, 2)).toEqual([[0, 1], [2, 3]]);
    expect(outcome(system).delivered).toBe(outcome(system).produced);
  });

  it('a quick restart does not help: the rebalance waits for the old member\'s session to expire', () => {
    const { sim, system, watched } = group();
    system.crashConsumerAt(seconds(10), 1);
    system.restartConsumerAt(seconds(15), 1);
    system.start();
    sim.run({ untilUs: seconds(200) });
    const start = watched.rebalances.find((r) => r.phase === 'start')!;
    const end = watched.rebalances.find((r) => r.phase === 'end')!;
    expect(start).toMatchObject({ reason: 'rejoined' });
    expect(start.atS).toBeCloseTo(15, 2);
    expect(watched.removals).toEqual([expect.objectContaining({ consumer: 1, reason: 'session-timeout' })]);
    expect(end.atS).toBeGreaterThanOrEqual(watched.removals[0]!.atS);
    expect(end.atS).toBeGreaterThan(10 + SESSION_S - HEARTBEAT_S);
    expect(system.group.assignment().slice(0, 2)).toEqual([[0, 1], [2, 3]]);
    expect(outcome(system).delivered).toBe(outcome(system).produced);
  });
});

describe('heartbeats travel over the network', () => {
  it('a consumer cut off from the coordinator (not from the brokers) is removed after the session timeout and rejoins when healed', () => {
    const { sim, system, watched } = group();
    system.partitionAt(seconds(10), [consumerNode(system, 1)], [coordinator(system)], true);
    system.partitionAt(seconds(80), [consumerNode(system, 1)], [coordinator(system)], false);
    system.start();
    sim.run({ untilUs: seconds(200) });
    expect(watched.removals).toHaveLength(1);
    expect(watched.removals[0]).toMatchObject({ consumer: 1, reason: 'session-timeout' });
    expect(watched.removals[0]!.atS).toBeGreaterThan(10 + SESSION_S - HEARTBEAT_S);
    expect(watched.removals[0]!.atS).toBeLessThanOrEqual(10 + SESSION_S);
    // After the heal its next heartbeat gets UNKNOWN_MEMBER_ID, so it rejoins.
    const rejoin = watched.rebalances.find((r) => r.reason === 'rejoined' && r.phase === 'start')!;
    expect(rejoin.atS).toBeGreaterThan(80);
    expect(rejoin.atS).toBeLessThanOrEqual(80 + HEARTBEAT_S);
    expect(system.group.assignment().slice(0, 2)).toEqual([[0, 1], [2, 3]]);
    // Cut off from the coordinator it kept fetching and processing, but its commits never
    // arrived: consumer 0 read those records again.
    const result = outcome(system);
    expect(result.duplicates).toBeGreaterThan(0);
    expect(result.duplicatesByCause).toEqual({ 'consumer-redelivery': result.duplicates });
    expect(result.delivered).toBe(result.produced);
    expect(result.lost).toBe(0);
    expect(result.audit).toEqual([]);
  });
});

describe('max.poll.interval.ms: a poll processed for too long', () => {
  // Almost every record takes 1 ms; one in 500 takes about 100 s, more than max.poll.interval.ms (30 s here).
  const rareSlow = {
    kind: 'empirical' as const,
    points: [
      [0.001, 0],
      [0.0010001, 0.998],
      [99.99, 0.998],
      [100, 1],
    ] as [number, number][],
  };

  it('the consumer leaves the group, its commit fails, and the new owner processes its records again (consumer-redelivery)', () => {
    const { sim, system, watched } = group({
      producer: { ratePerSecond: 20, stopAtUs: seconds(100) },
      group: { processingSeconds: rareSlow, maxPollIntervalUs: seconds(30) },
    });
    system.start();
    sim.run({ untilUs: seconds(2_000) });
    const pollRemovals = watched.removals.filter((r) => r.reason === 'poll-interval');
    expect(pollRemovals.length, JSON.stringify(watched)).toBeGreaterThan(0);
    expect(watched.removals.every((r) => r.reason === 'poll-interval')).toBe(true);
    expect(system.group.commitsFailed).toBeGreaterThan(0);
    const result = outcome(system);
    expect(result.duplicates).toBeGreaterThan(0);
    expect(result.duplicatesByCause).toEqual({ 'consumer-redelivery': result.duplicates });
    expect([...watched.timesDelivered.values()].reduce((sum, n) => sum + n - 1, 0)).toBe(result.duplicates);
    expect(result.delivered).toBe(result.produced);
    expect(result.lost).toBe(0);
    expect(result.audit).toEqual([]);
  });

  it('a paused consumer stops heartbeating too: the session timeout removes it first; its late commit fails and its records are redelivered', () => {
    // 1 partition; about 500 records wait for the group to form (initial delay 30 s), so consumer
    // 0's first poll takes about 250 s at 0.5 s a record (under max.poll.interval.ms). It is paused
    // for 320 s in the middle of it, removed, and still processing when its commit fails.
    const { sim, system, watched } = group({
      cluster: { partitions: 1 },
      producer: { ratePerSecond: 20, stopAtUs: seconds(25) },
      group: { processingSeconds: { kind: 'constant', value: 0.5 }, initialRebalanceDelayUs: seconds(30) },
    });
    const node = consumerNode(system, 0);
    const others = Array.from({ length: system.nodeCount }, (_, id) => id).filter((id) => id !== node);
    system.partitionAt(seconds(60), [node], others, true);
    system.partitionAt(seconds(380), [node], others, false);
    system.start();
    sim.run({ untilUs: seconds(1_500) });
    expect(watched.removals).toEqual([expect.objectContaining({ consumer: 0, reason: 'session-timeout' })]);
    expect(watched.removals[0]!.atS).toBeGreaterThan(60 + SESSION_S - HEARTBEAT_S);
    expect(watched.removals[0]!.atS).toBeLessThanOrEqual(60 + SESSION_S);
    // It rejoins on its first heartbeat after the pause.
    const rejoin = watched.rebalances.find((r) => r.reason === 'rejoined')!;
    expect(rejoin.atS).toBeGreaterThan(380);
    expect(rejoin.atS).toBeLessThanOrEqual(380 + HEARTBEAT_S);
    expect(system.group.commitsFailed).toBeGreaterThan(0);
    const result = outcome(system);
    expect(result.duplicates).toBeGreaterThan(0);
    expect(result.duplicatesByCause).toEqual({ 'consumer-redelivery': result.duplicates });
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });
});

describe('assignors wired in', () => {
  const partitions = 7;
  const topic = 'topic';

  /** What assignors.ts says for these members, as partition lists per consumer. */
  function expected(name: AssignorName, members: number[], owned: number[][]): number[][] {
    const result = assign(
      name,
      members.map((c) => ({ memberId: memberIdOf(c), topics: [topic], ownedPartitions: (owned[c] ?? []).map((partition) => ({ topic, partition })) })),
      { [topic]: partitions },
    );
    return [0, 1, 2].map((c) => (members.includes(c) ? result.byMember[memberIdOf(c)]!.map((tp) => tp.partition) : []));
  }

  it.each(['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const)('%s: the group forms, then loses a member, with the assignment assignors.ts gives', (name) => {
    const { sim, system } = group({ cluster: { partitions }, group: { consumers: 3, assignor: name } });
    system.crashConsumerAt(seconds(10), 1);
    system.start();
    sim.run({ untilUs: seconds(5) });
    const formed = system.group.assignment();
    expect(formed).toEqual(expected(name, [0, 1, 2], []));
    sim.run({ untilUs: seconds(200) });
    const after = system.group.assignment();
    expect(after).toEqual(expected(name, [0, 2], formed));
    if (name === 'range') expect(after).toEqual([[0, 1, 2, 3], [], [4, 5, 6]]);
    if (name === 'sticky' || name === 'cooperative-sticky') {
      // Sticky: the survivors keep what they had and share the dead member's partitions.
      for (const c of [0, 2]) for (const p of formed[c]!) expect(after[c]).toContain(p);
    }
    expect(outcome(system).delivered).toBe(outcome(system).produced);
  });

  it('cooperative-sticky revokes only the partitions that move; eager revokes them all', () => {
    const scaleOut = (name: AssignorName) => {
      const { sim, system, watched } = group({ cluster: { partitions: 12 }, group: { consumers: 3, maxConsumers: 4, assignor: name } });
      system.start();
      sim.run({ untilUs: seconds(20) });
      const before = system.group.assignment();
      system.group.rebalance(4, protocolOf(name), seconds(3));
      sim.run({ untilUs: seconds(20.5) }); // what was polled before is processed by now
      const deliveredBefore = system.ledger.delivered;
      sim.run({ untilUs: seconds(22.5) });
      const deliveredDuring = system.ledger.delivered - deliveredBefore;
      sim.run({ untilUs: seconds(200) });
      return { system, watched, before, after: system.group.assignment(), deliveredDuring };
    };
    const eager = scaleOut('sticky');
    const cooperative = scaleOut('cooperative-sticky');
    expect(eager.system.group.partitionsRevoked).toBe(12);
    const moved = cooperative.after.reduce((count, partitionsOf, c) => count + partitionsOf.filter((p) => !(cooperative.before[c] ?? []).includes(p)).length, 0);
    expect(moved).toBe(3); // 12 partitions from 3 to 4 consumers: one of each 4 moves
    expect(cooperative.system.group.partitionsRevoked).toBe(moved);
    expect(cooperative.after.map((list) => list.length)).toEqual([3, 3, 3, 3]);
    // Two rebalances (KIP-429), the second moving the revoked partitions; unmoved ones kept flowing.
    expect(cooperative.watched.rebalances.filter((r) => r.phase === 'start')).toHaveLength(2);
    expect(eager.watched.rebalances.filter((r) => r.phase === 'start')).toHaveLength(1);
    expect(eager.deliveredDuring).toBe(0);
    expect(cooperative.deliveredDuring).toBeGreaterThan(0);
    for (const run of [eager, cooperative]) {
      const result = outcome(run.system);
      expect(result.delivered).toBe(result.produced);
      expect(result.duplicates).toBe(0);
      expect(result.lost).toBe(0);
    }
  });
});
