import { ENGINE_VERSION, Simulation, type StopReason } from '../engine';
import { QueueStation, type StationResult } from '../model/queueing/station';
import { stationTheory, type TheoryOutcome } from '../model/queueing/theory';
import type { KafkaSystem } from '../model/kafka/system';
import type { SaleSystem } from '../flows/sale-system';
import type { TimeSeries } from '../metrics/time-series';
import type { QueueSpec, Scenario } from '../scenario';
import { prepareKafkaRun, type FaultRecord } from './kafka-run';

/**
 * The one entry point that the CLI, the app's worker, sweeps and tests call. It runs in
 * slices of events so that a caller can report progress (or a worker can post snapshots)
 * without the engine knowing about either.
 */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Stop at this simulated time even if work remains (it is then in flight). */
  untilSeconds?: number;
  /** Called between slices with the fraction of the run done so far. */
  onProgress?: (fractionDone: number) => void;
  /** Wall clock used only for the wallSeconds figure; injected so that tests can pin it. */
  wallClockMs?: () => number;
  /**
   * Kafka runs: run the ledger's conservation audit after every time bucket, not only at the
   * end (slow: a pass over every message each time). Findings go into `midRunAudit`.
   */
  auditEveryBucket?: boolean;
}

interface RunCommon {
  scenario: Scenario;
  seed: number;
  engineVersion: string;
  traceHash: string;
  simulatedSeconds: number;
  wallSeconds: number;
  events: number;
  stopReason: StopReason;
}

export interface QueueRunResult extends RunCommon {
  model: 'queue';
  station: StationResult;
  theory: TheoryOutcome;
}

export interface KafkaRunResult extends RunCommon {
  model: 'kafka';
  system: KafkaSystem;
  /** The sale on the cluster, in a scenario with a sale section. */
  sale: SaleSystem | null;
  faults: FaultRecord[];
  /** Elections worth a marker on the timeline, on the run's clock. */
  timeline: { atMs: number; kind: string; label: string }[];
  series: TimeSeries;
  /** Sale-clock seconds at simulated time 0 (0 outside a sale): reports show the sale clock. */
  clockStartSeconds: number;
  /** Audit findings during the run (`auditEveryBucket`), each with its time; empty otherwise. */
  midRunAudit: string[];
}

export type RunResult = QueueRunResult | KafkaRunResult;

const EVENTS_PER_SLICE = 1_000_000;
const MICROSECONDS = 1_000_000;

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const wallClockMs = options.wallClockMs ?? (() => performance.now());
  const startedMs = wallClockMs();
  const seed = options.seed ?? scenario.seed;
  const sim = new Simulation(seed);
  const untilUs = options.untilSeconds === undefined ? undefined : Math.round(options.untilSeconds * MICROSECONDS);
  const common = (stopReason: StopReason): RunCommon => ({
    scenario,
    seed,
    engineVersion: ENGINE_VERSION,
    traceHash: sim.traceHash(),
    simulatedSeconds: sim.now / MICROSECONDS,
    wallSeconds: (wallClockMs() - startedMs) / 1000,
    events: sim.eventsProcessed,
    stopReason,
  });
  if (scenario.kafka !== undefined) {
    const run = prepareKafkaRun(sim, scenario);
    const timeline: KafkaRunResult['timeline'] = [];
    const toClockMs = (timeUs: number): number => timeUs / 1000 + run.clockStartSeconds * 1000;
    run.system.cluster.onLeaderElected = (partition, leader, unclean, fromElr, preferred) =>
      timeline.push({
        atMs: toClockMs(sim.now),
        kind: unclean ? 'unclean-election' : fromElr === true ? 'elr-election' : preferred === true ? 'preferred-election' : 'election',
        label: `partition ${partition}: broker ${leader} leads${fromElr === true ? ' (from the eligible leader replicas)' : preferred === true ? ' again (preferred leader, auto leader rebalance)' : ''}`,
      });
    run.system.group.onRebalance = (phase, members, reason, followUp) =>
      timeline.push({
        atMs: toClockMs(sim.now),
        kind: phase === 'start' ? 'rebalance' : 'rebalance-done',
        label: `consumer group: ${members} consumers (${reason}${followUp ? ', cooperative second rebalance' : ''})`,
      });
    run.system.group.onMemberRemoved = (consumer, reason) =>
      timeline.push({ atMs: toClockMs(sim.now), kind: 'member-removed', label: `consumer-${consumer} removed from the group (${reason})` });
    const midRunAudit: string[] = [];
    if (options.auditEveryBucket === true) {
      run.sampler.afterBucket = (nowUs) => {
        for (const violation of run.system.audit()) midRunAudit.push(`at ${toClockMs(nowUs) / 1000} s: ${violation}`);
      };
    }
    // --until is on the run's own clock (seconds since its start), like --until in other tools.
    const endUs = Math.min(untilUs ?? Infinity, run.endUs);
    const stopReason = runInSlices(sim, endUs, options.onProgress, () => sim.now / endUs);
    run.system.cluster.settleGauges();
    run.system.producer.catchUp();
    return {
      ...common(stopReason),
      model: 'kafka',
      system: run.system,
      sale: run.sale,
      faults: run.faults.filter((fault) => fault.atMs <= toClockMs(sim.now)),
      timeline,
      series: run.sampler.finish(),
      clockStartSeconds: run.clockStartSeconds,
      midRunAudit,
    };
  }
  const queue = scenario.queue as QueueSpec;
  const station = new QueueStation(sim, queue);
  station.start();
  const stopReason = runInSlices(sim, untilUs ?? Infinity, options.onProgress, () => station.result().arrived / station.totalCustomers);
  return {
    ...common(stopReason),
    model: 'queue',
    station: station.result(),
    theory: stationTheory(queue.servers, queue.arrivalRatePerSecond, queue.serviceSeconds),
  };
}

function runInSlices(sim: Simulation, untilUs: number, onProgress: RunOptions['onProgress'], fraction: () => number): StopReason {
  let stopReason: StopReason;
  do {
    stopReason = sim.run({ maxEvents: EVENTS_PER_SLICE, ...(untilUs === Infinity ? {} : { untilUs }) });
    onProgress?.(fraction());
  } while (stopReason === 'max-events');
  return stopReason;
}
