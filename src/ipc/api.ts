/**
 * The preload API, `window.queuelab`: the only door from the renderer to the desktop shell.
 *
 * It exists only in the Electron app. The web build (`npm run web`) has no `window.queuelab`,
 * so the renderer feature-detects it once at boot:
 *
 *   import type {} from '../ipc/api';            // brings in the Window augmentation
 *   const desktop = window.queuelab;             // QueueLabApi | undefined
 *   if (desktop) { ... electron platform ... } else { ... web platform ... }
 *
 * Rules of the contract:
 * - Paths never cross IPC from the renderer. Main owns the dialogs and the file system; the
 *   renderer gets contents plus an opaque `documentId` (and a display `name`).
 * - Every request is validated in main (./schemas.ts) and its sender checked (./validate.ts).
 *   A refused or failing request rejects its promise with an Error whose message is readable.
 * - A `null` result means the user cancelled a dialog.
 * - Listeners (`on*`) never receive the IPC event object; each returns an unsubscribe function.
 */

export type Theme = 'system' | 'light' | 'dark';
export type Language = 'en' | 'zh-CN';
export type ReportKind = 'html' | 'pdf' | 'csv';

export interface Settings {
  /** Mapped to nativeTheme.themeSource, which drives `prefers-color-scheme` in the renderer. */
  theme: Theme;
  language: Language;
}

/** A scenario file read by main. */
export interface OpenedScenario {
  /** Opaque handle for this file in this session; pass it back to saveScenario. */
  documentId: string;
  /** File name for display (no directory), e.g. "flash-sale.queuelab". Decides the format: `.json` is JSON, anything else YAML. */
  name: string;
  content: string;
}

export interface RecentEntry {
  /** Opaque id for openRecent(). */
  id: string;
  /** File name, e.g. "flash-sale.queuelab". */
  name: string;
  /** Name of the folder that holds it, to tell two files of the same name apart. */
  location: string;
  /** ISO 8601 time of the last open. */
  openedAt: string;
}

export interface SaveRequest {
  /** The file to save over; null for a document that has never been saved (main then asks where, as Save as). */
  documentId: string | null;
  content: string;
  /** File name proposed by the save dialog when main has to ask (no directory), e.g. "flash-sale.queuelab". */
  suggestedName?: string;
}

export interface SaveAsRequest {
  /** The current document, if any: its folder is the dialog's starting folder. */
  documentId: string | null;
  content: string;
  suggestedName: string;
}

export interface SavedScenario {
  /** The handle of the file now on disk (new after Save as). */
  documentId: string;
  name: string;
}

/** The current unsaved state of the document, kept by main and autosaved to userData/autosave/. */
export interface DraftUpdate {
  /** The file it was opened from, or null for a new document. */
  documentId: string | null;
  /** Display name, e.g. "flash-sale.queuelab" or "Untitled.queuelab". */
  name: string;
  content: string;
}

/** An autosaved draft found at startup: the app had stopped with unsaved changes. */
export interface RecoveredScenario {
  /** Pass to dismissRecovered() once the user restored or discarded it. */
  recoveryId: string;
  /** Handle of the original file if it still exists (saveScenario then writes over it), else null. */
  documentId: string | null;
  name: string;
  content: string;
  /** ISO 8601 time of the autosave. */
  savedAt: string;
}

export interface ExportRequest {
  kind: ReportKind;
  /**
   * html and pdf: the self-contained report HTML (inline CSS, data: images, no external URLs;
   * for pdf it is printed by Chromium, see REPORT_CONTENT_SECURITY_POLICY). csv: the CSV text
   * (main adds the UTF-8 byte order mark if missing, so Excel reads Chinese correctly).
   */
  content: string;
  /** Proposed file name without directory, e.g. "flash-sale-report.pdf". */
  suggestedName: string;
}

export interface ExportResult {
  /** File name written (no directory). */
  name: string;
}

/** What a menu item asks the renderer to do (the renderer owns the document and its dirty state). */
export type MenuCommand =
  | { command: 'file.open' }
  | { command: 'file.openRecent'; recentId: string }
  | { command: 'file.save' }
  | { command: 'file.saveAs' }
  | { command: 'report.export'; kind: ReportKind }
  | { command: 'help.shortcuts' };

export type Unsubscribe = () => void;

export interface QueueLabApi {
  /** `process.platform` of the app, e.g. to render Mod as ⌘ on 'darwin' and Ctrl elsewhere. */
  readonly platform: string;

  /** Shows the open dialog; null if cancelled. Adds the file to the recent list. */
  openScenario(): Promise<OpenedScenario | null>;
  /** Opens an entry of the recent list (or a file the OS asked us to open; see MenuCommand 'file.openRecent'). Rejects if it is gone. */
  openRecent(recentId: string): Promise<OpenedScenario>;
  /** Most recent first, at most 10, files that no longer exist left out. */
  listRecent(): Promise<RecentEntry[]>;
  /** Writes over the document's file (atomically); asks for a path when documentId is null. Null if cancelled. Clears the autosaved draft. */
  saveScenario(request: SaveRequest): Promise<SavedScenario | null>;
  /** Always asks for a path. Null if cancelled. */
  saveScenarioAs(request: SaveAsRequest): Promise<SavedScenario | null>;
  /** Call whenever the document differs from its file (debounced is fine): main autosaves it every few seconds and asks before closing. */
  updateDraft(draft: DraftUpdate): Promise<void>;
  /** The user abandoned the unsaved changes (or reverted them): forget the draft. */
  discardDraft(): Promise<void>;
  /** Forget a recovered draft (after restoring it into the editor, or declining it). */
  dismissRecovered(recoveryId: string): Promise<void>;
  /** Asks where to save and writes the report (pdf: printed from the HTML by Chromium). Null if cancelled. */
  exportReport(request: ExportRequest): Promise<ExportResult | null>;
  getSettings(): Promise<Settings>;
  setTheme(theme: Theme): Promise<Settings>;
  setLanguage(language: Language): Promise<Settings>;
  /** Opens the documentation outside the app. */
  openDocs(): Promise<void>;

  /** Commands that arrived before the first listener (a file the OS asked to open at launch) are delivered to it. */
  onMenu(listener: (command: MenuCommand) => void): Unsubscribe;
  /** Drafts that arrived before the first listener was added are delivered to it (buffered in the preload). */
  onRecovered(listener: (draft: RecoveredScenario) => void): Unsubscribe;
  onSettings(listener: (settings: Settings) => void): Unsubscribe;
}

/** The request methods of the API: exactly the keys of INVOKE in ./channels.ts (checked in ./schemas.ts). */
export type QueueLabInvokeApi = Omit<QueueLabApi, 'platform' | 'onMenu' | 'onRecovered' | 'onSettings'>;

declare global {
  interface Window {
    /** Present only in the desktop app (set by the preload script). */
    queuelab?: QueueLabApi;
  }
}
