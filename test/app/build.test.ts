/**
 * scripts/build-app.mjs: bundles the shell into CommonJS main.js and preload.js (never run
 * here: there is no Electron binary), with 'electron' external and a preload that requires
 * nothing else.
 */
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src/ipc/channels';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let out: string;

function requires(file: string): string[] {
  const js = readFileSync(path.join(out, file), 'utf8');
  return [...new Set([...js.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!))].sort();
}

beforeAll(() => {
  out = mkdtempSync(path.join(tmpdir(), 'queuelab-build-'));
  execFileSync(process.execPath, ['scripts/build-app.mjs', '--outdir', out], { cwd: ROOT, stdio: 'pipe' });
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('build-app', () => {
  it('writes main.js and preload.js, marked CommonJS for the "type": "module" repo', () => {
    expect(existsSync(path.join(out, 'main.js'))).toBe(true);
    expect(existsSync(path.join(out, 'preload.js'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(readFileSync(path.join(out, 'main.js'), 'utf8').startsWith('"use strict";')).toBe(true);
  });

  it('the preload requires only electron, and carries every channel but no zod', () => {
    expect(requires('preload.js')).toEqual(['electron']);
    const js = readFileSync(path.join(out, 'preload.js'), 'utf8');
    for (const channel of INVOKE_CHANNELS) expect(js.includes(channel), channel).toBe(true);
    expect(/ZodError|safeParse/.test(js)).toBe(false);
    expect(js.length).toBeLessThan(20_000);
  });

  it('main requires only electron and Node built-ins (everything else is bundled)', () => {
    const foreign = requires('main.js').filter((m) => m !== 'electron' && !builtinModules.includes(m.replace(/^node:/, '')));
    expect(foreign).toEqual([]);
    const js = readFileSync(path.join(out, 'main.js'), 'utf8');
    for (const channel of INVOKE_CHANNELS) expect(js.includes(channel), channel).toBe(true);
    expect(js.includes("frame-ancestors 'none'")).toBe(true); // the CSP header of app://
  });
});
