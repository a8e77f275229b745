import { describe, expect, it } from 'vitest';
import { queueingOf, runSimulation } from '../helpers/run-file';
import { expectConservation, expectLittlesLaw, expectNarrow, expectTheoryInside } from './queueing-assertions';

/** M/M/1: W = 1/(μ−λ), Wq = ρ/(μ−λ), P(W > t) = e^{−(μ−λ)t} so the p99 is ln(100)/(μ−λ). */
function mm1Theory(lambda: number, mu: number) {
  return { sojourn: 1 / (mu - lambda), wait: lambda / mu / (mu - lambda), sojournP99: Math.log(100) / (mu - lambda) };
}

describe.each([
  ['mm1.yaml', 0.9],
  ['mm1-half-load.yaml', 0.5],
])('%s agrees with M/M/1 theory', (file, lambda) => {
  const summary = runSimulation(file);
  const theory = mm1Theory(lambda, 1);
  const q = queueingOf(summary);

  it('runs the model the file describes', () => {
    expect(q.model).toBe('M/M/1');
    expect(q.arrivalRatePerSecond).toBe(lambda);
    expectConservation(summary);
  });

  it('mean sojourn, mean wait and p99 sojourn: theory inside a narrow 99 % interval', () => {
    expectTheoryInside('W', q.sojournSecondsMean, theory.sojourn, summary);
    expectTheoryInside('Wq', q.waitSecondsMean, theory.wait, summary);
    expectTheoryInside('W p99', q.sojournSecondsP99, theory.sojournP99, summary);
    expectNarrow('W', q.sojournSecondsMean, summary);
    expectNarrow('Wq', q.waitSecondsMean, summary);
    expectNarrow('W p99', q.sojournSecondsP99, summary);
  });

  it("Little's law holds in the measured data", () => {
    expectLittlesLaw(summary, lambda, theory.sojourn);
  });

  it('batches are long enough to be nearly independent', () => {
    // With k batch means, the lag-1 autocorrelation of independent ones has standard error ~1/√k.
    expect(Math.abs(q.batchLag1Autocorrelation ?? Infinity)).toBeLessThan(3 / Math.sqrt(q.batches));
  });
});
