import { parse as parseYamlValue } from 'yaml';
import { splitPath } from './paths';
import type { ScenarioProblem } from './problems';

/**
 * `--set path=value` on the command line (and the same from the app's parameter panel).
 * The value is read as a YAML scalar or flow collection (`3`, `true`, `[1, 2]`,
 * `{kind: constant, value: 1}`), then the whole scenario is validated by the schema, so a
 * wrong type is reported with the field's path like any other problem.
 */
export interface Override {
  path: string;
  value: unknown;
}

export function parseOverride(text: string): { ok: true; override: Override } | { ok: false; problem: ScenarioProblem } {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    return {
      ok: false,
      problem: { path: text, problem: 'is not of the form path=value', hint: 'e.g. --set queue.servers=4' },
    };
  }
  const path = text.slice(0, equals).trim();
  const raw = text.slice(equals + 1);
  try {
    return { ok: true, override: { path, value: raw.trim() === '' ? '' : parseYamlValue(raw) } };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, problem: { path, problem: `cannot read the value ${JSON.stringify(raw)}: ${message}`, hint: 'quote text values' } };
  }
}

type Data = Record<string | number, unknown>;

export function applyOverrides(
  data: unknown,
  overrides: readonly Override[],
): { ok: true; data: unknown } | { ok: false; problems: ScenarioProblem[] } {
  if (overrides.length === 0) return { ok: true, data };
  const copy = structuredClone(data) as Data;
  const problems: ScenarioProblem[] = [];
  for (const override of overrides) {
    const keys = splitPath(override.path);
    if (keys.length === 0) {
      problems.push({ path: override.path, problem: 'is an empty path', hint: 'e.g. --set queue.servers=4' });
      continue;
    }
    let target: Data = copy;
    let blocked: string | undefined;
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i]!;
      const next = target[key];
      if (next === undefined) target[key] = typeof keys[i + 1] === 'number' ? [] : {};
      else if (typeof next !== 'object' || next === null) {
        blocked = keys.slice(0, i + 1).join('.');
        break;
      }
      target = target[key] as Data;
    }
    if (blocked !== undefined) {
      problems.push({ path: override.path, problem: `cannot set inside ${blocked}, which is a value, not a section`, hint: 'check the path' });
      continue;
    }
    target[keys[keys.length - 1]!] = override.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, data: copy };
}
