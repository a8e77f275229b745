/**
 * Architecture test: the layer rule of the design doc holds for the real tree (src/ and app/),
 * independently of ESLint. The rules themselves live in ./layer-rules.ts; the self-test below
 * feeds them synthetic files that break each rule, so this test can actually fail.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkFile,
  checkForbiddenGlobals,
  checkImports,
  collectSourceFiles,
  extractImports,
  FORBIDDEN_GLOBALS,
  formatViolation,
  type Violation,
} from './layer-rules';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function checkTree(files: readonly string[], root = ROOT): string[] {
  return files.flatMap((file) => checkFile(file, readFileSync(path.join(root, file), 'utf8'))).map(formatViolation);
}

function report(lines: readonly string[]): string {
  return `${lines.length} layer-rule violation(s):\n${lines.join('\n')}`;
}

const srcFiles = collectSourceFiles(ROOT, 'src');
const appFiles = collectSourceFiles(ROOT, 'app').filter((f) => /\.tsx?$/.test(f));

describe('layer rule on the real tree', () => {
  it('finds the source tree', () => {
    expect(srcFiles.some((f) => f.startsWith('src/engine/'))).toBe(true);
  });

  it('src/: imports point downward only; no Node built-ins outside src/cli; UI packages only in src/ui; engine and model deterministic', () => {
    const violations = checkTree(srcFiles);
    expect(violations, report(violations)).toEqual([]);
  });

  it('app/: imports nothing from src/ but src/ipc', () => {
    expect(appFiles).toContain('app/main.ts');
    const violations = checkTree(appFiles);
    expect(violations, report(violations)).toEqual([]);
  });
});

/** Violations of one synthetic file, formatted, for compact assertions. */
function check(file: string, text: string): string[] {
  return checkFile(file, text).map(formatViolation);
}

function whats(violations: readonly Violation[]): string[] {
  return violations.map((v) => v.what);
}

describe('layer-rule checker (self-test)', () => {
  it('extracts every kind of import, and knows which are type-only', () => {
    const text = [
      "import a from './a';",
      "import './side-effect';",
      "import type { B } from './b';",
      "import { type C } from './c';",
      "export * from './d';",
      "export type { E } from './e';",
      "const f = await import('./f');",
      'const g = await import(`./g`);',
      "const h = require('./h');",
      "import i = require('./i');",
      "type J = import('./j').J;",
      "// import k from './comment';",
      "const s = \"import l from './string'\";",
    ].join('\n');
    const refs = extractImports('src/engine/x.ts', text).map((r) => `${r.specifier}${r.typeOnly ? ' (type)' : ''}`);
    expect(refs).toEqual([
      './a',
      './side-effect',
      './b (type)',
      './c', // `import { type C }` still loads ./c under verbatimModuleSyntax
      './d',
      './e (type)',
      './f',
      './g',
      './h',
      './i',
      './j (type)',
    ]);
  });

  it('allows same-layer and downward imports', () => {
    expect(check('src/engine/a.ts', "import { b } from './b';\nimport { c } from '../engine/c';")).toEqual([]);
    expect(check('src/metrics/a.ts', "import { Simulation } from '../engine';")).toEqual([]);
    expect(check('src/model/q/a.ts', "import { x } from '../../metrics/histogram';\nimport type { y } from '../../engine/index';")).toEqual([]);
    expect(check('src/report/a.ts', "export * from '../run/runner';\nimport { s } from '../scenario/s';")).toEqual([]);
    expect(check('src/cli/main.ts', "import { r } from '../report/r';\nimport { readFile } from 'node:fs/promises';\nimport fs from 'fs';")).toEqual([]);
    expect(check('src/ui/App.tsx', "import React from 'react';\nimport { scaleLinear } from 'd3-scale';\nimport { create } from 'zustand';\nimport { produce } from 'immer';\nimport { r } from '../report/r';")).toEqual([]);
    expect(check('src/engine/a.ts', "import type { Worker } from 'node:worker_threads';\nimport type { EventEmitter } from 'events';")).toEqual([]);
    expect(check('src/scenario/a.ts', "import { parse } from 'yaml';\nimport { z } from 'zod';")).toEqual([]);
  });

  it('reports upward and sideways imports between src/ folders, type-only ones too', () => {
    expect(check('src/engine/a.ts', "import { h } from '../metrics/histogram';")).toEqual([
      'src/engine/a.ts:1: imports ../metrics/histogram (src/engine may not import src/metrics; allowed: nothing else in src/)',
    ]);
    expect(check('src/metrics/a.ts', "\nimport type { M } from '../model/m';")).toEqual([
      'src/metrics/a.ts:2: imports ../model/m (src/metrics may not import src/model; allowed: src/engine)',
    ]);
    expect(whats(checkImports('src/run/a.ts', "export { x } from '../report/x';"))).toEqual(['imports ../report/x']);
    expect(whats(checkImports('src/report/a.ts', "const c = await import('../cli/main');"))).toEqual(['imports ../cli/main']);
    expect(whats(checkImports('src/ui/a.ts', "import { c } from '../cli/commands';"))).toEqual(['imports ../cli/commands']);
    expect(whats(checkImports('src/cli/a.ts', "import { v } from '../ui/view';"))).toEqual(['imports ../ui/view']);
    expect(whats(checkImports('src/model/a.ts', "import { f } from '../faults/f';"))).toEqual(['imports ../faults/f']);
    expect(whats(checkImports('src/faults/a.ts', "import { f } from '../flows/f';"))).toEqual(['imports ../flows/f']);
    expect(whats(checkImports('src/flows/a.ts', "import { s } from '../scenario/s';"))).toEqual(['imports ../scenario/s']);
    expect(whats(checkImports('src/scenario/a.ts', "import { r } from '../run/r';"))).toEqual(['imports ../run/r']);
    expect(whats(checkImports('src/engine/a.ts', "import { i } from '../ipc/contract';"))).toEqual(['imports ../ipc/contract']);
  });

  it('reports relative imports that leave the src/<layer> folders', () => {
    expect(whats(checkImports('src/engine/a.ts', "import { t } from '../../test/helpers';"))).toEqual(['imports ../../test/helpers']);
    expect(whats(checkImports('src/engine/a.ts', "import { x } from '..';"))).toEqual(['imports ..']);
    expect(whats(checkImports('src/engine/a.ts', "import { x } from '../index';"))).toEqual(['imports ../index']);
    expect(whats(checkImports('src/engine/a.ts', "import { x } from '/abs/path';"))).toEqual(['imports /abs/path']);
  });

  it('reports files outside any known layer', () => {
    expect(check('src/index.ts', '')).toEqual([
      'src/index.ts:1: is not inside a src/<layer>/ folder (every src file belongs to a layer)',
    ]);
    expect(whats(checkImports('src/utils/a.ts', ''))).toEqual(['is in src/utils']);
  });

  it('reports Node built-ins outside src/cli, with or without node:, unless import type', () => {
    for (const spec of ['node:fs', 'fs', 'fs/promises', 'path', 'child_process', 'os', 'url', 'worker_threads', 'node:test', 'process']) {
      const out = checkImports('src/run/a.ts', `import * as m from '${spec}';`);
      expect(out.map((v) => v.rule), spec).toEqual(['only src/cli may import Node built-ins (src/run may use `import type` only)']);
    }
    expect(whats(checkImports('src/ui/a.ts', "const fs = await import('node:fs');"))).toEqual(['imports node:fs']);
    expect(whats(checkImports('src/report/a.ts', "import { type Stats } from 'node:fs';"))).toEqual(['imports node:fs']);
    expect(checkImports('src/report/a.ts', "import type { Stats } from 'node:fs';")).toEqual([]);
  });

  it('reports UI packages outside src/ui and electron anywhere in src/', () => {
    for (const spec of ['react', 'react-dom/client', 'react/jsx-runtime', 'd3', 'd3-scale', 'zustand', 'immer']) {
      expect(whats(checkImports('src/report/a.ts', `import x from '${spec}';`)), spec).toEqual([`imports ${spec}`]);
    }
    expect(whats(checkImports('src/cli/a.ts', "import type { FC } from 'react';"))).toEqual(['imports react']);
    expect(whats(checkImports('src/ui/a.ts', "import { app } from 'electron';"))).toEqual(['imports electron']);
    expect(whats(checkImports('src/cli/a.ts', "import { app } from 'electron';"))).toEqual(['imports electron']);
  });

  it('app/ may import src/ipc only', () => {
    expect(check('app/main.ts', "import { app } from 'electron';\nimport fs from 'node:fs';\nimport { c } from '../src/ipc/contract';\nimport { w } from './window';")).toEqual([]);
    expect(check('app/main.ts', "import { Simulation } from '../src/engine';")).toEqual([
      'app/main.ts:1: imports ../src/engine (app/ may import only src/ipc from src/)',
    ]);
    expect(whats(checkImports('app/renderer/x.tsx', "import type { R } from '../../src/report/r';"))).toEqual(['imports ../../src/report/r']);
  });

  it('reports every forbidden global in src/engine and src/model, and Math.random', () => {
    for (const name of FORBIDDEN_GLOBALS) {
      expect(whats(checkForbiddenGlobals('src/engine/a.ts', `export const x = ${name};`)), name).toEqual([`uses global ${name}`]);
    }
    const text = [
      'export function f(): number {',
      '  const t = Date.now();',
      '  setTimeout(() => {}, 0);',
      '  const r = Math.random() + Math["random"]();',
      '  const p = globalThis.performance;',
      "  const fs = require('fs');",
      '  const o = { process };',
      '  return t + r;',
      '}',
    ].join('\n');
    expect(check('src/model/q/a.ts', text)).toEqual([
      // require('fs') breaks two rules: it loads a Node built-in, and uses the require global.
      'src/model/q/a.ts:6: imports fs (only src/cli may import Node built-ins (src/model may use `import type` only))',
      'src/model/q/a.ts:2: uses global Date (determinism: use the simulation clock and sim.stream(name))',
      'src/model/q/a.ts:3: uses global setTimeout (determinism: use the simulation clock and sim.stream(name))',
      'src/model/q/a.ts:4: uses Math.random (determinism: use the simulation clock and sim.stream(name); Math.random is unseeded)',
      'src/model/q/a.ts:4: uses Math.random (determinism: use the simulation clock and sim.stream(name); Math.random is unseeded)',
      'src/model/q/a.ts:5: uses global globalThis.performance (determinism: use the simulation clock and sim.stream(name))',
      'src/model/q/a.ts:6: uses global require (determinism: use the simulation clock and sim.stream(name))',
      'src/model/q/a.ts:7: uses global process (determinism: use the simulation clock and sim.stream(name))',
    ]);
    expect(whats(checkForbiddenGlobals('src/engine/a.ts', 'export class Clock extends Date {}'))).toEqual(['uses global Date']);
  });

  it('ignores comments, strings, property names, type positions and local names', () => {
    const text = [
      '// Date.now() and Math.random() are banned here; setTimeout too.',
      '/* window.document.navigator performance process require */',
      "const label = 'Date.now() window setInterval';",
      'const tpl = `process ${label}`;',
      'export interface Job { process: number; window: [number, number]; date: Date }',
      'export type Clock = typeof Date;',
      'export function run(sim: { process(): void; now: number; stream(n: string): { random(): number } }): number {',
      '  sim.process();',
      "  return sim.now + sim.stream('arrivals').random();",
      '}',
      'export function step(process: number, performance = 1): number { return process * performance; }',
      'export function loop(): void { window: for (;;) { break window; } }',
      'const o = { window: 1, document: 2 };',
      'export const total = o.window + o.document + tpl.length;',
    ].join('\n');
    expect(check('src/engine/a.ts', text)).toEqual([]);
  });

  it('checks globals only in src/engine and src/model', () => {
    expect(check('src/metrics/a.ts', 'export const t = Date.now() + Math.random();')).toEqual([]);
    expect(check('src/cli/a.ts', 'export const t = process.argv;')).toEqual([]);
    expect(check('src/model/a.ts', 'export const t = Date.now();')).toHaveLength(1);
    expect(check('src/engine/sub/a.ts', 'export const t = Math.random();')).toHaveLength(1);
  });

  it('walks a tree on disk: finds .ts/.tsx files, skips node_modules and dot folders', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'queuelab-layers-'));
    try {
      const write = (rel: string, text: string): void => {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      };
      write('src/engine/clock.ts', "import { h } from '../metrics/h';\nexport const now = Date.now();\n");
      write('src/metrics/h.ts', "import { now } from '../engine/clock';\nexport const h = now;\n");
      write('src/ui/view.tsx', "import { app } from 'electron';\n");
      write('src/engine/node_modules/x/index.ts', "import fs from 'node:fs';\n");
      write('src/engine/.cache/x.ts', "import fs from 'node:fs';\n");
      write('src/engine/notes.md', "import fs from 'node:fs';\n");
      write('app/main.ts', "import { now } from '../src/engine/clock';\n");
      const files = [...collectSourceFiles(root, 'src'), ...collectSourceFiles(root, 'app')];
      expect(files).toEqual(['src/engine/clock.ts', 'src/metrics/h.ts', 'src/ui/view.tsx', 'app/main.ts']);
      expect(collectSourceFiles(root, 'missing')).toEqual([]);
      expect(checkTree(files, root)).toEqual([
        'src/engine/clock.ts:1: imports ../metrics/h (src/engine may not import src/metrics; allowed: nothing else in src/)',
        'src/engine/clock.ts:2: uses global Date (determinism: use the simulation clock and sim.stream(name))',
        'src/ui/view.tsx:1: imports electron (nothing in src/ may import electron; it belongs to app/)',
        'app/main.ts:1: imports ../src/engine/clock (app/ may import only src/ipc from src/)',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
