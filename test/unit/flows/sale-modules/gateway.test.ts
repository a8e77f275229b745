import { describe, expect, it } from 'vitest';
import { Gateway } from '../../../../src/flows/gateway';

describe('Gateway', () => {
  it('sheds when the backlog has reached maxBacklog (backlog >= limit), admits just below it', () => {
    const gateway = new Gateway({ rateLimitPerSecond: Infinity, burst: 1, maxBacklog: 100 });
    expect(gateway.admit(0, 99)).toBeNull();
    expect(gateway.admit(0, 100)).toBe('shed-backlog');
    expect(gateway.admit(0, 101)).toBe('shed-backlog');
    expect(gateway.admit(0, 0)).toBeNull();
    expect(gateway.rejected).toEqual({ 'rate-limited': 0, 'shed-backlog': 2 });
  });

  it('checks the backlog first, and a shed order costs no token', () => {
    const gateway = new Gateway({ rateLimitPerSecond: 100, burst: 2, maxBacklog: 10 });
    // Five orders shed at t=0 while the backlog is full: the bucket must still hold both tokens.
    for (let i = 0; i < 5; i++) expect(gateway.admit(0, 10)).toBe('shed-backlog');
    expect(gateway.admit(0, 0)).toBeNull();
    expect(gateway.admit(0, 9)).toBeNull();
    expect(gateway.admit(0, 0)).toBe('rate-limited');
    // Backlog full and bucket empty at once: the reason is the backlog, counted once.
    expect(gateway.admit(0, 10)).toBe('shed-backlog');
    expect(gateway.rejected).toEqual({ 'rate-limited': 1, 'shed-backlog': 6 });
  });

  it('rate-limits with the token bucket: burst at once, then one per 1/rate, each refusal counted', () => {
    const gateway = new Gateway({ rateLimitPerSecond: 1_000, burst: 5, maxBacklog: Infinity });
    const reasons = Array.from({ length: 8 }, () => gateway.admit(0, 0));
    expect(reasons).toEqual([null, null, null, null, null, 'rate-limited', 'rate-limited', 'rate-limited']);
    expect(gateway.admit(999, 0)).toBe('rate-limited');
    expect(gateway.admit(1_000, 0)).toBeNull();
    expect(gateway.rejected).toEqual({ 'rate-limited': 4, 'shed-backlog': 0 });
  });

  it('orders offered every 100 µs for 1 s at a 1,000/s limit: admitted = burst + 1,000, the rest rate-limited', () => {
    const burst = 3;
    const gateway = new Gateway({ rateLimitPerSecond: 1_000, burst, maxBacklog: Infinity });
    let admitted = 0;
    let offered = 0;
    for (let t = 0; t <= 1_000_000; t += 100) {
      offered++;
      if (gateway.admit(t, 0) === null) admitted++;
    }
    expect(offered).toBe(10_001);
    expect(admitted).toBe(burst + 1_000);
    expect(gateway.rejected['rate-limited']).toBe(offered - admitted);
    expect(gateway.rejected['shed-backlog']).toBe(0);
  });

  it('rateLimitPerSecond Infinity disables the rate limit (burst ignored)', () => {
    const gateway = new Gateway({ rateLimitPerSecond: Infinity, burst: 1, maxBacklog: 1_000 });
    let admitted = 0;
    for (let i = 0; i < 100_000; i++) if (gateway.admit(0, 0) === null) admitted++;
    expect(admitted).toBe(100_000);
    expect(gateway.rejected).toEqual({ 'rate-limited': 0, 'shed-backlog': 0 });
  });

  it('maxBacklog Infinity disables shedding, whatever the backlog', () => {
    const gateway = new Gateway({ rateLimitPerSecond: Infinity, burst: 1, maxBacklog: Infinity });
    for (const backlog of [0, 1, 1e6, 1e12, Number.MAX_SAFE_INTEGER]) expect(gateway.admit(0, backlog)).toBeNull();
    expect(gateway.rejected).toEqual({ 'rate-limited': 0, 'shed-backlog': 0 });
  });

  it('a mixed run: counts per reason add up to the refusals returned', () => {
    const gateway = new Gateway({ rateLimitPerSecond: 200, burst: 4, maxBacklog: 3 });
    const tally = { admitted: 0, 'rate-limited': 0, 'shed-backlog': 0 };
    // Orders every 1 ms for 100 ms; the backlog cycles 0,1,2,3,4,0,... so 2 in 5 are shed (3 and 4).
    for (let i = 0; i <= 100; i++) {
      const reason = gateway.admit(i * 1_000, i % 5);
      tally[reason ?? 'admitted']++;
    }
    // 101 offered, shed: i % 5 in {3, 4} for i = 0..100 -> 40. The other 61 meet the bucket:
    // 4 at once plus one per 5 ms over 100 ms = 20 more, all taken since requests are dense.
    expect(tally['shed-backlog']).toBe(40);
    expect(tally.admitted).toBe(24);
    expect(tally['rate-limited']).toBe(61 - 24);
    expect(gateway.rejected).toEqual({ 'rate-limited': tally['rate-limited'], 'shed-backlog': tally['shed-backlog'] });
  });
});
