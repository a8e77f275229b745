/**
 * Recently opened scenario files, kept by QueueLab itself in userData/recent.json (Linux has no
 * OS list; on Windows and macOS main also calls app.addRecentDocument for the JumpList / Dock).
 * Entries whose file is gone are dropped when read. The renderer sees opaque ids, never paths.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentEntry } from '../src/ipc/api';
import { writeFileAtomic } from './atomic-write';

export const RECENT_FILE = 'recent.json';
export const MAX_RECENT = 10;

export interface RecentFile {
  path: string;
  openedAt: string;
}

const recentFileSchema = z.object({ path: z.string().min(1), openedAt: z.iso.datetime({ offset: true }) });

/** A stable opaque id for a path (16 hex digits of its SHA-256). */
export function recentIdOf(filePath: string): string {
  return createHash('sha256').update(filePath).digest('hex').slice(0, 16);
}

/** Windows and macOS file systems are usually case-insensitive; treat C:\A.queuelab and c:\a.queuelab as one. */
function samePath(a: string, b: string, platform: string): boolean {
  return platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** The list with `filePath` moved (or added) to the front, at most MAX_RECENT long. */
export function addRecent(list: readonly RecentFile[], filePath: string, openedAt: string, platform = process.platform): RecentFile[] {
  return [{ path: filePath, openedAt }, ...list.filter((e) => !samePath(e.path, filePath, platform))].slice(0, MAX_RECENT);
}

/** Whatever was on disk, as a valid list: bad entries and duplicates dropped, order kept. */
export function parseRecent(json: unknown): RecentFile[] {
  if (!Array.isArray(json)) return [];
  const out: RecentFile[] = [];
  for (const item of json) {
    const parsed = recentFileSchema.safeParse(item);
    if (parsed.success && !out.some((e) => e.path === parsed.data.path)) out.push(parsed.data);
  }
  return out.slice(0, MAX_RECENT);
}

export function toRecentEntry(file: RecentFile): RecentEntry {
  return {
    id: recentIdOf(file.path),
    name: path.basename(file.path),
    location: path.basename(path.dirname(file.path)),
    openedAt: file.openedAt,
  };
}

export class RecentFiles {
  private list: RecentFile[];

  constructor(
    private readonly file: string,
    private readonly exists: (p: string) => boolean = existsSync,
  ) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      json = [];
    }
    this.list = parseRecent(json);
  }

  /** Current entries whose files still exist (checked now: files may vanish while we run). */
  entries(): RecentEntry[] {
    return this.list.filter((e) => this.exists(e.path)).map(toRecentEntry);
  }

  /** The path behind an id, or null if unknown or the file is gone. */
  pathOf(id: string): string | null {
    const found = this.list.find((e) => recentIdOf(e.path) === id);
    return found && this.exists(found.path) ? found.path : null;
  }

  async add(filePath: string, now: Date = new Date()): Promise<void> {
    this.list = addRecent(this.list, filePath, now.toISOString());
    await this.persist();
  }

  async remove(filePath: string): Promise<void> {
    this.list = this.list.filter((e) => e.path !== filePath);
    await this.persist();
  }

  async clear(): Promise<void> {
    this.list = [];
    await this.persist();
  }

  private async persist(): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(this.list, null, 2)}\n`);
  }
}
