import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { splitPath } from './paths';
import { problemsFromIssues, type ScenarioProblem } from './problems';
import { applyOverrides, type Override } from './overrides';
import { crossFieldProblems } from './rules';
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
  const { data, lineOf } = parsed;
  const overridden = applyOverrides(data, options.overrides ?? []);
  if (!overridden.ok) return overridden;
  const overriddenPaths = new Set((options.overrides ?? []).map((override) => override.path));
  const withLines = (problem: ScenarioProblem): ScenarioProblem => {
    if (overriddenPaths.has(problem.path)) {
      return { ...problem, hint: problem.hint === '' ? 'set by --set' : `${problem.hint}; set by --set` };
    }
    const line = lineOf(problem.path);
    return line === undefined ? problem : { ...problem, line };
  };
  const result = scenarioSchema.safeParse(overridden.data);
  if (!result.success) {
    return { ok: false, problems: problemsFromIssues(result.error.issues, scenarioSchema, overridden.data).map(withLines) };
  }
  const crossField = crossFieldProblems(result.data);
  if (crossField.length > 0) return { ok: false, problems: crossField.map(withLines) };
  return { ok: true, scenario: result.data };
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
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: '',
        problem: `not valid ${isJson ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]}`,
        hint: 'fix the syntax at that line; indentation and colons matter in YAML',
        line: lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }
  const data: unknown = document.toJS();
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      problems: [{ path: '', problem: 'is not a scenario', hint: 'a scenario is a set of fields such as version, title and queue' }],
    };
  }
  return { ok: true, data, lineOf: (path) => lineOfPath(document, lineCounter, path) };
}

function jsonSyntaxProblem(text: string, error: unknown): ScenarioProblem {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  const line = position === null ? undefined : text.slice(0, Number(position[1])).split('\n').length;
  return {
    path: '',
    problem: `not valid JSON: ${message}`,
    hint: 'check commas and quotes near that place; comments are not allowed in JSON (use .yaml for those)',
    ...(line === undefined ? {} : { line }),
  };
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
