import { ENGINE_VERSION, Simulation, type StopReason } from '../engine';
import { QueueStation, type StationResult } from '../model/queueing/station';
import { stationTheory, type TheoryOutcome } from '../model/queueing/theory';
import type { Scenario } from '../scenario';

/**
 * The one entry point that the CLI, the app's worker, sweeps and tests call. It runs in
 * slices of events so that a caller can report progress (or a worker can post snapshots)
 * without the engine knowing about either.
 */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Stop at this simulated time even if customers remain (they are then in flight). */
  untilSeconds?: number;
  /** Called between slices with the fraction of arrivals generated so far. */
  onProgress?: (fractionDone: number) => void;
  /** Wall clock used only for the wallSeconds figure; injected so that tests can pin it. */
  wallClockMs?: () => number;
}

export interface RunResult {
  scenario: Scenario;
  seed: number;
  engineVersion: string;
  traceHash: string;
  simulatedSeconds: number;
  wallSeconds: number;
  events: number;
  stopReason: StopReason;
  station: StationResult;
  theory: TheoryOutcome;
}

const EVENTS_PER_SLICE = 1_000_000;

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const wallClockMs = options.wallClockMs ?? (() => performance.now());
  const startedMs = wallClockMs();
  const seed = options.seed ?? scenario.seed;
  const sim = new Simulation(seed);
  const station = new QueueStation(sim, scenario.queue);
  station.start();
  const untilUs = options.untilSeconds === undefined ? undefined : Math.round(options.untilSeconds * 1_000_000);
  let stopReason: StopReason;
  do {
    stopReason = sim.run({ maxEvents: EVENTS_PER_SLICE, ...(untilUs === undefined ? {} : { untilUs }) });
    options.onProgress?.(station.result().arrived / station.totalCustomers);
  } while (stopReason === 'max-events');
  const { servers, arrivalRatePerSecond, serviceSeconds } = scenario.queue;
  return {
    scenario,
    seed,
    engineVersion: ENGINE_VERSION,
    traceHash: sim.traceHash(),
    simulatedSeconds: sim.now / 1_000_000,
    wallSeconds: (wallClockMs() - startedMs) / 1000,
    events: sim.eventsProcessed,
    stopReason,
    station: station.result(),
    theory: stationTheory(servers, arrivalRatePerSecond, serviceSeconds),
  };
}
