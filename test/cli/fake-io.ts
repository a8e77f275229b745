import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/cli';
import type { CliIo } from '../../src/cli/io';

/** Runs the CLI in-process with real files and a fake clock, capturing what it prints. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export function fakeIo(options: { stderrIsTty?: boolean } = {}): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  let clockMs = 0;
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: async (path, text) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, 'utf8');
    },
    stderrIsTty: options.stderrIsTty ?? false,
    wallClockMs: () => (clockMs += 5),
  };
  return { io, out, err };
}

export async function cli(argv: string[], options: { stderrIsTty?: boolean } = {}): Promise<CliOutcome> {
  const { io, out, err } = fakeIo(options);
  const code = await runCli(argv, io);
  const outcome = { code, stdout: out.join(''), stderr: err.join('') };
  // No user mistake (nor anything else here) may show a stack trace.
  expect(outcome.stderr, `stack trace for: queuelab ${argv.join(' ')}`).not.toContain('    at ');
  return outcome;
}

