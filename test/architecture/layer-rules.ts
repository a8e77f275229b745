/**
 * The layer rule from the design doc, as plain checker functions.
 *
 * - Dependencies between src/ folders point downward only (see SRC_LAYERS).
 * - app/ (the Electron shell) may import only src/ipc from src/.
 * - No file in src/ other than src/cli imports a Node built-in at run time
 *   (`import type` from a built-in is fine: it vanishes at compile time).
 * - Only src/ui imports react, react-dom, d3*, zustand or immer. Nothing in src/ imports electron.
 * - src/engine and src/model reference none of the host globals in FORBIDDEN_GLOBALS, nor
 *   Math.random: the simulation must be deterministic (simulation clock, sim.stream(name)).
 *
 * Type-only imports count for the layer rule like any other import.
 *
 * Everything here is pure (text in, violations out) except collectSourceFiles, so
 * layers.test.ts can feed synthetic files to the checkers and prove they can fail.
 * Parsing uses the TypeScript compiler, so comments and string contents never count.
 */
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** Downward-only dependencies: each src/ folder and the src/ folders it may import (besides itself). */
const ORDER = ['engine', 'metrics', 'model', 'faults', 'flows', 'scenario', 'run', 'report'] as const;

function below(layer: (typeof ORDER)[number]): string[] {
  return ORDER.slice(0, ORDER.indexOf(layer));
}

export const SRC_LAYERS: Readonly<Record<string, readonly string[]>> = {
  engine: below('engine'),
  metrics: below('metrics'),
  model: below('model'),
  faults: below('faults'),
  flows: below('flows'),
  scenario: below('scenario'),
  run: below('run'),
  report: below('report'),
  cli: [...ORDER],
  ui: [...ORDER, 'ipc'], // never cli; the IPC contract's types describe window.queuelab
  // The IPC contract between app/ and src/: a leaf that imports nothing else in src/.
  // (The design doc does not say more; widen it here if the contract needs shared types.)
  ipc: [],
};

/** The only src/ folder that app/ may import. */
export const APP_MAY_IMPORT = ['ipc'] as const;

/** Folders whose code must be deterministic. */
export const DETERMINISTIC_LAYERS = ['engine', 'model'] as const;

/** Host globals that src/engine and src/model must not reference (wall clock, host event loop, host env). */
export const FORBIDDEN_GLOBALS = [
  'window',
  'document',
  'navigator',
  'performance',
  'Date',
  'setTimeout',
  'setInterval',
  'process',
  'require',
] as const;

const UI_ONLY_PACKAGES = ['react', 'react-dom', 'd3*', 'zustand', 'immer'] as const;

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export interface ImportRef {
  specifier: string;
  /** True only when the whole statement is erased at compile time (`import type`, `export type`, `import('x').T`). */
  typeOnly: boolean;
  line: number;
}

export interface Violation {
  /** Repo-relative, forward slashes. */
  file: string;
  line: number;
  /** What the file does, e.g. `imports ../run/runner` or `uses global Date`. */
  what: string;
  /** Which rule it breaks. */
  rule: string;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: ${v.what} (${v.rule})`;
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName) || fileName.endsWith('.jsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/**
 * Every module specifier in a file: `import … from`, side-effect `import '…'`, `import type`,
 * `export … from`, `import('…')`, `require('…')`, `import x = require('…')` and `import('…')` types.
 */
export function extractImports(fileName: string, text: string): ImportRef[] {
  const sf = parse(fileName, text);
  const out: ImportRef[] = [];
  const add = (lit: ts.Node, typeOnly: boolean): void => {
    if (ts.isStringLiteralLike(lit)) out.push({ specifier: lit.text, typeOnly, line: lineOf(sf, lit) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // `import { type A } from 'x'` is NOT type-only under verbatimModuleSyntax: it still loads 'x'.
      add(node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isDynamicImport || isRequire) add(node.arguments[0]!, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

type Zone =
  | { area: 'src'; layer: string | null } // null: a file directly in src/
  | { area: 'app' }
  | { area: 'other'; dir: string };

/** Which part of the repo a repo-relative path (file or import target) lies in. */
export function zoneOf(relPath: string): Zone {
  const parts = path.posix.normalize(relPath).split('/');
  if (parts[0] === 'src') {
    // A file target like `src/engine` (a directory import) still names the layer.
    return { area: 'src', layer: parts.length >= 2 ? parts[1]! : null };
  }
  if (parts[0] === 'app') return { area: 'app' };
  return { area: 'other', dir: parts[0] ?? '' };
}

function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return builtinModules.includes(specifier) || builtinModules.includes(specifier.split('/')[0]!);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isUiOnlyPackage(pkg: string): boolean {
  return UI_ONLY_PACKAGES.some((p) => (p.endsWith('*') ? pkg.startsWith(p.slice(0, -1)) : pkg === p));
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** The layer rule for the imports of one file (repo-relative path, forward slashes). */
export function checkImports(file: string, text: string): Violation[] {
  const zone = zoneOf(file);
  if (zone.area === 'other') return [];
  const violations: Violation[] = [];
  const flag = (ref: ImportRef, rule: string): void => {
    violations.push({ file, line: ref.line, what: `imports ${ref.specifier}`, rule });
  };

  if (zone.area === 'src') {
    if (zone.layer === null || zone.layer.includes('.')) {
      return [{ file, line: 1, what: 'is not inside a src/<layer>/ folder', rule: 'every src file belongs to a layer' }];
    }
    if (!(zone.layer in SRC_LAYERS)) {
      return [
        {
          file,
          line: 1,
          what: `is in src/${zone.layer}`,
          rule: `src/${zone.layer} is not a known layer; add it to SRC_LAYERS in test/architecture/layer-rules.ts`,
        },
      ];
    }
  }

  for (const ref of extractImports(file, text)) {
    const spec = ref.specifier;
    if (isRelative(spec)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const to = zoneOf(target);
      if (zone.area === 'app') {
        if (to.area === 'src' && !(APP_MAY_IMPORT as readonly (string | null)[]).includes(to.layer)) {
          flag(ref, `app/ may import only src/${APP_MAY_IMPORT.join(', src/')} from src/`);
        }
        continue;
      }
      const from = zone.layer!;
      if (to.area !== 'src') {
        flag(ref, `src/${from} may not import outside src/ (lands in ${target})`);
      } else if (to.layer === null || !(to.layer in SRC_LAYERS)) {
        flag(ref, `src/${from} may import only src/<layer>/ folders (lands in ${target})`);
      } else if (to.layer !== from && !SRC_LAYERS[from]!.includes(to.layer)) {
        const allowed = SRC_LAYERS[from]!;
        flag(
          ref,
          `src/${from} may not import src/${to.layer}; allowed: ${allowed.length ? allowed.map((l) => `src/${l}`).join(', ') : 'nothing else in src/'}`,
        );
      }
      continue;
    }
    if (spec.startsWith('/')) {
      flag(ref, 'absolute import paths are not allowed');
      continue;
    }
    if (zone.area === 'app') continue; // app/ may use any package and Node built-in.
    const layer = zone.layer!;
    if (isNodeBuiltin(spec)) {
      if (layer !== 'cli' && !ref.typeOnly) flag(ref, `only src/cli may import Node built-ins (src/${layer} may use \`import type\` only)`);
      continue;
    }
    const pkg = packageName(spec);
    if (pkg === 'electron') {
      flag(ref, 'nothing in src/ may import electron; it belongs to app/');
    } else if (isUiOnlyPackage(pkg) && layer !== 'ui') {
      flag(ref, `only src/ui may import ${UI_ONLY_PACKAGES.join(', ')}`);
    }
  }
  return violations;
}

/** Is this identifier the *name* of something being declared (not a reference)? */
function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    (ts.isVariableDeclaration(p) ||
      ts.isParameter(p) ||
      ts.isBindingElement(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isFunctionExpression(p) ||
      ts.isClassDeclaration(p) ||
      ts.isClassExpression(p) ||
      ts.isEnumDeclaration(p) ||
      ts.isImportClause(p) ||
      ts.isImportSpecifier(p) ||
      ts.isNamespaceImport(p) ||
      ts.isImportEqualsDeclaration(p)) &&
    p.name === id
  );
}

/** Identifiers that are not variable references at all: property names, labels, type-level names. */
function isNonReferenceName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return true;
  if (ts.isQualifiedName(p) && p.right === id) return true;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p) ||
      ts.isInterfaceDeclaration(p) ||
      ts.isTypeAliasDeclaration(p) ||
      ts.isTypeParameterDeclaration(p) ||
      ts.isModuleDeclaration(p) ||
      ts.isJsxAttribute(p)) &&
    p.name === id
  ) {
    return true;
  }
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return true;
  if ((ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === id) return true;
  return false;
}

/** Is the node inside a type (erased at compile time)? `class X extends Date` is a value position. */
function inTypePosition(node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isExpressionWithTypeArguments(p) && p.expression === n) {
      const clause = p.parent;
      return !(ts.isHeritageClause(clause) && clause.token === ts.SyntaxKind.ExtendsKeyword && !ts.isInterfaceDeclaration(clause.parent));
    }
    if (ts.isTypeNode(p) && !ts.isExpressionWithTypeArguments(p)) return true;
    if (ts.isStatement(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

/**
 * References to FORBIDDEN_GLOBALS and Math.random in one file, by parsing it (comments and
 * strings never count; nor do property names like `sim.process`, nor names only used in types).
 * A name the file declares itself (a parameter `process`, an imported `Date`) is not the global;
 * this is checked per file, not per scope, which is coarse but errs on the lenient side only for
 * files that shadow a forbidden name.
 */
export function checkForbiddenGlobals(file: string, text: string): Violation[] {
  const sf = parse(file, text);
  const forbidden = new Set<string>(FORBIDDEN_GLOBALS);
  const declared = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isDeclarationName(node)) declared.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(sf);

  const violations: Violation[] = [];
  const rule = 'determinism: use the simulation clock and sim.stream(name)';
  const isGlobalRef = (e: ts.Expression, name: string): boolean =>
    (ts.isIdentifier(e) && e.text === name && !declared.has(name)) ||
    (ts.isPropertyAccessExpression(e) && e.name.text === name && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis');
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && forbidden.has(node.text) && !declared.has(node.text)) {
      if (!isDeclarationName(node) && !isNonReferenceName(node) && !inTypePosition(node)) {
        violations.push({ file, line: lineOf(sf, node), what: `uses global ${node.text}`, rule });
      }
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis') {
      if (forbidden.has(node.name.text)) {
        violations.push({ file, line: lineOf(sf, node), what: `uses global globalThis.${node.name.text}`, rule });
      }
    }
    const randomAccess =
      (ts.isPropertyAccessExpression(node) && node.name.text === 'random' && isGlobalRef(node.expression, 'Math')) ||
      (ts.isElementAccessExpression(node) &&
        ts.isStringLiteralLike(node.argumentExpression) &&
        node.argumentExpression.text === 'random' &&
        isGlobalRef(node.expression, 'Math'));
    if (randomAccess) {
      violations.push({ file, line: lineOf(sf, node), what: 'uses Math.random', rule: `${rule}; Math.random is unseeded` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return violations;
}

/** All checks that apply to one repo-relative file. */
export function checkFile(file: string, text: string): Violation[] {
  const violations = checkImports(file, text);
  const zone = zoneOf(file);
  if (zone.area === 'src' && (DETERMINISTIC_LAYERS as readonly (string | null)[]).includes(zone.layer)) {
    violations.push(...checkForbiddenGlobals(file, text));
  }
  return violations;
}

/** Source files under `root/dir`, repo-relative with forward slashes, sorted; [] if dir is missing. */
export function collectSourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && SOURCE_EXTENSIONS.some((ext) => e.name.endsWith(ext))) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}
