/**
 * electron-builder.yml, validated with electron-builder's own JSON schema (as electron-builder
 * itself does: ajv, allErrors, coerceTypes, strict off), plus the project's own rules: icons
 * exist at the sizes electron-builder needs, the files it packs are the ones the builds write,
 * fuses are set, app/ is not taken for the app directory. Also the package.json entries that
 * packaging depends on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);

const text = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = parse(text) as Record<string, any>;
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main?: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
};

function pngSize(file: string): { width: number; height: number } {
  const buf = readFileSync(file);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const ok = validate(structuredClone(config));
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check has teeth: typos are rejected', () => {
    expect(validate({ ...config, electronFuse: {} })).toBe(false);
    expect(validate({ ...config, linux: { ...config.linux, categry: 'Education' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } })).toBe(false);
  });

  it('points editors at the schema', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/app-builder-lib/scheme.json');
  });

  it('names the app and the output folder', () => {
    expect(config.appId).toBe('dev.queuelab.desktop');
    expect(config.productName).toBe('QueueLab');
    expect(config.directories.output).toBe('release');
    expect(config.asar).toBe(true);
  });

  it('never takes app/ for the application directory', () => {
    // electron-builder treats app/ as the app directory if app/package.json exists.
    expect(config.directories.app).toBe('.');
    expect(existsSync(path.join(ROOT, 'app', 'package.json'))).toBe(false);
  });

  it('packs the built shell, the built renderer and package.json, and no sources', () => {
    expect(config.files).toEqual(['dist-electron/**', '!dist-electron/**/*.map', 'dist-web/**', 'package.json']);
    expect(pkg.main).toBe('dist-electron/main.js');
    for (const pattern of config.files as string[]) expect(pattern).not.toMatch(/^(src|app|test)\b/);
  });

  it('ships the sample scenarios and the docs that Help > Documentation opens', () => {
    const resources = config.extraResources as { from: string; to: string }[];
    expect(resources.map((r) => [r.from, r.to])).toEqual([
      ['simulations', 'simulations'],
      ['README.md', 'docs/README.md'],
      ['docs', 'docs'],
    ]);
    for (const r of resources) expect(existsSync(path.join(ROOT, r.from)), r.from).toBe(true);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Education');
    expect(config.linux.maintainer).toBeTruthy(); // .deb needs one
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.mac.category).toBe('public.app-category.education');
  });

  it('names icons that exist, at the sizes electron-builder requires', () => {
    // Main icon: converted to .icns (>= 512 px) and .ico (>= 256 px) by electron-builder.
    const main = path.join(ROOT, config.icon);
    expect(pngSize(main)).toEqual({ width: 512, height: 512 });
    // Linux: a folder whose NxN.png files become the hicolor icon set.
    expect(config.linux.icon).toBe('assets');
    for (const size of [256, 512]) {
      expect(pngSize(path.join(ROOT, 'assets', `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
    expect(existsSync(path.join(ROOT, 'assets', 'icon.svg'))).toBe(true);
    expect(config.directories.buildResources).toBe('assets');
  });

  it('associates .queuelab files (and nothing generic) with the app', () => {
    expect(config.fileAssociations).toEqual([
      {
        ext: 'queuelab',
        name: 'QueueLab scenario',
        description: 'QueueLab scenario',
        mimeType: 'application/x-queuelab-scenario',
        role: 'Editor',
      },
    ]);
  });

  it('flips the fuses of the security reference', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('package.json for the desktop app', () => {
  it('has the build, start and dist scripts', () => {
    expect(pkg.scripts['build:app']).toBe('node scripts/build-app.mjs');
    // Electron's binary download is denied at install time (allowScripts: offline CI), so the
    // scripts fetch it on first use; install.js does nothing once the binary is there.
    expect(pkg.scripts.start).toBe('node node_modules/electron/install.js && npm run build:web && npm run build:app && electron .');
    expect(pkg.scripts.dist).toBe('node node_modules/electron/install.js && npm run build:web && npm run build:app && electron-builder');
  });

  it('keeps electron and electron-builder out of the runtime dependencies (electron-builder requires it)', () => {
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    expect(pkg.dependencies?.electron).toBeUndefined();
  });
});
