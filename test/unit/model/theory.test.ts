import { describe, expect, it } from 'vitest';
import { erlangC, stationTheory, type StationTheory } from '../../../src/model/queueing/theory';

/**
 * The closed forms the reports print, checked against the worked values of
 * shared/reference/mq-semantics.md §5.1 (Kleinrock vol. 1; Gross & Harris), which that
 * reference cross-checked by a 2 M-customer Monte-Carlo run. Printed to 3–6 digits there.
 */
function theoryOf(...args: Parameters<typeof stationTheory>): StationTheory {
  const outcome = stationTheory(...args);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.theory;
}

const exponential = { kind: 'exponential', mean: 1 } as const;
const constant = { kind: 'constant', value: 1 } as const;

describe('queueing closed forms', () => {
  it('M/M/1 at λ = 0.9: W 10, Wq 9, L 9, Lq 8.1, p99 46.052', () => {
    const t = theoryOf(1, 0.9, exponential);
    expect(t.model).toBe('M/M/1');
    expect(t.sojournSecondsMean).toBeCloseTo(10, 10);
    expect(t.waitSecondsMean).toBeCloseTo(9, 10);
    expect(t.inSystemMean).toBeCloseTo(9, 10);
    expect(t.inQueueMean).toBeCloseTo(8.1, 10);
    expect(t.sojournSecondsP99).toBeCloseTo(46.052, 3);
  });

  it('M/M/10 at λ = 8: C 0.409180, Wq 0.204590, W 1.204590, L 9.63672, p99 4.946', () => {
    const t = theoryOf(10, 8, exponential);
    expect(t.erlangC).toBeCloseTo(0.40918, 5);
    expect(t.waitSecondsMean).toBeCloseTo(0.20459, 5);
    expect(t.sojournSecondsMean).toBeCloseTo(1.20459, 5);
    expect(t.inSystemMean).toBeCloseTo(9.63672, 4);
    expect(t.sojournSecondsP99).toBeCloseTo(4.946, 3);
  });

  it('Erlang C: C(10, 9) 0.668732, C(2, 1.5) 9/14, C(100, 95) 0.506457', () => {
    expect(erlangC(10, 9)).toBeCloseTo(0.668732, 6);
    expect(erlangC(2, 1.5)).toBeCloseTo(9 / 14, 12);
    expect(erlangC(100, 95)).toBeCloseTo(0.506457, 6);
  });

  it('M/D/1 (Pollaczek–Khinchine): λ 0.9 gives Wq 4.5, W 5.5; λ 0.5 gives Wq 0.5, L 0.75', () => {
    const high = theoryOf(1, 0.9, constant);
    expect(high.model).toBe('M/D/1');
    expect(high.waitSecondsMean).toBeCloseTo(4.5, 10);
    expect(high.sojournSecondsMean).toBeCloseTo(5.5, 10);
    expect(high.sojournSecondsP99).toBeNull();
    const low = theoryOf(1, 0.5, constant);
    expect(low.waitSecondsMean).toBeCloseTo(0.5, 10);
    expect(low.inSystemMean).toBeCloseTo(0.75, 10);
  });

  it('M/G/1 uses the service variance: uniform[0, 2] at λ 0.9 has C_s² = 1/3', () => {
    // Wq = ρ(1 + C_s²)/(2(1 − ρ)) E[S] = 0.9 · (4/3) / 0.2 = 6
    expect(theoryOf(1, 0.9, { kind: 'uniform', min: 0, max: 2 }).waitSecondsMean).toBeCloseTo(6, 10);
  });

  it('says why there is no theory: unstable load, or c > 1 without exponential service', () => {
    const unstable = stationTheory(1, 1.2, exponential);
    expect(unstable.ok).toBe(false);
    if (!unstable.ok) expect(unstable.reason).toMatch(/unstable.*1\.200/);
    const general = stationTheory(4, 2, constant);
    expect(general.ok).toBe(false);
    if (!general.ok) expect(general.reason).toMatch(/M\/D\/4/);
  });
});
