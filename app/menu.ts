/**
 * The application menu as a plain template (tested without Electron). main.ts passes it to
 * Menu.buildFromTemplate and rebuilds it when the language, the theme or the recent list change.
 *
 * Document actions (open, save, export, shortcuts sheet) go to the renderer as MenuCommands,
 * because the renderer owns the document and knows whether it has unsaved changes. Window,
 * zoom and edit actions use Electron roles, so each platform's conventions come for free.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { Language, MenuCommand, ReportKind, Theme } from '../src/ipc/api';
import { LANGUAGE_NAMES, STRINGS, type Strings } from './strings';

export interface MenuContext {
  platform: string;
  /** Unpackaged: adds Reload and Developer Tools. */
  isDev: boolean;
  language: Language;
  theme: Theme;
  /** The recent list, most recent first: opaque id and a display label. */
  recent: readonly { id: string; label: string }[];
}

export interface MenuActions {
  /** Forward a command to the renderer of the focused window. */
  send(command: MenuCommand): void;
  setTheme(theme: Theme): void;
  setLanguage(language: Language): void;
  clearRecent(): void;
  openDocs(): void;
}

export const ACCELERATORS = {
  open: 'CmdOrCtrl+O',
  save: 'CmdOrCtrl+S',
  saveAs: 'CmdOrCtrl+Shift+S',
  exportHtml: 'CmdOrCtrl+E',
  exportPdf: 'CmdOrCtrl+P',
  exportCsv: 'CmdOrCtrl+Shift+E',
  // Not '?': a menu accelerator would swallow the key while typing in a text field.
  shortcuts: 'CmdOrCtrl+/',
} as const;

/** Menu labels treat '&' as a mnemonic marker on Windows and Linux; file names must show it literally. */
export function escapeMenuLabel(label: string): string {
  return label.replace(/&/g, '&&');
}

/** Top-level label with an Alt mnemonic on Windows/Linux: "&File", or "文件(&F)" for Chinese. */
function topLevel(label: string, mnemonic: string, language: Language, platform: string): string {
  if (platform === 'darwin') return label;
  return language === 'en' ? label.replace(mnemonic, `&${mnemonic}`) : `${label}(&${mnemonic})`;
}

function exportItem(label: string, kind: ReportKind, accelerator: string, actions: MenuActions): MenuItemConstructorOptions {
  return { id: `report.export.${kind}`, label, accelerator, click: () => actions.send({ command: 'report.export', kind }) };
}

export function buildMenuTemplate(ctx: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  const s: Strings['menu'] = STRINGS[ctx.language].menu;
  const mac = ctx.platform === 'darwin';
  const top = (label: string, mnemonic: string): string => topLevel(label, mnemonic, ctx.language, ctx.platform);

  const recentItems: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ id: 'file.openRecent.none', label: s.noRecent, enabled: false }]
      : ctx.recent.map((r) => ({
          id: `file.openRecent.${r.id}`,
          label: escapeMenuLabel(r.label),
          click: () => actions.send({ command: 'file.openRecent', recentId: r.id }),
        }));

  const file: MenuItemConstructorOptions = {
    id: 'file',
    label: top(s.file, 'F'),
    submenu: [
      { id: 'file.open', label: s.open, accelerator: ACCELERATORS.open, click: () => actions.send({ command: 'file.open' }) },
      {
        id: 'file.openRecent',
        label: s.openRecent,
        submenu: [
          ...recentItems,
          { type: 'separator' },
          { id: 'file.clearRecent', label: s.clearRecent, enabled: ctx.recent.length > 0, click: () => actions.clearRecent() },
        ],
      },
      { type: 'separator' },
      { id: 'file.save', label: s.save, accelerator: ACCELERATORS.save, click: () => actions.send({ command: 'file.save' }) },
      { id: 'file.saveAs', label: s.saveAs, accelerator: ACCELERATORS.saveAs, click: () => actions.send({ command: 'file.saveAs' }) },
      { type: 'separator' },
      exportItem(s.exportHtml, 'html', ACCELERATORS.exportHtml, actions),
      exportItem(s.exportPdf, 'pdf', ACCELERATORS.exportPdf, actions),
      exportItem(s.exportCsv, 'csv', ACCELERATORS.exportCsv, actions),
      ...(mac ? [] : [{ type: 'separator' } as const, { id: 'file.quit', role: 'quit', label: s.quit } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    id: 'edit',
    label: top(s.edit, 'E'),
    submenu: [
      { role: 'undo', label: s.undo },
      { role: 'redo', label: s.redo },
      { type: 'separator' },
      { role: 'cut', label: s.cut },
      { role: 'copy', label: s.copy },
      { role: 'paste', label: s.paste },
      { role: 'selectAll', label: s.selectAll },
    ],
  };

  const themes: [Theme, string][] = [
    ['system', s.themeSystem],
    ['light', s.themeLight],
    ['dark', s.themeDark],
  ];
  const languages = Object.keys(LANGUAGE_NAMES) as Language[];

  const view: MenuItemConstructorOptions = {
    id: 'view',
    label: top(s.view, 'V'),
    submenu: [
      { role: 'zoomIn', label: s.zoomIn },
      { role: 'zoomOut', label: s.zoomOut },
      { role: 'resetZoom', label: s.resetZoom },
      { type: 'separator' },
      { role: 'togglefullscreen', label: s.fullScreen },
      { type: 'separator' },
      {
        id: 'view.theme',
        label: s.theme,
        submenu: themes.map(([theme, label]) => ({
          id: `view.theme.${theme}`,
          label,
          type: 'radio',
          checked: ctx.theme === theme,
          click: () => actions.setTheme(theme),
        })),
      },
      {
        id: 'view.language',
        label: s.language,
        submenu: languages.map((language) => ({
          id: `view.language.${language}`,
          label: LANGUAGE_NAMES[language],
          type: 'radio',
          checked: ctx.language === language,
          click: () => actions.setLanguage(language),
        })),
      },
      ...(ctx.isDev
        ? [
            { type: 'separator' } as const,
            { role: 'reload', label: s.reload } as const,
            { role: 'toggleDevTools', label: s.devTools } as const,
          ]
        : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    id: 'help',
    role: 'help',
    label: top(s.help, 'H'),
    submenu: [
      { id: 'help.shortcuts', label: s.shortcuts, accelerator: ACCELERATORS.shortcuts, click: () => actions.send({ command: 'help.shortcuts' }) },
      { id: 'help.docs', label: s.docs, click: () => actions.openDocs() },
      ...(mac ? [] : [{ type: 'separator' } as const, { id: 'help.about', role: 'about', label: s.about } as const]),
    ],
  };

  if (!mac) return [file, edit, view, help];

  const appMenu: MenuItemConstructorOptions = {
    id: 'app',
    label: 'QueueLab',
    submenu: [
      { role: 'about', label: s.about },
      { type: 'separator' },
      { role: 'services', label: s.services },
      { type: 'separator' },
      { role: 'hide', label: s.hide },
      { role: 'hideOthers', label: s.hideOthers },
      { role: 'unhide', label: s.showAll },
      { type: 'separator' },
      { role: 'quit', label: s.quitApp },
    ],
  };
  return [appMenu, file, edit, view, { id: 'window', role: 'windowMenu', label: s.window }, help];
}
