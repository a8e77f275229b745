import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The built bin (dist/queuelab.mjs, built by vitest's globalSetup) in a real Node process:
 * the exit codes a shell or CI sees, which the in-process tests cannot prove.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist', 'queuelab.mjs');
const temp = mkdtempSync(join(tmpdir(), 'queuelab-subprocess-'));

afterAll(() => rmSync(temp, { recursive: true, force: true }));

function queuelab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.error !== undefined) throw result.error;
  expect(result.stderr, `stack trace for: queuelab ${args.join(' ')}`).not.toContain('    at ');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('node dist/queuelab.mjs', () => {
  it('is built', () => {
    expect(existsSync(BIN), 'run `npm run build:cli`').toBe(true);
  });

  it('exits 0 for a valid run and writes summary.json into --out (creating the folder)', () => {
    const out = join(temp, 'run', 'nested');
    const { status, stdout, stderr } = queuelab('run', 'simulations/mm1.yaml', '--set', 'queue.customers=20000', '--out', out);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('theory in interval');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { schema: number; invariants: { conservation: boolean } };
    expect(summary.schema).toBe(1);
    expect(summary.invariants.conservation).toBe(true);
  });

  it('exits 0 for validate of a valid file', () => {
    const { status, stdout } = queuelab('validate', 'simulations/md1-half-load.json');
    expect(status).toBe(0);
    expect(stdout).toContain('valid');
  });

  it('exits 2 for a broken scenario, with one line per problem on stderr', () => {
    const path = join(temp, 'broken.yaml');
    writeFileSync(path, 'version: 2\ntitle: t\nqueue:\n  arrivalRatePerSecond: -1\n  serviceSeconds: { kind: exponential, mean: 1 }\n');
    const { status, stdout, stderr } = queuelab('run', path);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      `${path}:1: version: must be 1, got number 2 (scenario file format version; this QueueLab reads version 1)`,
      `${path}:4: queue.arrivalRatePerSecond: must be > 0, got -1 (mean Poisson arrival rate λ, customers per second)`,
      `${path}:3: queue.customers: is required (add it: measured customers after the warm-up, rounded down to a multiple of batches)`,
    ]);
  });

  it('exits 2 for an unknown flag', () => {
    const { status, stderr } = queuelab('run', 'simulations/mm1.yaml', '--bogus');
    expect(status).toBe(2);
    expect(stderr).toContain("unknown option '--bogus'");
  });

  it('exits 2 for a missing file', () => {
    const { status, stderr } = queuelab('validate', 'simulations/nope.yaml');
    expect(status).toBe(2);
    expect(stderr).toContain('no such file');
  });

  it('exits 0 for --help', () => {
    const { status, stdout } = queuelab('--help');
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: queuelab');
  });
});
