import type { LiveFault, LiveFlow, LiveSnapshot } from '../../run/live-run';
import type { TraceLink } from '../../run/live-trace';

/**
 * Messages between the UI thread and the simulation worker. The worker owns the run; the UI
 * only sends commands and draws the snapshots it gets back (at most one per worker tick, about
 * 60 per second while playing).
 */
export type Speed = 1 | 10 | 100 | 'max';
export const SPEEDS: readonly Speed[] = [1, 10, 100, 'max'];

export type WorkerCommand =
  /** Parse and validate a scenario, then start a run at t = 0, paused. */
  | {
      type: 'load';
      text: string;
      fileName: string;
      /** Run with this seed instead of the scenario's. */
      seed?: number;
      /** Keep the faults recorded so far and replay them (edit a parameter, replay the lesson). */
      keepFaults?: boolean;
      /** Replay to this simulated time right away (µs). */
      seekUs?: number;
    }
  | { type: 'play' }
  | { type: 'pause' }
  /** One time bucket (1 s for short runs) or one event. */
  | { type: 'step'; unit: 'bucket' | 'event' }
  | { type: 'speed'; speed: Speed }
  /** Restart with another seed, replaying the recorded faults. */
  | { type: 'seed'; seed: number }
  /** Back to t = 0 with no injected faults. */
  | { type: 'restart' }
  | { type: 'inject'; fault: LiveFault }
  /** Go to a simulated time: forward by running, back by replaying from 0 with the recorded faults. */
  | { type: 'seek'; timeUs: number }
  /** How often the UI wants full snapshots while playing (it slows down on a busy machine); flows still come every SNAPSHOT_MS. */
  | { type: 'cadence'; snapshotMs: number }
  | { type: 'hash'; requestId: number }
  /** Follow the newest traced message that crossed this link (a clicked dot); snapshots then carry it. */
  | { type: 'follow'; link: TraceLink }
  | { type: 'unfollow' }
  /** summary.json of the run so far (report/summary.ts). */
  | { type: 'summary'; requestId: number };

export type WorkerEvent =
  | { type: 'loaded'; fileName: string; title: string; description: string; seed: number; endUs: number; runId: number }
  /** The scenario did not validate: `path: problem (hint)` lines, as the CLI prints them. */
  | { type: 'problems'; fileName: string; problems: string[] }
  | { type: 'snapshot'; runId: number; playing: boolean; speed: Speed; snapshot: LiveSnapshot }
  /** Between two snapshots, only what the dots need: messages per link since the previous message. */
  | { type: 'flows'; runId: number; timeUs: number; flows: LiveFlow[] }
  | { type: 'hash'; requestId: number; traceHash: string; timeUs: number; events: number; seed: number }
  | { type: 'summary'; requestId: number; json: string }
  | { type: 'error'; message: string };

/** What the worker core needs from its host: a wall clock and timers (injected for tests). */
export interface WorkerHost {
  nowMs(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}
