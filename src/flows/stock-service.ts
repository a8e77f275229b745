import { grownTypedArray } from '../engine';

/**
 * The stock service: consumes orders and deducts one unit of the ordered SKU, confirming the
 * order or rejecting it as sold out (shared/reference/mq-semantics.md §4.3 items 2, 5, 6).
 *
 * Two deduction designs, to show why one of them oversells:
 * - `atomic`: check and decrement in one step, as Redis+Lua or
 *   `UPDATE ... SET stock = stock - 1 WHERE id = ? AND stock >= 1` do. Never oversells.
 * - `read-then-write`: read the stock when processing starts, write `read - 1` when it ends.
 *   Two consumers working on the same SKU at once both read the same value and the second
 *   write loses the first (a lost update), so more orders are confirmed than there is stock.
 *   Keying orders by SKU hides the race (one partition, one consumer, one order at a time
 *   per SKU); keying by user exposes it.
 *
 * Hot items are bucketed (§4.3 item 2): each SKU's stock is split across `buckets` keys, an
 * order goes to bucket `user mod buckets`, and the orders topic is keyed by (SKU, bucket), so a
 * hot SKU's orders spread over several partitions and consumers instead of one. A bucket can
 * sell out while another still has units (orders rejected with stock left: the price).
 *
 * Idempotency: delivery is at-least-once (a consumer crash re-delivers what was processed
 * since the last commit). An idempotent service remembers processed order ids (the Redis SET
 * or unique key of §4.3 item 6) and skips a repeat; a non-idempotent one deducts again.
 */
export type Deduction = 'atomic' | 'read-then-write';
export type StockDecision = 'confirmed' | 'sold-out' | 'duplicate-skipped';

export interface StockOptions {
  items: number;
  unitsPerItem: number;
  /** Stock keys per SKU; key = sku * buckets + bucket. 1 means no bucketing. */
  buckets: number;
  deduction: Deduction;
  idempotent: boolean;
}

const PROCESSED = 1;

export class StockService {
  private readonly stock: Float64Array;
  private readonly initial: Float64Array;
  /** Confirmed units not released, per SKU: above the initial stock means oversold. */
  private readonly outstanding: Float64Array;
  private seen = new Uint8Array(1 << 16);
  private readAtStart = new Float64Array(1 << 16);
  confirmed = 0;
  soldOut = 0;
  duplicatesSkipped = 0;
  processedTwice = 0;
  released = 0;
  /** Σ over SKUs of max(0, outstanding − initial): units sold that did not exist. */
  oversold = 0;

  constructor(readonly options: StockOptions) {
    const keys = options.items * options.buckets;
    this.stock = new Float64Array(keys);
    this.initial = new Float64Array(keys);
    for (let key = 0; key < keys; key++) {
      const bucket = key % options.buckets;
      this.initial[key] = Math.floor(options.unitsPerItem / options.buckets) + (bucket < options.unitsPerItem % options.buckets ? 1 : 0);
    }
    this.stock.set(this.initial);
    this.outstanding = new Float64Array(keys);
  }

  stockOf(key: number): number {
    return this.stock[key]!;
  }

  /** A consumer starts processing the order for stock `key`: read-then-write reads the stock now. */
  begin(orderId: number, key: number): void {
    this.ensure(orderId);
    this.readAtStart[orderId] = this.stock[key]!;
  }

  /** The consumer finishes processing the order and writes its decision. */
  finish(orderId: number, key: number): StockDecision {
    this.ensure(orderId);
    if (this.seen[orderId] === PROCESSED) {
      if (this.options.idempotent) {
        this.duplicatesSkipped++;
        return 'duplicate-skipped';
      }
      this.processedTwice++;
    }
    this.seen[orderId] = PROCESSED;
    const available = this.options.deduction === 'atomic' ? this.stock[key]! : this.readAtStart[orderId]!;
    if (available < 1) {
      this.soldOut++;
      return 'sold-out';
    }
    this.stock[key] = available - 1;
    this.confirmed++;
    this.changeOutstanding(key, +1);
    return 'confirmed';
  }

  /** An unpaid order timed out: its unit goes back on sale (delayed cancellation, §4.3 item 8). */
  release(key: number): void {
    this.stock[key]!++;
    this.released++;
    this.changeOutstanding(key, -1);
  }

  private changeOutstanding(key: number, delta: number): void {
    const initial = this.initial[key]!;
    const before = Math.max(0, this.outstanding[key]! - initial);
    this.outstanding[key]! += delta;
    this.oversold += Math.max(0, this.outstanding[key]! - initial) - before;
  }

  private ensure(orderId: number): void {
    if (orderId < this.seen.length) return;
    let size = this.seen.length;
    while (size <= orderId) size *= 2;
    this.seen = grownTypedArray(this.seen, size);
    this.readAtStart = grownTypedArray(this.readAtStart, size);
  }
}
