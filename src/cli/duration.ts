import { BadInputError } from './io';

const UNIT_SECONDS: Record<string, number> = { us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, min: 60, h: 3600 };

/** "60s", "500ms", "2m", "1.5h" or a bare number of seconds -> seconds. */
export function parseDurationSeconds(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min|h)?\s*$/.exec(text);
  if (match === null) {
    throw new BadInputError([`${flag}: "${text}" is not a duration (write e.g. 60s, 500ms, 2m or 1h)`]);
  }
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's']!;
}
