import type { DistributionSpecInput, Scenario } from './schema';
import type { ScenarioProblem } from './problems';

/** Rules that span several fields, checked after the schema accepts each field on its own. */
export function crossFieldProblems(scenario: Scenario): ScenarioProblem[] {
  return distributionProblems('queue.serviceSeconds', scenario.queue.serviceSeconds);
}

function distributionProblems(path: string, spec: DistributionSpecInput): ScenarioProblem[] {
  switch (spec.kind) {
    case 'uniform':
      return spec.max < spec.min
        ? [{ path: `${path}.max`, problem: `must be >= min (${spec.min}), got ${spec.max}`, hint: 'swap min and max' }]
        : [];
    case 'empirical':
      return empiricalProblems(`${path}.points`, spec.points);
    default:
      return [];
  }
}

function empiricalProblems(path: string, points: ReadonlyArray<readonly [number, number]>): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const hint = 'list [value, cumulative probability] pairs with both columns rising, from probability 0 to 1';
  if (points[0]?.[1] !== 0) problems.push({ path: `${path}[0][1]`, problem: 'the first cumulative probability must be 0', hint });
  if (points[points.length - 1]?.[1] !== 1) {
    problems.push({ path: `${path}[${points.length - 1}][1]`, problem: 'the last cumulative probability must be 1', hint });
  }
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0] || points[i]![1] < points[i - 1]![1]) {
      problems.push({ path: `${path}[${i}]`, problem: 'is lower than the point before it', hint });
    }
  }
  return problems;
}
