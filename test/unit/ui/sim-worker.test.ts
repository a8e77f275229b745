import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/run';
import { loadScenario } from '../../../src/scenario';
import type { WorkerCommand, WorkerEvent, WorkerHost } from '../../../src/ui/worker/protocol';
import { createSimCore, SNAPSHOT_MS } from '../../../src/ui/worker/sim-core';

/** A fake host: wall time moves only when the test says, timers run when the test says. */
function harness() {
  const events: WorkerEvent[] = [];
  let nowMs = 0;
  let pending: { callback: () => void; atMs: number; id: number } | null = null;
  let nextId = 1;
  const host: WorkerHost = {
    nowMs: () => nowMs,
    setTimer: (callback, delayMs) => {
      pending = { callback, atMs: nowMs + delayMs, id: nextId++ };
      return pending.id;
    },
    clearTimer: (handle) => {
      if (pending?.id === handle) pending = null;
    },
  };
  const core = createSimCore((event) => events.push(structuredClone(event)), host);
  const send = (command: WorkerCommand) => core.handle(command);
  /** Lets `wallMs` of wall time pass, running the worker's ticks as a browser would. */
  const wait = (wallMs: number) => {
    const end = nowMs + wallMs;
    while (pending !== null && pending.atMs <= end) {
      const { callback, atMs } = pending;
      pending = null;
      nowMs = Math.max(nowMs, atMs) + 3; // each tick costs 3 ms of work
      callback();
    }
    nowMs = Math.max(nowMs, end);
  };
  const last = <T extends WorkerEvent['type']>(type: T) => events.filter((e) => e.type === type).at(-1) as Extract<WorkerEvent, { type: T }> | undefined;
  const hash = () => {
    send({ type: 'hash', requestId: events.length });
    return last('hash')!;
  };
  return { events, send, wait, last, hash, isTicking: () => pending !== null };
}

const text = (file: string) => readFileSync(`simulations/${file}`, 'utf8');
function runHash(file: string, seed?: number): string {
  const outcome = loadScenario(text(file), { fileName: file });
  if (!outcome.ok) throw new Error('invalid');
  return runScenario(outcome.scenario, seed === undefined ? {} : { seed }).traceHash;
}

describe('simulation worker (message handler, no real Worker)', () => {
  it('plays a scenario to the end with the same trace hash as runScenario', () => {
    const h = harness();
    h.send({ type: 'load', text: text('failover-acks1.yaml'), fileName: 'failover-acks1.yaml' });
    expect(h.last('loaded')).toMatchObject({ title: expect.stringContaining('acks=1'), seed: 1, endUs: 200_000_000 });
    expect(h.last('snapshot')!.snapshot.timeUs).toBe(0);
    h.send({ type: 'speed', speed: 100 });
    h.send({ type: 'play' });
    h.wait(500); // 100x: about 50 s of simulated time
    const playing = h.last('snapshot')!;
    expect(playing.playing).toBe(true);
    expect(playing.snapshot.timeUs).toBeGreaterThan(30_000_000);
    expect(playing.snapshot.timeUs).toBeLessThanOrEqual(51_000_000);
    const snapshots = h.events.filter((e) => e.type === 'snapshot').length;
    expect(snapshots).toBeGreaterThan(500 / SNAPSHOT_MS - 3); // about 20 a second
    expect(snapshots).toBeLessThan(500 / SNAPSHOT_MS + 8);
    h.send({ type: 'speed', speed: 'max' });
    h.wait(60_000);
    const end = h.last('snapshot')!;
    expect(end.snapshot.done).toBe(true);
    expect(end.playing).toBe(false);
    expect(h.isTicking()).toBe(false);
    expect(h.hash().traceHash).toBe(runHash('failover-acks1.yaml'));
    // The rows arrived once each, in order, across all snapshots.
    const rows = h.events.filter((e) => e.type === 'snapshot').flatMap((e) => (e.type === 'snapshot' ? e.snapshot.series.rows : []));
    expect(rows.map((row) => row[0])).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('sends full snapshots at the cadence the UI asks for, and flows for the dots in between', () => {
    const h = harness();
    h.send({ type: 'load', text: text('failover-acks1.yaml'), fileName: 'failover-acks1.yaml' });
    h.send({ type: 'cadence', snapshotMs: 250 });
    h.send({ type: 'play' });
    const before = h.events.length;
    h.wait(1_000);
    const sent = h.events.slice(before);
    const snapshots = sent.filter((e) => e.type === 'snapshot').length;
    const flows = sent.filter((e) => e.type === 'flows');
    expect(snapshots).toBeGreaterThanOrEqual(3);
    expect(snapshots).toBeLessThanOrEqual(6);
    expect(flows.length).toBeGreaterThan(8);
    // Every message produced and consumed crosses a link once, in a flow or a snapshot's flows.
    const produced = sent.flatMap((e) => (e.type === 'flows' ? e.flows : e.type === 'snapshot' ? e.snapshot.flows : [])).filter((f) => f.hop === 'produce');
    const last = h.last('snapshot')!.snapshot;
    expect(produced.reduce((sum, f) => sum + f.messages, 0)).toBeLessThanOrEqual(last.partitions[0]!.leo);
    expect(produced.reduce((sum, f) => sum + f.messages, 0)).toBeGreaterThan(0);
  });

  it('uses the seed it is given', () => {
    const h = harness();
    h.send({ type: 'load', text: text('failover-acks-all.yaml'), fileName: 'failover-acks-all.yaml' });
    h.send({ type: 'seed', seed: 42 });
    h.send({ type: 'seek', timeUs: Infinity });
    expect(h.hash()).toMatchObject({ seed: 42, traceHash: runHash('failover-acks-all.yaml', 42), timeUs: 200_000_000 });
  });

  it('seeks back by replaying with the recorded faults, to the same trace hash', () => {
    const h = harness();
    h.send({ type: 'load', text: text('failover-acks-all.yaml'), fileName: 'failover-acks-all.yaml' });
    h.send({ type: 'speed', speed: 10 });
    h.send({ type: 'play' });
    h.wait(333); // about 3.3 s simulated, at an uneven wall-clock time
    h.send({ type: 'inject', fault: { kind: 'broker-crash', broker: 2 } });
    const crashAt = h.last('snapshot')!.snapshot.faults[0]!.atUs;
    expect(crashAt).toBeGreaterThan(2_000_000);
    h.wait(1_777);
    h.send({ type: 'inject', fault: { kind: 'consumer-kill', consumer: 0 } });
    h.wait(500);
    h.send({ type: 'pause' });
    const before = h.hash();
    const runIdBefore = h.last('snapshot')!.runId;
    expect(before.timeUs).toBeGreaterThan(20_000_000);

    h.send({ type: 'seek', timeUs: 1_000_000 });
    const back = h.last('snapshot')!;
    expect(back.runId).toBe(runIdBefore + 1);
    expect(back.snapshot.timeUs).toBe(1_000_000);
    expect(back.snapshot.series.firstRow).toBe(0);
    expect(back.snapshot.brokers[2]!.alive).toBe(true);
    expect(back.snapshot.markers.filter((m) => m.scheduled && m.fault === 'broker-crash' && m.target === 'broker-2')).toHaveLength(1);
    h.send({ type: 'seek', timeUs: before.timeUs });
    expect(h.hash()).toMatchObject({ traceHash: before.traceHash, timeUs: before.timeUs, events: before.events });
    expect(h.last('snapshot')!.snapshot.brokers[2]!.alive).toBe(false);

    // Restart forgets the faults: a clean run.
    h.send({ type: 'restart' });
    h.send({ type: 'seek', timeUs: before.timeUs });
    expect(h.hash().traceHash).not.toBe(before.traceHash);
    h.send({ type: 'seek', timeUs: Infinity });
    expect(h.hash().traceHash).toBe(runHash('failover-acks-all.yaml'));
  });

  it('steps by bucket and by event, and reports problems as the CLI does', () => {
    const h = harness();
    h.send({ type: 'load', text: 'version: 1\ntitle: x\nkafka:\n  brokers: 2\n  replicationFactor: 3\n', fileName: 'bad.yaml' });
    const problems = h.last('problems')!;
    expect(problems.problems.some((line) => /^bad\.yaml:\d+: kafka\.\S+: .+/.test(line))).toBe(true);
    h.send({ type: 'load', text: text('mm1.yaml'), fileName: 'mm1.yaml' });
    expect(h.last('problems')!.problems[0]).toMatch(/queue model/);
    h.send({ type: 'play' });
    expect(h.isTicking()).toBe(false); // nothing runs while the open file is not a live scenario
    h.send({ type: 'hash', requestId: 99 });
    expect(h.last('error')!.message).toMatch(/no scenario is loaded/);
    h.send({ type: 'load', text: text('failover-acks1.yaml'), fileName: 'failover-acks1.yaml' });
    h.send({ type: 'step', unit: 'bucket' });
    expect(h.last('snapshot')!.snapshot.timeUs).toBe(1_000_000);
    const events = h.last('snapshot')!.snapshot.events;
    h.send({ type: 'step', unit: 'event' });
    expect(h.last('snapshot')!.snapshot.events).toBe(events + 1);
    h.send({ type: 'inject', fault: { kind: 'broker-crash', broker: 9 } });
    expect(h.last('error')!.message).toMatch(/broker 9/);
    h.send({ type: 'summary', requestId: 1 });
    const summary = JSON.parse(h.last('summary')!.json);
    expect(summary).toMatchObject({ schema: 1, seed: 1, traceHash: h.hash().traceHash });
  });
});
