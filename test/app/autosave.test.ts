/**
 * app/autosave.ts: unsaved drafts written every N seconds, cleared on save, recovered at the
 * next start.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AUTOSAVE_INTERVAL_MS,
  Autosaver,
  collectRecoveredDrafts,
  CURRENT_DRAFT_FILE,
  dismissRecoveredDraft,
  type Timers,
} from '../../app/autosave';
import { recoveredScenarioSchema } from '../../src/ipc/schemas';

let userData: string;
let dir: string;
beforeEach(() => {
  userData = mkdtempSync(path.join(tmpdir(), 'queuelab-autosave-'));
  dir = path.join(userData, 'autosave');
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

function manualTimers(): Timers & { tick(): void; interval: number | null } {
  let fn: (() => void) | null = null;
  const t = {
    interval: null as number | null,
    setInterval: (f: () => void, ms: number) => {
      fn = f;
      t.interval = ms;
      return 1;
    },
    clearInterval: () => {
      fn = null;
    },
    tick: () => fn?.(),
  };
  return t;
}

const now = () => new Date('2026-03-01T12:00:00.000Z');
const draft = { originalPath: '/home/u/flash-sale.queuelab', name: 'flash-sale.queuelab', content: 'version: 1\n' };

describe('Autosaver', () => {
  it('writes the draft on the interval, only when it changed, to autosave/current.json', async () => {
    const timers = manualTimers();
    const saver = new Autosaver(dir, { timers, now });
    saver.start();
    expect(timers.interval).toBe(AUTOSAVE_INTERVAL_MS);
    timers.tick();
    await saver.idle();
    expect(readdirSync(userData)).toEqual([]); // nothing to save yet: no folder either

    saver.update(draft);
    expect(saver.hasDraft).toBe(true);
    timers.tick();
    await saver.idle();
    const record = JSON.parse(readFileSync(path.join(dir, CURRENT_DRAFT_FILE), 'utf8'));
    expect(record).toEqual({ format: 'queuelab-autosave', version: 1, ...draft, savedAt: '2026-03-01T12:00:00.000Z' });

    // Unchanged: not rewritten.
    rmSync(path.join(dir, CURRENT_DRAFT_FILE));
    timers.tick();
    await saver.idle();
    expect(readdirSync(dir)).toEqual([]);

    saver.update({ ...draft, content: 'version: 1\nseed: 2\n' });
    timers.tick();
    await saver.idle();
    expect(JSON.parse(readFileSync(path.join(dir, CURRENT_DRAFT_FILE), 'utf8')).content).toBe('version: 1\nseed: 2\n');
    saver.stop();
  });

  it('clear() deletes the draft, even when a write is still in flight', async () => {
    const saver = new Autosaver(dir, { now });
    // Cleared before the queued write starts: nothing is written.
    saver.update(draft);
    await Promise.all([saver.flush(), saver.clear()]);
    expect(existsSync(path.join(dir, CURRENT_DRAFT_FILE))).toBe(false);
    // Cleared while the write is running: the delete runs after it.
    saver.update(draft);
    const writing = saver.flush();
    await Promise.resolve();
    await Promise.resolve();
    const clearing = saver.clear();
    await Promise.all([writing, clearing]);
    expect(saver.hasDraft).toBe(false);
    expect(existsSync(path.join(dir, CURRENT_DRAFT_FILE))).toBe(false);
  });

  it('clearIfSaved clears only if the saved content is the draft', async () => {
    const saver = new Autosaver(dir, { now });
    saver.update(draft);
    await saver.flush();
    expect(await saver.clearIfSaved('something older', '/home/u/new.queuelab')).toBe(false);
    expect(saver.current).toEqual({ ...draft, originalPath: '/home/u/new.queuelab' });
    expect(await saver.clearIfSaved(draft.content, '/home/u/new.queuelab')).toBe(true);
    expect(saver.hasDraft).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries a failed write at the next tick and reports the error', async () => {
    const timers = manualTimers();
    const onError = vi.fn();
    writeFileSync(path.join(userData, 'autosave'), 'a file where the folder should be');
    const saver = new Autosaver(dir, { timers, now, onError });
    saver.start();
    saver.update(draft);
    timers.tick();
    await saver.idle();
    await new Promise((r) => setTimeout(r, 0));
    expect(onError).toHaveBeenCalledTimes(1);
    rmSync(path.join(userData, 'autosave'));
    timers.tick();
    await saver.idle();
    expect(readdirSync(dir)).toEqual([CURRENT_DRAFT_FILE]);
  });
});

describe('recovery at startup', () => {
  it('moves current.json aside and returns it, in the shape the renderer gets', async () => {
    const saver = new Autosaver(dir, { now });
    saver.update(draft);
    await saver.flush();
    // ... the app crashes here; next start:
    const drafts = await collectRecoveredDrafts(dir);
    expect(drafts).toHaveLength(1);
    const [d] = drafts;
    expect(d).toMatchObject({ ...draft, savedAt: '2026-03-01T12:00:00.000Z' });
    expect(d!.recoveryId).toMatch(/^recovered-[a-z0-9]+-[0-9a-f]{8}$/);
    expect(readdirSync(dir)).toEqual([`${d!.recoveryId}.json`]);
    const sent = { recoveryId: d!.recoveryId, documentId: null, name: d!.name, content: d!.content, savedAt: d!.savedAt };
    expect(recoveredScenarioSchema.safeParse(sent).success).toBe(true);

    // A new draft started before the user answered does not overwrite the recovered one.
    saver.update({ ...draft, content: 'newer' });
    await saver.flush();
    expect(readdirSync(dir).sort()).toEqual([CURRENT_DRAFT_FILE, `${d!.recoveryId}.json`].sort());

    // Answered: gone.
    await dismissRecoveredDraft(dir, d!.recoveryId);
    expect(readdirSync(dir)).toEqual([CURRENT_DRAFT_FILE]);
  });

  it('offers unanswered drafts again, newest first, and skips unreadable files', async () => {
    mkdirSync(dir, { recursive: true });
    const record = (savedAt: string, content: string) =>
      JSON.stringify({ format: 'queuelab-autosave', version: 1, originalPath: null, name: 'Untitled.queuelab', content, savedAt });
    writeFileSync(path.join(dir, 'recovered-old-1.json'), record('2026-01-01T00:00:00.000Z', 'old'));
    writeFileSync(path.join(dir, CURRENT_DRAFT_FILE), record('2026-02-01T00:00:00.000Z', 'new'));
    writeFileSync(path.join(dir, 'recovered-bad-2.json'), '{ truncated');
    writeFileSync(path.join(dir, 'recovered-alien-3.json'), JSON.stringify({ format: 'other' }));
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const skipped = vi.fn();
    const drafts = await collectRecoveredDrafts(dir, skipped);
    expect(drafts.map((d) => d.content)).toEqual(['new', 'old']);
    expect(skipped.mock.calls.map(([f]) => f).sort()).toEqual(['recovered-alien-3.json', 'recovered-bad-2.json']);
    expect(await collectRecoveredDrafts(path.join(userData, 'missing'))).toEqual([]);
  });

  it('dismiss ignores ids that are not recovered drafts (no path games)', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(userData, 'settings.json'), '{}');
    await dismissRecoveredDraft(dir, '../settings');
    await dismissRecoveredDraft(dir, 'current');
    expect(readdirSync(userData).sort()).toEqual(['autosave', 'settings.json']);
  });
});
