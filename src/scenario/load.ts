import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { splitPath } from './paths';
import { problemsFromIssues, type ScenarioProblem } from './problems';
import { applyOverrides, type Override } from './overrides';
import { crossFieldProblems } from './rules';
import { applyHardwarePreset } from './hardware';
import { scenarioSchema, type Scenario } from './schema';

/**
 * Text -> validated Scenario. JSON and YAML are both read with the `yaml` parser (YAML 1.2 is
 * a superset of JSON) because it keeps source positions, so every problem can name its line.
 * A JSON file is also checked with JSON.parse, so that YAML-only syntax in a .json file is
 * reported rather than silently accepted.
 */
export type LoadOutcome = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

export interface LoadOptions {
  /** Decides JSON or YAML by extension; anything but .json is read as YAML. */
  fileName: string;
  overrides?: readonly Override[];
}

export function loadScenario(text: string, options: LoadOptions): LoadOutcome {
  const parsed = parseText(text, options.fileName);
  if (!parsed.ok) return parsed;
  const overrides = options.overrides ?? [];
  const overridden = applyOverrides(parsed.data, overrides);
  if (!overridden.ok) return overridden;
  const locate = (problem: ScenarioProblem): ScenarioProblem => {
    if (overrides.some((override) => isWithin(problem.path, override.path))) {
      return { ...problem, hint: problem.hint === '' ? 'set by --set' : `${problem.hint}; set by --set` };
    }
    const line = parsed.lineOf(problem.path);
    return line === undefined ? problem : { ...problem, line };
  };
  const result = scenarioSchema.safeParse(overridden.data);
  const problems = [
    ...(result.success ? [] : problemsFromIssues(result.error.issues, scenarioSchema, overridden.data)),
    ...crossFieldProblems(overridden.data),
  ];
  if (problems.length > 0) return { ok: false, problems: withoutRepeats(problems.map(locate)) };
  if (!result.success) throw new Error('unreachable: a failed parse always has issues');
  return { ok: true, scenario: applyHardwarePreset(result.data, overridden.data) };
}

/** Whether `path` is `section` itself or a field inside it. */
function isWithin(path: string, section: string): boolean {
  return path === section || path.startsWith(`${section}.`) || path.startsWith(`${section}[`);
}

function withoutRepeats(problems: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}|${problem.path}|${problem.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface ParsedText {
  ok: true;
  data: unknown;
  lineOf: (path: string) => number | undefined;
}

function parseText(text: string, fileName: string): ParsedText | { ok: false; problems: ScenarioProblem[] } {
  const isJson = fileName.toLowerCase().endsWith('.json');
  if (isJson) {
    try {
      JSON.parse(text);
    } catch (error) {
      return { ok: false, problems: [jsonSyntaxProblem(text, error)] };
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const format = isJson ? 'JSON' : 'YAML';
  const lastLine = text.split('\n').length;
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: withoutRepeats(
        document.errors.map((error) => ({
          path: '',
          problem: `not valid ${format}: ${error.message.split('\n')[0]}`,
          hint: isJson ? 'check brackets, commas and quotes there' : 'check indentation, colons and quotes there',
          line: Math.min(lineCounter.linePos(error.pos[0]).line, lastLine),
        })),
      ),
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, problems: [{ path: '', problem: `not valid ${format}: ${message}`, hint: 'every *alias needs an &anchor defined before it' }] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      problems: [{ path: '', problem: 'is not a scenario', hint: 'a scenario is a set of fields such as version, title and queue' }],
    };
  }
  return { ok: true, data, lineOf: (path) => lineOfPath(document, lineCounter, path) };
}

function jsonSyntaxProblem(text: string, error: unknown): ScenarioProblem {
  // V8 phrases these in several ways: "... at position N", "... (line L column C)", or
  // "Unexpected token 'x', \"...snippet...\" is not valid JSON" with no place at all.
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/, ".*$/, '');
  const position = /position (\d+)/.exec(message);
  const offset = position !== null ? Number(position[1]) : firstNonJsonCharacter(text);
  const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
  return {
    path: '',
    problem: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '')}`,
    hint: 'check commas, brackets and double quotes there; for comments, use a .yaml file',
    ...(line === undefined ? {} : { line }),
  };
}

/** Offset of the first character that cannot appear outside a string in JSON, if any. */
function firstNonJsonCharacter(text: string): number | undefined {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    if (inString) {
      if (character === '\\') i++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (!/[\s{}[\]:,0-9eE.+\-truefalsn]/.test(character)) return i;
  }
  return undefined;
}

/** Line of the key that holds `path`, or of the deepest existing parent. */
function lineOfPath(document: Document, lineCounter: LineCounter, dottedPath: string): number | undefined {
  const keys = splitPath(dottedPath);
  for (let length = keys.length; length >= 1; length--) {
    const parent = length === 1 ? document.contents : document.getIn(keys.slice(0, length - 1), true);
    const key = keys[length - 1]!;
    if (isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range !== undefined) return lineCounter.linePos(range[0]).line;
    } else {
      const node = document.getIn(keys.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node?.range !== undefined) return lineCounter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}
