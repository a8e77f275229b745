import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../../src/engine/random';

function draws(stream: RandomStream, count: number): number[] {
  return Array.from({ length: count }, () => stream.nextUint32());
}

describe('RandomStream', () => {
  it('is reproducible from (seed, name)', () => {
    expect(draws(new RandomStream(42, 'broker-1'), 100)).toEqual(draws(new RandomStream(42, 'broker-1'), 100));
  });

  it('gives different sequences for different seeds, names and seeds beyond 2^32', () => {
    const base = draws(new RandomStream(42, 'broker-1'), 8);
    expect(draws(new RandomStream(43, 'broker-1'), 8)).not.toEqual(base);
    expect(draws(new RandomStream(42, 'broker-2'), 8)).not.toEqual(base);
    expect(draws(new RandomStream(42 + 2 ** 32, 'broker-1'), 8)).not.toEqual(base);
  });

  it('splits into child streams that do not depend on the parent draws', () => {
    const parent = new RandomStream(5, 'producer');
    const before = draws(parent.split('batch'), 10);
    draws(parent, 1000);
    expect(draws(parent.split('batch'), 10)).toEqual(before);
    expect(parent.split('batch').name).toBe('producer/batch');
  });

  it('produces uniform floats: chi-square over 100 bins stays below the 99.9 % critical value, seed=11', () => {
    const stream = new RandomStream(11, 'uniformity');
    const bins = new Array<number>(100).fill(0);
    const samples = 1_000_000;
    let outOfRange = 0;
    for (let i = 0; i < samples; i++) {
      const u = stream.nextFloat();
      if (!(u >= 0 && u < 1)) outOfRange++;
      bins[Math.floor(u * 100)]!++;
    }
    expect(outOfRange).toBe(0);
    const expected = samples / 100;
    const chiSquare = bins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // Critical value of chi-square with 99 degrees of freedom at 0.999, via the Wilson–Hilferty
    // approximation: k (1 - 2/(9k) + z sqrt(2/(9k)))^3, z = 3.0902 (the normal 0.999 quantile).
    const k = 99;
    const critical = k * (1 - 2 / (9 * k) + 3.0902 * Math.sqrt(2 / (9 * k))) ** 3;
    expect(chiSquare, 'seed=11').toBeLessThan(critical);
  });

  it('keeps nextOpenFloat in (0, 1] and nextInt in range', () => {
    const stream = new RandomStream(3, 'ranges');
    for (let i = 0; i < 10_000; i++) {
      const open = stream.nextOpenFloat();
      expect(open > 0 && open <= 1).toBe(true);
      const integer = stream.nextInt(7);
      expect(Number.isInteger(integer) && integer >= 0 && integer < 7).toBe(true);
    }
    expect(() => stream.nextInt(0)).toThrow(/bound/);
    expect(() => new RandomStream(-1, 'x')).toThrow(/seed/);
  });
});

describe('RandomStream.fillFloats', () => {
  it('writes the same numbers, in the same order, as nextFloat one at a time', () => {
    const one = new RandomStream(9, 'fill');
    const block = new RandomStream(9, 'fill');
    const out = new Float64Array(300);
    block.fillFloats(out, 256);
    block.fillFloats(out.subarray(256), 44);
    for (let i = 0; i < 300; i++) expect(out[i]).toBe(one.nextFloat());
    expect(block.nextUint32()).toBe(one.nextUint32());
  });
});
