import { describe, expect, it } from 'vitest';
import { distributionMoments, makeSampler, type DistributionSpec } from '../../../src/engine/distributions';
import { RandomStream } from '../../../src/engine/random';
import { confidenceInterval } from '../../../src/metrics/confidence';

/**
 * Each distribution is checked against its textbook mean and variance, computed here. The
 * samples are split into independent groups; the mean and the variance estimated in each
 * group give a t-interval at 99.9 %, which must contain the theory and be narrow (so that a
 * wrong formula would be caught, not hidden by a wide interval).
 */
const GROUPS = 40;
const PER_GROUP = 25_000;

function checkMoments(spec: DistributionSpec, theory: { mean: number; variance: number }, seed = 1): void {
  const sample = makeSampler(spec, new RandomStream(seed, `moments/${spec.kind}`));
  const groupMeans: number[] = [];
  const groupVariances: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < PER_GROUP; i++) {
      const x = sample();
      sum += x;
      sumSquares += x * x;
    }
    const mean = sum / PER_GROUP;
    groupMeans.push(mean);
    groupVariances.push((sumSquares - PER_GROUP * mean * mean) / (PER_GROUP - 1));
  }
  const meanInterval = confidenceInterval(groupMeans, 0.999);
  const varianceInterval = confidenceInterval(groupVariances, 0.999);
  const label = `${spec.kind} seed=${seed}`;
  expect(Math.abs(meanInterval.mean - theory.mean), `${label} mean`).toBeLessThanOrEqual(meanInterval.halfWidth);
  expect(Math.abs(varianceInterval.mean - theory.variance), `${label} variance`).toBeLessThanOrEqual(
    varianceInterval.halfWidth,
  );
  expect(meanInterval.halfWidth, `${label} mean interval too wide to mean anything`).toBeLessThan(
    0.02 * Math.max(Math.abs(theory.mean), Math.sqrt(theory.variance)),
  );
  expect(varianceInterval.relativeHalfWidth, `${label} variance interval too wide`).toBeLessThan(0.05);
  expect(distributionMoments(spec).mean).toBeCloseTo(theory.mean, 10);
  expect(distributionMoments(spec).variance).toBeCloseTo(theory.variance, 10);
}

describe('distributions: mean and variance against theory', () => {
  it('constant', () => {
    const sample = makeSampler({ kind: 'constant', value: 2.5 }, new RandomStream(1, 'c'));
    expect([sample(), sample()]).toEqual([2.5, 2.5]);
    expect(distributionMoments({ kind: 'constant', value: 2.5 })).toEqual({ mean: 2.5, variance: 0 });
  });

  it('uniform: (a+b)/2 and (b-a)^2/12', () => {
    checkMoments({ kind: 'uniform', min: 2, max: 10 }, { mean: 6, variance: 64 / 12 });
  });

  it('exponential: mean m, variance m^2', () => {
    checkMoments({ kind: 'exponential', mean: 3 }, { mean: 3, variance: 9 });
  });

  it('normal: mean and sd as given', () => {
    checkMoments({ kind: 'normal', mean: -4, sd: 2 }, { mean: -4, variance: 4 });
  });

  it('lognormal: parameterised by its own mean and sd', () => {
    checkMoments({ kind: 'lognormal', mean: 5, sd: 2 }, { mean: 5, variance: 4 });
  });

  it('pareto: alpha xm/(alpha-1) and xm^2 alpha/((alpha-1)^2 (alpha-2))', () => {
    const scale = 2;
    const shape = 6; // finite fourth moment, so the variance estimate itself converges
    checkMoments(
      { kind: 'pareto', scale, shape },
      { mean: (shape * scale) / (shape - 1), variance: (scale * scale * shape) / ((shape - 1) ** 2 * (shape - 2)) },
    );
  });

  it('empirical: a piecewise-linear CDF is a mixture of uniforms', () => {
    // 30 % uniform on [0, 1], 70 % uniform on [1, 5]
    const points: [number, number][] = [
      [0, 0],
      [1, 0.3],
      [5, 1],
    ];
    const mean = 0.3 * 0.5 + 0.7 * 3;
    const secondMoment = 0.3 * (1 / 3) + 0.7 * ((25 + 5 + 1) / 3);
    checkMoments({ kind: 'empirical', points }, { mean, variance: secondMoment - mean * mean });
  });

  it('empirical: a step in the table (two equal values) is an atom', () => {
    const sample = makeSampler(
      { kind: 'empirical', points: [[7, 0], [7, 1]] },
      new RandomStream(1, 'atom'),
    );
    expect(sample()).toBe(7);
  });

  it('rejects impossible parameters with a message naming the distribution', () => {
    const stream = new RandomStream(1, 'bad');
    expect(() => makeSampler({ kind: 'exponential', mean: 0 }, stream)).toThrow(/exponential: mean/);
    expect(() => makeSampler({ kind: 'uniform', min: 3, max: 1 }, stream)).toThrow(/uniform/);
    expect(() => makeSampler({ kind: 'empirical', points: [[0, 0], [1, 0.5]] }, stream)).toThrow(/from 0 to 1/);
    expect(() => makeSampler({ kind: 'empirical', points: [[2, 0], [1, 1]] }, stream)).toThrow(/must not decrease/);
  });
});
