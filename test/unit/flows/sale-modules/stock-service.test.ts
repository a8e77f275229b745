import { describe, expect, it } from 'vitest';
import { StockService, type Deduction } from '../../../../src/flows/stock-service';

function service(deduction: Deduction, unitsPerItem: number, items = 4, idempotent = true): StockService {
  return new StockService({ items, unitsPerItem, deduction, idempotent, buckets: 1 });
}

/** A fixed pseudo-random permutation of 0..n-1 (LCG-driven Fisher-Yates), independent of the engine. */
function permutation(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let x = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    const j = x % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

describe('StockService: atomic deduction', () => {
  it.each([1, 2, 3])('never confirms more than unitsPerItem per SKU under many interleaved orders (seed %i)', (seed) => {
    const items = 5;
    const units = 7;
    const orders = 200;
    const stock = service('atomic', units, items);
    const skuOf = (id: number): number => (id * 3 + seed) % items; // 40 orders per SKU
    // Every order begins before any finishes, then they finish in a scrambled order.
    for (let id = 0; id < orders; id++) stock.begin(id, skuOf(id));
    const confirmedPerSku = new Array<number>(items).fill(0);
    for (const id of permutation(orders, seed)) {
      const decision = stock.finish(id, skuOf(id));
      expect(decision === 'confirmed' || decision === 'sold-out').toBe(true);
      if (decision === 'confirmed') confirmedPerSku[skuOf(id)]!++;
    }
    expect(confirmedPerSku).toEqual(new Array<number>(items).fill(units));
    expect(stock.confirmed).toBe(items * units);
    expect(stock.soldOut).toBe(orders - items * units);
    expect(stock.oversold).toBe(0);
    for (let sku = 0; sku < items; sku++) expect(stock.stockOf(sku)).toBe(0);
  });

  it('decides at finish time: begin A, begin B, finish A, finish B with stock 1 confirms A only', () => {
    const stock = service('atomic', 1);
    stock.begin(1, 0);
    stock.begin(2, 0);
    expect(stock.finish(1, 0)).toBe('confirmed');
    expect(stock.finish(2, 0)).toBe('sold-out');
    expect(stock.oversold).toBe(0);
    expect(stock.stockOf(0)).toBe(0);
  });

  it('unitsPerItem 0: every order is sold out', () => {
    const stock = service('atomic', 0);
    stock.begin(1, 2);
    expect(stock.finish(1, 2)).toBe('sold-out');
    expect(stock.confirmed).toBe(0);
    expect(stock.soldOut).toBe(1);
  });
});

describe('StockService: read-then-write deduction (the lost update)', () => {
  it('two interleaved orders on one SKU (begin A, begin B, finish A, finish B) both confirm from a stock of 1', () => {
    const stock = service('read-then-write', 1);
    stock.begin(1, 0);
    stock.begin(2, 0);
    expect(stock.finish(1, 0)).toBe('confirmed');
    expect(stock.finish(2, 0)).toBe('confirmed');
    expect(stock.confirmed).toBe(2);
    expect(stock.oversold).toBe(1);
    expect(stock.stockOf(0)).toBe(0); // both wrote 1 - 1: the second write lost the first
  });

  it('sequential orders (begin A, finish A, begin B, finish B) do not race: 1 confirmed, 1 sold out', () => {
    const stock = service('read-then-write', 1);
    stock.begin(1, 0);
    expect(stock.finish(1, 0)).toBe('confirmed');
    stock.begin(2, 0);
    expect(stock.finish(2, 0)).toBe('sold-out');
    expect(stock.confirmed).toBe(1);
    expect(stock.soldOut).toBe(1);
    expect(stock.oversold).toBe(0);
  });

  it('five overlapping orders on a stock of 3: all read 3 and write 2, so 5 confirmed, stock 2, oversold 2', () => {
    const stock = service('read-then-write', 3);
    for (let id = 10; id < 15; id++) stock.begin(id, 1);
    for (let id = 14; id >= 10; id--) expect(stock.finish(id, 1)).toBe('confirmed');
    expect(stock.confirmed).toBe(5);
    expect(stock.stockOf(1)).toBe(2);
    expect(stock.oversold).toBe(5 - 3);
  });

  it('the race stays within one SKU: overlapping orders on different SKUs do not oversell', () => {
    const stock = service('read-then-write', 1, 4);
    for (let sku = 0; sku < 4; sku++) stock.begin(sku, sku);
    for (let sku = 0; sku < 4; sku++) expect(stock.finish(sku, sku)).toBe('confirmed');
    expect(stock.oversold).toBe(0);
  });

  it('oversold sums over SKUs: SKU 0 oversold by 1, SKU 2 by 2', () => {
    const stock = service('read-then-write', 1, 3);
    [1, 2].forEach((id) => stock.begin(id, 0));
    [3, 4, 5].forEach((id) => stock.begin(id, 2));
    [1, 2].forEach((id) => stock.finish(id, 0));
    [3, 4, 5].forEach((id) => stock.finish(id, 2));
    expect(stock.confirmed).toBe(5);
    expect(stock.oversold).toBe(1 + 2);
  });
});

describe('StockService: idempotency under redelivery', () => {
  it.each<Deduction>(['atomic', 'read-then-write'])('idempotent (%s): a repeat is duplicate-skipped and deducts nothing', (deduction) => {
    const stock = service(deduction, 5);
    stock.begin(7, 3);
    expect(stock.finish(7, 3)).toBe('confirmed');
    stock.begin(7, 3); // redelivered after a consumer crash
    expect(stock.finish(7, 3)).toBe('duplicate-skipped');
    expect(stock.duplicatesSkipped).toBe(1);
    expect(stock.processedTwice).toBe(0);
    expect(stock.confirmed).toBe(1);
    expect(stock.stockOf(3)).toBe(4);
  });

  it('idempotent: a repeat of a sold-out order is skipped too (the id was processed)', () => {
    const stock = service('atomic', 0);
    stock.begin(7, 0);
    expect(stock.finish(7, 0)).toBe('sold-out');
    stock.begin(7, 0);
    expect(stock.finish(7, 0)).toBe('duplicate-skipped');
    expect(stock.soldOut).toBe(1);
  });

  it.each<Deduction>(['atomic', 'read-then-write'])('not idempotent (%s): a repeat counts processedTwice and deducts a second unit', (deduction) => {
    const stock = service(deduction, 5, 4, false);
    stock.begin(7, 3);
    expect(stock.finish(7, 3)).toBe('confirmed');
    stock.begin(7, 3);
    expect(stock.finish(7, 3)).toBe('confirmed');
    expect(stock.processedTwice).toBe(1);
    expect(stock.duplicatesSkipped).toBe(0);
    expect(stock.confirmed).toBe(2);
    expect(stock.stockOf(3)).toBe(3);
    expect(stock.oversold).toBe(0);
  });

  it('not idempotent, stock 1: the repeat deducts the unit another buyer needed', () => {
    const stock = service('atomic', 1, 1, false);
    stock.begin(1, 0);
    stock.finish(1, 0);
    stock.begin(1, 0);
    expect(stock.finish(1, 0)).toBe('sold-out');
    stock.begin(2, 0);
    expect(stock.finish(2, 0)).toBe('sold-out');
    expect(stock.processedTwice).toBe(1);
    expect(stock.oversold).toBe(0);
  });
});

describe('StockService: release (delayed cancellation)', () => {
  it('puts the unit back on sale: confirm, release, and the next buyer gets it', () => {
    const stock = service('atomic', 1);
    stock.begin(1, 0);
    expect(stock.finish(1, 0)).toBe('confirmed');
    stock.release(0);
    expect(stock.released).toBe(1);
    expect(stock.stockOf(0)).toBe(1);
    stock.begin(2, 0);
    expect(stock.finish(2, 0)).toBe('confirmed');
    expect(stock.confirmed).toBe(2);
    expect(stock.oversold).toBe(0);
  });

  it('reduces oversold when the SKU was oversold, and never below zero', () => {
    const stock = service('read-then-write', 1);
    stock.begin(1, 0);
    stock.begin(2, 0);
    stock.finish(1, 0);
    stock.finish(2, 0);
    expect(stock.oversold).toBe(1);
    stock.release(0); // outstanding 2 -> 1 = the initial stock
    expect(stock.oversold).toBe(0);
    stock.release(0); // outstanding 1 -> 0: under the initial stock, still 0
    expect(stock.oversold).toBe(0);
    expect(stock.released).toBe(2);
    expect(stock.stockOf(0)).toBe(2); // 0 after the lost update, plus two units back
  });

  it('a release on a SKU that is not oversold leaves oversold elsewhere untouched', () => {
    const stock = service('read-then-write', 1, 2);
    stock.begin(1, 0);
    stock.begin(2, 0);
    stock.finish(1, 0);
    stock.finish(2, 0);
    stock.begin(3, 1);
    stock.finish(3, 1);
    stock.release(1);
    expect(stock.oversold).toBe(1);
  });
});

describe('StockService: order ids beyond the initial tables (65,536)', () => {
  it('handles id 200,000 and 1,000,000, and growth keeps what earlier ids recorded', () => {
    const stock = service('atomic', 10);
    stock.begin(5, 0);
    expect(stock.finish(5, 0)).toBe('confirmed');
    stock.begin(200_000, 0);
    expect(stock.finish(200_000, 0)).toBe('confirmed');
    stock.begin(1_000_000, 0);
    expect(stock.finish(1_000_000, 0)).toBe('confirmed');
    // Redeliveries after the tables grew: all three are remembered.
    for (const id of [5, 200_000, 1_000_000]) {
      stock.begin(id, 0);
      expect(stock.finish(id, 0), `id ${id}`).toBe('duplicate-skipped');
    }
    expect(stock.stockOf(0)).toBe(7);
  });

  it.each([65_535, 65_536, 131_072, 262_144])('id %i, at a power-of-two edge of the tables, is remembered', (id) => {
    const stock = service('read-then-write', 1, 1);
    stock.begin(id, 0);
    expect(stock.finish(id, 0)).toBe('confirmed');
    stock.begin(id, 0);
    expect(stock.finish(id, 0)).toBe('duplicate-skipped');
    stock.begin(id + 1, 0); // reads 0 now
    expect(stock.finish(id + 1, 0)).toBe('sold-out');
  });

  it('read-then-write: the value read by an early id survives the growth a later id causes', () => {
    const stock = service('read-then-write', 1);
    stock.begin(5, 0); // reads 1
    stock.begin(300_000, 0); // reads 1, grows the tables
    expect(stock.finish(5, 0)).toBe('confirmed');
    expect(stock.finish(300_000, 0)).toBe('confirmed'); // its read (1) was kept
    expect(stock.oversold).toBe(1);
  });

  it('finish without begin at a large id works (atomic reads at finish)', () => {
    const stock = service('atomic', 1);
    expect(stock.finish(150_000, 2)).toBe('confirmed');
    expect(stock.finish(150_001, 2)).toBe('sold-out');
  });
});

describe('StockService: hot-item buckets', () => {
  it('splits each SKU over its buckets, the remainder to the first ones, and sells each bucket out on its own', () => {
    const stock = new StockService({ items: 2, unitsPerItem: 10, deduction: 'atomic', idempotent: true, buckets: 4 });
    // SKU 1's keys are 4..7 holding 3, 3, 2, 2 units.
    expect([4, 5, 6, 7].map((key) => stock.stockOf(key))).toEqual([3, 3, 2, 2]);
    const decisions = [0, 1, 2].map((order) => stock.finish(order, 6));
    expect(decisions).toEqual(['confirmed', 'confirmed', 'sold-out']);
    expect(stock.stockOf(4)).toBe(3); // a neighbouring bucket still has units: bucketing can undersell
    expect(stock.oversold).toBe(0);
  });
});
