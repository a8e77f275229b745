import { describe, expect, it } from 'vitest';
import { makeSampler, RandomStream } from '../../../src/engine';
import { partitionForNumericKey } from '../../../src/model/kafka/partitioner';
import { RateMeter } from '../../../src/metrics/rate-meter';
import { ArrivalLookahead } from '../../../src/model/kafka/arrival-lookahead';

function lookahead(ratePerSecond: number): ArrivalLookahead {
  return new ArrivalLookahead(12, {
    ratePerSecond,
    keys: 1_000,
    gaps: new RandomStream(7, 'gaps'),
    keyDraws: new RandomStream(7, 'keys'),
    stopAtUs: Infinity,
  });
}

describe('ArrivalLookahead', () => {
  it('counts arrivals into a rate meter by runs exactly as one record per arrival would', () => {
    // 1 µs buckets coarsen several times over 20,000 µs: runs must never straddle a bucket.
    const ahead = lookahead(2_000_000);
    const byRuns = new RateMeter(1);
    const oneByOne = new RateMeter(1);
    const times: number[] = [];
    while (times.length < 40_000) {
      ahead.draw();
      times.push(ahead.drawnUntilUs);
    }
    let counted = 0;
    for (const nowUs of [0, 3, 17, 1_000, 4_095, 4_096, 9_000, 12_345, 19_999]) {
      counted += ahead.countUpTo(nowUs, byRuns);
      expect(counted).toBe(times.filter((t) => t <= nowUs).length);
    }
    for (const t of times.filter((t) => t <= 19_999)) oneByOne.record(t);
    expect(byRuns.bucketUs).toBeGreaterThan(1);
    expect(byRuns.bucketUs).toBe(oneByOne.bucketUs);
    expect(byRuns.series()).toEqual(oneByOne.series());
    expect(byRuns.total).toBe(counted);
  });

  it('counts each arrival once, and hands over only counted arrivals, in time order', () => {
    const ahead = lookahead(100_000);
    const meter = new RateMeter();
    for (let i = 0; i < 50; i++) ahead.draw();
    const untilUs = ahead.drawnUntilUs;
    expect(ahead.countUpTo(untilUs, meter)).toBe(50);
    expect(ahead.countUpTo(untilUs, meter)).toBe(0);
    let previous = -1;
    for (let i = 0; i < 50; i++) {
      ahead.take();
      expect(ahead.takenUs).toBeGreaterThanOrEqual(previous);
      previous = ahead.takenUs;
    }
    expect(ahead.nextTimeUs).toBe(Infinity);
    ahead.draw();
    expect(() => ahead.take()).toThrow(/no counted arrival/);
  });

  it("keeps each partition's pending arrivals in draw order through ring growth and hand-overs", () => {
    // 12 partitions and 2,000 arrivals: every partition's ring (32 at first) grows, and
    // hand-overs in between move its head, so growth must unwrap rings that wrapped.
    const ahead = lookahead(100_000);
    const meter = new RateMeter();
    const pending: number[][] = Array.from({ length: 12 }, () => []);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 500; i++) {
        const partition = ahead.draw();
        pending[partition]!.push(ahead.drawnUntilUs);
      }
      ahead.countUpTo(ahead.drawnUntilUs, meter);
      for (let i = 0; i < 300; i++) pending[ahead.take()]!.shift();
      for (let p = 0; p < 12; p++) {
        expect(ahead.pendingCount(p)).toBe(pending[p]!.length);
        for (let k = 0; k < pending[p]!.length; k++) expect(ahead.pendingTimeUs(p, k)).toBe(pending[p]![k]);
      }
    }
    expect(Math.max(...pending.map((times) => times.length))).toBeGreaterThan(64);
  });
});

describe('ArrivalLookahead draws', () => {
  it('gives the arrivals one draw at a time would: exponential gaps summed in exact time, rounded, and uniform keys placed by murmur2', () => {
    // About 600 arrivals in 1 ms: three blocks of draws, the stop falling inside the third.
    const rate = 600_000;
    const keys = 1_000_000;
    const ahead = new ArrivalLookahead(96, { ratePerSecond: rate, keys, gaps: new RandomStream(3, 'g'), keyDraws: new RandomStream(3, 'k'), stopAtUs: 1_000 });
    const gapSeconds = makeSampler({ kind: 'exponential', mean: 1 / rate }, new RandomStream(3, 'g'));
    const keyStream = new RandomStream(3, 'k');
    let exactUs = 0;
    let lastUs = 0;
    const expected: [number, number][] = [];
    for (;;) {
      exactUs += gapSeconds() * 1_000_000;
      const atUs = Math.max(lastUs, Math.round(exactUs));
      const partition = partitionForNumericKey(keyStream.nextInt(keys), 96);
      if (atUs >= 1_000) break;
      expected.push([atUs, partition]);
      lastUs = atUs;
    }
    const drawn: [number, number][] = [];
    for (let partition = ahead.draw(); partition >= 0; partition = ahead.draw()) drawn.push([ahead.drawnUntilUs, partition]);
    expect(expected.length).toBeGreaterThan(256); // more than one block (256 draws)
    expect(drawn).toEqual(expected);
    expect(ahead.drawnUntilUs).toBe(Infinity);
  });
});
