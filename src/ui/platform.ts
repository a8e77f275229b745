/**
 * Files in and out, and the desktop shell when there is one.
 *
 * In the Electron app the preload script exposes `window.queuelab` (the QueueLabApi of
 * src/ipc/api.ts); the web build has no such object and falls back to a file input and a
 * download link, so the API is feature-detected at run time.
 */
import type { MenuCommand, QueueLabApi, Settings } from '../ipc/api';

export interface OpenedFile {
  /** Opaque handle from the desktop shell; null in the web build and for library entries. */
  documentId: string | null;
  fileName: string;
  text: string;
}

export type DesktopMenuCommand = MenuCommand;
export type DesktopSettings = Settings;

/** The part of the preload API (src/ipc/api.ts) the renderer uses. */
type DesktopApi = Pick<
  QueueLabApi,
  | 'openScenario'
  | 'openRecent'
  | 'saveScenario'
  | 'saveScenarioAs'
  | 'updateDraft'
  | 'exportReport'
  | 'getSettings'
  | 'setTheme'
  | 'setLanguage'
  | 'onMenu'
  | 'onSettings'
>;

/** The desktop API when present and complete enough to use; undefined in the web build. */
export function desktop(): DesktopApi | undefined {
  const api = (window as unknown as { queuelab?: Partial<DesktopApi> }).queuelab;
  if (typeof api !== 'object' || api === null) return undefined;
  return typeof api.openScenario === 'function' && typeof api.saveScenario === 'function' ? (api as DesktopApi) : undefined;
}

export async function openScenarioFile(): Promise<OpenedFile | null> {
  const api = desktop();
  if (api !== undefined) {
    const opened = await api.openScenario();
    return opened === null ? null : { documentId: opened.documentId, fileName: opened.name, text: opened.content };
  }
  return pickFile('.yaml,.yml,.json');
}

export async function openRecentFile(recentId: string): Promise<OpenedFile | null> {
  const api = desktop();
  if (api === undefined) return null;
  const opened = await api.openRecent(recentId);
  return { documentId: opened.documentId, fileName: opened.name, text: opened.content };
}

/** Saves; returns the (new) document handle and name, or null when cancelled. */
export async function saveScenarioFile(
  documentId: string | null,
  fileName: string,
  text: string,
  saveAs = false,
): Promise<{ documentId: string | null; fileName: string } | null> {
  const api = desktop();
  if (api !== undefined) {
    const saved = saveAs
      ? await api.saveScenarioAs({ documentId, content: text, suggestedName: fileName })
      : await api.saveScenario({ documentId, content: text, suggestedName: fileName });
    return saved === null ? null : { documentId: saved.documentId, fileName: saved.name };
  }
  download(fileName, text, fileName.toLowerCase().endsWith('.json') ? 'application/json' : 'application/yaml');
  return { documentId, fileName };
}

/** Tells the desktop shell about unsaved changes (it autosaves them); nothing on the web. */
export function updateDraft(documentId: string | null, fileName: string, text: string): void {
  void desktop()?.updateDraft({ documentId, name: fileName, content: text }).catch(() => undefined);
}

/** CSV through the shell's export dialog, or a download. */
export async function exportCsv(fileName: string, text: string): Promise<void> {
  const api = desktop();
  if (api !== undefined) {
    await api.exportReport({ kind: 'csv', content: text, suggestedName: fileName });
    return;
  }
  download(fileName, text, 'text/csv');
}

/** The HTML report, or (desktop only) the same report printed to PDF by the shell. */
export async function exportReportFile(fileName: string, html: string, kind: 'html' | 'pdf'): Promise<void> {
  const api = desktop();
  if (api !== undefined) {
    await api.exportReport({ kind, content: html, suggestedName: kind === 'pdf' ? fileName.replace(/\.html$/, '.pdf') : fileName });
    return;
  }
  download(fileName, html, 'text/html');
}

/** Any other file (summary.json): a download in the web build; the shell has no generic save. */
export function downloadFile(fileName: string, text: string, type = 'application/json'): void {
  download(fileName, text, type);
}

function pickFile(accept: string): Promise<OpenedFile | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.hidden = true;
    input.dataset.testid = 'file-input';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.remove();
      if (file === undefined) return resolve(null);
      file.text().then((text) => resolve({ documentId: null, fileName: file.name, text }), reject);
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(null);
    });
    document.body.append(input);
    input.click();
  });
}

function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
