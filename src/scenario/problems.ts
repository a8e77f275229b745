import type { z } from 'zod';
import { schemaAt } from './schema-walk';

/** One thing wrong with a scenario, said so that the user knows where and what to do. */
export interface ScenarioProblem {
  /** Dotted field path, e.g. `queue.serviceSeconds.mean`; empty for the whole file. */
  path: string;
  problem: string;
  hint: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

import { formatPath, type Path } from './paths';

/** `path: problem (hint)`, prefixed with `file:line:` when the line is known. */
export function formatProblem(problem: ScenarioProblem, fileName?: string): string {
  const where = fileName === undefined ? '' : problem.line === undefined ? `${fileName}: ` : `${fileName}:${problem.line}: `;
  const path = problem.path === '' ? '(file)' : problem.path;
  return `${where}${path}: ${problem.problem}${problem.hint === '' ? '' : ` (${problem.hint})`}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a section';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Closest known name by edit distance, if it is close enough to be a likely typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Turns zod's issues into problems with the field's meaning as the hint. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], root: z.ZodType, data: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = schemaAt(root, issue.path, data)?.knownKeys ?? [];
      for (const key of issue.keys) {
        const suggestion = closestName(key, known);
        problems.push({
          path: formatPath([...issue.path, key]),
          problem: 'unknown field',
          hint: suggestion !== undefined ? `did you mean "${suggestion}"?` : `remove it; fields here are: ${known.join(', ')}`,
        });
      }
      continue;
    }
    problems.push(problemFromIssue(issue, root, data));
  }
  return problems;
}

const EXPECTED_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a section',
  array: 'a list',
};

const FALLBACK_HINT = 'see docs/scenario.md for this field';

function problemFromIssue(issue: z.core.$ZodIssue, root: z.ZodType, data: unknown): ScenarioProblem {
  const path = formatPath(issue.path);
  const found = valueAt(data, issue.path);
  const field = schemaAt(root, issue.path, data);
  const meaning = field?.description ?? FALLBACK_HINT;
  switch (issue.code) {
    case 'invalid_type': {
      if (found === undefined) return { path, problem: 'is required', hint: `add it: ${meaning}` };
      if (typeof found === 'number' && !Number.isFinite(found)) return { path, problem: `must be a finite number, got ${found}`, hint: meaning };
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      return { path, problem: `must be ${expected}, got ${describeValue(found)}`, hint: meaning };
    }
    case 'too_small':
    case 'too_big':
      return { path, problem: boundProblem(issue, found), hint: meaning };
    case 'invalid_union': {
      const options = 'options' in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : (field?.allowedValues ?? []);
      const allowed = options.map((value) => JSON.stringify(value)).join(', ');
      const problem = found === undefined ? 'is required' : `unknown kind ${JSON.stringify(found)}`;
      return { path, problem, hint: `use one of ${allowed}` };
    }
    case 'invalid_value': {
      const allowed = issue.values.map((value) => JSON.stringify(value)).join(' or ');
      return { path, problem: `must be ${allowed}, got ${describeValue(found)}`, hint: meaning };
    }
    default:
      return { path, problem: issue.message, hint: meaning };
  }
}

function boundProblem(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, found: unknown): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'must not be empty';
    return `must have ${small ? 'at least' : 'at most'} ${bound} characters`;
  }
  if (issue.origin === 'array') {
    const length = Array.isArray(found) ? found.length : 0;
    return `must have ${small ? 'at least' : 'at most'} ${bound} entries, has ${length}`;
  }
  const relation = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `must be ${relation} ${bound}, got ${String(found)}`;
}
