import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../src/metrics/rate-meter';

describe('RateMeter', () => {
  it('counts per second and finds the peak second', () => {
    const meter = new RateMeter();
    meter.record(0);
    meter.record(999_999, 2);
    meter.record(1_000_000, 5);
    meter.record(130_000_000);
    expect(meter.series().slice(0, 2)).toEqual([3, 5]);
    expect(meter.series()).toHaveLength(131);
    expect(meter.peakPerSecond()).toBe(5);
    expect(meter.total).toBe(9);
  });

  it('keeps constant memory: a long run doubles the bucket width and merges neighbours', () => {
    const meter = new RateMeter();
    for (let second = 0; second < 10_000; second++) meter.record(second * 1_000_000 + 500_000, second === 5_000 ? 100 : 1);
    expect(meter.bucketUs).toBe(4_000_000); // 10,000 s in at most 4,096 buckets
    expect(meter.series()).toHaveLength(2_500);
    expect(meter.total).toBe(10_099);
    expect(meter.series()[1_250]).toBe(103); // seconds 5,000..5,003
    expect(meter.peakPerSecond()).toBe(103 / 4);
  });

  it('reports peaks per second for other bucket widths', () => {
    const meter = new RateMeter(100_000); // 100 ms buckets
    meter.record(50_000, 3);
    expect(meter.peakPerSecond()).toBe(30);
    expect(new RateMeter().peakPerSecond()).toBe(0);
  });

  it('says where the bucket of a time ends, at the current bucket width', () => {
    const meter = new RateMeter(1_000);
    expect(meter.bucketEndUs(0)).toBe(1_000);
    expect(meter.bucketEndUs(999)).toBe(1_000);
    expect(meter.bucketEndUs(1_000)).toBe(2_000);
    meter.record(4_096 * 1_000); // past 4,096 buckets: the width doubles
    expect(meter.bucketUs).toBe(2_000);
    expect(meter.bucketEndUs(1_000)).toBe(2_000);
    expect(meter.bucketEndUs(2_000)).toBe(4_000);
  });
});
