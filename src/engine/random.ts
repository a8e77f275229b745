import { assert } from './assert';

/**
 * Seeded, splittable randomness. Every component draws from its own stream, derived from the
 * run seed and the component's stable name, so adding a producer does not shift the draws of
 * a broker (DESIGN.md, determinism rules).
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/), 32-bit
 * arithmetic only, so the same draws come out in Node and in a browser worker.
 * State seeding: splitmix32 over a hash of (seed, name), the seeding Vigna recommends.
 */
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a over UTF-16 code units: a stable 32-bit name hash. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * @param seed the run seed, an integer in [0, 2^53)
   * @param name the stream's stable path, e.g. "broker-3/disk"
   */
  constructor(
    readonly seed: number,
    readonly name: string,
  ) {
    assert(Number.isSafeInteger(seed) && seed >= 0, () => `seed must be a non-negative safe integer, got ${seed}`);
    const mixer = { x: (seed % TWO_POW_32) ^ Math.imul(hashName(name), 0x9e3779b1) };
    const high = Math.floor(seed / TWO_POW_32);
    this.s0 = splitmix32(mixer) ^ high;
    this.s1 = splitmix32(mixer);
    this.s2 = splitmix32(mixer) ^ hashName(name);
    this.s3 = splitmix32(mixer);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** A child stream, independent of how many draws this one has made. */
  split(childName: string): RandomStream {
    return new RandomStream(this.seed, `${this.name}/${childName}`);
  }

  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /**
   * Writes the next `count` draws of nextFloat into `out` (the same numbers, in the same order):
   * for a caller that draws many at a time, without a double boxed per call.
   */
  fillFloats(out: Float64Array, count = out.length): void {
    // nextUint32's steps with the state in locals (a store into `out` would otherwise make
    // the compiled loop reload and store the four fields on every step); every second word
    // completes a float, as nextFloat combines them.
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    let high = 0;
    for (let step = 0; step < 2 * count; step++) {
      const word = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      if ((step & 1) === 0) high = word >>> 5;
      else out[step >> 1] = (high * 67108864 + (word >>> 6)) / TWO_POW_53;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Uniform on (0, 1]: safe to take the logarithm of. */
  nextOpenFloat(): number {
    return 1 - this.nextFloat();
  }

  /** Uniform integer in [0, bound): the floor of a 53-bit uniform, bias below 2^-21 for any bound <= 2^32. */
  nextInt(bound: number): number {
    assert(Number.isInteger(bound) && bound > 0 && bound <= TWO_POW_32, () => `bound must be an integer in [1, 2^32], got ${bound}`);
    return Math.floor(this.nextFloat() * bound);
  }
}
