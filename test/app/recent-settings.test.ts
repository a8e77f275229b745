/**
 * app/recent.ts (most-recently-used list) and app/settings.ts (theme, language).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRecent, MAX_RECENT, parseRecent, recentIdOf, RecentFiles } from '../../app/recent';
import { parseSettings, pickLanguage, readSettings, writeSettings } from '../../app/settings';
import { recentEntrySchema } from '../../src/ipc/schemas';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'queuelab-recent-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const t = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();

describe('recent files', () => {
  it('moves a reopened file to the front and keeps at most 10', () => {
    let list = addRecent([], '/a.queuelab', t(1), 'linux');
    list = addRecent(list, '/b.queuelab', t(2), 'linux');
    list = addRecent(list, '/a.queuelab', t(3), 'linux');
    expect(list).toEqual([
      { path: '/a.queuelab', openedAt: t(3) },
      { path: '/b.queuelab', openedAt: t(2) },
    ]);
    for (let i = 0; i < 20; i++) list = addRecent(list, `/f${i}.queuelab`, t(10 + i), 'linux');
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]!.path).toBe('/f19.queuelab');
  });

  it('treats paths case-insensitively on Windows and macOS only', () => {
    expect(addRecent([{ path: 'C:\\A.queuelab', openedAt: t(1) }], 'c:\\a.queuelab', t(2), 'win32')).toHaveLength(1);
    expect(addRecent([{ path: '/A.queuelab', openedAt: t(1) }], '/a.queuelab', t(2), 'linux')).toHaveLength(2);
  });

  it('reads whatever is on disk defensively', () => {
    expect(parseRecent('nope')).toEqual([]);
    expect(parseRecent([{ path: '/a', openedAt: t(1) }, { path: 7 }, null, { path: '/a', openedAt: t(2) }, { path: '/b', openedAt: 'yesterday' }])).toEqual([
      { path: '/a', openedAt: t(1) },
    ]);
  });

  it('persists, hides missing files, resolves ids, and never shows a path', async () => {
    const file = path.join(dir, 'recent.json');
    const scenario = path.join(dir, 'sims', 'R&D sale.queuelab');
    const gone = path.join(dir, 'gone.queuelab');
    const exists = (p: string) => p !== gone;
    const recent = new RecentFiles(file, exists);
    await recent.add(gone, new Date(t(1)));
    await recent.add(scenario, new Date(t(2)));
    const again = new RecentFiles(file, exists);
    const entries = again.entries();
    expect(entries).toEqual([{ id: recentIdOf(scenario), name: 'R&D sale.queuelab', location: 'sims', openedAt: t(2) }]);
    for (const e of entries) expect(recentEntrySchema.safeParse(e).success).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(dir);
    expect(again.pathOf(recentIdOf(scenario))).toBe(scenario);
    expect(again.pathOf(recentIdOf(gone))).toBeNull();
    expect(again.pathOf('ffffffffffffffff')).toBeNull();
    await again.clear();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('starts empty from a corrupt file', () => {
    const file = path.join(dir, 'recent.json');
    writeFileSync(file, '[{"path": ');
    expect(new RecentFiles(file).entries()).toEqual([]);
  });
});

describe('settings', () => {
  it('picks Simplified Chinese for zh, zh-CN, zh-Hans, zh-SG; English otherwise', () => {
    expect(pickLanguage(['zh-CN'])).toBe('zh-CN');
    expect(pickLanguage(['zh'])).toBe('zh-CN');
    expect(pickLanguage(['zh-Hans-CN', 'en-US'])).toBe('zh-CN');
    expect(pickLanguage(['zh_SG'])).toBe('zh-CN');
    expect(pickLanguage(['zh-TW'])).toBe('en');
    expect(pickLanguage(['zh-Hant-HK'])).toBe('en');
    expect(pickLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'zh-CN'])).toBe('zh-CN');
    expect(pickLanguage(['fr-FR'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('keeps each valid field and defaults the rest', () => {
    expect(parseSettings(undefined, ['zh-CN'])).toEqual({ theme: 'system', language: 'zh-CN' });
    expect(parseSettings({ theme: 'dark', language: 'fr' }, ['en'])).toEqual({ theme: 'dark', language: 'en' });
    expect(parseSettings({ theme: 'neon', language: 'zh-CN' }, ['en'])).toEqual({ theme: 'system', language: 'zh-CN' });
    expect(parseSettings([1, 2], ['en'])).toEqual({ theme: 'system', language: 'en' });
  });

  it('round-trips through settings.json', async () => {
    const file = path.join(dir, 'settings.json');
    expect(readSettings(file, ['en-US'])).toEqual({ theme: 'system', language: 'en' });
    await writeSettings(file, { theme: 'light', language: 'zh-CN' });
    expect(readSettings(file, ['en-US'])).toEqual({ theme: 'light', language: 'zh-CN' });
  });
});
