/**
 * Atomic file writes: the data goes to a temporary file in the same directory, is flushed to
 * disk (fsync), and then renamed over the target. A crash leaves either the old file or the new
 * one, never a truncated mix. The directory is fsynced too (POSIX), so the rename itself is
 * durable. A leftover temporary file (crash between write and rename) starts with `.` and ends
 * with `.tmp`.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export type FileData = string | Uint8Array;

/** The temporary file used for `target`: same directory, hidden, unique. */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function toBytes(data: FileData): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Keep the permissions of the file being replaced (e.g. a scenario the user made read-only for others). */
async function existingMode(target: string): Promise<number | undefined> {
  try {
    return (await stat(target)).mode & 0o777;
  } catch {
    return undefined;
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}

export async function writeFileAtomic(target: string, data: FileData): Promise<void> {
  const tmp = tempPathFor(target);
  const mode = (await existingMode(target)) ?? 0o644;
  const handle = await open(tmp, 'wx', mode);
  try {
    try {
      await handle.writeFile(toBytes(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDirectory(path.dirname(target));
}

/** The same, synchronous: for shutdown paths (window 'close') where an await would be too late. */
export function writeFileAtomicSync(target: string, data: FileData): void {
  const tmp = tempPathFor(target);
  let mode = 0o644;
  try {
    mode = statSync(target).mode & 0o777;
  } catch {
    // new file
  }
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      const bytes = toBytes(data);
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  if (process.platform !== 'win32') {
    try {
      const dirFd = openSync(path.dirname(target), 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // as above
    }
  }
}
