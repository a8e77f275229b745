/**
 * Main-side IPC: one ipcMain.handle per channel of the table, each running validateEvent
 * (channel known, sender is our page's main frame in one of our windows, arguments parse)
 * before the handler. Type-only electron imports: main.ts passes the real ipcMain.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { QueueLabInvokeApi } from '../src/ipc/api';
import { INVOKE, INVOKE_NAMES } from '../src/ipc/channels';
import { type SenderFacts, type TrustPolicy, validateEvent } from '../src/ipc/validate';

/** What main implements: exactly the request half of the preload API. */
export type InvokeHandlers = QueueLabInvokeApi;

export interface IpcTrust extends TrustPolicy {
  /** Does this webContents belong to a window main created (and has not closed)? */
  isKnownWebContents(contents: WebContents): boolean;
}

/** The facts validateEvent needs, read from a real (or fake) IPC event. */
export function senderFactsOf(channel: string, event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, trust: IpcTrust): SenderFacts {
  let frame: IpcMainInvokeEvent['senderFrame'];
  try {
    frame = event.senderFrame;
  } catch {
    frame = null; // accessing a frame that navigated away or was destroyed can throw
  }
  return {
    channel,
    senderUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
    isKnownWindow: trust.isKnownWebContents(event.sender),
  };
}

/** The error the renderer sees for a refused request (the reason is logged in main, not sent). */
export class RefusedRequestError extends Error {
  constructor(channel: string) {
    super(`QueueLab refused the request on ${channel}.`);
    this.name = 'RefusedRequestError';
  }
}

export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: InvokeHandlers,
  trust: IpcTrust,
  log: (message: string) => void,
): () => void {
  for (const name of INVOKE_NAMES) {
    const channel = INVOKE[name];
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const verdict = validateEvent(senderFactsOf(channel, event, trust), args, trust);
      if (!verdict.ok) {
        log(`refused ${channel}: ${verdict.reason}`);
        throw new RefusedRequestError(channel);
      }
      const handler = handlers[verdict.value.name] as (...a: readonly unknown[]) => Promise<unknown>;
      return handler.apply(handlers, [...verdict.value.args]);
    });
  }
  return () => {
    for (const name of INVOKE_NAMES) ipcMain.removeHandler(INVOKE[name]);
  };
}
