import { describe, expect, it } from 'vitest';
import { queueingOf, runSimulation } from '../helpers/run-file';
import { expectConservation, expectLittlesLaw, expectNarrow, expectTheoryInside } from './queueing-assertions';

/** Pollaczek–Khinchine with constant service S = 1/μ: Wq = λE[S²]/(2(1−ρ)) = ρ/(2μ(1−ρ)). */
describe.each([
  ['md1.yaml', 0.9],
  ['md1-half-load.json', 0.5],
])('%s agrees with M/D/1 (Pollaczek–Khinchine) theory', (file, lambda) => {
  const mu = 1;
  const rho = lambda / mu;
  const wait = rho / (2 * mu * (1 - rho));
  const sojourn = wait + 1 / mu;
  const summary = runSimulation(file);
  const q = queueingOf(summary);

  it('runs the model the file describes', () => {
    expect(q.model).toBe('M/D/1');
    expectConservation(summary);
    expect(summary.latencyMs.service!.p50).toBe(1000);
    expect(summary.latencyMs.service!.max).toBe(1000);
  });

  it('mean sojourn and mean wait: theory inside a narrow 99 % interval', () => {
    expectTheoryInside('W', q.sojournSecondsMean, sojourn, summary);
    expectTheoryInside('Wq', q.waitSecondsMean, wait, summary);
    expectNarrow('W', q.sojournSecondsMean, summary);
    expectNarrow('Wq', q.waitSecondsMean, summary);
  });

  it("Little's law holds in the measured data", () => {
    expectLittlesLaw(summary, lambda, sojourn);
  });
});
