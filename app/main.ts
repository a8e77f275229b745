/**
 * Electron main process: the only file of app/ that imports values from 'electron'. It wires the
 * plain modules beside it together; the decisions (window options, IPC checks, protocol paths,
 * menu, autosave, atomic writes) live in those modules and their tests.
 *
 * Startup: register app:// as privileged, enable the sandbox everywhere, take the single-instance
 * lock; when ready: serve dist-web/ on app://queuelab, deny permissions and every non-app
 * request, install the IPC handlers, read settings, recent files and window state, collect
 * autosaved drafts, build the menu and open the window.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { Language, MenuCommand, RecoveredScenario, Settings, Theme } from '../src/ipc/api';
import { APP_ENTRY_URL, APP_SCHEME, EVENTS } from '../src/ipc/channels';
import { AUTOSAVE_DIR, Autosaver, collectRecoveredDrafts, dismissRecoveredDraft } from './autosave';
import { type DialogKind, DocumentService, SCENARIO_EXTENSIONS, scenarioPathFromArgv, UNTITLED_NAME } from './documents';
import { type InvokeHandlers, registerIpcHandlers } from './ipc-main';
import { buildMenuTemplate } from './menu';
import { renderReportPdf } from './pdf';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, ReportStore } from './protocol';
import { recentIdOf, RECENT_FILE, RecentFiles } from './recent';
import { devServerUrlFrom, hardenWebContents, installSessionPolicy, mainWindowOptions, reportWindowOptions } from './security';
import { readSettings, SETTINGS_FILE, writeSettings } from './settings';
import { format, STRINGS } from './strings';
import { MIN_SIZE, readWindowState, restoreWindowState, writeWindowState } from './window-state';

const APP_ID = 'dev.queuelab.desktop';
const log = (message: string): void => console.warn(`QueueLab: ${message}`);

// Before 'ready': app:// must be a standard, secure scheme for the renderer's origin, fetch and workers.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
// Every renderer sandboxed, whatever its webPreferences say.
app.enableSandbox();

const devServerUrl = devServerUrlFrom(process.env, app.isPackaged);
const devServerOrigin = devServerUrl === null ? null : new URL(devServerUrl).origin;

/** Resolves when startup is done (or the app quit because another instance runs). Tests await it. */
export const started: Promise<void> = start().catch((error: unknown) => {
  log(`startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  dialog.showErrorBox('QueueLab', `QueueLab could not start: ${String(error)}`);
  app.exit(1);
});

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  // Files the OS asks us to open, before or after the window exists.
  const osOpenQueue: string[] = [];
  const argvFile = scenarioPathFromArgv(process.argv, process.cwd());
  if (argvFile !== null) osOpenQueue.push(argvFile);
  let openFromOs: (filePath: string) => void = (filePath) => osOpenQueue.push(filePath);
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    openFromOs(filePath);
  });

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (url) => void shell.openExternal(url), log);
  });

  await app.whenReady();

  const userData = app.getPath('userData');
  const rendererRoot = path.join(app.getAppPath(), 'dist-web');
  const reports = new ReportStore();
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: rendererRoot, reports, log }));
  installSessionPolicy(session.defaultSession, { devServerOrigin }, log);

  let settings: Settings = readSettings(path.join(userData, SETTINGS_FILE), app.getPreferredSystemLanguages());
  nativeTheme.themeSource = settings.theme;
  app.setAboutPanelOptions({ applicationName: 'QueueLab', applicationVersion: app.getVersion(), copyright: 'MIT License' });

  const recent = new RecentFiles(path.join(userData, RECENT_FILE));
  const autosaveDir = path.join(userData, AUTOSAVE_DIR);
  const autosaver = new Autosaver(autosaveDir, { onError: (e) => log(`autosave failed: ${String(e)}`) });
  autosaver.start();
  app.on('will-quit', () => autosaver.stop());

  let mainWindow: BrowserWindow | null = null;
  const trustedContentsIds = new Set<number>();
  /** Set when the user chose Save in the "unsaved changes" prompt: close once the save succeeds. */
  let closeAfterSave = false;
  let forceClose = false;
  const pendingCommands: MenuCommand[] = [];

  const dialogStrings = () => STRINGS[settings.language].dialog;
  const focusedWindow = (): BrowserWindow | null => {
    const focused = BrowserWindow.getFocusedWindow();
    return focused !== null && trustedContentsIds.has(focused.webContents.id) ? focused : mainWindow;
  };

  const documents = new DocumentService({
    showOpenDialog: async ({ defaultPath }) => {
      const s = dialogStrings();
      const options: OpenDialogOptions = {
        title: s.openTitle,
        properties: ['openFile'],
        filters: [
          { name: s.scenarioFilter, extensions: [...SCENARIO_EXTENSIONS] },
          { name: s.yamlFilter, extensions: ['yaml', 'yml'] },
          { name: s.jsonFilter, extensions: ['json'] },
          { name: s.allFilter, extensions: ['*'] },
        ],
        ...(defaultPath === undefined ? {} : { defaultPath }),
      };
      const win = focusedWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    showSaveDialog: async ({ kind, defaultPath }) => {
      const options: SaveDialogOptions = {
        title: kind === 'scenario' ? dialogStrings().saveTitle : dialogStrings().exportTitle,
        defaultPath,
        filters: saveFilters(kind),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = focusedWindow();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    renderPdf: (html) => renderReportPdf(html, { createWindow: () => new BrowserWindow(reportWindowOptions()), reports }),
    recent: {
      add: async (p) => {
        await recent.add(p);
        rebuildMenu();
      },
      remove: async (p) => {
        await recent.remove(p);
        rebuildMenu();
      },
      pathOf: (id) => recent.pathOf(id),
    },
    onOpened: (p) => app.addRecentDocument(p),
    onSaved: async (p, content) => {
      app.addRecentDocument(p);
      await autosaver.clearIfSaved(content, p);
      if (closeAfterSave && mainWindow !== null) {
        closeAfterSave = false;
        const win = mainWindow;
        forceClose = !autosaver.hasDraft; // typed on while saving: ask again
        setImmediate(() => win.close());
      }
    },
    defaultDirectory: () => app.getPath('documents'),
    strings: dialogStrings,
  });

  function saveFilters(kind: DialogKind): SaveDialogOptions['filters'] {
    const s = dialogStrings();
    switch (kind) {
      case 'scenario':
        return [
          { name: s.scenarioFilter, extensions: ['queuelab'] },
          { name: s.yamlFilter, extensions: ['yaml', 'yml'] },
          { name: s.jsonFilter, extensions: ['json'] },
        ];
      case 'html':
        return [{ name: s.htmlFilter, extensions: ['html'] }];
      case 'pdf':
        return [{ name: s.pdfFilter, extensions: ['pdf'] }];
      case 'csv':
        return [{ name: s.csvFilter, extensions: ['csv'] }];
    }
  }

  // Drafts left by a crash: offered to the renderer at every page load until dismissed.
  let recovered: RecoveredScenario[] = (
    await collectRecoveredDrafts(autosaveDir, (file, why) => log(`skipped unreadable draft ${file}: ${why}`))
  ).map((d) => ({
    recoveryId: d.recoveryId,
    documentId: d.originalPath !== null && existsSync(d.originalPath) ? documents.idFor(d.originalPath) : null,
    name: d.name,
    content: d.content,
    savedAt: d.savedAt,
  }));

  function sendCommand(command: MenuCommand): void {
    const win = focusedWindow();
    if (win === null || win.webContents.isLoading()) pendingCommands.push(command);
    else win.webContents.send(EVENTS.menu, command);
    if (win === null) createMainWindow();
  }

  function broadcastSettings(): void {
    for (const win of BrowserWindow.getAllWindows()) {
      if (trustedContentsIds.has(win.webContents.id)) win.webContents.send(EVENTS.settings, settings);
    }
  }

  async function applySettings(next: Settings): Promise<Settings> {
    settings = next;
    nativeTheme.themeSource = next.theme;
    rebuildMenu();
    broadcastSettings();
    await writeSettings(path.join(userData, SETTINGS_FILE), next).catch((e: unknown) => log(`could not save settings: ${String(e)}`));
    return settings;
  }

  async function openDocs(): Promise<void> {
    const readme = app.isPackaged ? path.join(process.resourcesPath, 'docs', 'README.md') : path.join(app.getAppPath(), 'README.md');
    const error = await shell.openPath(readme);
    if (error !== '') log(`could not open the documentation: ${error}`);
  }

  function rebuildMenu(): void {
    const template = buildMenuTemplate(
      {
        platform: process.platform,
        isDev: !app.isPackaged,
        language: settings.language,
        theme: settings.theme,
        recent: recent.entries().map((e) => ({ id: e.id, label: `${e.name} — ${e.location}` })),
      },
      {
        send: sendCommand,
        setTheme: (theme: Theme) => void applySettings({ ...settings, theme }),
        setLanguage: (language: Language) => void applySettings({ ...settings, language }),
        clearRecent: () => {
          app.clearRecentDocuments();
          void recent.clear().then(rebuildMenu);
        },
        openDocs: () => void openDocs(),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  const handlers: InvokeHandlers = {
    openScenario: () => documents.open(),
    openRecent: (recentId) => documents.openRecent(recentId),
    listRecent: async () => recent.entries(),
    saveScenario: async (request) => {
      const saved = await documents.save(request);
      if (saved === null) closeAfterSave = false;
      return saved;
    },
    saveScenarioAs: async (request) => {
      const saved = await documents.saveAs(request);
      if (saved === null) closeAfterSave = false;
      return saved;
    },
    updateDraft: async (draft) => {
      autosaver.update({ originalPath: documents.pathOf(draft.documentId), name: draft.name, content: draft.content });
    },
    discardDraft: () => autosaver.clear(),
    dismissRecovered: async (recoveryId) => {
      recovered = recovered.filter((d) => d.recoveryId !== recoveryId);
      await dismissRecoveredDraft(autosaveDir, recoveryId);
    },
    exportReport: (request) => documents.exportReport(request),
    getSettings: async () => settings,
    setTheme: (theme) => applySettings({ ...settings, theme }),
    setLanguage: (language) => applySettings({ ...settings, language }),
    openDocs,
  };
  registerIpcHandlers(
    ipcMain,
    handlers,
    { devServerOrigin, isKnownWebContents: (contents) => trustedContentsIds.has(contents.id) },
    log,
  );

  function createMainWindow(): BrowserWindow {
    const state = restoreWindowState(
      readWindowState(userData),
      screen.getAllDisplays().map((d) => d.workArea),
      screen.getPrimaryDisplay().workArea,
    );
    const devIcon = path.join(app.getAppPath(), 'assets', '512x512.png');
    const win = new BrowserWindow(
      mainWindowOptions({
        preload: path.join(app.getAppPath(), 'dist-electron', 'preload.js'),
        bounds: { x: state.x, y: state.y, width: state.width, height: state.height },
        minSize: MIN_SIZE,
        dark: nativeTheme.shouldUseDarkColors,
        title: 'QueueLab',
        ...(process.platform === 'linux' && !app.isPackaged && existsSync(devIcon) ? { icon: devIcon } : {}),
      }),
    );
    const contentsId = win.webContents.id;
    trustedContentsIds.add(contentsId);
    mainWindow = win;
    if (state.maximized) win.maximize();
    if (state.fullScreen) win.setFullScreen(true);

    const rememberState = (): void => {
      if (win.isDestroyed()) return;
      writeWindowState(userData, { ...win.getNormalBounds(), maximized: win.isMaximized(), fullScreen: win.isFullScreen() });
    };
    let stateTimer: ReturnType<typeof setTimeout> | undefined;
    const rememberSoon = (): void => {
      clearTimeout(stateTimer);
      stateTimer = setTimeout(rememberState, 1000);
    };
    for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) {
      win.on(event as 'resize', rememberSoon);
    }

    win.once('ready-to-show', () => win.show());
    win.webContents.on('did-finish-load', () => {
      for (const draft of recovered) win.webContents.send(EVENTS.recovered, draft);
      for (const command of pendingCommands.splice(0)) win.webContents.send(EVENTS.menu, command);
    });
    win.on('close', (event) => {
      clearTimeout(stateTimer);
      rememberState();
      if (forceClose || !autosaver.hasDraft) return;
      event.preventDefault();
      const s = dialogStrings();
      const choice = dialog.showMessageBoxSync(win, {
        type: 'warning',
        buttons: [s.save, s.dontSave, s.cancel],
        defaultId: 0,
        cancelId: 2,
        noLink: true,
        message: format(s.unsavedMessage, { name: autosaver.current?.name ?? UNTITLED_NAME }),
        detail: s.unsavedDetail,
      });
      if (choice === 0) {
        closeAfterSave = true;
        win.webContents.send(EVENTS.menu, { command: 'file.save' } satisfies MenuCommand);
      } else if (choice === 1) {
        void autosaver.clear().finally(() => {
          forceClose = true;
          win.close();
        });
      }
    });
    win.on('closed', () => {
      trustedContentsIds.delete(contentsId);
      if (mainWindow === win) mainWindow = null;
      forceClose = false;
      closeAfterSave = false;
    });
    void win.loadURL(devServerUrl ?? APP_ENTRY_URL).catch((e: unknown) => log(`could not load the UI: ${String(e)}`));
    return win;
  }

  openFromOs = (filePath: string): void => {
    if (!existsSync(filePath)) return;
    void recent.add(filePath).then(() => {
      rebuildMenu();
      sendCommand({ command: 'file.openRecent', recentId: recentIdOf(filePath) });
    });
  };
  app.on('second-instance', (_event, argv, cwd) => {
    const win = mainWindow ?? createMainWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
    const file = scenarioPathFromArgv(argv, cwd);
    if (file !== null) openFromOs(file);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (mainWindow === null) createMainWindow();
  });

  rebuildMenu();
  createMainWindow();
  for (const file of osOpenQueue.splice(0)) openFromOs(file);
}
