/**
 * Crash safety for an edited, unsaved scenario.
 *
 * - The renderer reports the unsaved document with updateDraft(); main keeps the latest copy in
 *   memory and an Autosaver writes it every AUTOSAVE_INTERVAL_MS (when it changed) to
 *   userData/autosave/current.json, atomically, with the path of the file it came from.
 * - Saving the document (or discarding the changes) deletes it.
 * - At the next start, collectRecoveredDrafts() renames a leftover current.json to
 *   recovered-<id>.json and returns every recovered-*.json; main sends each to the renderer,
 *   which restores or declines it and then calls dismissRecovered(id) to delete the file. A draft
 *   that was never answered (the app died again) is offered again next time.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_SCENARIO_CHARS } from '../src/ipc/schemas';
import { writeFileAtomic } from './atomic-write';

export const AUTOSAVE_DIR = 'autosave';
export const AUTOSAVE_INTERVAL_MS = 10_000;
export const CURRENT_DRAFT_FILE = 'current.json';
const RECOVERED_PATTERN = /^(recovered-[A-Za-z0-9_-]{1,48})\.json$/;

export interface Draft {
  /** The file the document was opened from or last saved to; null for a new document. */
  originalPath: string | null;
  name: string;
  content: string;
}

const draftRecordSchema = z.object({
  format: z.literal('queuelab-autosave'),
  version: z.literal(1),
  originalPath: z.string().min(1).nullable(),
  name: z.string().min(1).max(255),
  content: z.string().max(MAX_SCENARIO_CHARS),
  savedAt: z.iso.datetime({ offset: true }),
});
export type DraftRecord = z.infer<typeof draftRecordSchema>;

export interface RecoveredDraft extends DraftRecord {
  recoveryId: string;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export class Autosaver {
  private draft: Draft | null = null;
  /** The draft changed since it was last written. */
  private unwritten = false;
  private timer: unknown = null;
  /** Disk operations run one after another, so a late write can never resurrect a cleared draft. */
  private queue: Promise<void> = Promise.resolve();
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly options: { intervalMs?: number; now?: () => Date; timers?: Timers; onError?: (e: unknown) => void } = {},
  ) {
    this.file = path.join(dir, CURRENT_DRAFT_FILE);
  }

  /** There are unsaved changes (written to disk or not yet). */
  get hasDraft(): boolean {
    return this.draft !== null;
  }

  get current(): Draft | null {
    return this.draft;
  }

  update(draft: Draft): void {
    this.draft = { ...draft };
    this.unwritten = true;
  }

  /** Writes the draft now if it changed since the last write. */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.unwritten || this.draft === null) return;
      const draft = this.draft;
      this.unwritten = false;
      const record: DraftRecord = {
        format: 'queuelab-autosave',
        version: 1,
        originalPath: draft.originalPath,
        name: draft.name,
        content: draft.content,
        savedAt: (this.options.now?.() ?? new Date()).toISOString(),
      };
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFileAtomic(this.file, JSON.stringify(record));
      } catch (error) {
        if (this.draft === draft) this.unwritten = true; // try again next tick
        throw error;
      }
    });
  }

  /** Forgets the draft and deletes it from disk (saved, or changes discarded). */
  clear(): Promise<void> {
    this.draft = null;
    this.unwritten = false;
    return this.enqueue(() => rm(this.file, { force: true }));
  }

  /** After a save: clears the draft only if it is what was saved (the user may have typed on meanwhile). */
  async clearIfSaved(content: string, savedPath: string): Promise<boolean> {
    if (this.draft === null) return true;
    if (this.draft.content !== content) {
      this.draft = { ...this.draft, originalPath: savedPath };
      this.unwritten = true;
      return false;
    }
    await this.clear();
    return true;
  }

  start(): void {
    if (this.timer !== null) return;
    const timers = this.options.timers ?? realTimers;
    this.timer = timers.setInterval(() => {
      this.flush().catch((error: unknown) => (this.options.onError ?? defaultOnError)(error));
    }, this.options.intervalMs ?? AUTOSAVE_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer === null) return;
    (this.options.timers ?? realTimers).clearInterval(this.timer);
    this.timer = null;
  }

  /** Resolves when every queued disk operation has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function defaultOnError(error: unknown): void {
  console.warn(`QueueLab: autosave failed: ${String(error)}`);
}

/**
 * At startup: moves a leftover current.json aside as recovered-<id>.json, then returns every
 * recovered draft in the folder, newest first. Unreadable files are skipped (and left alone).
 */
export async function collectRecoveredDrafts(dir: string, onSkip?: (file: string, why: string) => void): Promise<RecoveredDraft[]> {
  const current = path.join(dir, CURRENT_DRAFT_FILE);
  const stamp = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(current, path.join(dir, `recovered-${stamp}.json`));
  } catch {
    // no leftover draft
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const drafts: RecoveredDraft[] = [];
  for (const name of names.sort()) {
    const match = RECOVERED_PATTERN.exec(name);
    if (!match) continue;
    try {
      const record = draftRecordSchema.parse(JSON.parse(await readFile(path.join(dir, name), 'utf8')));
      drafts.push({ ...record, recoveryId: match[1]! });
    } catch (error) {
      onSkip?.(name, String(error));
    }
  }
  return drafts.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
}

/** Deletes a recovered draft once the user has answered. Ids that are not ours are ignored. */
export async function dismissRecoveredDraft(dir: string, recoveryId: string): Promise<void> {
  if (!RECOVERED_PATTERN.test(`${recoveryId}.json`)) return;
  await rm(path.join(dir, `${recoveryId}.json`), { force: true });
}
