import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../src/flows/token-bucket';

/** Calls tryTake `times` times at `atUs` and returns how many were admitted. */
function takeMany(bucket: TokenBucket, atUs: number, times: number): number {
  let admitted = 0;
  for (let i = 0; i < times; i++) if (bucket.tryTake(atUs)) admitted++;
  return admitted;
}

describe('TokenBucket', () => {
  it('starts full: exactly `burst` requests are admitted at t=0, then every one is refused', () => {
    const bucket = new TokenBucket(100, 5);
    const admitted: boolean[] = [];
    for (let i = 0; i < 8; i++) admitted.push(bucket.tryTake(0));
    expect(admitted).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('refills at the rate: 100/s gives exactly one token after 10 ms, none after 9.999 ms', () => {
    const early = new TokenBucket(100, 1);
    expect(early.tryTake(0)).toBe(true);
    expect(early.tryTake(9_999)).toBe(false); // 0.9999 of a token
    const onTime = new TokenBucket(100, 1);
    expect(onTime.tryTake(0)).toBe(true);
    expect(takeMany(onTime, 10_000, 3)).toBe(1); // 1/100 s = 10,000 µs makes exactly one token
  });

  it('a refused request takes nothing: the partial token keeps filling (9,999 µs then 1 µs more)', () => {
    const bucket = new TokenBucket(100, 1);
    expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.tryTake(9_999)).toBe(false);
    // 0.9999 + 0.0001 tokens: one whole token at 10,000 µs, however the interval was cut up.
    expect(bucket.tryTake(10_000)).toBe(true);
    expect(bucket.tryTake(10_000)).toBe(false);
  });

  it('polling often does not delay a token: 100/s polled every 1 ms admits at exactly 10, 20, 30 ms', () => {
    const bucket = new TokenBucket(100, 1);
    expect(bucket.tryTake(0)).toBe(true);
    const admittedAt: number[] = [];
    for (let t = 1_000; t <= 30_000; t += 1_000) if (bucket.tryTake(t)) admittedAt.push(t);
    expect(admittedAt).toEqual([10_000, 20_000, 30_000]);
  });

  it.each([
    [100, 2, 37],
    [1_000, 1, 100],
    [1_000, 50, 7],
    [250, 3, 1],
  ])('rate %i/s, burst %i, drained every %i µs for 2 s: admitted by t = burst + floor(t·rate) exactly', (rate, burst, stepUs) => {
    const bucket = new TokenBucket(rate, burst);
    let admitted = 0;
    let checked = 0;
    for (let t = 0; t <= 2_000_000; t += stepUs) {
      while (bucket.tryTake(t)) admitted++;
      // Drained at every poll and refilled by less than burst - 1 between polls, the bucket never
      // reaches its cap, so no refill is lost and every token made by t is taken at t.
      if (t % 50_000 < stepUs) {
        expect(admitted, `t=${t}`).toBe(burst + Math.floor((t * rate) / 1_000_000));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('fractional tokens carry over: at 100/s, 15 ms gives one token and 5 ms more gives the next', () => {
    const bucket = new TokenBucket(100, 2);
    expect(takeMany(bucket, 0, 2)).toBe(2);
    expect(takeMany(bucket, 15_000, 2)).toBe(1); // 1.5 tokens: one taken, 0.5 left
    expect(bucket.tryTake(19_999)).toBe(false); // 0.9999
    expect(takeMany(bucket, 20_000, 2)).toBe(1);
  });

  it('the cap applies between requests too: burst 1 polled at 0 and 15 ms keeps 1 token, not 1.5', () => {
    const bucket = new TokenBucket(100, 1);
    expect(bucket.tryTake(0)).toBe(true);
    expect(takeMany(bucket, 15_000, 2)).toBe(1); // capped at 1 token, so nothing is left over
    expect(bucket.tryTake(20_000)).toBe(false); // 0.5 token
    expect(bucket.tryTake(25_000)).toBe(true);
  });

  it('never holds more than `burst` tokens, however long it sat idle', () => {
    const bucket = new TokenBucket(100, 3);
    expect(takeMany(bucket, 0, 3)).toBe(3);
    const anHourLater = 3_600_000_000; // 360,000 tokens' worth of refill
    expect(takeMany(bucket, anHourLater, 10)).toBe(3);
    expect(takeMany(bucket, anHourLater + 9_999, 1)).toBe(0);
    expect(takeMany(bucket, anHourLater + 10_000, 2)).toBe(1);
  });

  it('a long idle at the start does not bank either: the first request at t=10 s still sees `burst`', () => {
    const bucket = new TokenBucket(1_000, 4);
    expect(takeMany(bucket, 10_000_000, 10)).toBe(4);
  });

  it('rate below one per second: 0.5/s makes one token every 2 s', () => {
    const bucket = new TokenBucket(0.5, 1);
    expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.tryTake(1_999_999)).toBe(false);
    expect(bucket.tryTake(2_000_000)).toBe(true);
  });
});
