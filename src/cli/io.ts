/**
 * What the CLI needs from the outside world, injected so that tests run commands in-process
 * and check their output and exit codes without spawning Node.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  /** Writes atomically: a temporary file renamed over the target. */
  writeFile: (path: string, text: string) => Promise<void>;
  /** Whether stderr is a terminal (progress is only drawn on one). */
  stderrIsTty: boolean;
  wallClockMs: () => number;
  /** The process's resident memory in bytes (the Kafka benchmark reports it); absent in tests. */
  residentBytes?: () => number;
}

/** Exit codes of DESIGN.md: 0 ok, 1 run failed, 2 bad input, 3 a stated expectation missed. */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2, expectationMissed: 3 } as const;

/** A user mistake: reported as lines on stderr with exit code 2, never as a stack trace. */
export class BadInputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'BadInputError';
  }
}
