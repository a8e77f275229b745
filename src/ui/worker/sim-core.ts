import { buildSummary } from '../../report/summary';
import { isLiveScenario, LiveRun, type RecordedFault } from '../../run/live-run';
import { formatProblem, loadScenario, type Scenario } from '../../scenario';
import type { Speed, WorkerCommand, WorkerEvent, WorkerHost } from './protocol';

/**
 * The simulation worker's logic without the Worker: `handle(command)` for each message, `post`
 * for each answer, wall time and timers from `host`. sim-worker.ts binds it to the worker
 * global; tests call `handle` directly with a fake host.
 *
 * While playing, a tick runs every FRAME_MS of wall time: it advances the run by speed × the
 * wall time since the last tick (at 'max', as far as it gets), stops after TICK_BUDGET_MS of
 * work so that commands are never kept waiting, and posts one snapshot.
 */
export const FRAME_MS = 16;
export const TICK_BUDGET_MS = 10;
/** While playing, something goes out this often: a full snapshot, or just the flows for the dots. */
export const SNAPSHOT_MS = 50;
/** Full snapshots no rarer than this, whatever cadence the UI asks for. */
const MAX_CADENCE_MS = 2_000;
/** A tick never advances by more wall time than this (after a stall, the run does not jump). */
const MAX_WALL_STEP_MS = 100;

export interface SimCore {
  handle(command: WorkerCommand): void;
}

export function createSimCore(post: (event: WorkerEvent) => void, host: WorkerHost): SimCore {
  let scenario: Scenario | null = null;
  let fileName = '';
  let seed = 0;
  let run: LiveRun | null = null;
  let runId = 0;
  let rowsSent = 0;
  let playing = false;
  let speed: Speed = 1;
  let timer: unknown = null;
  let lastTickMs = 0;
  let lastPostMs = -Infinity;
  let lastSnapshotMs = -Infinity;
  let cadenceMs = SNAPSHOT_MS;

  const startRun = (replay: readonly RecordedFault[], seekUs: number | undefined): void => {
    if (scenario === null) return;
    run = new LiveRun(scenario, { seed, replay });
    runId++;
    rowsSent = 0;
    if (seekUs !== undefined && seekUs > 0) run.advanceTo(seekUs);
  };

  const postSnapshot = (): void => {
    if (run === null) return;
    lastPostMs = host.nowMs();
    lastSnapshotMs = lastPostMs;
    const snapshot = run.snapshot({ rowsFrom: rowsSent });
    rowsSent = snapshot.series.length;
    post({ type: 'snapshot', runId, playing, speed, snapshot });
  };

  const stopTimer = (): void => {
    if (timer !== null) host.clearTimer(timer);
    timer = null;
  };

  const schedule = (delayMs: number): void => {
    stopTimer();
    timer = host.setTimer(tick, delayMs);
  };

  const setPlaying = (value: boolean): void => {
    playing = value && run !== null && !run.done;
    if (playing) {
      lastTickMs = host.nowMs();
      schedule(0);
    } else stopTimer();
  };

  function tick(): void {
    timer = null;
    if (!playing || run === null) return;
    const startMs = host.nowMs();
    const wallStepMs = Math.min(Math.max(0, startMs - lastTickMs), MAX_WALL_STEP_MS);
    lastTickMs = startMs;
    const deadline = startMs + TICK_BUDGET_MS;
    const target = speed === 'max' ? run.endUs : run.now + Math.round(wallStepMs * 1000 * speed);
    run.advanceTo(target, { shouldStop: () => host.nowMs() >= deadline });
    if (run.done) playing = false;
    const now = host.nowMs();
    if (!playing || now - lastSnapshotMs >= cadenceMs - FRAME_MS / 2) postSnapshot();
    else if (now - lastPostMs >= SNAPSHOT_MS - FRAME_MS / 2) {
      lastPostMs = now;
      post({ type: 'flows', runId, timeUs: run.now, flows: run.flows() });
    }
    if (playing) schedule(Math.max(0, FRAME_MS - (host.nowMs() - startMs)));
  }

  const load = (command: Extract<WorkerCommand, { type: 'load' }>): void => {
    const outcome = loadScenario(command.text, { fileName: command.fileName });
    const refuse = (problems: string[]) => {
      // Nothing runs while the open file is not a valid live scenario.
      setPlaying(false);
      run = null;
      scenario = null;
      post({ type: 'problems', fileName: command.fileName, problems });
    };
    if (!outcome.ok) return refuse(outcome.problems.map((p) => formatProblem(p, command.fileName)));
    if (!isLiveScenario(outcome.scenario)) {
      return refuse([`${command.fileName}: kafka: the live view shows Kafka scenarios; this one is a queue model (run it with "queuelab run ${command.fileName}")`]);
    }
    const replay = command.keepFaults === true && run !== null ? run.recording : [];
    setPlaying(false);
    scenario = outcome.scenario;
    fileName = command.fileName;
    seed = command.seed ?? scenario.seed;
    startRun(replay, command.seekUs);
    post({ type: 'loaded', fileName, title: scenario.title, description: scenario.description, seed, endUs: run!.endUs, runId });
    postSnapshot();
  };

  const handle = (command: WorkerCommand): void => {
    try {
      switch (command.type) {
        case 'load':
          return load(command);
        case 'play':
          setPlaying(true);
          return postSnapshot();
        case 'pause':
          setPlaying(false);
          return postSnapshot();
        case 'speed':
          speed = command.speed;
          if (playing) lastTickMs = host.nowMs();
          return postSnapshot();
        case 'step':
          if (run === null) return;
          setPlaying(false);
          if (command.unit === 'event') run.stepEvent();
          else {
            const bucketUs = run.bucketSeconds * 1_000_000;
            run.advanceTo((Math.floor(run.now / bucketUs) + 1) * bucketUs);
          }
          return postSnapshot();
        case 'seed':
          if (!Number.isSafeInteger(command.seed) || command.seed < 0) throw new Error(`seed: must be a whole number >= 0, got ${command.seed}`);
          seed = command.seed;
          startRun(run?.recording ?? [], undefined);
          setPlaying(false);
          return postSnapshot();
        case 'restart':
          setPlaying(false);
          startRun([], undefined);
          return postSnapshot();
        case 'inject':
          if (run === null) return;
          run.inject(command.fault);
          return postSnapshot();
        case 'seek': {
          if (run === null) return;
          const target = Math.max(0, Math.min(Math.round(command.timeUs), run.endUs));
          if (target >= run.now) run.advanceTo(target);
          else startRun(run.recording, target);
          if (run.done) setPlaying(false);
          else if (playing) lastTickMs = host.nowMs();
          return postSnapshot();
        }
        case 'follow':
          if (run === null) return;
          run.follow(command.link);
          return postSnapshot();
        case 'unfollow':
          run?.unfollow();
          return postSnapshot();
        case 'cadence':
          cadenceMs = Math.min(MAX_CADENCE_MS, Math.max(SNAPSHOT_MS, command.snapshotMs));
          return;
        case 'hash':
          if (run === null) throw new Error('no scenario is loaded');
          post({ type: 'hash', requestId: command.requestId, traceHash: run.traceHash(), timeUs: run.now, events: run.events, seed: run.seed });
          return;
        case 'summary':
          if (run === null) throw new Error('no scenario is loaded');
          post({ type: 'summary', requestId: command.requestId, json: `${JSON.stringify(buildSummary(run.result()), null, 2)}\n` });
          return;
      }
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return { handle };
}
