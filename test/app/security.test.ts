/**
 * app/security.ts: the Electron security checklist as values (window options, session policy,
 * navigation and window-open handlers, request and external-URL allow-lists).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import {
  devServerUrlFrom,
  hardenWebContents,
  installSessionPolicy,
  isAllowedExternalUrl,
  isAllowedRequestUrl,
  mainWindowOptions,
  reportWindowOptions,
  secureWebPreferences,
  sessionPolicy,
} from '../../app/security';

const PROD = { devServerOrigin: null };
const DEV = { devServerOrigin: 'http://localhost:5173' };

describe('window options', () => {
  const options = mainWindowOptions({
    preload: '/app/dist-electron/preload.js',
    bounds: { x: 10, y: 20, width: 1280, height: 800 },
    minSize: { width: 800, height: 560 },
    dark: true,
    title: 'QueueLab',
  });

  it('sets every security-relevant webPreference explicitly', () => {
    expect(options.webPreferences).toEqual({
      preload: '/app/dist-electron/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('opens hidden at the restored bounds, with a background that matches the theme', () => {
    expect(options).toMatchObject({ x: 10, y: 20, width: 1280, height: 800, minWidth: 800, minHeight: 560, show: false, backgroundColor: '#111827' });
    expect(mainWindowOptions({ ...{ preload: 'p', bounds: { x: 0, y: 0, width: 1, height: 1 }, minSize: { width: 1, height: 1 }, title: 't' }, dark: false }).backgroundColor).toBe('#ffffff');
  });

  it('the report window is hidden, sandboxed and has no preload', () => {
    const report = reportWindowOptions();
    expect(report.show).toBe(false);
    expect(report.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(report.webPreferences).not.toHaveProperty('preload');
    expect(secureWebPreferences(null)).not.toHaveProperty('preload');
  });
});

describe('session policy', () => {
  it('denies every permission request and check', () => {
    const callback = vi.fn();
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      sessionPolicy.permissionRequestHandler(null, permission, callback);
    }
    expect(callback.mock.calls.every(([granted]) => granted === false)).toBe(true);
    expect(sessionPolicy.permissionCheckHandler()).toBe(false);
    expect(sessionPolicy.devicePermissionHandler()).toBe(false);
    expect(sessionPolicy.windowOpenHandler()).toEqual({ action: 'deny' });
  });

  it('installs the handlers and cancels requests outside the allow-list', () => {
    let onBefore: ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onBeforeRequest: vi.fn((fn) => (onBefore = fn)) },
    };
    const log = vi.fn();
    installSessionPolicy(session as unknown as Session, PROD, log);
    expect(session.setPermissionRequestHandler).toHaveBeenCalledWith(sessionPolicy.permissionRequestHandler);
    expect(session.setPermissionCheckHandler).toHaveBeenCalledWith(sessionPolicy.permissionCheckHandler);
    const cb = vi.fn();
    onBefore!({ url: 'https://tracker.example/pixel.gif' }, cb);
    onBefore!({ url: 'app://queuelab/assets/index.js' }, cb);
    expect(cb.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]]);
    expect(log).toHaveBeenCalledWith('blocked request to https://tracker.example/pixel.gif');
  });

  it('allows only app:, data:, blob:, devtools: in production; the dev server too in development', () => {
    for (const url of ['app://queuelab/index.html', 'app://report/x.html', 'data:image/png;base64,AA==', 'blob:app://queuelab/1234', 'devtools://devtools/x']) {
      expect(isAllowedRequestUrl(url, PROD), url).toBe(true);
    }
    for (const url of ['file:///etc/passwd', 'https://example.com/', 'http://localhost:5173/', 'ws://localhost:5173/', 'ftp://x/', 'javascript:alert(1)', 'nonsense']) {
      expect(isAllowedRequestUrl(url, PROD), url).toBe(false);
    }
    expect(isAllowedRequestUrl('http://localhost:5173/src/main.tsx', DEV)).toBe(true);
    expect(isAllowedRequestUrl('ws://localhost:5173/', DEV)).toBe(true);
    expect(isAllowedRequestUrl('http://localhost:8080/', DEV)).toBe(false);
    expect(isAllowedRequestUrl('https://example.com/', DEV)).toBe(false);
  });

  it('takes a dev server URL only unpackaged and only on loopback', () => {
    expect(devServerUrlFrom({ QUEUELAB_DEV_SERVER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/');
    expect(devServerUrlFrom({ QUEUELAB_DEV_SERVER_URL: 'http://127.0.0.1:5173/' }, false)).toBe('http://127.0.0.1:5173/');
    expect(devServerUrlFrom({ QUEUELAB_DEV_SERVER_URL: 'http://localhost:5173' }, true)).toBeNull();
    expect(devServerUrlFrom({ QUEUELAB_DEV_SERVER_URL: 'https://example.com' }, false)).toBeNull();
    expect(devServerUrlFrom({ QUEUELAB_DEV_SERVER_URL: 'file:///x' }, false)).toBeNull();
    expect(devServerUrlFrom({ QUEUELAB_DEV_SERVER_URL: 'http://localhost.evil.com:5173' }, false)).toBeNull();
    expect(devServerUrlFrom({}, false)).toBeNull();
  });
});

describe('external URLs', () => {
  it('opens nothing while the allow-list is empty', () => {
    expect(isAllowedExternalUrl('https://github.com/')).toBe(false);
  });

  it('parses, never prefix-matches', () => {
    const hosts = ['docs.example.org'];
    expect(isAllowedExternalUrl('https://docs.example.org/guide', hosts)).toBe(true);
    for (const url of [
      'http://docs.example.org/',
      'https://docs.example.org.evil.com/',
      'https://docs.example.org@evil.com/',
      'https://user:pw@docs.example.org/',
      'https://docs.example.org:8443/',
      'javascript:alert(1)//https://docs.example.org',
      'file:///docs.example.org',
    ]) {
      expect(isAllowedExternalUrl(url, hosts), url).toBe(false);
    }
  });
});

describe('hardenWebContents', () => {
  function fakeContents() {
    const emitter = new EventEmitter();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = Object.assign(emitter, { setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn) });
    return { contents: contents as unknown as WebContents, emitter, open: (url: string) => openHandler!({ url }) };
  }
  const navEvent = (extra: object = {}) => ({ preventDefault: vi.fn(), ...extra });

  it('prevents navigation, redirects, subframe navigation and webviews; denies new windows', () => {
    const { contents, emitter, open } = fakeContents();
    const openExternal = vi.fn();
    const log = vi.fn();
    hardenWebContents(contents, openExternal, log);

    const nav = navEvent();
    emitter.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const redirect = navEvent();
    emitter.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const sub = navEvent({ isMainFrame: false, url: 'https://evil.example/' });
    emitter.emit('will-frame-navigate', sub);
    expect(sub.preventDefault).toHaveBeenCalled();
    const webview = navEvent();
    emitter.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('blocked navigation to https://evil.example/');
  });
});
