/**
 * app/menu.ts: the application menu template per platform and language, with the actions it calls.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { ACCELERATORS, buildMenuTemplate, escapeMenuLabel, type MenuActions, type MenuContext } from '../../app/menu';
import { STRINGS } from '../../app/strings';
import { EVENT_SCHEMAS } from '../../src/ipc/schemas';

function actions() {
  return {
    send: vi.fn<MenuActions['send']>(),
    setTheme: vi.fn<MenuActions['setTheme']>(),
    setLanguage: vi.fn<MenuActions['setLanguage']>(),
    clearRecent: vi.fn<MenuActions['clearRecent']>(),
    openDocs: vi.fn<MenuActions['openDocs']>(),
  } satisfies MenuActions;
}

const base: MenuContext = { platform: 'linux', isDev: false, language: 'en', theme: 'system', recent: [] };

/** Every item of a template, depth first. */
function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function byId(items: readonly MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const found = flatten(items).find((i) => i.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

describe('buildMenuTemplate', () => {
  it('has File, Edit, View, Help on Linux and Windows, with Alt mnemonics', () => {
    for (const platform of ['linux', 'win32']) {
      const t = buildMenuTemplate({ ...base, platform }, actions());
      expect(t.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
      expect(flatten(t).some((i) => i.role === 'quit')).toBe(true);
      expect(flatten(t).some((i) => i.role === 'about')).toBe(true);
    }
  });

  it('has the app menu and the window menu on macOS, and no mnemonics', () => {
    const t = buildMenuTemplate({ ...base, platform: 'darwin' }, actions());
    expect(t.map((m) => m.label)).toEqual(['QueueLab', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(t[4]!.role).toBe('windowMenu');
    expect((t[0]!.submenu as MenuItemConstructorOptions[]).map((i) => i.role).filter(Boolean)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(flatten(t.slice(1)).some((i) => i.role === 'quit')).toBe(false); // quit lives in the app menu only
  });

  it('File has open, open recent, save, save as, the three exports and quit, with the documented shortcuts', () => {
    const t = buildMenuTemplate(base, actions());
    const file = (t[0]!.submenu as MenuItemConstructorOptions[]).filter((i) => i.type !== 'separator');
    expect(file.map((i) => i.id)).toEqual([
      'file.open',
      'file.openRecent',
      'file.save',
      'file.saveAs',
      'report.export.html',
      'report.export.pdf',
      'report.export.csv',
      'file.quit',
    ]);
    expect(byId(t, 'file.open').accelerator).toBe('CmdOrCtrl+O');
    expect(byId(t, 'file.save').accelerator).toBe('CmdOrCtrl+S');
    expect(byId(t, 'file.saveAs').accelerator).toBe('CmdOrCtrl+Shift+S');
    expect(byId(t, 'report.export.html').accelerator).toBe('CmdOrCtrl+E');
    expect(byId(t, 'report.export.pdf').accelerator).toBe('CmdOrCtrl+P');
  });

  it('sends each document command to the renderer, in the shape of the IPC schema', () => {
    const a = actions();
    const t = buildMenuTemplate({ ...base, recent: [{ id: '0123456789abcdef', label: 'a.queuelab — sims' }] }, a);
    for (const id of ['file.open', 'file.save', 'file.saveAs', 'report.export.html', 'report.export.pdf', 'report.export.csv', 'help.shortcuts', 'file.openRecent.0123456789abcdef']) {
      click(byId(t, id));
    }
    const sent = a.send.mock.calls.map(([c]) => c);
    expect(sent).toEqual([
      { command: 'file.open' },
      { command: 'file.save' },
      { command: 'file.saveAs' },
      { command: 'report.export', kind: 'html' },
      { command: 'report.export', kind: 'pdf' },
      { command: 'report.export', kind: 'csv' },
      { command: 'help.shortcuts' },
      { command: 'file.openRecent', recentId: '0123456789abcdef' },
    ]);
    for (const command of sent) expect(EVENT_SCHEMAS.menu.safeParse(command).success).toBe(true);
  });

  it('lists recent files (escaping &), and can clear them; shows a disabled placeholder when empty', () => {
    const a = actions();
    const t = buildMenuTemplate({ ...base, recent: [{ id: 'aaaaaaaaaaaaaaaa', label: 'R&D.queuelab — lab' }] }, a);
    expect(byId(t, 'file.openRecent.aaaaaaaaaaaaaaaa').label).toBe('R&&D.queuelab — lab');
    click(byId(t, 'file.clearRecent'));
    expect(a.clearRecent).toHaveBeenCalled();
    const empty = buildMenuTemplate(base, actions());
    expect(byId(empty, 'file.openRecent.none').enabled).toBe(false);
    expect(byId(empty, 'file.clearRecent').enabled).toBe(false);
    expect(escapeMenuLabel('a&b&&c')).toBe('a&&b&&&&c');
  });

  it('View has zoom, full screen, theme and language radios reflecting the settings', () => {
    const a = actions();
    const t = buildMenuTemplate({ ...base, theme: 'dark', language: 'zh-CN' }, a);
    const roles = flatten(t).map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
    expect(['system', 'light', 'dark'].map((th) => byId(t, `view.theme.${th}`).checked)).toEqual([false, false, true]);
    expect(byId(t, 'view.language.en')).toMatchObject({ type: 'radio', checked: false, label: 'English' });
    expect(byId(t, 'view.language.zh-CN')).toMatchObject({ type: 'radio', checked: true, label: '简体中文' });
    click(byId(t, 'view.theme.light'));
    click(byId(t, 'view.language.en'));
    expect(a.setTheme).toHaveBeenCalledWith('light');
    expect(a.setLanguage).toHaveBeenCalledWith('en');
  });

  it('offers Reload and Developer Tools only unpackaged', () => {
    const roles = (ctx: MenuContext) => flatten(buildMenuTemplate(ctx, actions())).map((i) => i.role);
    expect(roles(base)).not.toContain('toggleDevTools');
    expect(roles(base)).not.toContain('reload');
    expect(roles({ ...base, isDev: true })).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('Help has keyboard shortcuts, documentation and about', () => {
    const a = actions();
    const t = buildMenuTemplate(base, a);
    expect(byId(t, 'help.shortcuts').accelerator).toBe(ACCELERATORS.shortcuts);
    click(byId(t, 'help.docs'));
    expect(a.openDocs).toHaveBeenCalled();
    expect(byId(t, 'help.about').role).toBe('about');
  });

  it('is fully translated to Simplified Chinese, with mnemonics after the label', () => {
    const t = buildMenuTemplate({ ...base, language: 'zh-CN' }, actions());
    expect(t.map((m) => m.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '帮助(&H)']);
    expect(byId(t, 'file.open').label).toBe('打开场景…');
    const labels = flatten(t).map((i) => i.label).filter((l): l is string => typeof l === 'string');
    const english = new Set(Object.values(STRINGS.en.menu));
    expect(labels.filter((l) => english.has(l))).toEqual([]);
    expect(labels).toContain('English'); // the language picker names each language in itself
  });

  it('has the same keys in both languages, and no empty string', () => {
    for (const part of ['menu', 'dialog'] as const) {
      expect(Object.keys(STRINGS['zh-CN'][part]).sort()).toEqual(Object.keys(STRINGS.en[part]).sort());
      for (const lang of ['en', 'zh-CN'] as const) {
        for (const value of Object.values(STRINGS[lang][part])) expect(value.trim()).not.toBe('');
      }
    }
  });

  it('binds no single key without a modifier (it would swallow typing)', () => {
    for (const platform of ['linux', 'darwin']) {
      for (const item of flatten(buildMenuTemplate({ ...base, platform, isDev: true }, actions()))) {
        if (typeof item.accelerator === 'string') expect(item.accelerator).toMatch(/^(CmdOrCtrl|Ctrl|Cmd|Alt|Shift)\+/);
      }
    }
  });
});
