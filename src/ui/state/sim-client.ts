import type { LiveFlow } from '../../run/live-run';
import type { WorkerCommand, WorkerEvent } from '../worker/protocol';
import { connectWorker, useApp } from './store';

/**
 * Starts the simulation worker and wires it to the store. The dots get every snapshot's flows
 * at once (flow listeners, outside React); the store gets the worker's messages in batches, in
 * an animation frame, at most 20 times a second, so that the frames in between stay free for
 * the moving dots whatever the speed.
 *
 * The interval adapts: the frame that applies an update (React, D3, layout, paint) is timed, and
 * the time it took beyond one frame (16.7 ms) is multiplied by EXCESS_FACTOR and waited before
 * the next update. An update that fits in a frame leaves the rate at 20 a second; on a slow or
 * busy machine, or with a large cluster (a sale's 96 partitions), updates become rarer so that
 * the frames they cost stay under about 4 % and the animation keeps its frame rate.
 */
const MIN_INTERVAL_MS = 50;
const MAX_INTERVAL_MS = 1200;
const FRAME_MS = 1000 / 60;
const EXCESS_FACTOR = 24;

type FlowListener = (flows: readonly LiveFlow[], runId: number, timeUs: number) => void;
const flowListeners = new Set<FlowListener>();

/** The canvas of dots listens here; returns the unsubscribe function. */
export function onFlows(listener: FlowListener): () => void {
  flowListeners.add(listener);
  return () => flowListeners.delete(listener);
}

export interface SimClient {
  send(command: WorkerCommand): void;
  request(type: 'hash'): Promise<Extract<WorkerEvent, { type: 'hash' }>>;
  request(type: 'summary'): Promise<Extract<WorkerEvent, { type: 'summary' }>>;
}

export function startSimClient(): SimClient {
  const worker = new Worker(new URL('../worker/sim-worker.ts', import.meta.url), { type: 'module', name: 'queuelab-sim' });
  let pending: WorkerEvent[] = [];
  let frame = 0;
  let lastFlushMs = 0;
  let intervalMs = MIN_INTERVAL_MS;
  let askedMs = MIN_INTERVAL_MS;
  let nextRequest = 1;
  const waiting = new Map<number, (event: WorkerEvent) => void>();

  let applying = false;

  const flush = (nowMs: number, force = false) => {
    frame = 0;
    if (force) {
      // A hidden tab gets no frames: apply everything at once rather than hoard messages.
      const events = pending;
      pending = [];
      const app = useApp.getState();
      app.receive(events);
      app.commitTopology();
      app.commitCharts();
      return;
    }
    // A batch that holds something other than snapshots (loaded, problems, errors) goes as soon as it can.
    const urgent = pending.some((event) => event.type !== 'snapshot');
    if (applying || (!urgent && nowMs - lastFlushMs < intervalMs)) {
      frame = requestAnimationFrame(flush);
      return;
    }
    lastFlushMs = nowMs;
    const events = pending;
    pending = [];
    if (events.length === 0) return;
    // Three frames: the numbers (NOW panel, top bar, timeline), then the topology, then the
    // charts. The frames' overrun beyond 16.7 ms is what the next update waits for.
    applying = true;
    let excess = 0;
    let frameStart = nowMs;
    const steps = [() => useApp.getState().receive(events), () => useApp.getState().commitTopology(), () => useApp.getState().commitCharts()];
    const runStep = (index: number) => {
      steps[index]!();
      requestAnimationFrame((next) => {
        excess += Math.max(0, next - frameStart - FRAME_MS);
        frameStart = next;
        if (index + 1 < steps.length) return runStep(index + 1);
        applying = false;
        adapt(excess);
      });
    };
    runStep(0);
  };

  const adapt = (excess: number) => {
    const wanted = MIN_INTERVAL_MS + excess * EXCESS_FACTOR;
    intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, 0.6 * intervalMs + 0.4 * wanted));
    // Full snapshots only as often as they are used: less to decode on this thread.
    if (Math.abs(intervalMs - askedMs) > askedMs * 0.25) {
      askedMs = intervalMs;
      worker.postMessage({ type: 'cadence', snapshotMs: Math.round(askedMs * 0.8) } satisfies WorkerCommand);
    }
  };

  worker.addEventListener('message', (message: MessageEvent<WorkerEvent>) => {
    const event = message.data;
    if ((event.type === 'hash' || event.type === 'summary') && waiting.has(event.requestId)) {
      waiting.get(event.requestId)!(event);
      waiting.delete(event.requestId);
      return;
    }
    if (event.type === 'flows') {
      for (const listener of flowListeners) listener(event.flows, event.runId, event.timeUs);
      return;
    }
    if (event.type === 'snapshot') for (const listener of flowListeners) listener(event.snapshot.flows, event.runId, event.snapshot.timeUs);
    pending.push(event);
    if (pending.length > 240) {
      cancelAnimationFrame(frame);
      flush(performance.now(), true);
    }
    else if (frame === 0) frame = requestAnimationFrame(flush);
  });
  worker.addEventListener('error', (event) => useApp.getState().setError(event.message || 'the simulation worker failed'));

  const send = (command: WorkerCommand) => worker.postMessage(command);
  connectWorker(send);
  const request = (type: 'hash' | 'summary') =>
    new Promise<WorkerEvent>((resolve) => {
      const requestId = nextRequest++;
      waiting.set(requestId, resolve);
      send({ type, requestId });
    });
  return { send, request } as SimClient;
}
