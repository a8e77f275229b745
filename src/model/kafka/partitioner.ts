import { assert } from '../../engine';

/**
 * Kafka's built-in producer partitioning (Kafka 3.3+ / 4.x, no custom `partitioner.class`),
 * implemented from the documented algorithm (shared/reference/mq-semantics.md §1.7,
 * ProducerConfig PARTITIONER_CLASS_DOC):
 *
 * - a record with a key goes to `toPositive(murmur2(keyBytes)) % partitions`;
 * - a record without a key goes to a "sticky" partition that changes once at least
 *   `batch.size` bytes have been produced to it (KIP-794, "uniform sticky").
 *
 * Not modelled yet: `partitioner.adaptive.partitioning.enable` (default true in Kafka: the
 * producer sends more unkeyed records to partitions on faster brokers, using queue sizes per
 * broker) and `partitioner.availability.timeout.ms`. The sticky partitioner below is the
 * uniform variant Kafka uses when adaptive partitioning is off. `partitioner.ignore.keys=true`
 * is modelled by the caller: it sends keyed records through the sticky partitioner.
 *
 * Everything here is pure and deterministic: the only randomness is the injected `nextInt`.
 */

const MURMUR2_SEED = 0x9747b28c;
const MURMUR2_M = 0x5bd1e995;
const MURMUR2_R = 24;

/**
 * The 32-bit MurmurHash2 variant of Kafka's default partitioner (Austin Appleby's MurmurHash2,
 * seed 0x9747b28c): mix each 4-byte little-endian block into the state, then the 1–3 tail
 * bytes, then the final avalanche. Math.imul and the shift operators give exact 32-bit
 * wrap-around arithmetic. Returns a signed 32-bit int, like Java's `int`.
 */
export function murmur2(bytes: Uint8Array, start = 0, length = bytes.length - start): number {
  let h = MURMUR2_SEED ^ length;
  const tailStart = start + length - (length & 3);
  for (let i = start; i < tailStart; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, MURMUR2_M);
    k ^= k >>> MURMUR2_R;
    k = Math.imul(k, MURMUR2_M);
    h = Math.imul(h, MURMUR2_M) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= bytes[tailStart + 2]! << 16;
  if (tail >= 2) h ^= bytes[tailStart + 1]! << 8;
  if (tail >= 1) {
    h ^= bytes[tailStart]!;
    h = Math.imul(h, MURMUR2_M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, MURMUR2_M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs, so −2^31 maps to 0, not overflow). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

function assertPartitionCount(partitions: number): void {
  assert(
    Number.isInteger(partitions) && partitions >= 1 && partitions <= 0x7fffffff,
    () => `partitions must be a positive 32-bit integer, got ${partitions}`,
  );
}

/** The partition of a keyed record: `toPositive(murmur2(key)) % partitions`. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  assertPartitionCount(partitions);
  return toPositive(murmur2(key)) % partitions;
}

/**
 * UTF-8 bytes of a string, as Java's `String.getBytes(StandardCharsets.UTF_8)` produces them
 * (which is what Kafka's StringSerializer sends): for well-formed text this is exactly what
 * TextEncoder gives. Hand-written rather than TextEncoder for one difference: Java replaces an
 * unpaired surrogate with '?' (0x3F), TextEncoder with U+FFFD (EF BF BD); keeping Java's
 * choice keeps such keys on the partition a Java producer would pick. (Java's replacement
 * byte is recalled from the JDK's String coding, not re-read: [R].)
 */
export function utf8(text: string): Uint8Array {
  // Worst case is 3 bytes per UTF-16 code unit (a surrogate pair is 2 units → 4 bytes).
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >>> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[n++] = 0xf0 | (cp >>> 18);
        out[n++] = 0x80 | ((cp >>> 12) & 0x3f);
        out[n++] = 0x80 | ((cp >>> 6) & 0x3f);
        out[n++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        out[n++] = 0x3f; // unpaired surrogate → '?', as Java does
      }
    } else {
      out[n++] = 0xe0 | (c >>> 12);
      out[n++] = 0x80 | ((c >>> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return out.slice(0, n);
}

/**
 * The partition of a record whose key is a number (user id, SKU id) sent the way a Java
 * producer with a StringSerializer would send it: the key's decimal string, UTF-8 encoded,
 * then {@link partitionForKey}. For safe integers JavaScript's `String(n)` and Java's
 * `Long.toString(n)` agree digit for digit, so only safe integers are accepted (a
 * fractional or huge number would print differently in the two languages).
 */
export function partitionForNumericKey(key: number, partitions: number): number {
  assert(Number.isSafeInteger(key), () => `a numeric key must be a safe integer, got ${key}`);
  assertPartitionCount(partitions);
  const start = writeDecimal(key);
  return toPositive(murmur2(decimalDigits, start, decimalDigits.length - start)) % partitions;
}

/** Scratch for the decimal digits of a key: a safe integer has at most 16 digits and a sign. */
const decimalDigits = new Uint8Array(24);

/**
 * Writes `key` in decimal ASCII (what String(key) gives) at the end of `decimalDigits`, one
 * division per digit and no string; returns where it starts.
 */
function writeDecimal(key: number): number {
  let value = Math.abs(key);
  let start = decimalDigits.length;
  while (value >= 2_147_483_648) {
    const next = Math.floor(value / 10);
    decimalDigits[--start] = 48 + (value - next * 10);
    value = next;
  }
  // Below 2^31 in int32 arithmetic, where dividing by 10 compiles to a multiplication.
  let small = value | 0;
  do {
    const next = (small / 10) | 0;
    decimalDigits[--start] = 48 + small - next * 10;
    small = next;
  } while (small > 0);
  if (key < 0) decimalDigits[--start] = 45; // '-'
  return start;
}

/**
 * Partitioner for records without a key (KIP-794 "uniform sticky", Kafka 3.3+ built-in):
 * every record goes to the current sticky partition until at least `batch.size` bytes have
 * been produced to it; the record that reaches the threshold still goes there, and the next
 * record goes to a new partition drawn uniformly at random from the available partitions,
 * excluding the one just left when there is more than one to choose from.
 *
 * Availability: `available` (the partitions with a live leader, in the caller's order) is
 * read on every call. If the current sticky partition is not in it, the partitioner switches
 * at once. An empty or absent list means "all partitions": Kafka's partitioner then falls back
 * to the whole topic rather than refusing to pick [R: StickyPartitionCache, not re-read].
 *
 * Simplifications, documented rather than hidden: Kafka's BuiltInPartitioner also lines the
 * switch up with batch boundaries in the record accumulator and counts serialized batch bytes
 * [R: recalled, not re-read]; here the switch happens exactly at the threshold and
 * `recordBytes` is whatever size the caller charges per record. Adaptive
 * partitioning (`partitioner.adaptive.partitioning.enable`, default true in Kafka) is not
 * modelled yet. With a single candidate `nextInt` is not called at all.
 */
export class StickyPartitioner {
  private current: number | undefined = undefined;
  /** The partition just left, so the next draw can avoid it. */
  private previous: number | undefined = undefined;
  private produced = 0;

  /**
   * @param partitions number of partitions of the topic
   * @param batchSizeBytes producer `batch.size`; 0 switches after every record
   * @param nextInt uniform integer in [0, bound), from a seeded stream (e.g. RandomStream.nextInt)
   */
  constructor(
    readonly partitions: number,
    readonly batchSizeBytes: number,
    private readonly nextInt: (bound: number) => number,
  ) {
    assertPartitionCount(partitions);
    assert(
      Number.isSafeInteger(batchSizeBytes) && batchSizeBytes >= 0,
      () => `batchSizeBytes must be a non-negative integer, got ${batchSizeBytes}`,
    );
  }

  /** The sticky partition the next record will use, or undefined if a new one is yet to be drawn. */
  get stickyPartition(): number | undefined {
    return this.current;
  }

  /** Bytes produced to the current sticky partition so far. */
  get bytesOnStickyPartition(): number {
    return this.produced;
  }

  /**
   * The partition for an unkeyed record of `recordBytes` bytes, charging those bytes to it.
   * @param available partitions that may be chosen now (e.g. those with a leader); all if absent or empty
   */
  partitionFor(recordBytes: number, available?: readonly number[]): number {
    assert(Number.isFinite(recordBytes) && recordBytes >= 0, () => `recordBytes must be non-negative, got ${recordBytes}`);
    const candidates = available !== undefined && available.length > 0 ? available : undefined;
    if (candidates !== undefined) {
      for (const p of candidates) {
        assert(Number.isInteger(p) && p >= 0 && p < this.partitions, () => `available partition ${p} is not in [0, ${this.partitions})`);
      }
    }
    if (this.current === undefined || (candidates !== undefined && !candidates.includes(this.current))) {
      if (this.current !== undefined) this.previous = this.current;
      this.current = this.draw(candidates);
      this.produced = 0;
    }
    const partition = this.current;
    this.produced += recordBytes;
    if (this.produced >= this.batchSizeBytes) {
      // Switch before the next record; draw then, against the availability of that moment.
      this.previous = partition;
      this.current = undefined;
      this.produced = 0;
    }
    return partition;
  }

  private draw(candidates: readonly number[] | undefined): number {
    const avoid = this.previous;
    if (candidates === undefined) {
      const n = this.partitions;
      if (n === 1) return 0;
      if (avoid === undefined) return this.pick(n);
      const i = this.pick(n - 1); // uniform over the other n − 1 partitions
      return i >= avoid ? i + 1 : i;
    }
    const others = avoid !== undefined && candidates.length > 1 ? candidates.filter((p) => p !== avoid) : candidates;
    const pool = others.length > 0 ? others : candidates; // only `avoid`, listed twice: keep it
    if (pool.length === 1) return pool[0]!;
    return pool[this.pick(pool.length)]!;
  }

  private pick(bound: number): number {
    const i = this.nextInt(bound);
    assert(Number.isInteger(i) && i >= 0 && i < bound, () => `nextInt(${bound}) returned ${i}, outside [0, ${bound})`);
    return i;
  }
}
