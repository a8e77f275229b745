import { assert } from './assert';
import type { RandomStream } from './random';

/**
 * Distributions of durations and sizes. A spec is plain data (it comes from scenario files);
 * `makeSampler` turns it into a closure once, so drawing allocates nothing.
 * The unit is the caller's: a field named `serviceSeconds` holds a spec in seconds.
 */
export type DistributionSpec =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'normal'; mean: number; sd: number }
  /** Parameterised by the mean and standard deviation of the variable itself, not of its log. */
  | { kind: 'lognormal'; mean: number; sd: number }
  /** Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. */
  | { kind: 'pareto'; scale: number; shape: number }
  /** Piecewise-linear CDF through [value, cumulative probability] points, from p = 0 to p = 1. */
  | { kind: 'empirical'; points: ReadonlyArray<readonly [number, number]> };

export type Sampler = () => number;

export function makeSampler(spec: DistributionSpec, stream: RandomStream): Sampler {
  switch (spec.kind) {
    case 'constant': {
      const value = spec.value;
      return () => value;
    }
    case 'uniform': {
      const { min } = spec;
      const width = spec.max - spec.min;
      assert(width >= 0, 'uniform: max must be >= min');
      return () => min + width * stream.nextFloat();
    }
    case 'exponential': {
      const mean = spec.mean;
      assert(mean > 0, 'exponential: mean must be > 0');
      return () => -mean * Math.log(stream.nextOpenFloat());
    }
    case 'normal':
      return normalSampler(spec.mean, spec.sd, stream);
    case 'lognormal': {
      assert(spec.mean > 0 && spec.sd >= 0, 'lognormal: mean must be > 0 and sd >= 0');
      const sigmaSquared = Math.log(1 + (spec.sd * spec.sd) / (spec.mean * spec.mean));
      const standardNormal = normalSampler(Math.log(spec.mean) - sigmaSquared / 2, Math.sqrt(sigmaSquared), stream);
      return () => Math.exp(standardNormal());
    }
    case 'pareto': {
      const { scale, shape } = spec;
      assert(scale > 0 && shape > 0, 'pareto: scale and shape must be > 0');
      const inverseShape = 1 / shape;
      return () => scale / Math.pow(stream.nextOpenFloat(), inverseShape);
    }
    case 'empirical':
      return empiricalSampler(spec.points, stream);
  }
}

/** Box–Muller, keeping the second variate of each pair for the next draw. */
function normalSampler(mean: number, sd: number, stream: RandomStream): Sampler {
  assert(sd >= 0, 'normal: sd must be >= 0');
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return mean + sd * spare;
    }
    const radius = Math.sqrt(-2 * Math.log(stream.nextOpenFloat()));
    const angle = 2 * Math.PI * stream.nextFloat();
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return mean + sd * radius * Math.cos(angle);
  };
}

function empiricalSampler(points: ReadonlyArray<readonly [number, number]>, stream: RandomStream): Sampler {
  assertEmpiricalPoints(points);
  const values = Float64Array.from(points, (point) => point[0]);
  const cumulative = Float64Array.from(points, (point) => point[1]);
  const last = points.length - 1;
  return () => {
    const u = stream.nextFloat();
    let low = 0;
    let high = last; // invariant: cumulative[low] <= u < cumulative[high]
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! <= u) low = middle;
      else high = middle;
    }
    const span = cumulative[high]! - cumulative[low]!;
    const fraction = span === 0 ? 0 : (u - cumulative[low]!) / span;
    return values[low]! + fraction * (values[high]! - values[low]!);
  };
}

function assertEmpiricalPoints(points: ReadonlyArray<readonly [number, number]>): void {
  assert(points.length >= 2, 'empirical: needs at least two points');
  assert(points[0]![1] === 0 && points[points.length - 1]![1] === 1, 'empirical: cumulative probability must run from 0 to 1');
  for (let i = 1; i < points.length; i++) {
    assert(points[i]![0] >= points[i - 1]![0], 'empirical: values must not decrease');
    assert(points[i]![1] >= points[i - 1]![1], 'empirical: cumulative probabilities must not decrease');
  }
}

/** Exact first two moments, for queueing formulas (Pollaczek–Khinchine needs E[S] and E[S^2]). */
export function distributionMoments(spec: DistributionSpec): { mean: number; variance: number } {
  switch (spec.kind) {
    case 'constant':
      return { mean: spec.value, variance: 0 };
    case 'uniform':
      return { mean: (spec.min + spec.max) / 2, variance: (spec.max - spec.min) ** 2 / 12 };
    case 'exponential':
      return { mean: spec.mean, variance: spec.mean * spec.mean };
    case 'normal':
    case 'lognormal':
      return { mean: spec.mean, variance: spec.sd * spec.sd };
    case 'pareto': {
      const { scale, shape } = spec;
      const mean = shape > 1 ? (shape * scale) / (shape - 1) : Infinity;
      const variance = shape > 2 ? (scale * scale * shape) / ((shape - 1) ** 2 * (shape - 2)) : Infinity;
      return { mean, variance };
    }
    case 'empirical':
      return empiricalMoments(spec.points);
  }
}

function empiricalMoments(points: ReadonlyArray<readonly [number, number]>): { mean: number; variance: number } {
  let mean = 0;
  let secondMoment = 0;
  for (let i = 1; i < points.length; i++) {
    const [a, p0] = points[i - 1]!;
    const [b, p1] = points[i]!;
    const weight = p1 - p0; // uniform on [a, b] with this probability
    mean += (weight * (a + b)) / 2;
    secondMoment += (weight * (a * a + a * b + b * b)) / 3;
  }
  return { mean, variance: secondMoment - mean * mean };
}
