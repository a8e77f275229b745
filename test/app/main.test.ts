/**
 * app/main.ts wired against a mocked 'electron' (the real package would try to download the
 * binary): the privileged scheme and the sandbox before ready, the app:// handler, the session
 * policy, one validated IPC handler per channel, the secure window, the menu, crash recovery
 * and the unsaved-changes prompt.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { APP_ENTRY_URL, EVENTS, INVOKE, INVOKE_CHANNELS } from '../../src/ipc/channels';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/ipc/csp';

const h = vi.hoisted(() => ({
  userData: '',
  appPath: '',
  appListeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  windows: [] as unknown[],
  menus: [] as unknown[],
  messageBoxAnswer: 2,
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  let nextId = 1;
  class FakeWebContents extends EventEmitter {
    id = nextId++;
    send = vi.fn();
    isLoading = () => false;
    setWindowOpenHandler = vi.fn();
  }
  class BrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    destroyed = false;
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    focus = vi.fn();
    maximize = vi.fn();
    setFullScreen = vi.fn();
    isMinimized = () => false;
    restore = vi.fn();
    isDestroyed = () => this.destroyed;
    getNormalBounds = () => ({ x: 40, y: 30, width: 1100, height: 700 });
    isMaximized = () => false;
    isFullScreen = () => false;
    constructor(public options: Record<string, unknown>) {
      super();
      h.windows.push(this);
    }
    close = vi.fn(() => {
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (!prevented) {
        this.destroyed = true;
        this.emit('closed');
      }
    });
    static getFocusedWindow = () => null;
    static getAllWindows = () => h.windows.filter((w) => !(w as BrowserWindow).destroyed);
  }
  const app = {
    isPackaged: true,
    whenReady: () => Promise.resolve(),
    on: vi.fn((event: string, listener: (...args: unknown[]) => unknown) => {
      h.appListeners.set(event, [...(h.appListeners.get(event) ?? []), listener]);
      return app;
    }),
    getPath: (name: string) => (name === 'userData' ? h.userData : path.join(h.userData, 'Documents')),
    getAppPath: () => h.appPath,
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    setAppUserModelId: vi.fn(),
    getPreferredSystemLanguages: () => ['zh-CN', 'en-US'],
    setAboutPanelOptions: vi.fn(),
    getVersion: () => '0.1.0',
    addRecentDocument: vi.fn(),
    clearRecentDocuments: vi.fn(),
  };
  const electron = {
    app,
    BrowserWindow,
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showMessageBoxSync: vi.fn(() => h.messageBoxAnswer), showErrorBox: vi.fn() },
    ipcMain: {
      handle: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void h.ipcHandlers.set(channel, fn)),
      removeHandler: vi.fn(),
    },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
      setApplicationMenu: vi.fn((menu: unknown) => void h.menus.push(menu)),
    },
    nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn((scheme: string, fn: (request: Request) => Promise<Response>) => void h.protocolHandlers.set(scheme, fn)),
    },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
        webRequest: { onBeforeRequest: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn(), openPath: vi.fn(async () => '') },
  };
  return { ...electron, default: electron };
});

const electron = await import('electron');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FakeWindow = any;

let root: string;
const draftRecord = {
  format: 'queuelab-autosave',
  version: 1,
  originalPath: null,
  name: 'Untitled.queuelab',
  content: 'version: 1\ntitle: crashed\n',
  savedAt: '2026-02-02T10:00:00.000Z',
};

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'queuelab-main-'));
  h.userData = path.join(root, 'userData');
  h.appPath = path.join(root, 'app');
  mkdirSync(path.join(h.userData, 'autosave'), { recursive: true });
  writeFileSync(path.join(h.userData, 'autosave', 'current.json'), JSON.stringify(draftRecord));
  mkdirSync(path.join(h.appPath, 'dist-web'), { recursive: true });
  writeFileSync(path.join(h.appPath, 'dist-web', 'index.html'), '<!doctype html><title>QueueLab</title>');
  const main = await import('../../app/main');
  await main.started;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const win = (): FakeWindow => h.windows[0];
const trusted = () => ({ sender: win().webContents, senderFrame: { url: APP_ENTRY_URL, parent: null } });
const invoke = (channel: string, event: unknown, ...args: unknown[]) => h.ipcHandlers.get(channel)!(event, ...args);

describe('main process', () => {
  it('registers app:// as privileged and enables the sandbox before ready', () => {
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('serves the renderer folder on app:// with the CSP header', async () => {
    const handler = h.protocolHandlers.get('app')!;
    const res = await handler(new Request('app://queuelab/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect((await handler(new Request('app://queuelab/..%2F..%2FuserData%2Fsettings.json'))).status).toBe(403);
  });

  it('installs the deny-all session policy and hardens every webContents', () => {
    const s = electron.session.defaultSession;
    expect(s.setPermissionRequestHandler).toHaveBeenCalled();
    expect(s.setPermissionCheckHandler).toHaveBeenCalled();
    expect(s.webRequest.onBeforeRequest).toHaveBeenCalled();
    const created = h.appListeners.get('web-contents-created')!;
    expect(created).toHaveLength(1);
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    created[0]!({}, contents);
    expect(contents.on.mock.calls.map(([e]) => e)).toEqual(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('handles every channel of the table, validated', async () => {
    expect([...h.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    await expect(invoke(INVOKE.getSettings, trusted())).resolves.toEqual({ theme: 'system', language: 'zh-CN' });
    const evil = { sender: win().webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(invoke(INVOKE.getSettings, evil)).rejects.toThrow(/refused/);
    const stranger = { sender: { id: 999 }, senderFrame: { url: APP_ENTRY_URL, parent: null } };
    await expect(invoke(INVOKE.getSettings, stranger)).rejects.toThrow(/refused/);
  });

  it('opens one hidden, sandboxed window on app://queuelab/index.html with the preload', () => {
    expect(h.windows).toHaveLength(1);
    const w = win();
    expect(w.options).toMatchObject({
      show: false,
      webPreferences: {
        preload: path.join(h.appPath, 'dist-electron', 'preload.js'),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    expect(w.options).toMatchObject({ width: 1280, height: 800 }); // default size, nothing remembered yet
    expect(w.loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
    w.emit('ready-to-show');
    expect(w.show).toHaveBeenCalled();
  });

  it('builds the menu in the system language', () => {
    const menu = h.menus.at(-1) as { template: MenuItemConstructorOptions[] };
    const labels = menu.template.map((m) => m.label);
    expect(labels).toContain(process.platform === 'darwin' ? '文件' : '文件(&F)');
  });

  it('offers the crashed draft to the page once loaded, and forgets it when dismissed', async () => {
    const w = win();
    w.webContents.emit('did-finish-load');
    const sent = w.webContents.send.mock.calls.filter(([channel]: [string]) => channel === EVENTS.recovered);
    expect(sent).toHaveLength(1);
    const payload = sent[0][1];
    expect(payload).toMatchObject({ documentId: null, name: 'Untitled.queuelab', content: draftRecord.content, savedAt: draftRecord.savedAt });
    expect(readdirSync(path.join(h.userData, 'autosave'))).toEqual([`${payload.recoveryId}.json`]);

    await invoke(INVOKE.dismissRecovered, trusted(), payload.recoveryId);
    expect(readdirSync(path.join(h.userData, 'autosave'))).toEqual([]);
    w.webContents.send.mockClear();
    w.webContents.emit('did-finish-load');
    expect(w.webContents.send).not.toHaveBeenCalledWith(EVENTS.recovered, expect.anything());
  });

  it('applies a theme: native theme, settings file, menu and every window', async () => {
    const w = win();
    await expect(invoke(INVOKE.setTheme, trusted(), 'dark')).resolves.toEqual({ theme: 'dark', language: 'zh-CN' });
    expect(electron.nativeTheme.themeSource).toBe('dark');
    expect(JSON.parse(readFileSync(path.join(h.userData, 'settings.json'), 'utf8'))).toEqual({ theme: 'dark', language: 'zh-CN' });
    expect(w.webContents.send).toHaveBeenCalledWith(EVENTS.settings, { theme: 'dark', language: 'zh-CN' });
  });

  it('asks before closing with unsaved changes; Cancel keeps the window, Don’t Save closes and forgets the draft', async () => {
    const w = win();
    await invoke(INVOKE.updateDraft, trusted(), { documentId: null, name: 'sale.queuelab', content: 'seed: 9\n' });
    h.messageBoxAnswer = 2; // Cancel
    w.close();
    expect(electron.dialog.showMessageBoxSync).toHaveBeenCalledWith(
      w,
      expect.objectContaining({ message: '是否保存对 sale.queuelab 的更改？', buttons: ['保存', '不保存', '取消'] }),
    );
    expect(w.destroyed).toBe(false);
    // The window position was remembered anyway.
    expect(JSON.parse(readFileSync(path.join(h.userData, 'window-state.json'), 'utf8'))).toEqual({
      x: 40,
      y: 30,
      width: 1100,
      height: 700,
      maximized: false,
      fullScreen: false,
    });

    h.messageBoxAnswer = 1; // Don't save
    w.close();
    await vi.waitFor(() => expect(w.destroyed).toBe(true));
    expect(existsSync(path.join(h.userData, 'autosave', 'current.json'))).toBe(false);
    const allClosed = h.appListeners.get('window-all-closed')!;
    expect(allClosed).toHaveLength(1);
  });
});
