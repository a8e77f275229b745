/**
 * app/protocol.ts: app://queuelab/ serves the renderer folder and nothing outside it;
 * app://report/ serves in-memory reports with their own CSP.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, contentTypeOf, createAppProtocolHandler, ReportStore, resolveAppPath } from '../../app/protocol';
import { CONTENT_SECURITY_POLICY_HEADER, REPORT_CONTENT_SECURITY_POLICY } from '../../src/ipc/csp';

describe('resolveAppPath (POSIX)', () => {
  const root = '/opt/queuelab/dist-web';
  const ok = (url: string) => resolveAppPath(root, url, path.posix);

  it('maps URLs to files under the root', () => {
    expect(ok('app://queuelab/')).toEqual({ ok: true, file: `${root}/index.html` });
    expect(ok('app://queuelab/index.html')).toEqual({ ok: true, file: `${root}/index.html` });
    expect(ok('app://queuelab/assets/index-abc.js?v=1#x')).toEqual({ ok: true, file: `${root}/assets/index-abc.js` });
    expect(ok('app://queuelab/assets/%E4%B8%AD%E6%96%87.woff2')).toEqual({ ok: true, file: `${root}/assets/中文.woff2` });
    // The URL parser resolves dot segments before we see them: these stay inside.
    expect(ok('app://queuelab/../../../etc/passwd')).toEqual({ ok: true, file: `${root}/etc/passwd` });
    expect(ok('app://queuelab/assets/%2e%2e/%2e%2e/x')).toEqual({ ok: true, file: `${root}/x` });
  });

  it.each([
    ['encoded slashes', 'app://queuelab/..%2F..%2Fetc%2Fpasswd', 403],
    ['encoded slash and dots', 'app://queuelab/%2e%2e%2f%2e%2e%2fsecret', 403],
    ['encoded backslash', 'app://queuelab/..%5C..%5Cwindows', 400],
    ['NUL byte', 'app://queuelab/index.html%00.png', 400],
    ['bad percent-encoding', 'app://queuelab/%E0%A4%A', 400],
    ['a colon (drive letter)', 'app://queuelab/C:/Windows/win.ini', 400],
    ['another host', 'app://evil/index.html', 404],
    ['the report host', 'app://report/index.html', 404],
    ['another scheme', 'file:///opt/queuelab/dist-web/index.html', 404],
    ['garbage', 'not a url', 400],
  ])('refuses %s', (_what, url, status) => {
    expect(resolveAppPath(root, url, path.posix)).toMatchObject({ ok: false, status });
  });
});

describe('resolveAppPath (Windows rules)', () => {
  const root = 'C:\\Program Files\\QueueLab\\resources\\app.asar\\dist-web';
  it('stays inside on Windows too', () => {
    expect(resolveAppPath(root, 'app://queuelab/assets/a.js', path.win32)).toEqual({ ok: true, file: `${root}\\assets\\a.js` });
    expect(resolveAppPath(root, 'app://queuelab/..%2F..%2F..%2Fsecret.txt', path.win32)).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath(root, 'app://queuelab/%5C%5Cserver%5Cshare', path.win32)).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppPath(root, 'app://queuelab/D:%5Cx', path.win32)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('createAppProtocolHandler', () => {
  let dir: string;
  let root: string;
  const log = vi.fn();
  const reports = new ReportStore();
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'queuelab-protocol-'));
    root = path.join(dir, 'dist-web');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>QueueLab</title>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
    writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    handler = createAppProtocolHandler({ rootDir: root, reports, log });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html with the CSP header and nosniff', async () => {
    const res = await handler(new Request('app://queuelab/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>QueueLab</title>');
  });

  it('serves assets with their content types', async () => {
    const js = await handler(new Request('app://queuelab/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBeNull();
    expect(await js.text()).toBe('console.log(1)');
    expect((await handler(new Request('app://queuelab/assets/app.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('404s for missing files and folders, 403 for a symbolic link out of the root, 405 for POST', async () => {
    expect((await handler(new Request('app://queuelab/nope.js'))).status).toBe(404);
    expect((await handler(new Request('app://queuelab/assets'))).status).toBe(404);
    expect((await handler(new Request('app://queuelab/assets/link.txt'))).status).toBe(403);
    expect((await handler(new Request('app://queuelab/..%2Fsecret.txt'))).status).toBe(403);
    expect((await handler(new Request('app://queuelab/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('symbolic link leaves the renderer folder'));
  });

  it('serves a stored report under app://report/ with the report CSP, until deleted', async () => {
    const { token, url } = reports.put('<html><body>Report</body></html>');
    expect(url).toBe(`app://report/${token}.html`);
    const res = await handler(new Request(url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(REPORT_CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('Report');
    reports.delete(token);
    expect((await handler(new Request(url))).status).toBe(404);
    expect((await handler(new Request('app://report/../index.html'))).status).toBe(404);
  });

  it('registers app:// as standard and secure, with fetch, without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
    expect(contentTypeOf('x.wasm')).toBe('application/wasm');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
