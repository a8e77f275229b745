import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadScenario, scenarioJsonSchema } from '../../../src/scenario';

const FOLDER = new URL('../../../simulations/', import.meta.url);
const SCHEMA_FILE = 'scenario.schema.json';
const REGENERATE = `simulations/${SCHEMA_FILE} is out of date with src/scenario/schema.ts: run \`npm run schema\` and commit the result`;

describe(`simulations/${SCHEMA_FILE}`, () => {
  it('equals scenarioJsonSchema()', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL(SCHEMA_FILE, FOLDER), 'utf8'));
    expect(committed, REGENERATE).toEqual(scenarioJsonSchema());
  });

  it('is written exactly as `npm run schema` writes it', () => {
    const text = readFileSync(new URL(SCHEMA_FILE, FOLDER), 'utf8');
    expect(text, REGENERATE).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });
});

describe('every scenario in simulations/ declares the schema', () => {
  const scenarioFiles = readdirSync(FOLDER)
    .filter((name) => /\.(ya?ml|json)$/i.test(name) && name !== SCHEMA_FILE)
    .sort();

  /** The schema a file declares: YAML by the yaml-language-server modeline or a $schema key; JSON by $schema. */
  function declaredSchema(name: string): string | undefined {
    const text = readFileSync(new URL(name, FOLDER), 'utf8');
    if (name.endsWith('.json')) return (JSON.parse(text) as { $schema?: string }).$schema;
    const modeline = /^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$/m.exec(text);
    return modeline?.[1] ?? (parseYaml(text) as { $schema?: string }).$schema;
  }

  it('has scenarios to check', () => {
    expect(scenarioFiles.length).toBeGreaterThan(0);
  });

  it.each(scenarioFiles)('%s', (name) => {
    const declared = declaredSchema(name);
    expect(declared, `${name}: add "# yaml-language-server: $schema=./${SCHEMA_FILE}" (YAML) or "$schema": "./${SCHEMA_FILE}" (JSON)`).toBe(
      `./${SCHEMA_FILE}`,
    );
    expect(existsSync(new URL(declared!, FOLDER))).toBe(true);
  });
});

describe('every scenario in simulations/ is a lesson: it loads, has a title and says what to look at', () => {
  const scenarioFiles = readdirSync(FOLDER)
    .filter((name) => /\.(ya?ml|json)$/i.test(name) && name !== SCHEMA_FILE)
    .sort();

  it.each(scenarioFiles)('%s', (name) => {
    const outcome = loadScenario(readFileSync(new URL(name, FOLDER), 'utf8'), { fileName: name });
    expect(outcome.ok, JSON.stringify(outcome.ok ? '' : outcome.problems)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.title.length).toBeGreaterThan(10);
    expect(outcome.scenario.description, `${name} needs a description that says what to look at`).toMatch(/look at/i);
    // Cluster scenarios are regression tests too: they state what they expect.
    if (outcome.scenario.kafka !== undefined) expect(Object.keys(outcome.scenario.expect ?? {}).length, `${name} needs an expect block`).toBeGreaterThan(0);
  });
});
