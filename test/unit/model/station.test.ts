import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/engine';
import { FifoLine } from '../../../src/model/queueing/fifo-line';
import { QueueStation, type StationOptions } from '../../../src/model/queueing/station';

const options: StationOptions = {
  servers: 2,
  arrivalRatePerSecond: 1.5,
  serviceSeconds: { kind: 'exponential', mean: 1 },
  customers: 10_000,
  warmupCustomers: 500,
  batches: 10,
};

describe('QueueStation', () => {
  it('serves every customer once and accounts for all of them, seed=3', () => {
    const sim = new Simulation(3);
    const station = new QueueStation(sim, options);
    station.start();
    expect(sim.run()).toBe('paused'); // the station ends the run when its last customer leaves
    expect(sim.eventsPending).toBe(0);
    const result = station.result();
    expect(result.arrived).toBe(station.totalCustomers);
    expect(result.arrived).toBe(500 + 10 * 1000 + 1);
    expect(result.departed).toBe(result.arrived);
    expect(result.inSystem).toBe(0);
    expect(result.measuredDeparted).toBe(10_000);
    expect(result.sojournUs.count).toBe(10_000);
    expect(result.waitUs.count).toBe(10_000);
    expect(sim.eventsProcessed).toBe(2 * result.arrived);
  });

  it('keeps the books consistent: sojourn = wait + service, for sums over measured customers', () => {
    const sim = new Simulation(4);
    const station = new QueueStation(sim, options);
    station.start();
    sim.run();
    const r = station.result();
    const sojourn = r.sojournUs.mean * r.sojournUs.count;
    const waitPlusService = r.waitUs.mean * r.waitUs.count + r.serviceUs.mean * r.serviceUs.count;
    expect(sojourn).toBe(waitPlusService);
    const batchSojournSeconds = Array.from(r.batches.sojournSecondsSum).reduce((a, b) => a + b, 0);
    expect(batchSojournSeconds).toBeCloseTo(sojourn / 1e6, 3);
  });

  it('stopped early, it leaves customers in the system and still balances', () => {
    const sim = new Simulation(5);
    const station = new QueueStation(sim, { ...options, arrivalRatePerSecond: 3, servers: 1 }); // overloaded
    station.start();
    expect(sim.run({ untilUs: 1_000_000_000 })).toBe('until');
    const r = station.result();
    expect(r.inSystem).toBeGreaterThan(1000);
    expect(r.arrived).toBe(r.departed + r.inSystem);
  });
});

describe('FifoLine', () => {
  it('returns customers in order with their arrival times, across growth and wrap-around', () => {
    const line = new FifoLine();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100 + round * 7; i++) {
        line.push(next, next * 10);
        next++;
      }
      for (let i = 0; i < 90; i++) {
        expect(line.shift()).toBe(expected);
        expect(line.shiftedArrivalUs).toBe(expected * 10);
        expected++;
      }
    }
    expect(line.length).toBe(next - expected);
    expect(() => new FifoLine().shift()).toThrow(/empty/);
  });
});
