#!/usr/bin/env node
/**
 * Electron's static security checker, electronegativity (Doyensec), over the shell's sources
 * in app/. Its checks read BrowserWindow options literally, so they flag windows whose options
 * come from a function (ours come from app/security.ts, whose values test/app tests assert).
 * Every finding it reports must be in app/electronegativity-accepted.json with the reason it
 * does not apply; a finding that is not there fails this check (exit 1).
 *
 *   node scripts/electron-check.mjs        (downloads electronegativity 1.10.3 through npx the first time)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line) => process.stdout.write(`${line}\n`);
const VERSION = '1.10.3';
const dir = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
const out = path.join(dir, 'findings.csv');
try {
  execFileSync(
    'npx',
    ['--yes', '-p', `@doyensec/electronegativity@${VERSION}`, 'electronegativity', '-i', path.join(ROOT, 'app'), '-r', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  const findings = parseCsv(readFileSync(out, 'utf8')).slice(1).map(([issue, severity, , file, , sample]) => ({ issue, severity, file, sample: normalize(sample) }));
  const accepted = JSON.parse(readFileSync(path.join(ROOT, 'app/electronegativity-accepted.json'), 'utf8')).accepted;
  const key = (f) => `${f.issue}|${f.file}|${normalize(f.sample)}`;
  const known = new Set(accepted.map(key));
  const fresh = findings.filter((f) => !known.has(key(f)));
  const stale = accepted.filter((a) => !findings.some((f) => key(f) === key(a)));
  log(`electronegativity ${VERSION}: ${findings.length} findings, ${findings.length - fresh.length} accepted with a reason (app/electronegativity-accepted.json)`);
  for (const a of stale) log(`  no longer reported (remove it from the accepted list): ${a.issue} ${a.file} ${a.sample}`);
  for (const f of fresh) log(`  NEW ${f.severity} ${f.issue} in ${f.file}: ${f.sample}`);
  process.exitCode = fresh.length > 0 ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function normalize(text) {
  return String(text ?? '').replace(/\s+/g, ' ').trim();
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
