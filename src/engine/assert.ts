/**
 * Assertions that stay on in production (TigerBeetle style): a broken invariant in a
 * simulator silently produces wrong numbers, which is worse than a crash with a message.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNonNegativeInteger(value: number, what: string): void {
  if (!(value >= 0) || value !== Math.floor(value) || value > Number.MAX_SAFE_INTEGER) {
    throw new AssertionError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}
