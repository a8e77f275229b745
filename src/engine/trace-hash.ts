/**
 * Running 64-bit hash over the processed events (time, kind, two key fields), kept as two
 * independent 32-bit lanes so that it is computed identically in every JS engine.
 * Floats are hashed by their IEEE-754 bits: a key that differs in the last bit changes the hash.
 */
const scratchFloat = new Float64Array(1);
const scratchWords = new Uint32Array(scratchFloat.buffer);
const TWO_POW_32 = 4294967296;

export class TraceHash {
  private low = 0x6a09e667 | 0;
  private high = 0xbb67ae85 | 0;

  addEvent(time: number, kind: number, a: number, b: number): void {
    this.mix(time % TWO_POW_32);
    this.mix(Math.floor(time / TWO_POW_32));
    this.mix(kind);
    this.mixFloat(a);
    this.mixFloat(b);
  }

  private mixFloat(value: number): void {
    scratchFloat[0] = value;
    this.mix(scratchWords[0]!);
    this.mix(scratchWords[1]!);
  }

  private mix(word: number): void {
    this.low = Math.imul(this.low ^ word, 0x01000193);
    this.low ^= this.low >>> 15;
    this.high = Math.imul(this.high ^ word, 0x5bd1e995);
    this.high ^= this.high >>> 13;
    this.high = (this.high + this.low) | 0;
  }

  /** 16 hex digits. */
  digest(): string {
    return hex(finalise(this.high)) + hex(finalise(this.low ^ this.high));
  }
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
