/**
 * The app:// protocol (Electron security checklist item 18: custom protocol, never file://).
 *
 * - app://queuelab/<path> serves files of the built renderer folder (dist-web/) and nothing
 *   else: the path is decoded, resolved against the root and refused if it leaves it, directly
 *   or through a symbolic link (Signal's protocol filter does the same).
 * - app://report/<token>.html serves a report held in memory for the hidden PDF window.
 *
 * resolveAppPath and the handler are plain functions; main.ts only calls
 * `protocol.handle('app', createAppProtocolHandler(...))`.
 */
import { randomUUID } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Privileges } from 'electron';
import { APP_HOST, APP_SCHEME, REPORT_HOST } from '../src/ipc/channels';
import { CONTENT_SECURITY_POLICY_HEADER, REPORT_CONTENT_SECURITY_POLICY } from '../src/ipc/csp';

/** For protocol.registerSchemesAsPrivileged (before app 'ready'). */
export const APP_SCHEME_PRIVILEGES: Privileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
};

export type Resolution = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Is `candidate` inside `root` (or the root itself)? Both absolute and normalised. */
export function isInside(root: string, candidate: string, pathApi: typeof path = path): boolean {
  const rel = pathApi.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !pathApi.isAbsolute(rel));
}

/**
 * The file under `rootDir` that an app://queuelab URL names, or why there is none.
 * `pathApi` is injectable so the Windows rules (path.win32) are tested on any machine.
 */
export function resolveAppPath(rootDir: string, requestUrl: string, pathApi: typeof path = path): Resolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'unparsable URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 404, reason: `not an ${APP_SCHEME}://${APP_HOST}/ URL` };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  // Backslashes are separators on Windows, and no file of the build has one in its name; a NUL
  // byte truncates paths in some APIs; a colon could name a Windows drive or stream.
  if (decoded.includes('\\') || decoded.includes('\0') || decoded.includes(':')) {
    return { ok: false, status: 400, reason: 'forbidden character in path' };
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = pathApi.resolve(rootDir);
  const file = pathApi.resolve(root, ...relative.split('/'));
  if (!isInside(root, file, pathApi) || file === root) {
    return { ok: false, status: 403, reason: 'path leaves the renderer folder' };
  }
  return { ok: true, file };
}

/** Reports waiting to be printed, by token; each is served at app://report/<token>.html. */
export class ReportStore {
  private readonly reports = new Map<string, string>();

  put(html: string): { token: string; url: string } {
    const token = randomUUID();
    this.reports.set(token, html);
    return { token, url: `${APP_SCHEME}://${REPORT_HOST}/${token}.html` };
  }

  get(token: string): string | undefined {
    return this.reports.get(token);
  }

  delete(token: string): void {
    this.reports.delete(token);
  }

  get size(): number {
    return this.reports.size;
  }
}

function textResponse(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

export interface AppProtocolOptions {
  /** The built renderer folder (dist-web/). */
  rootDir: string;
  reports?: ReportStore;
  log?: (message: string) => void;
}

/** The function for `protocol.handle('app', ...)`. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const log = options.log ?? ((m: string) => console.warn(`QueueLab app:// ${m}`));
  let realRoot: string | null = null;

  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method Not Allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad Request');
    }

    if (url.host === REPORT_HOST) {
      const token = /^\/([0-9a-f-]{36})\.html$/.exec(url.pathname)?.[1];
      const html = token === undefined ? undefined : options.reports?.get(token);
      if (html === undefined) return textResponse(404, 'Not Found');
      return new Response(html, {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': REPORT_CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    }

    const resolved = resolveAppPath(options.rootDir, request.url);
    if (!resolved.ok) {
      log(`${resolved.status} ${resolved.reason}: ${url.pathname.slice(0, 200)}`);
      return textResponse(resolved.status, resolved.status === 404 ? 'Not Found' : resolved.status === 403 ? 'Forbidden' : 'Bad Request');
    }
    try {
      realRoot ??= await realpath(path.resolve(options.rootDir));
      const real = await realpath(resolved.file);
      if (!isInside(realRoot, real)) {
        log(`403 symbolic link leaves the renderer folder: ${url.pathname.slice(0, 200)}`);
        return textResponse(403, 'Forbidden');
      }
      if (!(await stat(real)).isFile()) return textResponse(404, 'Not Found');
      const body = await readFile(real);
      const type = contentTypeOf(real);
      const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' };
      if (type.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY_HEADER;
      return new Response(request.method === 'HEAD' ? null : body, { headers });
    } catch {
      return textResponse(404, 'Not Found');
    }
  };
}
