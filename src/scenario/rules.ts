import type { ScenarioProblem } from './problems';

/**
 * Rules that span several fields. They read the raw data defensively, so that they run even
 * when the schema has found problems elsewhere and every problem is reported at once; a
 * field the schema rejects is simply not checked again here.
 */
export function crossFieldProblems(data: unknown): ScenarioProblem[] {
  const service = field(field(data, 'queue'), 'serviceSeconds');
  return distributionProblems('queue.serviceSeconds', service);
}

function field(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[key] : undefined;
}

function distributionProblems(path: string, spec: unknown): ScenarioProblem[] {
  const kind = field(spec, 'kind');
  if (kind === 'uniform') {
    const min = field(spec, 'min');
    const max = field(spec, 'max');
    return typeof min === 'number' && typeof max === 'number' && max < min
      ? [{ path: `${path}.max`, problem: `must be >= min (${min}), got ${max}`, hint: 'swap min and max' }]
      : [];
  }
  if (kind === 'empirical') {
    const points = field(spec, 'points');
    const numeric =
      Array.isArray(points) &&
      points.length >= 2 &&
      points.every(
        (point) => Array.isArray(point) && point.length === 2 && typeof point[0] === 'number' && point[1] >= 0 && point[1] <= 1,
      );
    return numeric ? empiricalProblems(`${path}.points`, points as [number, number][]) : [];
  }
  return [];
}

function empiricalProblems(path: string, points: ReadonlyArray<readonly [number, number]>): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const hint = 'list [value, cumulative probability] pairs with both columns rising, from probability 0 to 1';
  if (points[0]![1] !== 0) problems.push({ path: `${path}[0][1]`, problem: 'the first cumulative probability must be 0', hint });
  if (points[points.length - 1]![1] !== 1) {
    problems.push({ path: `${path}[${points.length - 1}][1]`, problem: 'the last cumulative probability must be 1', hint });
  }
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0] || points[i]![1] < points[i - 1]![1]) {
      problems.push({ path: `${path}[${i}]`, problem: 'is lower than the point before it', hint });
    }
  }
  return problems;
}
