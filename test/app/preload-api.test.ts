/**
 * The preload API (app/preload-api.ts) against a fake ipcRenderer: one function per channel,
 * listeners never see the IPC event, recovered drafts are buffered, ipcRenderer never leaks.
 */
import { describe, expect, it, vi } from 'vitest';
import type { IpcRendererEvent } from 'electron';
import { createApi, type IpcRendererLike } from '../../app/preload-api';
import { EVENTS, INVOKE, INVOKE_NAMES } from '../../src/ipc/channels';
import type { QueueLabApi, RecoveredScenario } from '../../src/ipc/api';

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

function fakeIpc() {
  const listeners = new Map<string, Set<Listener>>();
  const fakeEvent = { sender: 'the-ipcRenderer', ports: [] } as unknown as IpcRendererEvent;
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args })),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipc;
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
      return ipc;
    }),
  };
  const emit = (channel: string, payload: unknown): void => {
    for (const l of listeners.get(channel) ?? []) l(fakeEvent, payload);
  };
  const count = (channel: string): number => listeners.get(channel)?.size ?? 0;
  return { ipc: ipc as unknown as IpcRendererLike & typeof ipc, emit, count };
}

const draft: RecoveredScenario = {
  recoveryId: 'recovered-a-1',
  documentId: null,
  name: 'Untitled.queuelab',
  content: 'version: 1\n',
  savedAt: '2026-01-01T00:00:00.000Z',
};

describe('createApi', () => {
  it('has one function per invoke channel, the three listeners and platform, nothing else', () => {
    const api = createApi(fakeIpc().ipc, 'linux');
    expect(Object.keys(api).sort()).toEqual([...INVOKE_NAMES, 'onMenu', 'onRecovered', 'onSettings', 'platform'].sort());
    expect(api.platform).toBe('linux');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('each request function invokes its own channel with exactly its arguments', async () => {
    const { ipc } = fakeIpc();
    const api = createApi(ipc, 'linux') as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const sample: Record<string, unknown[]> = {
      openRecent: ['0123456789abcdef'],
      saveScenario: [{ documentId: 'd', content: 'c' }],
      saveScenarioAs: [{ documentId: null, content: 'c', suggestedName: 'a.queuelab' }],
      updateDraft: [{ documentId: null, name: 'a.queuelab', content: 'c' }],
      dismissRecovered: ['recovered-x'],
      exportReport: [{ kind: 'csv', content: 'a,b', suggestedName: 'r.csv' }],
      setTheme: ['dark'],
      setLanguage: ['zh-CN'],
    };
    for (const name of INVOKE_NAMES) {
      const args = sample[name] ?? [];
      const result = await api[name]!(...args);
      expect(result, name).toEqual({ channel: INVOKE[name], args });
    }
    expect(ipc.invoke).toHaveBeenCalledTimes(INVOKE_NAMES.length);
  });

  it('listeners get the payload only, never the event, and can unsubscribe', () => {
    const { ipc, emit, count } = fakeIpc();
    const api = createApi(ipc, 'linux');
    const menu = vi.fn();
    const settings = vi.fn();
    const offMenu = api.onMenu(menu);
    api.onSettings(settings);
    emit(EVENTS.menu, { command: 'file.save' });
    emit(EVENTS.settings, { theme: 'dark', language: 'en' });
    expect(menu).toHaveBeenCalledWith({ command: 'file.save' });
    expect(menu.mock.calls[0]).toHaveLength(1);
    expect(settings).toHaveBeenCalledWith({ theme: 'dark', language: 'en' });
    offMenu();
    emit(EVENTS.menu, { command: 'file.open' });
    expect(menu).toHaveBeenCalledTimes(1);
    const offSettings = api.onSettings(vi.fn());
    expect(count(EVENTS.settings)).toBe(2);
    offSettings();
    expect(count(EVENTS.settings)).toBe(1);
  });

  it('buffers menu commands sent before the UI subscribed (a file opened from the OS at launch)', () => {
    const { ipc, emit } = fakeIpc();
    const api = createApi(ipc, 'linux');
    emit(EVENTS.menu, { command: 'file.openRecent', recentId: '0123456789abcdef' });
    const menu = vi.fn();
    api.onMenu(menu);
    expect(menu).toHaveBeenCalledWith({ command: 'file.openRecent', recentId: '0123456789abcdef' });
  });

  it('buffers recovered drafts until the first listener, then delivers live', () => {
    const { ipc, emit } = fakeIpc();
    const api = createApi(ipc, 'linux');
    emit(EVENTS.recovered, draft);
    const first = vi.fn();
    const off = api.onRecovered(first);
    expect(first).toHaveBeenCalledWith(draft);
    const second = vi.fn();
    api.onRecovered(second);
    expect(second).not.toHaveBeenCalled(); // already delivered
    const later = { ...draft, recoveryId: 'recovered-b-2' };
    emit(EVENTS.recovered, later);
    expect(first).toHaveBeenLastCalledWith(later);
    expect(second).toHaveBeenLastCalledWith(later);
    off();
    emit(EVENTS.recovered, draft);
    expect(first).toHaveBeenCalledTimes(2);
  });

  it('exposes no ipcRenderer, and no way to reach an arbitrary channel', () => {
    const { ipc } = fakeIpc();
    const api: QueueLabApi = createApi(ipc, 'linux');
    for (const value of Object.values(api)) expect(value).not.toBe(ipc);
    expect('invoke' in api || 'send' in api || 'on' in api || 'ipcRenderer' in api).toBe(false);
    // No function passes a caller-chosen channel through.
    const asAny = api as unknown as Record<string, (...a: unknown[]) => unknown>;
    void asAny.openScenario!('queuelab:evil');
    expect(ipc.invoke).toHaveBeenLastCalledWith(INVOKE.openScenario);
  });
});
