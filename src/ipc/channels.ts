/**
 * The single table of IPC channels between the Electron main process, the preload script and
 * the renderer. Pure data: no zod (the sandboxed preload bundle imports this file, and should
 * stay small), no Node, no electron.
 *
 * - INVOKE: renderer -> main requests (`ipcRenderer.invoke` / `ipcMain.handle`). The key is the
 *   name of the preload API method (see ./api.ts); the value is the channel name.
 * - EVENTS: main -> renderer notifications (`webContents.send` / `ipcRenderer.on`).
 *
 * Argument and result schemas for every channel are in ./schemas.ts.
 */

export const INVOKE = {
  openScenario: 'queuelab:scenario.open',
  openRecent: 'queuelab:scenario.openRecent',
  listRecent: 'queuelab:recent.list',
  saveScenario: 'queuelab:scenario.save',
  saveScenarioAs: 'queuelab:scenario.saveAs',
  updateDraft: 'queuelab:draft.update',
  discardDraft: 'queuelab:draft.discard',
  dismissRecovered: 'queuelab:draft.dismissRecovered',
  exportReport: 'queuelab:report.export',
  getSettings: 'queuelab:settings.get',
  setTheme: 'queuelab:settings.setTheme',
  setLanguage: 'queuelab:settings.setLanguage',
  openDocs: 'queuelab:help.openDocs',
} as const;

export const EVENTS = {
  /** A menu item (or an OS "open this file" request) that the renderer must act on. Payload: MenuCommand. */
  menu: 'queuelab:menu.command',
  /** An autosaved draft found at startup. Payload: RecoveredScenario. Sent once per draft per page load. */
  recovered: 'queuelab:draft.recovered',
  /** The settings changed (from the menu or from another call). Payload: Settings. */
  settings: 'queuelab:settings.changed',
} as const;

export type InvokeName = keyof typeof INVOKE;
export type InvokeChannel = (typeof INVOKE)[InvokeName];
export type EventName = keyof typeof EVENTS;
export type EventChannel = (typeof EVENTS)[EventName];

export const INVOKE_NAMES = Object.keys(INVOKE) as InvokeName[];
export const INVOKE_CHANNELS = Object.values(INVOKE) as InvokeChannel[];
export const EVENT_CHANNELS = Object.values(EVENTS) as EventChannel[];

/** The invoke name of a channel string, or null if the channel is not in the table. */
export function invokeNameOf(channel: string): InvokeName | null {
  for (const name of INVOKE_NAMES) {
    if (INVOKE[name] === channel) return name;
  }
  return null;
}

/** The global name under which the preload exposes the API: `window.queuelab`. */
export const API_GLOBAL = 'queuelab';

/** The custom protocol that serves the built renderer (never file://). */
export const APP_SCHEME = 'app';
/** Host of the renderer origin: app://queuelab/index.html. The only host whose frames may use IPC. */
export const APP_HOST = 'queuelab';
/** Host that serves report HTML (in memory) to the hidden PDF window; never trusted for IPC. */
export const REPORT_HOST = 'report';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
