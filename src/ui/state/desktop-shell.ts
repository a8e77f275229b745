import { useEffect } from 'react';
import { desktop, updateDraft, type DesktopSettings } from '../platform';
import { exportReport, exportSeries, openFile, openRecent, saveFile } from './files';
import type { SimClient } from './sim-client';
import { useApp } from './store';

/**
 * In the desktop app: follow the shell's settings (theme, language), answer its menu commands
 * and keep it told about unsaved changes. Does nothing in the web build.
 */
export function useDesktopShell(client: SimClient | null): void {
  const theme = useApp((s) => s.theme);
  const locale = useApp((s) => s.locale);
  const dirtyText = useApp((s) => (s.text !== s.savedText ? s.text : null));

  useEffect(() => {
    const api = desktop();
    if (api === undefined) return;
    const apply = (settings: DesktopSettings) => {
      const app = useApp.getState();
      app.setLocale(settings.language);
      const dark = settings.theme === 'dark' || (settings.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
      app.setTheme(dark ? 'dark' : 'light');
    };
    api.getSettings().then(apply, () => undefined);
    const offSettings = api.onSettings(apply);
    const offMenu = api.onMenu((menu) => {
      const app = useApp.getState();
      switch (menu.command) {
        case 'file.open':
          return void openFile();
        case 'file.openRecent':
          return void openRecent(menu.recentId);
        case 'file.save':
          return void saveFile();
        case 'file.saveAs':
          return void saveFile(true);
        case 'report.export':
          if (menu.kind === 'csv') void exportSeries();
          else if (client !== null) void exportReport(client, menu.kind);
          return;
        case 'help.shortcuts':
          return app.setHelpOpen(true);
      }
    });
    return () => {
      offSettings();
      offMenu();
    };
  }, [client]);

  useEffect(() => {
    void desktop()?.setTheme(theme).catch(() => undefined);
  }, [theme]);
  useEffect(() => {
    void desktop()?.setLanguage(locale).catch(() => undefined);
  }, [locale]);
  useEffect(() => {
    if (dirtyText === null) return;
    const timer = setTimeout(() => {
      const { documentId, fileName } = useApp.getState();
      if (fileName !== null) updateDraft(documentId, fileName, dirtyText);
    }, 1000);
    return () => clearTimeout(timer);
  }, [dirtyText]);
}
