#!/usr/bin/env node
/* global process, console */
/**
 * Bundles the Electron shell: app/main.ts -> dist-electron/main.js and app/preload.ts ->
 * dist-electron/preload.js, both CommonJS with 'electron' left external (the Electron runtime
 * provides it; the npm package is only a downloader and must never be bundled or loaded).
 *
 * The repo's package.json says "type": "module", so a dist-electron/package.json with
 * "type": "commonjs" is written next to the bundles for Node/Electron to load them as CJS.
 *
 * The sandboxed preload may require nothing but 'electron': the build fails if it does.
 *
 * Usage: node scripts/build-app.mjs [--outdir DIR] [--dev]
 *   --dev  keeps identifiers readable (no minification); sourcemaps are always linked.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outdirArg = args.indexOf('--outdir');
const outdir = path.resolve(root, outdirArg >= 0 ? args[outdirArg + 1] : 'dist-electron');
const dev = args.includes('--dev');

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  external: ['electron'],
  sourcemap: 'linked',
  minify: !dev,
  keepNames: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // Electron 41 runs Node 24 in main and Chromium 146 in the preload.
  target: ['node22', 'chrome130'],
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await Promise.all([
  build({ ...common, entryPoints: { main: 'app/main.ts' }, platform: 'node', outdir }),
  // platform 'browser': a sandboxed preload has no Node built-ins, so none may be pulled in.
  build({ ...common, entryPoints: { preload: 'app/preload.ts' }, platform: 'browser', outdir }),
]);
await writeFile(path.join(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

const preload = await readFile(path.join(outdir, 'preload.js'), 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
const foreign = required.filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`build-app: the sandboxed preload may require only 'electron', but requires: ${foreign.join(', ')}`);
  process.exit(1);
}
console.log(`build-app: wrote ${path.relative(root, outdir) || '.'}/main.js and preload.js`);
