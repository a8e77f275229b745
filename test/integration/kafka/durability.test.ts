import { describe, expect, it } from 'vitest';
import { createdBetween, kafkaSystem, outcome, seconds } from './harness';

/**
 * Rows of the fault/outcome table in shared/reference/mq-semantics.md §1.6, each on RF 3
 * (replicas on brokers 0, 1, 2; broker 0 leads) with a producer at 100 messages/s and one
 * consumer. The expected counts come from the timeline of each fault and the producer's
 * rate, counted from the messages' creation times, never from the model's own loss logic.
 */
const RATE = 100;


/** Leader 0 cut off from the followers at `isolateS`, crashed at `crashS`, back at `restartS`. */
function leaderFailure(acks: 0 | 1 | 'all', minInsync: number, times: { isolateS: number; crashS: number; restartS: number; stopS: number; endS: number }, unclean = false) {
  const { sim, system } = kafkaSystem(1, {
    cluster: { minInsyncReplicas: minInsync, uncleanLeaderElection: unclean },
    producer: { acks, ratePerSecond: RATE, stopAtUs: seconds(times.stopS) },
  });
  system.isolateAt(seconds(times.isolateS), 0, true);
  system.crashBrokerAt(seconds(times.crashS), 0);
  system.isolateAt(seconds(times.restartS), 0, false);
  system.restartBrokerAt(seconds(times.restartS), 0);
  system.start();
  sim.run({ untilUs: seconds(times.endS) });
  return { system, result: outcome(system) };
}

describe('F2: acks=1, the leader dies after acknowledging, before the followers fetch', () => {
  const times = { isolateS: 5, crashS: 10, restartS: 20, stopS: 30, endS: 200 };
  const { system, result } = leaderFailure(1, 1, times);

  it('loses exactly the acknowledged messages the followers never fetched', () => {
    // Everything created while the leader was cut off from its followers was appended and
    // acknowledged by the leader alone; a follower (still in the ISR: 5 s < 30 s) took over.
    const unreplicated = createdBetween(system, seconds(times.isolateS), seconds(times.crashS));
    expect(unreplicated).toBeGreaterThan(400);
    expect(Math.abs(result.lost - unreplicated), JSON.stringify(result)).toBeLessThanOrEqual(2);
    expect(result.lostByCause).toEqual({ 'acked-then-leader-failed-unreplicated': result.lost });
  });

  it('elects a follower cleanly and accounts for every message', () => {
    expect(result.elections).toBeGreaterThanOrEqual(1);
    expect(result.uncleanElections).toBe(0);
    expect(result.audit).toEqual([]);
    expect(result.produced).toBe(result.delivered + result.lost + result.inFlight + result.rejected);
    expect(result.inFlight).toBe(0);
  });
});

describe('F4: acks=all with min.insync.replicas=2, the same leader failure', () => {
  const times = { isolateS: 5, crashS: 10, restartS: 20, stopS: 30, endS: 200 };
  const { result } = leaderFailure('all', 2, times);

  it('loses nothing: unreplicated writes were never acknowledged, and their retries succeed', () => {
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.rejected).toBe(0);
    expect(result.delivered).toBe(result.produced);
    expect(result.audit).toEqual([]);
  });
});

describe('F1: acks=0, the same leader failure', () => {
  const times = { isolateS: 5, crashS: 10, restartS: 40, stopS: 30, endS: 200 };
  const { system, result } = leaderFailure(0, 1, times);

  it('loses what only the leader had, and everything sent to it until it was fenced, silently for the producer', () => {
    const unreplicated = createdBetween(system, seconds(times.isolateS), seconds(times.crashS));
    // The controller fences the dead leader after broker.session.timeout.ms (9 s) without a
    // heartbeat (the last one came at most 2 s before the crash); until then the producer's
    // metadata still names it, and every send goes to a dead broker.
    const lostSends = result.lostByCause['acks0-network-drop'] ?? 0;
    expect(Math.abs((result.lostByCause['acks0-failover-truncation'] ?? 0) - unreplicated)).toBeLessThanOrEqual(2);
    expect(lostSends).toBeGreaterThanOrEqual(createdBetween(system, seconds(times.crashS), seconds(times.crashS + 7)) - 2);
    expect(lostSends).toBeLessThanOrEqual(createdBetween(system, seconds(times.crashS), seconds(times.crashS + 9)) + 2);
    expect(result.rejected).toBe(0); // acks=0 never reports an error
    expect(result.audit).toEqual([]);
  });
});

describe('F3: acks=all, min.insync.replicas=1, the ISR shrinks to the leader, then the leader dies', () => {
  // Followers cut off at 5 s leave the ISR after replica.lag.time.max.ms (30 s); the leader
  // then acknowledges alone until it crashes at 60 s.
  const times = { isolateS: 5, crashS: 60, restartS: 100, stopS: 80, endS: 400 };

  it('unclean election off: the partition goes offline, nothing acknowledged is lost, the leader returns', () => {
    const { system, result } = leaderFailure('all', 1, times);
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.uncleanElections).toBe(0);
    expect(system.cluster.offlinePartitionUs).toBeGreaterThan(seconds(times.restartS - times.crashS - 10));
    expect(system.cluster.partitions[0]!.leader).toBe(0);
    expect(result.audit).toEqual([]);
  });

  it('unclean election on: an out-of-sync follower leads, and every write acknowledged since the shrink is lost', () => {
    const { system, result } = leaderFailure('all', 1, times, true);
    expect(result.uncleanElections).toBe(1);
    // All writes from the cut (5 s) were acknowledged once the ISR shrank to the leader
    // (35 s, when the waiting requests completed) until the crash (60 s).
    // Gone from the log: lost, or (the consumer keeps up) read by this group just before.
    const ackedAlone = createdBetween(system, seconds(times.isolateS), seconds(times.crashS));
    const gone = result.lost + result.truncatedAfterRead;
    expect(Math.abs(gone - ackedAlone), JSON.stringify(result)).toBeLessThanOrEqual(2);
    expect(result.lostByCause).toEqual(result.lost > 0 ? { 'unclean-election-truncation': result.lost } : {});
    expect(result.audit).toEqual([]);
  });

  it('unclean election on, with a consumer that lags: the lost writes are the ones it had not read', () => {
    const { sim, system } = kafkaSystem(1, {
      cluster: { uncleanLeaderElection: true },
      producer: { acks: 'all', ratePerSecond: RATE, stopAtUs: seconds(times.stopS) },
      group: { processingSeconds: { kind: 'constant', value: 0.1 } }, // 10/s against 100/s
    });
    system.isolateAt(seconds(times.isolateS), 0, true);
    system.crashBrokerAt(seconds(times.crashS), 0);
    system.start();
    sim.run({ untilUs: seconds(2_000) });
    const result = outcome(system);
    const ackedAlone = createdBetween(system, seconds(times.isolateS), seconds(times.crashS));
    expect(result.lost, JSON.stringify(result)).toBeGreaterThan(ackedAlone * 0.5);
    expect(Math.abs(result.lost + result.truncatedAfterRead - ackedAlone)).toBeLessThanOrEqual(2);
    expect(result.lostByCause).toEqual({ 'unclean-election-truncation': result.lost });
    expect(result.audit).toEqual([]);
  });
});

describe('F5: acks=all, min.insync.replicas=2, the ISR shrinks to the leader alone', () => {
  const { sim, system } = kafkaSystem(1, {
    cluster: { minInsyncReplicas: 2 },
    producer: { acks: 'all', ratePerSecond: RATE, stopAtUs: seconds(200) },
  });
  system.isolateAt(seconds(5), 0, true);
  system.start();
  sim.run({ untilUs: seconds(600) });
  const result = outcome(system);

  it('rejects writes with NotEnoughReplicas instead of acknowledging them unreplicated', () => {
    expect(result.lost, JSON.stringify(result)).toBe(0);
    expect(result.rejectedByCause['not-enough-replicas'] ?? 0).toBeGreaterThan(0);
    expect(result.audit).toEqual([]);
  });

  it('acknowledges nothing written after the followers were cut off', () => {
    expect(system.cluster.partitions[0]!.isr).toEqual([0]);
    // Writes before the cut were replicated and acknowledged; every later one was either
    // refused (NotEnoughReplicas) or appended and then answered NotEnoughReplicasAfterAppend.
    expect(Math.abs(result.acked - createdBetween(system, 0, seconds(5))), JSON.stringify(result)).toBeLessThanOrEqual(1);
    // Requests already appended when the ISR shrank were answered
    // NotEnoughReplicasAfterAppend: the producer retried them (and was refused), yet the
    // first copy stayed in the log and reached the consumer (§1.3: the append had happened).
    expect(result.delivered).toBeGreaterThan(result.acked);
    expect(result.audit).toEqual([]);
  });
});

describe('two unclean elections in a row (a follower that followed a leader whose epoch the next leader never had)', () => {
  it('truncates to the last epoch both logs share and keeps every message accounted for', () => {
    const { sim, system } = kafkaSystem(1, {
      cluster: { brokers: 2, replicationFactor: 2, minInsyncReplicas: 1, uncleanLeaderElection: true },
      producer: { acks: 1, ratePerSecond: 10, stopAtUs: seconds(200) },
    });
    system.isolateAt(seconds(10), 1, true);
    system.crashBrokerAt(seconds(60), 0);
    system.isolateAt(seconds(61), 1, false);
    system.crashBrokerAt(seconds(100), 1);
    system.restartBrokerAt(seconds(110), 0);
    system.restartBrokerAt(seconds(140), 1);
    system.start();
    sim.run({ untilUs: seconds(600) });
    const result = outcome(system);
    expect(result.uncleanElections, JSON.stringify(result)).toBe(2);
    expect(result.audit).toEqual([]);
    expect(result.inFlight).toBe(0);
    // Both replicas end with the same log.
    const logs = [0, 1].map((b) => system.cluster.replica(b, 0).log);
    expect(logs[1]!.logEndOffset).toBe(logs[0]!.logEndOffset);
    for (let i = 0; i < logs[0]!.batchCount; i++) {
      expect(logs[1]!.batchFirstMessageId(i)).toBe(logs[0]!.batchFirstMessageId(i));
      expect(logs[1]!.batchEpoch(i)).toBe(logs[0]!.batchEpoch(i));
    }
  });
});

describe('a deposed leader that has not heard yet (zombie) keeps appending', () => {
  it('keeps its late appends out of history, so an unclean failover accounts for exactly what history held', () => {
    const { sim, system } = kafkaSystem(1, {
      cluster: { brokers: 2, replicationFactor: 2, minInsyncReplicas: 1, uncleanLeaderElection: true },
      producer: { acks: 1, ratePerSecond: 100, stopAtUs: seconds(60) },
      networkLatencyUs: 100_000, // 100 ms links: requests are still on the wire when the controller deposes broker 0
    });
    const controller = system.cluster.controllerNode;
    // Broker 1 loses its leader at 1 s, leaves the ISR at about 31 s and crashes at 35 s.
    // Broker 0 loses the controller at 40 s and is fenced about 9 s later: the partition goes
    // offline, while requests still on the wire reach broker 0, which appends them, unaware.
    // Broker 1 restarts at 60 s and is elected uncleanly.
    system.isolationPeers = (node) => (node === 1 ? [0] : [controller]);
    system.isolateAt(seconds(1), 1, true);
    system.crashBrokerAt(seconds(35), 1);
    system.isolateAt(seconds(40), 0, true);
    system.restartBrokerAt(seconds(60), 1);
    system.healAllAt(seconds(80));
    system.start();
    sim.run({ untilUs: seconds(600) });
    const result = outcome(system);
    expect(result.uncleanElections, JSON.stringify(result)).toBe(1);
    expect(result.lost).toBeGreaterThan(0);
    expect(result.audit).toEqual([]);
    expect(result.inFlight).toBe(0);
  });
});
