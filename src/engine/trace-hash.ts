/**
 * Running 64-bit hash over the processed events (time, kind, two key fields), kept as two
 * 32-bit lanes of integer arithmetic so that it is computed identically in every JS engine.
 * It is on the hot path of every event: four mixing steps per event, no allocation.
 */
const scratchFloat = new Float64Array(1);
const scratchWords = new Uint32Array(scratchFloat.buffer);
const TWO_POW_32 = 4294967296;

export class TraceHash {
  private low = 0x6a09e667 | 0;
  private high = 0xbb67ae85 | 0;

  addEvent(time: number, kind: number, a: number, b: number): void {
    // `x >>> 0` is x mod 2^32 for integers up to 2^53; simulated time is below 2^53 µs and
    // its high word below 2^21, so it shares a word with the kind without overlap.
    this.mix(time >>> 0);
    this.mix(((time / TWO_POW_32) | 0) ^ Math.imul(kind, 0x9e3779b1));
    this.mix(word(a));
    this.mix(word(b));
  }

  private mix(value: number): void {
    this.low = Math.imul(this.low ^ value, 0x01000193);
    this.low ^= this.low >>> 15;
    this.high = (Math.imul(this.high ^ value, 0x5bd1e995) + this.low) | 0;
  }

  /** 16 hex digits. */
  digest(): string {
    return hex(finalise(this.high)) + hex(finalise(this.low ^ this.high));
  }
}

/** A 32-bit word for a key field: the value itself when it is a small non-negative integer
 * (ids, counts), else its IEEE-754 bits folded, so that a float differing in its last bit
 * still changes the hash. */
function word(value: number): number {
  if (value >>> 0 === value) return value;
  scratchFloat[0] = value;
  return scratchWords[0]! ^ ((scratchWords[1]! << 16) | (scratchWords[1]! >>> 16)) ^ 0x5f3759df;
}

function finalise(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex(word: number): string {
  return word.toString(16).padStart(8, '0');
}
