import { describe, expect, it } from 'vitest';
import { AssertionError, RandomStream } from '../../../src/engine';
import {
  murmur2,
  partitionForKey,
  partitionForNumericKey,
  StickyPartitioner,
  toPositive,
  utf8,
} from '../../../src/model/kafka/partitioner';

/**
 * Expected hashes from Apache Kafka's own unit test, UtilsTest.testMurmur2:
 * apache/kafka, clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java
 * (read at commit f55581dc73953c3509a4702433aeeeddc2970779). Kafka builds the inputs with
 * String.getBytes() and, for the last row, a literal byte array {'a', 'b', 'c'}.
 */
const KAFKA_UTILS_TEST_VECTORS: readonly (readonly [string, number])[] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

/**
 * Secondary vectors, covering every tail length (1, 2, 3, 0, 1 bytes), which the Kafka table
 * alone does not (it has no 1-byte tail): akka/akka,
 * akka-cluster-sharding-typed/src/test/scala/akka/cluster/sharding/typed/internal/Murmur2Spec.scala,
 * whose comment says they are "expected correct hash values from the kafka murmur2 impl".
 */
const AKKA_VECTORS: readonly (readonly [string, number])[] = [
  ['1', -1993445489],
  ['12', 126087238],
  ['123', -267702483],
  ['1234', -1614185708],
  ['12345', -1188365604],
];

/**
 * An independent MurmurHash2 written in a different style (BigInt arithmetic modulo 2^32,
 * DataView little-endian block reads, the tail folded in as one little-endian integer) to
 * cross-check the Math.imul implementation on inputs no published table covers.
 */
function murmur2ViaBigInt(data: Uint8Array): number {
  const MASK = (1n << 32n) - 1n;
  const m = 0x5bd1e995n;
  const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
  let h = (0x9747b28cn ^ BigInt(data.length)) & MASK;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const whole = data.length - (data.length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = BigInt(view.getUint32(i, true));
    k = mul(k, m);
    k ^= k >> 24n;
    k = mul(k, m);
    h = mul(h, m) ^ k;
  }
  const rest = data.subarray(whole);
  if (rest.length > 0) {
    let t = 0n;
    rest.forEach((b, j) => {
      t |= BigInt(b) << BigInt(8 * j);
    });
    h = mul(h ^ t, m);
  }
  h ^= h >> 13n;
  h = mul(h, m);
  h ^= h >> 15n;
  return Number(BigInt.asIntN(32, h));
}

/** A deterministic byte source for the cross-check inputs (not the code under test). */
function bytesFrom(stream: RandomStream, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = stream.nextInt(256);
  return out;
}

describe('murmur2', () => {
  it.each(KAFKA_UTILS_TEST_VECTORS)('matches Kafka UtilsTest.testMurmur2: %j → %i', (text, expected) => {
    expect(murmur2(utf8(text))).toBe(expected);
  });

  it('matches the byte-array row of UtilsTest.testMurmur2 ({a, b, c})', () => {
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it.each(AKKA_VECTORS)('matches the Kafka-derived vectors in akka Murmur2Spec: %j → %i', (text, expected) => {
    expect(murmur2(utf8(text))).toBe(expected);
  });

  it('the reference BigInt implementation agrees with every published vector (so the cross-check means something)', () => {
    for (const [text, expected] of [...KAFKA_UTILS_TEST_VECTORS, ...AKKA_VECTORS]) {
      expect(murmur2ViaBigInt(new TextEncoder().encode(text))).toBe(expected);
    }
  });

  it('agrees with the independent BigInt implementation on 2,000 inputs of length 0..64 and on high bytes', () => {
    const stream = new RandomStream(7, 'murmur2-cross-check');
    for (let i = 0; i < 2_000; i++) {
      const bytes = bytesFrom(stream, i % 65);
      expect(murmur2(bytes)).toBe(murmur2ViaBigInt(bytes));
    }
    const allHigh = new Uint8Array(37).fill(0xff);
    expect(murmur2(allHigh)).toBe(murmur2ViaBigInt(allHigh));
  });

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const buffer = utf8('xxfoobarxx');
    expect(murmur2(buffer.subarray(2, 8))).toBe(-790332482);
  });

  it('returns a signed 32-bit integer', () => {
    const stream = new RandomStream(11, 'murmur2-range');
    for (let i = 0; i < 500; i++) {
      const h = murmur2(bytesFrom(stream, 1 + (i % 40)));
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(h).toBeLessThan(2 ** 31);
    }
  });
});

describe('toPositive', () => {
  it('clears the sign bit like Kafka Utils.toPositive (not Math.abs)', () => {
    expect(toPositive(0)).toBe(0);
    expect(toPositive(5)).toBe(5);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-(2 ** 31))).toBe(0);
    expect(toPositive(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(toPositive(-973932308)).toBe(-973932308 + 2 ** 31);
  });
});

describe('utf8', () => {
  it('encodes well-formed text exactly like TextEncoder (1-, 2-, 3- and 4-byte sequences)', () => {
    const encoder = new TextEncoder();
    for (const text of ['', 'sku-123', 'A\u00ea\u00f1\u00fcC', '€100', '秒杀-双11', 'emoji 🛒🔥', '\u07ff\u0800\uffff']) {
      expect(Array.from(utf8(text))).toEqual(Array.from(encoder.encode(text)));
    }
  });

  it('replaces an unpaired surrogate with "?" as Java String.getBytes(UTF_8) does', () => {
    expect(Array.from(utf8('a\ud800b'))).toEqual([0x61, 0x3f, 0x62]);
    expect(Array.from(utf8('\udc00'))).toEqual([0x3f]);
    expect(Array.from(utf8('x\ud83d'))).toEqual([0x78, 0x3f]);
  });
});

describe('partitionForKey', () => {
  it('is toPositive(murmur2(key)) % partitions', () => {
    for (const [text, hash] of KAFKA_UTILS_TEST_VECTORS) {
      for (const partitions of [1, 3, 12, 50]) {
        expect(partitionForKey(utf8(text), partitions)).toBe(toPositive(hash) % partitions);
      }
    }
  });

  it('maps the same key to the same partition every time, including from a fresh byte array', () => {
    const first = partitionForKey(utf8('user-42'), 12);
    for (let i = 0; i < 100; i++) expect(partitionForKey(utf8('user-42'), 12)).toBe(first);
  });

  it('spreads 100,000 distinct string keys over 12 partitions within ±3% of uniform', () => {
    const counts = new Array<number>(12).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const p = partitionForKey(utf8(`user-${i}`), 12);
      counts[p] = (counts[p] ?? 0) + 1;
    }
    const expected = 100_000 / 12;
    for (const c of counts) {
      expect(Math.abs(c - expected) / expected).toBeLessThanOrEqual(0.03);
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000);
  });

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionForKey(utf8('k'), 0)).toThrow(AssertionError);
    expect(() => partitionForKey(utf8('k'), 2.5)).toThrow(AssertionError);
  });
});

describe('partitionForNumericKey', () => {
  it('hashes the decimal string, as a Java producer with a StringSerializer would', () => {
    // "12345" hashes to -1188365604 (akka Murmur2Spec, Kafka-derived).
    expect(partitionForNumericKey(12345, 12)).toBe(toPositive(-1188365604) % 12);
    expect(partitionForNumericKey(21, 7)).toBe(toPositive(-973932308) % 7);
    expect(partitionForNumericKey(-5, 12)).toBe(partitionForKey(utf8('-5'), 12));
    expect(partitionForNumericKey(-0, 12)).toBe(partitionForKey(utf8('0'), 12));
  });

  it('spreads 100,000 sequential numeric ids over 12 partitions within ±3% of uniform', () => {
    const counts = new Array<number>(12).fill(0);
    for (let id = 0; id < 100_000; id++) {
      const p = partitionForNumericKey(id, 12);
      counts[p] = (counts[p] ?? 0) + 1;
    }
    const expected = 100_000 / 12;
    for (const c of counts) expect(Math.abs(c - expected) / expected).toBeLessThanOrEqual(0.03);
  });

  it('is stable for the same key', () => {
    const p = partitionForNumericKey(9_007_199_254_740_991, 30);
    expect(partitionForNumericKey(9_007_199_254_740_991, 30)).toBe(p);
  });

  it('rejects keys whose decimal form would differ between JavaScript and Java', () => {
    expect(() => partitionForNumericKey(1.5, 12)).toThrow(AssertionError);
    expect(() => partitionForNumericKey(1e21, 12)).toThrow(AssertionError);
    expect(() => partitionForNumericKey(Number.NaN, 12)).toThrow(AssertionError);
  });
});

function seededNextInt(seed: number, name = 'producer-1/partitioner'): (bound: number) => number {
  const stream = new RandomStream(seed, name);
  return (bound) => stream.nextInt(bound);
}

/** Splits a partition sequence into runs of equal consecutive values. */
function runs(sequence: readonly number[]): { partition: number; length: number }[] {
  const out: { partition: number; length: number }[] = [];
  for (const p of sequence) {
    const last = out[out.length - 1];
    if (last !== undefined && last.partition === p) last.length++;
    else out.push({ partition: p, length: 1 });
  }
  return out;
}

describe('StickyPartitioner', () => {
  it('sticks until at least batch.size bytes were produced, then switches to a different partition', () => {
    const sticky = new StickyPartitioner(12, 16_384, seededNextInt(1));
    const sequence = Array.from({ length: 18 }, () => sticky.partitionFor(1_000));
    // 17 records × 1000 B = 17,000 B ≥ 16,384: the 17th record still goes to the first partition.
    expect(new Set(sequence.slice(0, 17)).size).toBe(1);
    expect(sequence[17]).not.toBe(sequence[0]);
  });

  it('counts bytes, not records: a record of batch.size bytes gets a partition to itself', () => {
    const sticky = new StickyPartitioner(6, 16_384, seededNextInt(2));
    const a = sticky.partitionFor(16_384);
    expect(sticky.stickyPartition).toBeUndefined();
    const b = sticky.partitionFor(10);
    expect(b).not.toBe(a);
    expect(sticky.bytesOnStickyPartition).toBe(10);
    expect(sticky.partitionFor(16_374)).toBe(b); // reaches exactly 16,384 on b
    expect(sticky.partitionFor(1)).not.toBe(b);
  });

  it('switches after every record when batch.size is 0 (batching disabled)', () => {
    const sticky = new StickyPartitioner(4, 0, seededNextInt(3));
    const sequence = Array.from({ length: 200 }, () => sticky.partitionFor(100));
    for (const run of runs(sequence)) expect(run.length).toBe(1);
  });

  it('never stays on one partition forever and visits every partition about equally over a long run', () => {
    const sticky = new StickyPartitioner(12, 16_384, seededNextInt(4));
    const sequence = Array.from({ length: 120_000 }, () => sticky.partitionFor(500));
    const stickRuns = runs(sequence);
    // 33 records × 500 B = 16,500 B is the first count ≥ 16,384.
    for (const run of stickRuns.slice(0, -1)) expect(run.length).toBe(33);
    expect(stickRuns[stickRuns.length - 1]!.length).toBeLessThanOrEqual(33); // cut off by the end of the run
    const perPartition = new Array<number>(12).fill(0);
    for (const p of sequence) perPartition[p] = (perPartition[p] ?? 0) + 1;
    const expected = sequence.length / 12;
    for (const c of perPartition) {
      expect(c).toBeGreaterThan(0);
      expect(Math.abs(c - expected) / expected).toBeLessThan(0.15);
    }
  });

  it('is deterministic for a deterministic nextInt and depends on the seed', () => {
    const draw = (seed: number): number[] => {
      const sticky = new StickyPartitioner(12, 16_384, seededNextInt(seed));
      return Array.from({ length: 5_000 }, (_, i) => sticky.partitionFor(200 + (i % 7) * 300));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws the first partition over all partitions, later ones over the others (nextInt(partitions − 1))', () => {
    const bounds: number[] = [];
    const script = [0, 0, 3, 2];
    const sticky = new StickyPartitioner(5, 100, (bound) => {
      bounds.push(bound);
      return script[bounds.length - 1] ?? 0;
    });
    const sequence = Array.from({ length: 4 }, () => sticky.partitionFor(100));
    // 0 of {0..4} → 0; 0 of {1,2,3,4} → 1; 3 of {0,2,3,4} → 4; 2 of {0,1,2,3} → 2.
    expect(bounds).toEqual([5, 4, 4, 4]);
    expect(sequence).toEqual([0, 1, 4, 2]);
  });

  it('rejects a nextInt that answers outside [0, bound)', () => {
    const sticky = new StickyPartitioner(5, 100, (bound) => bound);
    expect(() => sticky.partitionFor(10)).toThrow(AssertionError);
  });

  it('only picks available partitions and leaves the sticky partition when it becomes unavailable', () => {
    const sticky = new StickyPartitioner(12, 16_384, seededNextInt(5));
    const available = [2, 5, 7];
    const seen = new Set<number>();
    for (let i = 0; i < 3_000; i++) seen.add(sticky.partitionFor(700, available));
    expect([...seen].sort((a, b) => a - b)).toEqual([2, 5, 7]);

    // Mid-stick, the current partition's leader goes away: the very next record moves.
    const fresh = new StickyPartitioner(12, 16_384, seededNextInt(6));
    const first = fresh.partitionFor(100, [1, 3, 9]);
    expect(fresh.stickyPartition).toBe(first);
    const rest = [1, 3, 9].filter((p) => p !== first);
    const moved = fresh.partitionFor(100, rest);
    expect(rest).toContain(moved);
    expect(fresh.bytesOnStickyPartition).toBe(100);
  });

  it('stays on a partition that remains available even when the list changes', () => {
    const sticky = new StickyPartitioner(12, 16_384, seededNextInt(7));
    const first = sticky.partitionFor(100, [0, 4, 8]);
    expect(sticky.partitionFor(100, [first, 11])).toBe(first);
    expect(sticky.partitionFor(100)).toBe(first);
  });

  it('keeps using the only available partition without calling nextInt again', () => {
    let calls = 0;
    const sticky = new StickyPartitioner(12, 1_000, (bound) => {
      calls++;
      return bound - 1;
    });
    for (let i = 0; i < 50; i++) expect(sticky.partitionFor(600, [7])).toBe(7);
    expect(calls).toBe(0);
  });

  it('treats an empty available list as "all partitions"', () => {
    const sticky = new StickyPartitioner(3, 100, seededNextInt(8));
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) seen.add(sticky.partitionFor(100, []));
    expect(seen.size).toBe(3);
  });

  it('always answers 0 for a single-partition topic', () => {
    const sticky = new StickyPartitioner(1, 10, () => {
      throw new Error('nextInt must not be called');
    });
    for (let i = 0; i < 20; i++) expect(sticky.partitionFor(7)).toBe(0);
  });

  it('validates its arguments', () => {
    expect(() => new StickyPartitioner(0, 16_384, () => 0)).toThrow(AssertionError);
    expect(() => new StickyPartitioner(3, -1, () => 0)).toThrow(AssertionError);
    const sticky = new StickyPartitioner(3, 16_384, () => 0);
    expect(() => sticky.partitionFor(-1)).toThrow(AssertionError);
    expect(() => sticky.partitionFor(10, [3])).toThrow(AssertionError);
  });
});

describe('partitionForNumericKey', () => {
  it('hash the decimal string, exactly as partitionForKey(utf8(String(key))) does', () => {
    const keys = [0, 7, 9, 10, 42, 99_999, 123_456_789, -1, -250, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 10 ** 15, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (const key of keys) {
      for (const partitions of [1, 3, 12, 96]) {
        expect(partitionForNumericKey(key, partitions), `${key} over ${partitions}`).toBe(partitionForKey(utf8(String(key)), partitions));
      }
    }
  });
});
