import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSimulation, withoutWallTime } from '../helpers/run-file';

const SMALL = [{ path: 'queue.customers', value: 100_000 }];

function runInProcess(seed?: number) {
  return runSimulation('mm1.yaml', SMALL, seed);
}

/** Runs the built CLI in a fresh Node process and returns the summary.json it wrote. */
function runInChildProcess(extraArgs: string[] = []): Record<string, unknown> {
  const out = mkdtempSync(join(tmpdir(), 'queuelab-determinism-'));
  execFileSync(
    process.execPath,
    ['dist/queuelab.mjs', 'run', 'simulations/mm1.yaml', '--set', 'queue.customers=100000', '--out', out, '--quiet', ...extraArgs],
    { stdio: 'pipe' },
  );
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
  delete summary['wallSeconds'];
  return summary;
}

describe('determinism: same scenario and seed, same run', () => {
  it('gives the same trace hash and summary in two runs in one process', () => {
    const first = runInProcess();
    const second = runInProcess();
    expect(second.traceHash).toBe(first.traceHash);
    expect(withoutWallTime(second)).toEqual(withoutWallTime(first));
  });

  it('gives the same summary.json in two separate processes, equal to the in-process run', () => {
    const first = runInChildProcess();
    const second = runInChildProcess();
    expect(second).toEqual(first);
    expect(first).toEqual(JSON.parse(JSON.stringify(withoutWallTime(runInProcess()))));
  });

  it('gives a different trace hash and different numbers for a different seed', () => {
    const seedOne = runInProcess(1);
    const seedTwo = runInProcess(2);
    expect(seedTwo.traceHash).not.toBe(seedOne.traceHash);
    expect(seedTwo.latencyMs.endToEnd.mean).not.toBe(seedOne.latencyMs.endToEnd.mean);
    expect(runInChildProcess(['--seed', '2'])['traceHash']).toBe(seedTwo.traceHash);
  });
});
