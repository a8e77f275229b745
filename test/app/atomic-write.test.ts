/**
 * app/atomic-write.ts: temp file in the same directory + fsync + rename; no leftovers; the old
 * file survives a failed write.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../app/atomic-write';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, rename: vi.fn(real.rename) };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'queuelab-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['async', (file: string, data: string | Uint8Array) => writeFileAtomic(file, data)],
  ['sync', async (file: string, data: string | Uint8Array) => writeFileAtomicSync(file, data)],
])('writeFileAtomic (%s)', (_kind, write) => {
  it('creates, then replaces, a file, leaving no temporary file', async () => {
    const file = path.join(dir, 'flash-sale.queuelab');
    await write(file, 'version: 1\n');
    expect(readFileSync(file, 'utf8')).toBe('version: 1\n');
    await write(file, '订单: 1\n');
    expect(readFileSync(file, 'utf8')).toBe('订单: 1\n');
    await write(path.join(dir, 'r.pdf'), new Uint8Array([0x25, 0x50, 0x44, 0x46]));
    expect(readFileSync(path.join(dir, 'r.pdf')).toString('latin1')).toBe('%PDF');
    expect(readdirSync(dir).sort()).toEqual(['flash-sale.queuelab', 'r.pdf']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    if (process.platform === 'win32') return;
    const file = path.join(dir, 'shared.queuelab');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await write(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves the old content and no temporary file when the rename fails', async () => {
    const target = path.join(dir, 'is-a-directory');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'x');
    await expect(write(target, 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['is-a-directory']);
    expect(readFileSync(path.join(target, 'keep'), 'utf8')).toBe('x');
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(write(path.join(dir, 'missing', 'x.json'), '{}')).rejects.toThrow(/ENOENT/);
  });
});

describe('the temporary file', () => {
  it('is hidden, unique, and in the same directory as the target (so rename is atomic)', () => {
    const a = tempPathFor('/data/user/recent.json');
    const b = tempPathFor('/data/user/recent.json');
    expect(path.dirname(a)).toBe('/data/user');
    expect(path.basename(a)).toMatch(/^\.recent\.json\.\d+\.[0-9a-f]{12}\.tmp$/);
    expect(a).not.toBe(b);
  });

  it('is written completely before the rename (a crash before it leaves the old file intact)', async () => {
    const file = path.join(dir, 'scenario.queuelab');
    writeFileSync(file, 'old');
    const rename = vi.mocked(fsPromises.rename);
    rename.mockImplementationOnce(async (from) => {
      // At the moment of the rename the temp file holds all the data and the target is untouched.
      expect(readFileSync(from as string, 'utf8')).toBe('new content');
      expect(readFileSync(file, 'utf8')).toBe('old');
      throw new Error('simulated crash');
    });
    await expect(writeFileAtomic(file, 'new content')).rejects.toThrow('simulated crash');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['scenario.queuelab']);
  });
});
