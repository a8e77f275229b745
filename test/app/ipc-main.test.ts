/**
 * app/ipc-main.ts: every channel is registered, and every request goes through validateEvent
 * (with a fake ipcMain and fake events) before a handler runs.
 */
import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { type InvokeHandlers, registerIpcHandlers, senderFactsOf } from '../../app/ipc-main';
import { APP_ENTRY_URL, INVOKE, INVOKE_CHANNELS } from '../../src/ipc/channels';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

const ourContents = { id: 1 } as WebContents;
const otherContents = { id: 2 } as WebContents;
const trust = { devServerOrigin: null, isKnownWebContents: (c: WebContents) => c.id === 1 };

function event(url: string | null, options: { parent?: object | null; sender?: WebContents } = {}): IpcMainInvokeEvent {
  const frame = url === null ? null : { url, parent: options.parent ?? null };
  return { sender: options.sender ?? ourContents, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

function setup() {
  const registered = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void registered.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void registered.delete(channel)),
  };
  const handlers = {
    openScenario: vi.fn(async () => null),
    openRecent: vi.fn(),
    listRecent: vi.fn(async () => []),
    saveScenario: vi.fn(async () => ({ documentId: 'd', name: 'a.queuelab' })),
    saveScenarioAs: vi.fn(),
    updateDraft: vi.fn(async () => undefined),
    discardDraft: vi.fn(),
    dismissRecovered: vi.fn(),
    exportReport: vi.fn(),
    getSettings: vi.fn(async () => ({ theme: 'system', language: 'en' })),
    setTheme: vi.fn(async (theme: string) => ({ theme, language: 'en' })),
    setLanguage: vi.fn(),
    openDocs: vi.fn(),
  };
  const log = vi.fn();
  const unregister = registerIpcHandlers(ipcMain, handlers as unknown as InvokeHandlers, trust, log);
  const call = (channel: string, ev: IpcMainInvokeEvent, ...args: unknown[]) => registered.get(channel)!(ev, ...args);
  return { registered, ipcMain, handlers, log, unregister, call };
}

describe('registerIpcHandlers', () => {
  it('registers exactly the channels of the table, and unregisters them', () => {
    const { registered, unregister, ipcMain } = setup();
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(registered.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(INVOKE_CHANNELS.length);
  });

  it('runs the handler for a valid request from our page', async () => {
    const { call, handlers } = setup();
    await expect(call(INVOKE.setTheme, event(APP_ENTRY_URL), 'dark')).resolves.toEqual({ theme: 'dark', language: 'en' });
    expect(handlers.setTheme).toHaveBeenCalledWith('dark');
    const save = { documentId: 'd', content: 'version: 1\n' };
    await call(INVOKE.saveScenario, event(APP_ENTRY_URL), save);
    expect(handlers.saveScenario).toHaveBeenCalledWith(save);
  });

  it.each([
    ['another origin', event('https://evil.example/')],
    ['file://', event('file:///tmp/index.html')],
    ['a subframe', event(APP_ENTRY_URL, { parent: {} })],
    ['a window main did not create', event(APP_ENTRY_URL, { sender: otherContents })],
    ['a destroyed frame', event(null)],
  ])('refuses %s without running the handler, and logs why', async (_what, ev) => {
    const { call, handlers, log } = setup();
    await expect(call(INVOKE.getSettings, ev)).rejects.toThrow(`QueueLab refused the request on ${INVOKE.getSettings}.`);
    expect(handlers.getSettings).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^refused queuelab:settings\.get: /));
  });

  it('refuses bad arguments, and does not echo them to the renderer', async () => {
    const { call, handlers, log } = setup();
    await expect(call(INVOKE.setTheme, event(APP_ENTRY_URL), 'sepia')).rejects.toThrow(/^QueueLab refused the request/);
    await expect(call(INVOKE.openScenario, event(APP_ENTRY_URL), '/etc/passwd')).rejects.toThrow();
    expect(handlers.setTheme).not.toHaveBeenCalled();
    expect(handlers.openScenario).not.toHaveBeenCalled();
    expect(log.mock.calls[0]![0]).toMatch(/invalid arguments for setTheme/);
  });

  it('senderFactsOf copes with a frame that throws when read', () => {
    const ev = {
      sender: ourContents,
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
    } as unknown as IpcMainInvokeEvent;
    expect(senderFactsOf('c', ev, trust)).toEqual({ channel: 'c', senderUrl: null, isMainFrame: false, isKnownWindow: true });
  });
});
