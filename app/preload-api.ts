/**
 * The object the preload script exposes as `window.queuelab` (built by createApi, tested with a
 * fake ipcRenderer). One function per operation; ipcRenderer itself never leaves this module,
 * and listeners never see the IPC event (it would carry `sender`, i.e. ipcRenderer).
 *
 * This file is bundled into the sandboxed preload: it may import only the channel table
 * (no zod, no Node) and types.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { MenuCommand, QueueLabApi, RecoveredScenario, Settings, Unsubscribe } from '../src/ipc/api';
import { EVENTS, INVOKE, type EventChannel } from '../src/ipc/channels';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

function subscribe<T>(ipc: IpcRendererLike, channel: EventChannel, listener: (payload: T) => void): Unsubscribe {
  const wrapped = (_event: IpcRendererEvent, payload: T): void => listener(payload);
  ipc.on(channel, wrapped);
  return () => {
    ipc.removeListener(channel, wrapped);
  };
}

/**
 * A channel whose messages may arrive before the UI subscribes (sent when the page has loaded,
 * while React may not have mounted yet): they wait for the first listener.
 */
function buffered<T>(ipc: IpcRendererLike, channel: EventChannel): (listener: (payload: T) => void) => Unsubscribe {
  const pending: T[] = [];
  const listeners = new Set<(payload: T) => void>();
  ipc.on(channel, (_event: IpcRendererEvent, payload: T) => {
    if (listeners.size === 0) pending.push(payload);
    else for (const l of [...listeners]) l(payload);
  });
  return (listener) => {
    listeners.add(listener);
    for (const payload of pending.splice(0)) listener(payload);
    return () => {
      listeners.delete(listener);
    };
  };
}

export function createApi(ipc: IpcRendererLike, platform: string): QueueLabApi {
  // Recovered drafts and OS "open this file" commands are sent right after the page loads.
  const onRecovered = buffered<RecoveredScenario>(ipc, EVENTS.recovered);
  const onMenu = buffered<MenuCommand>(ipc, EVENTS.menu);

  const api: QueueLabApi = {
    platform,
    openScenario: () => ipc.invoke(INVOKE.openScenario),
    openRecent: (recentId) => ipc.invoke(INVOKE.openRecent, recentId),
    listRecent: () => ipc.invoke(INVOKE.listRecent),
    saveScenario: (request) => ipc.invoke(INVOKE.saveScenario, request),
    saveScenarioAs: (request) => ipc.invoke(INVOKE.saveScenarioAs, request),
    updateDraft: (draft) => ipc.invoke(INVOKE.updateDraft, draft),
    discardDraft: () => ipc.invoke(INVOKE.discardDraft),
    dismissRecovered: (recoveryId) => ipc.invoke(INVOKE.dismissRecovered, recoveryId),
    exportReport: (request) => ipc.invoke(INVOKE.exportReport, request),
    getSettings: () => ipc.invoke(INVOKE.getSettings),
    setTheme: (theme) => ipc.invoke(INVOKE.setTheme, theme),
    setLanguage: (language) => ipc.invoke(INVOKE.setLanguage, language),
    openDocs: () => ipc.invoke(INVOKE.openDocs),

    onMenu: (listener) => onMenu(listener),
    onRecovered: (listener) => onRecovered(listener),
    onSettings: (listener) => subscribe<Settings>(ipc, EVENTS.settings, listener),
  };
  return Object.freeze(api);
}
