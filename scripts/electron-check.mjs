#!/usr/bin/env node
/**
 * Electron's static security checker, electronegativity (Doyensec), over the shell's sources
 * in app/. Its checks read BrowserWindow options literally, so they flag windows whose options
 * come from a function (ours come from app/security.ts, whose values test/app tests assert).
 * Every finding it reports must be in app/electronegativity-accepted.json with the reason it
 * does not apply; a finding that is not there fails this check (exit 1).
 *
 * The findings are read from its SARIF output, not its CSV: 1.10.3 writes the CSV header and
 * the rows with two concurrent fs.writeFile calls (one truncating), so about one run in six
 * left a garbled file. SARIF is one write. SARIF leaves out the sample (the trimmed source
 * line a finding points at), which the accepted list is keyed by, so it is read back from
 * the file at the finding's line, and checked against the length SARIF gives.
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
const out = path.join(dir, 'findings.sarif');
try {
  execFileSync(
    'npx',
    ['--yes', '-p', `@doyensec/electronegativity@${VERSION}`, 'electronegativity', '-i', path.join(ROOT, 'app'), '-r', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  const findings = readSarif(readFileSync(out, 'utf8'));
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

/** The findings of electronegativity's SARIF report, with the sample it leaves out (see above). */
function readSarif(text) {
  return JSON.parse(text).runs[0].results.map((result) => {
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    const file = artifactLocation.uri === 'file:///' ? 'N/A' : artifactLocation.uri;
    const severity = result.level;
    if (region.charLength === 0 || file === 'N/A') return { issue: result.ruleId, severity, file, sample: 'N/A' };
    const line = readFileSync(path.join(ROOT, 'app', file), 'utf8').split('\n')[region.startLine - 1] ?? '';
    const sample = line.trim();
    if (sample.length !== region.charLength) throw new Error(`electronegativity points at ${file}:${region.startLine}, whose text is not the ${region.charLength} characters it reports`);
    return { issue: result.ruleId, severity, file, sample: normalize(sample) };
  });
}
