import { z } from 'zod';
import { EXPECT_BOUNDS, EXPECT_METRICS } from './expect-schema';
import { distributionSchema, scenarioJsonSchema } from './schema';

/**
 * docs/scenario.md, the reference of every scenario field, written from the same JSON Schema
 * that editors get (scenarioJsonSchema()), so that the two cannot drift apart:
 * `npm run docs` writes it and test/unit/scenario/scenario-docs.test.ts checks it. Pure: no I/O.
 *
 * Types, bounds, defaults and "required" come from the schema; meanings from the fields'
 * `.describe()` text, with the clauses the other columns already say (`(default 60)`,
 * `(>= 0; required)`, `, seconds`) taken out. The few notes the schema cannot carry (what a
 * fault does, a distribution's mean) are in NOTES below; a note that matches no field throws.
 */

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  items?: JsonSchema | JsonSchema[];
  minItems?: number;
}

interface Row {
  path: string;
  type: string;
  unit: string;
  default: string;
  required: string;
  meaning: string;
}

/** A discriminated union keyed by `kind`, to be written as one sub-table per kind. */
interface KindUnion {
  /** Dotted path of the field holding it; `[]` marks the items of a list. */
  path: string;
  members: JsonSchema[];
}

const DISTRIBUTION_ANCHOR = '#distributions';
const NO_VALUE = '—';

/** What a kind does, where its fields do not say it. Keyed by `<union path>:<kind>`. */
const NOTES: Record<string, string> = {
  'kafka.faults[]:broker-crash': 'The broker process dies; its log survives. It restarts (if `restartAtSeconds` is given) and catches up as a follower.',
  'kafka.faults[]:isolate-broker': 'Its links to the other brokers are cut; clients and the controller still reach it.',
  'kafka.faults[]:consumer-crash':
    'The consumer dies, dropping what it fetched and had not processed; on restart it resumes from the committed offsets.',
  'distribution:constant': 'Always `value`. Mean: `value`.',
  'distribution:uniform': 'Uniform between `min` and `max` (`max` ≥ `min`). Mean: (min + max) / 2.',
  'distribution:exponential': 'Memoryless: the service of M/M/c. Mean: `mean`.',
  'distribution:normal': 'Mean: `mean`. Can go negative: prefer `lognormal` for durations.',
  'distribution:lognormal': 'Given by the mean and standard deviation of the value itself, not of its logarithm. Mean: `mean`.',
  'distribution:pareto': 'Heavy tail. Mean: shape · scale / (shape − 1), infinite when shape ≤ 1.',
  'distribution:empirical': 'A piecewise-linear CDF through `points`, from probability 0 to 1, both columns rising.',
};

/** Meanings of the fields whose schema has no `.describe()` text (better to add one there). */
const MISSING_MEANINGS: Record<string, string> = {
  'kafka.producer': 'the producer application, sending to the topic',
  'kafka.consumers': 'the consumer group reading the topic',
};

/** Notes under a section's heading, after its schema description. */
const SECTION_NOTES: Record<string, string> = {
  queue: 'One more customer arrives after the measured ones, to close the last batch\'s time window.',
  kafka:
    'Replicas are placed round-robin: partition p is led by broker p mod `brokers`, and consumer p mod `consumers.count` reads it. ' +
    'The modelled version is Kafka 4.0; `docs/model.md` says what is modelled and where each behaviour comes from. ' +
    'In a sale scenario, `sale` drives the producer and the clock: leave out `runSeconds`, `producer.ratePerSecond` and `producer.stopAtSeconds`.',
  sale: 'A sale needs a `kafka` section: it runs on that cluster. Its times are on the sale clock, seconds from midnight, and so are the `kafka.faults` times.',
};

/** Small scenarios shown at the top of the page (the test checks that they load). */
export const REFERENCE_EXAMPLES = {
  queue: [
    '# yaml-language-server: $schema=./scenario.schema.json',
    'version: 1',
    'title: M/M/1 at 90 % load',
    'queue:',
    '  arrivalRatePerSecond: 0.9',
    '  serviceSeconds: { kind: exponential, mean: 1 }',
    '  customers: 1000000',
  ].join('\n'),
  sale: [
    '# yaml-language-server: $schema=./scenario.schema.json',
    'version: 1',
    'title: A small flash sale',
    'kafka:',
    '  partitions: 12',
    '  minInsyncReplicas: 2',
    '  consumers: { count: 12 }',
    'sale:',
    '  traffic:',
    '    curve: { kind: spike, baseline: 2000, peakMultiplier: 10, atSeconds: 0, riseSeconds: 5, decaySeconds: 30 }',
    '    endSeconds: 60',
    'expect:',
    '  oversold: 0',
    '  ordersLostMax: 0',
  ].join('\n'),
} as const;

export function scenarioReferenceMarkdown(): string {
  const root = scenarioJsonSchema() as JsonSchema;
  const distribution = distributionMembers();
  const usedNotes = new Set<string>();
  const note = (key: string): string | undefined => {
    if (NOTES[key] !== undefined) usedNotes.add(key);
    return NOTES[key];
  };
  const distributionFields: string[] = [];
  const isDistribution = (schema: JsonSchema): boolean =>
    kindMembers(schema) !== undefined && JSON.stringify(kindMembers(schema)) === JSON.stringify(distribution);

  /** The rows of an object's fields, depth first, collecting the unions met on the way. */
  function rows(object: JsonSchema, prefix: string, unions: KindUnion[], context: Context = {}): Row[] {
    return described(rowsOf(object, prefix, unions, context));
  }

  /** Fills in a meaning the schema lacks from MISSING_MEANINGS; throws when there is none. */
  function described(found: Row[]): Row[] {
    for (const each of found) {
      if (each.meaning !== '') continue;
      const meaning = MISSING_MEANINGS[each.path];
      if (meaning === undefined) throw new Error(`scenario-docs: ${each.path} has no .describe() text in the schema`);
      usedNotes.add(each.path);
      each.meaning = meaning;
    }
    return found;
  }

  function rowsOf(object: JsonSchema, prefix: string, unions: KindUnion[], context: Context): Row[] {
    const result: Row[] = [];
    const properties = object.properties ?? {};
    for (const [name, field] of Object.entries(properties)) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      const required = requiredText(field, (object.required ?? []).includes(name));
      const members = kindMembers(field);
      const items = Array.isArray(field.items) ? undefined : field.items;
      if (members !== undefined && isDistribution(field)) {
        distributionFields.push(path);
        result.push(row(path, name, field, `distribution, by \`kind\` ([below](${DISTRIBUTION_ANCHOR}))`, required, context));
      } else if (members !== undefined) {
        unions.push({ path, members });
        result.push(row(path, name, field, `one of the kinds below, by \`kind\``, required, context));
      } else if (field.type === 'array' && items !== undefined && kindMembers(items) !== undefined) {
        unions.push({ path: `${path}[]`, members: kindMembers(items)! });
        result.push(row(path, name, field, 'list of the kinds below, each chosen by `kind`', required, context));
      } else if (field.type === 'array' && items?.properties !== undefined) {
        result.push(row(path, name, field, 'list of sections with the fields below', required, context, items.description));
        result.push(...rows(items, `${path}[]`, unions, context));
      } else if (field.properties !== undefined) {
        result.push(row(path, name, field, 'section', required, context));
        result.push(...rows(field, path, unions, context));
      } else if (name === 'kind' && context.kindSiblings !== undefined) {
        result.push({ ...row(path, name, field, typeText(field), required, context), meaning: 'chooses this kind' });
      } else {
        result.push(row(path, name, field, typeText(field), required, context));
      }
    }
    return result;
  }

  /** One sub-table per kind, with full paths (or paths relative to the field, for distributions). */
  function kindTables(union: KindUnion, noteKey: string, level: string, context: Context = {}): string[] {
    const out: string[] = [];
    for (const member of union.members) {
      const kind = String(member.properties!['kind']!.const);
      const nested: KindUnion[] = [];
      const memberRows = rows(member, union.path, nested, { ...context, kindSiblings: union.members });
      out.push(`${level} \`kind: ${kind}\``, '');
      const said = [cleanDescription(member.properties!['kind']!.description ?? '').meaning, note(`${noteKey}:${kind}`)]
        .filter((text): text is string => text !== undefined && text !== '')
        .map(sentence);
      if (said.length > 0) out.push(said.join(' '), '');
      out.push(...table(memberRows), '');
      if (nested.length > 0) throw new Error(`scenario-docs: a union inside a union (${nested[0]!.path}) is not supported`);
    }
    return out;
  }

  const properties = root.properties ?? {};
  const sectionNames = Object.keys(properties).filter((name) => properties[name]!.properties !== undefined || properties[name]!.type === 'array');
  const version = properties['version']?.const;
  const out: string[] = [];

  out.push(
    '# Scenario files',
    '',
    '<!-- Generated from src/scenario/schema.ts by `npm run docs`: edit the schema (or src/scenario/scenario-docs.ts), not this file. -->',
    '',
    `A scenario is a YAML or JSON file in format version ${String(version)} (\`version: ${String(version)}\`). YAML 1.2 reads JSON too; a`,
    '`.json` file must also be strict JSON. `simulations/` has scenarios to start from.',
    '',
    '`simulations/scenario.schema.json` is the JSON Schema of these files, generated from the same',
    'zod schema as this page (`npm run schema`). Declare it and editors complete and check the file:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=./scenario.schema.json',
    '```',
    '',
    'on the first line of a YAML file, or `"$schema": "./scenario.schema.json"` in a JSON one (the',
    'path is relative to the scenario file).',
    '',
    'A queueing station, and a flash sale on a Kafka cluster; every field left out takes its default:',
    '',
    '```yaml',
    REFERENCE_EXAMPLES.queue,
    '```',
    '',
    '```yaml',
    REFERENCE_EXAMPLES.sale,
    '```',
    '',
    'How to read the tables:',
    '',
    '- **Times are in seconds** unless the field name ends in `Ms` (milliseconds) or `Micros`',
    '  (microseconds); rates are per second. In a scenario with a `sale` section, points in time',
    '  (`atSeconds`, `startSeconds`, ...) are on the **sale clock**: seconds from midnight, negative',
    '  before it (`-60` is 23:59:00). The unit column says "s, sale clock" for those.',
    '- **field** is the dotted path from the top of the file; `[]` stands for each item of a list.',
    '- **required** "yes" means required whenever its section is present; "without `sale`" means',
    '  required in a scenario without a `sale` section and not allowed in one with it. A field with',
    '  a default may be left out; a section whose default is "all defaults" may be left out whole.',
    '- Numbers are written with thousands separators here (1,000,000); write them without in the',
    '  file (`1000000`).',
    '',
    '## Contents',
    '',
    '- [Top-level fields](#top-level-fields)',
    ...sectionNames.map((name) => `- [\`${name}\`](#${name})`),
    `- [Distributions](${DISTRIBUTION_ANCHOR})`,
    '- [Overrides](#overrides)',
    '- [Errors](#errors)',
    '',
  );

  // Top-level fields, with the sections as rows that link to theirs.
  const topRows: Row[] = [];
  for (const [name, field] of Object.entries(properties)) {
    const required = name === 'queue' || name === 'kafka' ? 'one of `queue`, `kafka`' : requiredText(field, (root.required ?? []).includes(name));
    if (sectionNames.includes(name)) {
      const kind = field.type === 'array' ? 'list' : 'section';
      topRows.push(row(name, name, field, `${kind} ([below](#${name}))`, required, {}, field.description));
    } else {
      topRows.push(row(name, name, field, typeText(field), required, {}));
    }
  }
  out.push('## Top-level fields', '', sentence(cleanDescription(root.description ?? '').meaning), '', ...table(described(topRows)), '');

  for (const name of sectionNames) {
    const section = properties[name]!;
    out.push(`## \`${name}\``, '');
    if (name === 'expect') {
      out.push(...expectSection(section));
      continue;
    }
    const said = [section.description === undefined ? undefined : cleanDescription(section.description).meaning, SECTION_NOTES[name]]
      .filter((text): text is string => text !== undefined && text !== '')
      .map(sentence);
    if (said.length > 0) out.push(said.join(' '), '');
    const unions: KindUnion[] = [];
    const sectionRows =
      section.type === 'array' && !Array.isArray(section.items) && section.items?.properties !== undefined
        ? rows(section.items, `${name}[]`, unions)
        : rows(section, name, unions);
    out.push(...table(sectionRows), '');
    for (const union of unions) {
      const field = union.path.replace(/\[\]$/, '');
      out.push(`### \`${field}\` kinds`, '');
      out.push(`\`${union.path.endsWith('[]') ? `${field}[].kind` : `${field}.kind`}\` chooses one of: ${union.members.map((member) => `\`${String(member.properties!['kind']!.const)}\``).join(', ')}.`, '');
      out.push(...kindTables(union, union.path, '####'));
    }
  }

  out.push(
    '## Distributions',
    '',
    `A distribution field (${distributionFields.map((path) => `\`${path}\``).join(', ')}) is a section`,
    'chosen by `kind`, e.g. `{kind: exponential, mean: 0.8}`. Its values are in the unit of the',
    'field that holds it: seconds for `serviceSeconds`. Fields are named relative to the distribution:',
    '`mean` below is `queue.serviceSeconds.mean` in the file.',
    '',
    ...kindTables({ path: '', members: distribution }, 'distribution', '###', { distribution: true }),
  );

  out.push(
    '## Overrides',
    '',
    'Any field can be set from the command line without editing the file, by its dotted path:',
    '',
    '```sh',
    "queuelab run simulations/mm1.yaml --set queue.servers=2 --set 'queue.serviceSeconds={kind: constant, value: 1}'",
    '```',
    '',
    'The value is read as YAML (`3` is a number, `true` a boolean, `{...}` a section), then the',
    'whole scenario is validated again, so a wrong value is reported like a wrong field in the file.',
    '',
    '## Errors',
    '',
    '`queuelab validate` and `queuelab run` report every problem at once, one line each, as',
    '`file:line: path: problem (hint)`, and exit with code 2:',
    '',
    '```',
    'bad.yaml:5: queue.arrivalRatePerSecond: must be > 0, got -1 (mean Poisson arrival rate λ, customers per second)',
    'bad.yaml:7: queue.custmers: unknown field (did you mean "customers"?)',
    '```',
    '',
  );

  const unused = [
    ...[...Object.keys(NOTES), ...Object.keys(MISSING_MEANINGS)].filter((key) => !usedNotes.has(key)),
    ...Object.keys(SECTION_NOTES).filter((name) => !sectionNames.includes(name)),
  ];
  if (unused.length > 0) throw new Error(`scenario-docs: notes for no field or kind of the schema (or one now described there): ${unused.join(', ')}`);
  return out.join('\n');
}

function expectSection(section: JsonSchema): string[] {
  const keys = Object.keys(section.properties ?? {});
  const metrics = Object.entries(EXPECT_METRICS);
  const expected = metrics.flatMap(([metric]) => EXPECT_BOUNDS.map((bound) => `${metric}${bound}`));
  if (JSON.stringify([...keys].sort()) !== JSON.stringify([...expected].sort())) {
    throw new Error('scenario-docs: the expect schema\'s keys are not EXPECT_METRICS × EXPECT_BOUNDS');
  }
  const forms: Record<(typeof EXPECT_BOUNDS)[number], string> = { '': 'exactly this', Min: 'at least this', Max: 'at most this' };
  const out = [
    `${sentence(cleanDescription(section.description ?? '').meaning)} The values are read from the run's summary.json. Each metric below`,
    'can be stated in three forms, alone or together (all optional, numbers):',
    '',
    '| key | the run passes when the metric is |',
    '|---|---|',
    ...EXPECT_BOUNDS.map((bound) => `| \`<metric>${bound}\`, e.g. \`lost${bound}\` | ${forms[bound]} |`),
    '',
    ...metrics
      .filter(([metric]) => /(Min|Max)$/.test(metric))
      .flatMap(([metric]) => [`The suffix goes after the whole name: \`${metric}\` is itself a metric, so "at most 5" is \`${metric}Max: 5\`.`, '']),
    '```yaml',
    'expect:',
    '  lost: 0              # no message lost',
    '  deliveredMin: 100000 # at least 100,000 delivered',
    '  p99OrderMsMax: 250   # p99 order confirmation at most 250 ms',
    '```',
    '',
    '| metric | meaning | unit |',
    '|---|---|---|',
  ];
  for (const [metric, what] of metrics) {
    // "p99 order confirmation latency, ms": a one-word unit after the last comma.
    const split = /^(.*), (\w+)$/.exec(what);
    const meaning = split?.[1] ?? what;
    const unit = split?.[2] ?? /\b(messages|orders|pushes|units)\b/.exec(what)?.[1] ?? 'count';
    out.push(`| \`${metric}\` | ${escape(meaning)} | ${escape(unit)} |`);
  }
  out.push('');
  return out;
}

interface Context {
  /** Inside a distribution: values are in the unit of the field holding it. */
  distribution?: boolean;
  /** The members of the union the fields belong to, to borrow a description a field lacks. */
  kindSiblings?: JsonSchema[];
}

function row(path: string, name: string, field: JsonSchema, type: string, required: string, context: Context, description?: string): Row {
  let text = description ?? field.description;
  if (text === undefined) {
    // A field without a description borrows the one of the same field in another kind.
    text = context.kindSiblings?.map((member) => member.properties?.[name]?.description).find((found) => found !== undefined);
  }
  const unit = unitOf(name, field, text ?? '', context);
  const cleaned = cleanDescription(unit.strip(text ?? ''));
  let defaultText = defaultOf(field);
  if (cleaned.defaultNote !== undefined && defaultText !== NO_VALUE) defaultText = `${defaultText} (${cleaned.defaultNote})`;
  return {
    path,
    type,
    unit: cleaned.noUnit ? NO_VALUE : unit.unit,
    default: defaultText,
    required,
    meaning: cleaned.meaning,
  };
}

function requiredText(field: JsonSchema, listed: boolean): string {
  if (/required without a sale section/.test(field.description ?? '')) return 'without `sale`';
  return listed && field.default === undefined ? 'yes' : 'no';
}

/** The members of a union keyed by a `kind` constant, or undefined. */
function kindMembers(schema: JsonSchema): JsonSchema[] | undefined {
  const members = schema.oneOf ?? schema.anyOf;
  if (members === undefined || members.length === 0) return undefined;
  return members.every((member) => member.properties?.['kind']?.const !== undefined) ? members : undefined;
}

function distributionMembers(): JsonSchema[] {
  const schema = z.toJSONSchema(distributionSchema, { target: 'draft-7', io: 'input' }) as JsonSchema;
  const members = kindMembers(schema);
  if (members === undefined) throw new Error('scenario-docs: distributionSchema is not a union by kind');
  return members.map(({ $schema: _ignored, ...member }: JsonSchema & { $schema?: unknown }) => member);
}

// ---------------------------------------------------------------------------------------
// Types, bounds and values

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole, fraction] = String(Math.abs(value)).split('.');
  if (whole === undefined || /e/i.test(whole)) return String(value);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function typeText(field: JsonSchema): string {
  if (field.const !== undefined) return `\`${String(field.const)}\``;
  if (field.enum !== undefined) return alternatives(field.enum.map((value) => `\`${String(value)}\``));
  const anyOf = field.anyOf ?? field.oneOf;
  if (anyOf !== undefined) return alternatives(anyOf.map(typeText));
  switch (field.type) {
    case 'integer':
      return withRange('whole number', field);
    case 'number':
      return withRange('number', field);
    case 'boolean':
      return '`true` or `false`';
    case 'string':
      return field.minLength !== undefined && field.minLength > 0 ? 'text, not empty' : 'text';
    case 'array': {
      const items = field.items;
      const count = field.minItems !== undefined && field.minItems > 0 ? `, at least ${formatNumber(field.minItems)}` : '';
      if (Array.isArray(items)) return `[${items.map(typeText).join(', ')}]`;
      if (items !== undefined && Array.isArray(items.items)) {
        // A list of fixed-length tuples: [value, probability] pairs and the like.
        return `list of ${typeText(items)} ${items.items.length === 2 ? 'pairs' : 'tuples'}${count}`;
      }
      return `list of ${items === undefined ? 'values' : typeText(items)}${count}`;
    }
    case 'object':
      return 'section';
    default:
      return 'any value';
  }
}

function alternatives(options: string[]): string {
  if (options.length <= 1) return options.join('');
  return `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]!}`;
}

function withRange(base: string, field: JsonSchema): string {
  const maximum = field.maximum !== undefined && field.maximum < Number.MAX_SAFE_INTEGER ? field.maximum : undefined;
  if (field.minimum !== undefined && maximum !== undefined) return `${base} ${formatNumber(field.minimum)} – ${formatNumber(maximum)}`;
  const bounds: string[] = [];
  if (field.minimum !== undefined) bounds.push(`≥ ${formatNumber(field.minimum)}`);
  if (field.exclusiveMinimum !== undefined) bounds.push(`> ${formatNumber(field.exclusiveMinimum)}`);
  if (maximum !== undefined) bounds.push(`≤ ${formatNumber(maximum)}`);
  if (field.exclusiveMaximum !== undefined) bounds.push(`< ${formatNumber(field.exclusiveMaximum)}`);
  return bounds.length === 0 ? base : `${base} ${bounds.join(', ')}`;
}

function defaultOf(field: JsonSchema): string {
  const value = field.default;
  if (value === undefined) return NO_VALUE;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value === '' ? 'empty' : `\`${value}\``;
  if (typeof value === 'boolean') return `\`${String(value)}\``;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : `\`${flowYaml(value)}\``;
  if (field.properties !== undefined) return 'all defaults';
  return `\`${flowYaml(value)}\``;
}

/** A value as YAML flow text, as one would write it in the file. */
function flowYaml(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, inner]) => `${key}: ${flowYaml(inner)}`).join(', ')}}`;
  }
  return String(value);
}

// ---------------------------------------------------------------------------------------
// Units and descriptions

interface Unit {
  unit: string;
  /** Removes from the description the words that the unit column now says. */
  strip: (description: string) => string;
}

const SALE_CLOCK = 's, sale clock';

function unitOf(name: string, field: JsonSchema, description: string, context: Context): Unit {
  const keep = (unit: string, ...phrases: RegExp[]): Unit => ({
    unit,
    strip: (text) => phrases.reduce((result, phrase) => result.replace(phrase, ''), text),
  });
  if (context.distribution) {
    const isValue = field.type === 'number' && name !== 'shape';
    return keep(isValue ? 'the field\'s' : name === 'points' ? 'the field\'s, probability' : NO_VALUE, /, in the unit the field name gives/);
  }
  const tuple = !Array.isArray(field.items) ? field.items?.items : undefined;
  if (Array.isArray(tuple)) {
    // [seconds, rate] points: the unit of each column, from its description.
    const units = tuple.map((item) => unitOf('', item, item.description ?? '', context).unit);
    return keep(units.every((unit) => unit === NO_VALUE) ? NO_VALUE : units.join('; '));
  }
  const perSecond = /(?:^|, )(\w+) per second/.exec(description);
  // "…, orders per second" loses the words to the unit column; "messages per second (…)" at the start keeps them.
  if (perSecond !== null) return keep(`${perSecond[1]!}/s`, new RegExp(`, ${perSecond[1]!} per second`));
  if (/PerSecond$/.test(name)) return keep('per second');
  if (/Ms$/.test(name)) return keep('ms', /, milliseconds\b/);
  if (/Micros$/.test(name)) return keep('µs', /, microseconds\b/);
  if (/Seconds$/.test(name) || /^time, seconds/.test(description)) {
    if (/relative to midnight|sale clock seconds/.test(description)) {
      return keep(SALE_CLOCK, /, seconds relative to midnight(, negative before it)?/, /, sale clock seconds/);
    }
    return keep('s', /, in seconds\b/, /, seconds(?= \(|$|;|:|,)/);
  }
  return keep(NO_VALUE);
}

interface Cleaned {
  meaning: string;
  /** A default said in the description in other words than the schema's value (`30 min`). */
  defaultNote?: string;
  /** The description says the value has no unit. */
  noUnit: boolean;
}

/** Clauses in parentheses that the type, default and required columns already say. */
const SAID_ELSEWHERE = [/^required( without a sale section)?$/, /^optional$/, /^no default$/, /^no unit$/, /^at least one$/, /^[<>]=? ?-?[\d.,]+$/, /^default .+$/];

function cleanDescription(description: string): Cleaned {
  let defaultNote: string | undefined;
  let noUnit = false;
  const saidElsewhere = (clause: string): boolean => {
    const text = clause.trim();
    if (text === 'no unit') noUnit = true;
    const stated = /^default (.+)$/.exec(text)?.[1];
    if (stated !== undefined && !/^-?[\d.,]+$/.test(stated)) defaultNote = stated;
    return SAID_ELSEWHERE.some((pattern) => pattern.test(text));
  };
  const meaning = description
    // The required column says "without `sale`"; keep only the why.
    .replace(/required without a sale section, which sets it/, 'a sale section sets it')
    .replace(/required without a sale section, where (.+?) sets it/, 'in a sale, $1 sets it')
    .replace(/\s*\(([^()]*)\)/g, (whole, inner: string) => {
      const kept = inner.split(';').filter((part) => {
        if (saidElsewhere(part)) return false;
        const pieces = part.split(',');
        return !(pieces.length > 1 && pieces.every((piece) => SAID_ELSEWHERE.some((pattern) => pattern.test(piece.trim())) && saidElsewhere(piece)));
      });
      if (kept.length === inner.split(';').length) return whole;
      return kept.length === 0 ? '' : ` (${kept.map((part) => part.trim()).join('; ')})`;
    })
    .trim();
  return { meaning: escape(meaning), defaultNote, noUnit };
}

// ---------------------------------------------------------------------------------------
// Markdown

function table(rows: Row[]): string[] {
  return [
    '| field | type / allowed values | unit | default | required | meaning |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| \`${row.path}\` | ${row.type} | ${row.unit} | ${row.default} | ${row.required} | ${row.meaning} |`),
  ];
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
