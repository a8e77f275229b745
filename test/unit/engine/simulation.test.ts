import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/engine/simulation';

function recorder(sim: Simulation): { log: string[]; kind: number } {
  const log: string[] = [];
  const kind = sim.defineEvent('mark', (a) => log.push(`${sim.now}:${a}`));
  return { log, kind };
}

describe('Simulation run loop', () => {
  it('runs equal-time events in scheduling order and advances an integer clock', () => {
    const sim = new Simulation(1);
    const { log, kind } = recorder(sim);
    sim.schedule(5, kind, 1);
    sim.schedule(3, kind, 2);
    sim.schedule(5, kind, 3);
    sim.schedule(0, kind, 4);
    expect(sim.run()).toBe('empty');
    expect(log).toEqual(['0:4', '3:2', '5:1', '5:3']);
    expect(sim.eventsProcessed).toBe(4);
  });

  it('stops at a simulated time (inclusive) and resumes from there', () => {
    const sim = new Simulation(1);
    const { log, kind } = recorder(sim);
    for (const t of [10, 20, 30]) sim.scheduleAt(t, kind, t);
    expect(sim.run({ untilUs: 20 })).toBe('until');
    expect(log).toEqual(['10:10', '20:20']);
    expect(sim.now).toBe(20);
    expect(sim.run({ untilUs: 25 })).toBe('until');
    expect(sim.now).toBe(25);
    expect(sim.run()).toBe('empty');
    expect(log).toEqual(['10:10', '20:20', '30:30']);
    expect(() => sim.run({ untilUs: 5 })).toThrow(/already at 30/);
  });

  it('stops after an event count and on a predicate', () => {
    const sim = new Simulation(1);
    const { log, kind } = recorder(sim);
    for (let t = 1; t <= 10; t++) sim.scheduleAt(t, kind, t);
    expect(sim.run({ maxEvents: 3 })).toBe('max-events');
    expect(log).toHaveLength(3);
    expect(sim.run({ stopWhen: () => sim.now >= 7 })).toBe('predicate');
    expect(sim.now).toBe(7);
    expect(log).toHaveLength(7);
  });

  it('pauses from inside a handler and resumes without losing or repeating events', () => {
    const sim = new Simulation(1);
    const log: number[] = [];
    const kind = sim.defineEvent('tick', (a) => {
      log.push(a);
      if (a === 2) sim.pause();
      if (a < 5) sim.schedule(1, kind, a + 1);
    });
    sim.schedule(0, kind, 0);
    expect(sim.run()).toBe('paused');
    expect(log).toEqual([0, 1, 2]);
    expect(sim.run()).toBe('empty');
    expect(log).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('calls the snapshot callback every N µs, seeing all events up to that time', () => {
    const sim = new Simulation(1);
    const { log, kind } = recorder(sim);
    for (const t of [100, 250, 300, 999]) sim.scheduleAt(t, kind, t);
    const snapshots: string[] = [];
    sim.onSnapshot(100, (now) => snapshots.push(`${now}/${log.length}`));
    sim.run({ untilUs: 1000 });
    expect(snapshots).toEqual(['100/1', '200/1', '300/3', '400/3', '500/3', '600/3', '700/3', '800/3', '900/3', '1000/4']);
  });

  it('can pause from a snapshot callback', () => {
    const sim = new Simulation(1);
    const { log, kind } = recorder(sim);
    for (const t of [50, 150, 250]) sim.scheduleAt(t, kind, t);
    sim.onSnapshot(100, (now) => {
      if (now === 200) sim.pause();
    });
    expect(sim.run()).toBe('paused');
    expect(log).toEqual(['50:50', '150:150']);
    expect(sim.run()).toBe('empty');
    expect(log).toHaveLength(3);
  });

  it('cancels and re-arms timers without firing stale deadlines', () => {
    const sim = new Simulation(1);
    const fired: string[] = [];
    const kind = sim.defineEvent('timeout', (a) => fired.push(`${sim.now}:${a}`));
    const timer = sim.timer(kind);
    expect(timer.armed).toBe(false);
    timer.armAt(100, 1);
    expect(timer.dueUs).toBe(100);
    timer.armAt(50, 2); // re-arm earlier
    timer.armIn(80, 3); // and later again: only the last arming counts
    expect(sim.eventsPending).toBe(1);
    sim.run({ untilUs: 79 });
    expect(timer.cancel()).toBe(true);
    expect(timer.cancel()).toBe(false);
    sim.run({ untilUs: 200 });
    expect(fired).toEqual([]);
    timer.armIn(10, 4);
    sim.run();
    expect(fired).toEqual(['210:4']);
    expect(timer.armed).toBe(false);
    expect(Number.isNaN(timer.dueUs)).toBe(true);
  });

  it('disposes a timer: a pending deadline never fires and its slot is reused', () => {
    const sim = new Simulation(1);
    const fired: number[] = [];
    const kind = sim.defineEvent('timeout', (a) => fired.push(a));
    const timer = sim.timer(kind);
    timer.armIn(10, 1);
    timer.dispose();
    expect(sim.eventsPending).toBe(0);
    expect(() => timer.armIn(5)).toThrow(/after dispose/);
    expect(() => timer.dispose()).toThrow(/disposed twice/);
    sim.schedule(20, kind, 2); // takes the freed slot
    sim.run();
    expect(fired).toEqual([2]);
  });

  it('rejects times in the past, fractional times and duplicate kinds', () => {
    const sim = new Simulation(1);
    const { kind } = recorder(sim);
    sim.scheduleAt(10, kind);
    sim.run();
    expect(() => sim.scheduleAt(9, kind)).toThrow(/not before now \(10 µs\)/);
    expect(() => sim.schedule(0.5, kind)).toThrow(/whole microseconds/);
    expect(() => sim.defineEvent('mark', () => undefined)).toThrow(/defined twice/);
    expect(() => new Simulation(-1)).toThrow(/seed/);
  });
});

describe('trace hash', () => {
  function hashOf(seed: number, delays: number[]): string {
    const sim = new Simulation(seed);
    const kind = sim.defineEvent('e', () => undefined);
    delays.forEach((delay, index) => sim.schedule(delay, kind, index, delay * 0.5));
    sim.run();
    return sim.traceHash();
  }

  it('is a pure function of the processed events', () => {
    expect(hashOf(1, [5, 3, 9])).toBe(hashOf(1, [5, 3, 9]));
    expect(hashOf(1, [5, 3, 9])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when a time, a key field or the order changes', () => {
    const base = hashOf(1, [5, 3, 9]);
    expect(hashOf(1, [5, 3, 10])).not.toBe(base);
    expect(hashOf(1, [3, 5, 9])).not.toBe(base);
    expect(hashOf(1, [5, 3])).not.toBe(base);
  });
});
