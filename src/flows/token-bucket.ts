/**
 * A token bucket, the admission rule of API gateways (Nginx `limit_req`, Redis+Lua user
 * buckets; shared/reference/mq-semantics.md §4.3 item 1): `ratePerSecond` tokens flow in,
 * at most `burst` wait, and each admitted request takes one. Refilled arithmetically on each
 * request, so it costs no events.
 *
 * Tokens are counted in millionths (one token = 1e6 units, so a microsecond at rate r adds r
 * units): with whole-microsecond times and an integer rate every step is an exact integer,
 * and many small refills add up to a whole token exactly (in float tokens, ten refills of 0.1
 * sum to 0.9999999999999999 and the token is refused until the next request).
 */
const UNITS_PER_TOKEN = 1_000_000;

export class TokenBucket {
  private units: number;
  private lastUs = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
  ) {
    this.units = burst * UNITS_PER_TOKEN;
  }

  /** Tokens in the bucket at `nowUs` (a fraction while refilling), without taking one or changing anything. */
  available(nowUs: number): number {
    return Math.min(this.burst * UNITS_PER_TOKEN, this.units + (nowUs - this.lastUs) * this.ratePerSecond) / UNITS_PER_TOKEN;
  }

  tryTake(nowUs: number): boolean {
    this.units = Math.min(this.burst * UNITS_PER_TOKEN, this.units + (nowUs - this.lastUs) * this.ratePerSecond);
    this.lastUs = nowUs;
    if (this.units < UNITS_PER_TOKEN) return false;
    this.units -= UNITS_PER_TOKEN;
    return true;
  }
}
