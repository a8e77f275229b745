import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli';
import type { CliIo } from '../../../src/cli/io';
import { EXPECT_BOUNDS, EXPECT_METRICS, loadScenario, scenarioJsonSchema, scenarioReferenceMarkdown } from '../../../src/scenario';
import { REFERENCE_EXAMPLES } from '../../../src/scenario/scenario-docs';
import { distributionSchema } from '../../../src/scenario/schema';

const DOC_FILE = new URL('../../../docs/scenario.md', import.meta.url);
const REGENERATE = 'docs/scenario.md is out of date with src/scenario/schema.ts: run `npm run docs` and commit the result';

const doc = scenarioReferenceMarkdown();

interface Node {
  type?: string;
  properties?: Record<string, Node>;
  oneOf?: Node[];
  anyOf?: Node[];
  items?: Node | Node[];
  const?: unknown;
}

/** A field that holds no further fields, as the schema has it (walked here, not by the generator). */
interface Leaf {
  path: string;
  /** Kinds chosen on the way, outermost first, with the path of the field holding each union. */
  kinds: Array<{ field: string; kind: string }>;
}

function kindMembers(node: Node): Node[] | undefined {
  const members = node.oneOf ?? node.anyOf;
  return members !== undefined && members.every((member) => member.properties?.['kind']?.const !== undefined) ? members : undefined;
}

function leaves(node: Node, path: string, kinds: Leaf['kinds'] = []): Leaf[] {
  const members = kindMembers(node);
  if (members !== undefined) {
    return members.flatMap((member) => leaves(member, path, [...kinds, { field: path, kind: String(member.properties!['kind']!.const) }]));
  }
  if (node.properties !== undefined) {
    return Object.entries(node.properties).flatMap(([name, child]) => leaves(child, path === '' ? name : `${path}.${name}`, kinds));
  }
  if (node.type === 'array' && node.items !== undefined && !Array.isArray(node.items)) {
    const items = node.items;
    if (items.properties !== undefined || kindMembers(items) !== undefined) return leaves(items, `${path}[]`, kinds);
  }
  return [{ path, kinds }];
}

/** The text under a heading line, up to the next heading of the same level or above. */
function under(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `docs/scenario.md has no heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((line, index) => index > start && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** The cells of the table row for a field (first cell `path`), or undefined. */
function rowOf(text: string, path: string): string[] | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`| \`${path}\` |`));
  return line?.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim());
}

const DISTRIBUTION_KINDS = distributionSchema.options.map((option) => option.shape.kind.value as string).sort();

describe('docs/scenario.md', () => {
  it('equals scenarioReferenceMarkdown() (written by `npm run docs`)', () => {
    expect(readFileSync(DOC_FILE, 'utf8'), REGENERATE).toBe(doc);
  });

  it('is what `queuelab docs` prints', async () => {
    const out: string[] = [];
    const io: CliIo = {
      stdout: (text) => void out.push(text),
      stderr: (text) => void out.push(`stderr: ${text}`),
      readFile: () => Promise.reject(new Error('docs reads no file')),
      writeFile: () => Promise.reject(new Error('docs writes no file')),
      stderrIsTty: false,
      wallClockMs: () => 0,
    };
    expect(await runCli(['docs'], io)).toBe(0);
    expect(out.join('')).toBe(doc);
  });
});

describe('scenarioReferenceMarkdown()', () => {
  const schema = scenarioJsonSchema() as Node;
  const allLeaves = leaves(schema, '');

  it('finds the fields to check', () => {
    expect(allLeaves.length).toBeGreaterThan(100);
    expect(allLeaves.map((leaf) => leaf.path)).toContain('sale.traffic.curve.preheat.fromSeconds');
  });

  it.each(allLeaves.map((leaf) => [leaf.path + (leaf.kinds.length > 0 ? ` (${leaf.kinds.map((k) => k.kind).join(', ')})` : ''), leaf] as const))(
    'documents %s',
    (_name, leaf) => {
      const section = leaf.path.split(/[.[]/)[0]!;
      const distribution = leaf.kinds.find(
        (chosen) => JSON.stringify(kindsAt(schema, chosen.field)) === JSON.stringify(DISTRIBUTION_KINDS),
      );
      if (distribution !== undefined) {
        // Written once, relative to the distribution, in the Distributions section.
        expect(rowOf(doc, distribution.field), `row of ${distribution.field}`).toBeDefined();
        const relative = leaf.path.slice(distribution.field.length + 1);
        expect(rowOf(under(under(doc, '## Distributions'), `### \`kind: ${distribution.kind}\``), relative)).toBeDefined();
        return;
      }
      if (section === 'expect') {
        const key = leaf.path.slice('expect.'.length);
        const metric = key.replace(/(Min|Max)$/, '');
        expect(Object.keys(EXPECT_METRICS)).toContain(key in EXPECT_METRICS ? key : metric);
        expect(under(doc, '## `expect`')).toContain(`| \`${key in EXPECT_METRICS ? key : metric}\` |`);
        return;
      }
      let text = section === leaf.path ? under(doc, '## Top-level fields') : under(doc, `## \`${section}\``);
      for (const chosen of leaf.kinds) text = under(text, `#### \`kind: ${chosen.kind}\``);
      expect(rowOf(text, leaf.path), `a row for ${leaf.path}`).toBeDefined();
    },
  );

  it.each(Object.entries(REFERENCE_EXAMPLES))('shows a %s example that loads', (_name, text) => {
    const outcome = loadScenario(text, { fileName: 'example.yaml' });
    expect(outcome.ok ? [] : outcome.problems).toEqual([]);
    expect(doc).toContain(`\`\`\`yaml\n${text}\n\`\`\``);
  });

  it('shows kafka.replicationFactor with its default, 3', () => {
    const row = rowOf(doc, 'kafka.replicationFactor')!;
    expect(row).toBeDefined();
    const [, type, unit, byDefault, required] = row;
    expect({ type, unit, byDefault, required }).toEqual({ type: 'whole number 1 – 64', unit: '—', byDefault: '3', required: 'no' });
  });

  it('lists peakMultiplier under the spike kind of sale.traffic.curve, and not under the others', () => {
    const curves = under(doc, '## `sale`');
    expect(rowOf(under(curves, '#### `kind: spike`'), 'sale.traffic.curve.peakMultiplier')).toBeDefined();
    expect(rowOf(under(curves, '#### `kind: ramp`'), 'sale.traffic.curve.peakMultiplier')).toBeUndefined();
  });

  it('lists each expect metric once and explains the exact, Min and Max keys', () => {
    const text = under(doc, '## `expect`');
    for (const metric of Object.keys(EXPECT_METRICS)) {
      expect(text.split('\n').filter((line) => line.startsWith(`| \`${metric}\` |`))).toHaveLength(1);
      expect(text).not.toContain(`| \`${metric}Min\` |`);
    }
    expect(EXPECT_BOUNDS).toEqual(['', 'Min', 'Max']);
    expect(text).toMatch(/`lost`[^\n]*exactly/);
    expect(text).toMatch(/`lostMin`[^\n]*at least/);
    expect(text).toMatch(/`lostMax`[^\n]*at most/);
  });

  it('writes large numbers with separators and units in their own column', () => {
    expect(rowOf(doc, 'sale.traffic.users')?.[3]).toBe('1,000,000');
    expect(rowOf(doc, 'kafka.producer.requestTimeoutMs')?.slice(2, 4)).toEqual(['ms', '30,000']);
    expect(rowOf(doc, 'sale.traffic.endSeconds')?.[2]).toBe('s, sale clock');
  });

  it('does not repeat in the meaning what the default and required columns say', () => {
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    for (const line of rows) {
      expect(line, line).not.toMatch(/\((default|required|no default)[;) ]/);
      expect(line, line).not.toMatch(/; required\)/);
    }
  });
});

/** The sorted kinds of the union at a dotted path of the schema (list items by `[]`). */
function kindsAt(schema: Node, path: string): string[] | undefined {
  let node: Node | undefined = schema;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    node = node?.properties?.[name];
    if (part.endsWith('[]') && node !== undefined && !Array.isArray(node.items)) node = node.items;
  }
  const members = node === undefined ? undefined : kindMembers(node);
  return members?.map((member) => String(member.properties!['kind']!.const)).sort();
}
