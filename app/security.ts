/**
 * The Electron security checklist as plain values and functions, so a test can read them:
 * window options (items 2–4, 6, 8–10), session policy (5: permissions; 1: no remote content),
 * navigation and new windows (13, 14), webviews (11, 12), external links (15).
 * Only type imports from electron here; main.ts installs these on the real objects.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { APP_SCHEME } from '../src/ipc/channels';

/** webPreferences of every window QueueLab opens. Nothing is left to a default. */
export function secureWebPreferences(preload: string | null): WebPreferences {
  return {
    ...(preload === null ? {} : { preload }),
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
    // Middle click opens links in new windows; we have none to open (electronegativity AUXCLICK).
    disableBlinkFeatures: 'Auxclick',
  };
}

export interface MainWindowOptionsInput {
  preload: string;
  bounds: { x: number; y: number; width: number; height: number };
  minSize: { width: number; height: number };
  /** From nativeTheme.shouldUseDarkColors: avoids a white flash before the page paints. */
  dark: boolean;
  title: string;
  /** A PNG for the window icon on Linux (Windows and macOS take it from the executable). */
  icon?: string;
}

export const DARK_BACKGROUND = '#111827';
export const LIGHT_BACKGROUND = '#ffffff';

export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...input.bounds,
    minWidth: input.minSize.width,
    minHeight: input.minSize.height,
    title: input.title,
    show: false,
    backgroundColor: input.dark ? DARK_BACKGROUND : LIGHT_BACKGROUND,
    ...(input.icon === undefined ? {} : { icon: input.icon }),
    webPreferences: secureWebPreferences(input.preload),
  };
}

/** The hidden window that prints a report to PDF: no preload, never shown. */
export function reportWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1024,
    height: 1400,
    backgroundColor: LIGHT_BACKGROUND,
    webPreferences: { ...secureWebPreferences(null), offscreen: false },
  };
}

/**
 * The only places QueueLab may open in the system browser (Electron item 15): https URLs on
 * these hosts, checked with URL parsing, never with startsWith. Empty for now: the project has
 * no public web home yet, and Help > Documentation opens the docs shipped with the app. Add the
 * docs host here when there is one.
 */
export const EXTERNAL_URL_HOSTS: readonly string[] = [];

export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_URL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hosts.includes(parsed.hostname);
}

export interface RequestPolicy {
  /** The dev server origin when running unpackaged against Vite; null in production. */
  devServerOrigin: string | null;
}

/**
 * Which URLs any page of the app may load (webRequest.onBeforeRequest): our own protocol,
 * inline data (data:, blob:), the DevTools, and in development the dev server (http + its
 * HMR websocket). Everything else, file:// and the whole network included, is cancelled.
 */
export function isAllowedRequestUrl(url: string, policy: RequestPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  switch (parsed.protocol) {
    case `${APP_SCHEME}:`:
    case 'data:':
    case 'blob:':
    case 'devtools:':
      return true;
    case 'http:':
    case 'https:':
    case 'ws:':
    case 'wss:': {
      if (policy.devServerOrigin === null) return false;
      const dev = new URL(policy.devServerOrigin);
      return parsed.hostname === dev.hostname && parsed.port === dev.port;
    }
    default:
      return false;
  }
}

/**
 * The dev server URL to load instead of app://, from QUEUELAB_DEV_SERVER_URL, accepted only
 * when the app is not packaged and only for a loopback http(s) address.
 */
export function devServerUrlFrom(env: Readonly<Record<string, string | undefined>>, isPackaged: boolean): string | null {
  const raw = env.QUEUELAB_DEV_SERVER_URL;
  if (isPackaged || raw === undefined || raw === '') return null;
  try {
    const url = new URL(raw);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopback ? url.toString() : null;
  } catch {
    return null;
  }
}

/** Permission requests and checks: all denied (camera, notifications, clipboard-read, ...). */
export const sessionPolicy = {
  permissionRequestHandler: (_wc: WebContents | null, _permission: string, callback: (granted: boolean) => void): void => callback(false),
  permissionCheckHandler: (): boolean => false,
  devicePermissionHandler: (): boolean => false,
  windowOpenHandler: (): { action: 'deny' } => ({ action: 'deny' }),
} as const;

export function installSessionPolicy(session: Session, policy: RequestPolicy, log: (m: string) => void): void {
  session.setPermissionRequestHandler(sessionPolicy.permissionRequestHandler);
  session.setPermissionCheckHandler(sessionPolicy.permissionCheckHandler);
  session.setDevicePermissionHandler(sessionPolicy.devicePermissionHandler);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, policy);
    if (!allowed) log(`blocked request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
}

/**
 * For every webContents (app 'web-contents-created'): no navigation away from the loaded page
 * (the UI is a single page), no new windows (allow-listed https links go to the system
 * browser instead), no webviews.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void, log: (m: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`blocked navigation to ${url.slice(0, 200)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    // Subframes: the UI has none, so any frame navigation is unexpected.
    if (!event.isMainFrame) {
      event.preventDefault();
      log(`blocked subframe navigation to ${event.url.slice(0, 200)}`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`blocked redirect to ${url.slice(0, 200)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    else log(`blocked a new window for ${url.slice(0, 200)}`);
    return sessionPolicy.windowOpenHandler();
  });
}
