import { distributionMoments, type DistributionSpec } from '../../engine';

/**
 * Closed forms for the station, in seconds (Kleinrock, Queueing Systems vol. 1; Gross &
 * Harris; collected in shared/reference/mq-semantics.md section 5):
 * - one server, any service distribution: Pollaczek–Khinchine, Wq = λE[S²] / (2(1−ρ));
 * - c servers, exponential service: Erlang C, Wq = C(c, a) / (cμ − λ);
 * - sojourn quantiles where the distribution of W is known: M/M/1 and M/M/c.
 * Little's law then gives L = λW and Lq = λWq.
 */
export interface StationTheory {
  model: string;
  utilisation: number;
  sojournSecondsMean: number;
  waitSecondsMean: number;
  inSystemMean: number;
  inQueueMean: number;
  /** p99 of the sojourn time, where a closed form exists. */
  sojournSecondsP99: number | null;
  erlangC: number | null;
}

export type TheoryOutcome = { ok: true; theory: StationTheory } | { ok: false; reason: string };

export function stationTheory(servers: number, arrivalRatePerSecond: number, service: DistributionSpec): TheoryOutcome {
  const { mean: serviceMean, variance: serviceVariance } = distributionMoments(service);
  const lambda = arrivalRatePerSecond;
  const utilisation = (lambda * serviceMean) / servers;
  const model = stationModelName(servers, service);
  if (!(utilisation < 1)) {
    return { ok: false, reason: `${model} is unstable: utilisation ρ = ${utilisation.toFixed(3)} ≥ 1, the queue grows without bound` };
  }
  if (servers === 1) {
    const secondMoment = serviceVariance + serviceMean * serviceMean;
    const wait = (lambda * secondMoment) / (2 * (1 - utilisation));
    const p99 = service.kind === 'exponential' ? Math.log(100) / (1 / serviceMean - lambda) : null;
    return { ok: true, theory: finish(model, lambda, utilisation, wait, serviceMean, p99, null) };
  }
  if (service.kind !== 'exponential') {
    return { ok: false, reason: `${model} with c > 1 has no closed form here (only M/M/c and M/G/1 are exact)` };
  }
  const mu = 1 / serviceMean;
  const c = erlangC(servers, lambda / mu);
  const wait = c / (servers * mu - lambda);
  const p99 = quantileByBisection((t) => mmcSojournSurvival(servers, lambda, mu, c, t), 0.01, 1000 * serviceMean);
  return { ok: true, theory: finish(model, lambda, utilisation, wait, serviceMean, p99, c) };
}

function finish(
  model: string,
  lambda: number,
  utilisation: number,
  wait: number,
  serviceMean: number,
  p99: number | null,
  erlang: number | null,
): StationTheory {
  const sojourn = wait + serviceMean;
  return {
    model,
    utilisation,
    sojournSecondsMean: sojourn,
    waitSecondsMean: wait,
    inSystemMean: lambda * sojourn,
    inQueueMean: lambda * wait,
    sojournSecondsP99: p99,
    erlangC: erlang,
  };
}

/** Erlang C via the numerically stable Erlang B recursion: B(k) = aB(k−1) / (k + aB(k−1)). */
export function erlangC(servers: number, offeredLoad: number): number {
  let erlangB = 1;
  for (let k = 1; k <= servers; k++) erlangB = (offeredLoad * erlangB) / (k + offeredLoad * erlangB);
  return (servers * erlangB) / (servers - offeredLoad * (1 - erlangB));
}

/** P(W > t) for M/M/c: (1−C)e^{−μt} + C(θe^{−μt} − μe^{−θt}) / (θ − μ), θ = cμ − λ. */
function mmcSojournSurvival(servers: number, lambda: number, mu: number, c: number, t: number): number {
  const theta = servers * mu - lambda;
  if (Math.abs(theta - mu) < 1e-12 * mu) {
    return (1 - c) * Math.exp(-mu * t) + c * (1 + mu * t) * Math.exp(-mu * t);
  }
  return (1 - c) * Math.exp(-mu * t) + (c * (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t))) / (theta - mu);
}

/** The t at which a decreasing survival function falls to `tail`. */
function quantileByBisection(survival: (t: number) => number, tail: number, upper: number): number {
  let low = 0;
  let high = upper;
  for (let i = 0; i < 200 && high - low > 1e-12 * upper; i++) {
    const middle = (low + high) / 2;
    if (survival(middle) > tail) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Kendall notation: Poisson arrivals / service distribution / servers. */
export function stationModelName(servers: number, service: DistributionSpec): string {
  const letter = service.kind === 'exponential' ? 'M' : service.kind === 'constant' ? 'D' : 'G';
  return `M/${letter}/${servers}`;
}
