import { describe, expect, it } from 'vitest';
import { queueingOf, runSimulation } from '../helpers/run-file';
import { expectConservation, expectLittlesLaw, expectNarrow, expectTheoryInside } from './queueing-assertions';

/** Erlang C from its defining sum, independent of the recursion the product uses. */
function erlangC(c: number, a: number): number {
  let factorial = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    if (k > 0) factorial *= k;
    sum += a ** k / factorial;
  }
  const top = (a ** c / (factorial * c)) * (c / (c - a));
  return top / (sum + top);
}

/** P(W > t) = (1−C)e^{−μt} + C(θe^{−μt} − μe^{−θt})/(θ − μ), θ = cμ − λ; p99 by bisection. */
function sojournP99(c: number, lambda: number, mu: number, C: number): number {
  const theta = c * mu - lambda;
  const survival = (t: number) =>
    (1 - C) * Math.exp(-mu * t) + (C * (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t))) / (theta - mu);
  let low = 0;
  let high = 100 / mu;
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (survival(middle) > 0.01) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

describe.each([
  ['mmc.yaml', 8],
  ['mmc-half-load.yaml', 5],
])('%s agrees with M/M/c (Erlang C) theory', (file, lambda) => {
  const servers = 10;
  const mu = 1;
  const summary = runSimulation(file);
  const C = erlangC(servers, lambda / mu);
  const wait = C / (servers * mu - lambda);
  const sojourn = wait + 1 / mu;
  const q = queueingOf(summary);

  it('runs the model the file describes', () => {
    expect(q.model).toBe('M/M/10');
    expect(q.arrivalRatePerSecond).toBe(lambda);
    expectConservation(summary);
  });

  it('mean sojourn and mean wait: theory inside a narrow 99 % interval', () => {
    expectTheoryInside('W', q.sojournSecondsMean, sojourn, summary);
    expectTheoryInside('Wq', q.waitSecondsMean, wait, summary);
    expectNarrow('W', q.sojournSecondsMean, summary);
    expectNarrow('Wq', q.waitSecondsMean, summary);
  });

  it('p99 sojourn agrees with the M/M/c sojourn distribution', () => {
    expectTheoryInside('W p99', q.sojournSecondsP99, sojournP99(servers, lambda, mu, C), summary);
  });

  it("Little's law holds in the measured data", () => {
    expectLittlesLaw(summary, lambda, sojourn);
  });
});
