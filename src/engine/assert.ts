/**
 * Assertions that stay on in production (TigerBeetle style): a broken invariant in a
 * simulator silently produces wrong numbers, which is worse than a crash with a message.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/**
 * `message` is a string, or a function that builds it: a template literal with numbers in it
 * costs tens of nanoseconds to build even when the assertion holds, which on the simulator's
 * hot paths is more than the work it guards (ESLint refuses a template literal here).
 */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new AssertionError(typeof message === 'string' ? message : message());
}

export function assertNonNegativeInteger(value: number, what: string): void {
  if (!(value >= 0) || value !== Math.floor(value) || value > Number.MAX_SAFE_INTEGER) {
    throw new AssertionError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}
