import '../csp-safe';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { createSimCore } from './sim-core';

/** The Web Worker entry: binds the core to the worker global, its clock and its timers. */
const scope = self as unknown as {
  postMessage(message: WorkerEvent): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerCommand>) => void): void;
};

const core = createSimCore((event) => scope.postMessage(event), {
  nowMs: () => performance.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

scope.addEventListener('message', (event) => core.handle(event.data));
