/**
 * Files on behalf of the renderer: open, save, save as, export. Main owns the dialogs and the
 * paths; the renderer gets contents and opaque document ids. Every write is atomic.
 * Dialogs, PDF rendering and the recent list are injected, so this runs in a plain test.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest, ExportResult, OpenedScenario, ReportKind, SaveAsRequest, SavedScenario, SaveRequest } from '../src/ipc/api';
import { MAX_SCENARIO_CHARS } from '../src/ipc/schemas';
import { type FileData, writeFileAtomic } from './atomic-write';
import { format, type Strings } from './strings';

/**
 * Scenario files. `.queuelab` is QueueLab's own extension, registered with the OS (double-click
 * opens the app); its content is YAML (a superset of JSON), which the scenario loader assumes
 * for every extension but `.json`. Plain `.yaml`, `.yml` and `.json` open and save too, but are
 * not associated with the app: they are far too generic.
 */
export const SCENARIO_EXTENSIONS = ['queuelab', 'yaml', 'yml', 'json'] as const;
export const DEFAULT_SCENARIO_EXTENSION = 'queuelab';
export const UNTITLED_NAME = 'Untitled.queuelab';

export type DialogKind = 'scenario' | ReportKind;

export interface DocumentDeps {
  /** The native open dialog (scenario filters); the chosen path, or null if cancelled. */
  showOpenDialog(options: { defaultPath?: string }): Promise<string | null>;
  /** The native save dialog for a scenario or a report of a kind; the chosen path, or null. */
  showSaveDialog(options: { kind: DialogKind; defaultPath: string }): Promise<string | null>;
  /** Prints self-contained report HTML to PDF (webContents.printToPDF in a hidden window). */
  renderPdf(html: string): Promise<Uint8Array>;
  recent: {
    add(filePath: string): Promise<void>;
    remove(filePath: string): Promise<void>;
    pathOf(id: string): string | null;
  };
  /** Called after every successful scenario save (clears the autosaved draft, adds to OS recents, ...). */
  onSaved(filePath: string, content: string): Promise<void> | void;
  /** Called after a scenario was opened (OS recent documents). */
  onOpened?(filePath: string): void;
  /** Where dialogs start when there is no better folder (app.getPath('documents')). */
  defaultDirectory(): string;
  strings(): Strings['dialog'];
  write?(filePath: string, data: FileData): Promise<void>;
  newId?(): string;
}

/** `name` with an extension from `allowed` (case-insensitive), or `.fallback` appended. */
export function ensureExtension(name: string, allowed: readonly string[], fallback: string): string {
  const ext = path.extname(name).slice(1).toLowerCase();
  return allowed.includes(ext) ? name : `${name}.${fallback}`;
}

/** Excel opens a CSV as UTF-8 (and shows Chinese correctly) only with a byte order mark. */
export function withUtf8Bom(text: string): string {
  return text.startsWith('\uFEFF') ? text : `\uFEFF${text}`;
}

/** A scenario path in a command line (file association on Windows/Linux, second instance), or null. */
export function scenarioPathFromArgv(argv: readonly string[], cwd: string): string | null {
  // argv[0] is the executable (and argv[1] the app folder when run as `electron .`); flags start with '-'.
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i]!;
    if (arg.startsWith('-')) continue;
    const ext = path.extname(arg).slice(1).toLowerCase();
    if ((SCENARIO_EXTENSIONS as readonly string[]).includes(ext)) return path.resolve(cwd, arg);
  }
  return null;
}

export class DocumentService {
  private readonly pathById = new Map<string, string>();
  private readonly idByPath = new Map<string, string>();
  private lastDirectory: string | null = null;
  private lastExportDirectory: string | null = null;
  private readonly write: (filePath: string, data: FileData) => Promise<void>;
  private readonly newId: () => string;

  constructor(private readonly deps: DocumentDeps) {
    this.write = deps.write ?? writeFileAtomic;
    this.newId = deps.newId ?? (() => randomUUID());
  }

  /** The opaque id for a path (the same id for the same path during this run). */
  idFor(filePath: string): string {
    const existing = this.idByPath.get(filePath);
    if (existing !== undefined) return existing;
    const id = this.newId();
    this.idByPath.set(filePath, id);
    this.pathById.set(id, filePath);
    return id;
  }

  pathOf(documentId: string | null): string | null {
    return documentId === null ? null : (this.pathById.get(documentId) ?? null);
  }

  async open(): Promise<OpenedScenario | null> {
    const chosen = await this.deps.showOpenDialog(this.lastDirectory === null ? {} : { defaultPath: this.lastDirectory });
    return chosen === null ? null : this.openPath(chosen);
  }

  async openRecent(recentId: string): Promise<OpenedScenario> {
    const filePath = this.deps.recent.pathOf(recentId);
    if (filePath === null) throw new Error(this.deps.strings().fileGone);
    return this.openPath(filePath);
  }

  /** Reads a scenario file and adds it to the recent list. */
  async openPath(filePath: string): Promise<OpenedScenario> {
    const name = path.basename(filePath);
    let content: string;
    try {
      const info = await stat(filePath);
      // UTF-8 never has fewer bytes than characters, so this bound is safe before reading.
      if (info.size > MAX_SCENARIO_CHARS) throw new TooLargeError(format(this.deps.strings().fileTooLarge, { name, max: MAX_SCENARIO_CHARS }));
      content = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.deps.recent.remove(filePath);
        throw new Error(this.deps.strings().fileGone, { cause: error });
      }
      throw error;
    }
    if (content.startsWith('\uFEFF')) content = content.slice(1);
    this.lastDirectory = path.dirname(filePath);
    await this.deps.recent.add(filePath);
    this.deps.onOpened?.(filePath);
    return { documentId: this.idFor(filePath), name, content };
  }

  async save(request: SaveRequest): Promise<SavedScenario | null> {
    const target = this.pathOf(request.documentId);
    if (target === null) {
      return this.saveAs({ documentId: request.documentId, content: request.content, suggestedName: request.suggestedName ?? UNTITLED_NAME });
    }
    return this.writeScenario(target, request.content);
  }

  async saveAs(request: SaveAsRequest): Promise<SavedScenario | null> {
    const current = this.pathOf(request.documentId);
    const dir = current !== null ? path.dirname(current) : (this.lastDirectory ?? this.deps.defaultDirectory());
    const suggested = ensureExtension(request.suggestedName, SCENARIO_EXTENSIONS, DEFAULT_SCENARIO_EXTENSION);
    const chosen = await this.deps.showSaveDialog({ kind: 'scenario', defaultPath: path.join(dir, suggested) });
    if (chosen === null) return null;
    return this.writeScenario(ensureExtension(chosen, SCENARIO_EXTENSIONS, DEFAULT_SCENARIO_EXTENSION), request.content);
  }

  async exportReport(request: ExportRequest): Promise<ExportResult | null> {
    const dir = this.lastExportDirectory ?? this.lastDirectory ?? this.deps.defaultDirectory();
    const suggested = ensureExtension(request.suggestedName, [request.kind], request.kind);
    const chosen = await this.deps.showSaveDialog({ kind: request.kind, defaultPath: path.join(dir, suggested) });
    if (chosen === null) return null;
    const target = ensureExtension(chosen, [request.kind], request.kind);
    const data: FileData =
      request.kind === 'pdf' ? await this.deps.renderPdf(request.content) : request.kind === 'csv' ? withUtf8Bom(request.content) : request.content;
    await this.write(target, data);
    this.lastExportDirectory = path.dirname(target);
    return { name: path.basename(target) };
  }

  private async writeScenario(target: string, content: string): Promise<SavedScenario> {
    await this.write(target, content);
    this.lastDirectory = path.dirname(target);
    await this.deps.recent.add(target);
    await this.deps.onSaved(target, content);
    return { documentId: this.idFor(target), name: path.basename(target) };
  }
}

class TooLargeError extends Error {
  override name = 'TooLargeError';
}
