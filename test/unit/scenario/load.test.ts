import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenario, type Scenario, type ScenarioProblem } from '../../../src/scenario';

/** Joins rows into a file text, so that a row's index + 1 is its line number in the tests. */
const file = (...rows: string[]): string => `${rows.join('\n')}\n`;

function load(text: string, fileName: string): Scenario {
  const outcome = loadScenario(text, { fileName });
  if (!outcome.ok) throw new Error(`expected ${fileName} to load, got:\n${outcome.problems.map((p) => formatProblem(p, fileName)).join('\n')}`);
  return outcome.scenario;
}

function problemsOf(text: string, fileName: string): ScenarioProblem[] {
  const outcome = loadScenario(text, { fileName });
  if (outcome.ok) throw new Error(`expected ${fileName} to be rejected, but it loaded`);
  expect(outcome.problems.length).toBeGreaterThan(0);
  return outcome.problems;
}

function problemAt(problems: readonly ScenarioProblem[], path: string): ScenarioProblem {
  const found = problems.filter((problem) => problem.path === path);
  expect(found, `exactly one problem at "${path}" in ${JSON.stringify(problems, null, 2)}`).toHaveLength(1);
  return found[0]!;
}

/** [path, line] pairs sorted by path: the shape most tests below compare against. */
const whereabouts = (problems: readonly ScenarioProblem[]): [string, number | undefined][] =>
  problems.map((problem): [string, number | undefined] => [problem.path, problem.line]).sort(([a], [b]) => a.localeCompare(b));

const ALL_KINDS = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'pareto', 'empirical'];

const MINIMAL_YAML = file(
  'version: 1',
  'title: Minimal M/M/1',
  'queue:',
  '  arrivalRatePerSecond: 0.5',
  '  serviceSeconds: { kind: exponential, mean: 1 }',
  '  customers: 20000',
);

describe('loadScenario: valid files', () => {
  it('loads valid YAML and fills in every default', () => {
    expect(load(MINIMAL_YAML, 'minimal.yaml')).toEqual({
      version: 1,
      title: 'Minimal M/M/1',
      description: '',
      seed: 1,
      queue: {
        servers: 1,
        arrivalRatePerSecond: 0.5,
        serviceSeconds: { kind: 'exponential', mean: 1 },
        customers: 20_000,
        warmupCustomers: 10_000,
        batches: 20,
      },
      slo: [],
    });
  });

  it('loads valid JSON alike, keeping given values over defaults', () => {
    const json = JSON.stringify(
      {
        $schema: './scenario.schema.json',
        version: 1,
        title: 'JSON',
        seed: 7,
        queue: { servers: 3, arrivalRatePerSecond: 2, serviceSeconds: { kind: 'constant', value: 1 }, customers: 5000, batches: 10 },
      },
      null,
      2,
    );
    expect(load(json, 'scenario.json')).toEqual({
      $schema: './scenario.schema.json',
      version: 1,
      title: 'JSON',
      description: '',
      seed: 7,
      queue: {
        servers: 3,
        arrivalRatePerSecond: 2,
        serviceSeconds: { kind: 'constant', value: 1 },
        customers: 5000,
        warmupCustomers: 10_000,
        batches: 10,
      },
      slo: [],
    });
  });

  it('reads .yml and upper-case extensions by the same rules', () => {
    expect(load(MINIMAL_YAML, 'minimal.yml').title).toBe('Minimal M/M/1');
    expect(load(JSON.stringify(load(MINIMAL_YAML, 'x.yaml')), 'MINIMAL.JSON').title).toBe('Minimal M/M/1');
  });
});

describe('loadScenario: a broken file reports every problem at once, each with its path and line', () => {
  const BROKEN_YAML = file(
    'version: 2', //                       1: wrong version
    'title: 42', //                        2: wrong type
    'description: several mistakes', //    3
    'queue:', //                           4: customers is missing here
    '  servers: two', //                   5: wrong type, nested
    '  arrivalRatePerSecond: -0.5', //     6: negative rate
    '  serviceSeconds:', //                7
    '    kind: gamma', //                  8: unknown distribution kind
    '    mean: 1', //                      9
    '  batchs: 20', //                    10: unknown field, a typo of "batches"
  );

  it('YAML: names every problem with its dotted path and 1-based line', () => {
    const problems = problemsOf(BROKEN_YAML, 'broken.yaml');
    expect(whereabouts(problems)).toEqual([
      ['queue.arrivalRatePerSecond', 6],
      ['queue.batchs', 10],
      // A missing field has no line of its own: it points at its section.
      ['queue.customers', 4],
      ['queue.servers', 5],
      ['queue.serviceSeconds.kind', 8],
      ['title', 2],
      ['version', 1],
    ]);
  });

  it('YAML: says what is wrong and what to do for each problem', () => {
    const problems = problemsOf(BROKEN_YAML, 'broken.yaml');

    const version = problemAt(problems, 'version');
    expect(version.problem).toBe('must be 1, got number 2');
    expect(version.hint).toContain('version 1');

    expect(problemAt(problems, 'title').problem).toBe('must be text, got number 42');
    expect(problemAt(problems, 'queue.servers').problem).toBe('must be a number, got the text "two"');

    const rate = problemAt(problems, 'queue.arrivalRatePerSecond');
    expect(rate.problem).toBe('must be > 0, got -0.5');
    expect(rate.hint).toContain('arrival rate');

    const kind = problemAt(problems, 'queue.serviceSeconds.kind');
    expect(kind.problem).toBe('unknown kind "gamma"');
    for (const allowed of ALL_KINDS) expect(kind.hint).toContain(`"${allowed}"`);

    const customers = problemAt(problems, 'queue.customers');
    expect(customers.problem).toBe('is required');
    expect(customers.hint).toMatch(/^add it: /);

    const typo = problemAt(problems, 'queue.batchs');
    expect(typo.problem).toBe('unknown field');
    expect(typo.hint).toBe('did you mean "batches"?');
  });

  it('YAML: formats each problem as file:line: path: problem (hint)', () => {
    const lines = problemsOf(BROKEN_YAML, 'broken.yaml').map((problem) => formatProblem(problem, 'broken.yaml'));
    expect(lines).toContain('broken.yaml:10: queue.batchs: unknown field (did you mean "batches"?)');
    expect(lines).toContain('broken.yaml:6: queue.arrivalRatePerSecond: must be > 0, got -0.5 (mean Poisson arrival rate λ, customers per second)');
    for (const line of lines) expect(line).toMatch(/^broken\.yaml:\d+: [\w.[\]$]+: .+ \(.+\)$/);
  });

  it('JSON: the same mistakes get the same paths, with JSON line numbers', () => {
    const json = file(
      '{',
      '  "version": 2,',
      '  "title": 42,',
      '  "queue": {',
      '    "servers": "two",',
      '    "arrivalRatePerSecond": -0.5,',
      '    "serviceSeconds": { "kind": "gamma", "mean": 1 },',
      '    "batchs": 20',
      '  }',
      '}',
    );
    expect(whereabouts(problemsOf(json, 'broken.json'))).toEqual([
      ['queue.arrivalRatePerSecond', 6],
      ['queue.batchs', 8],
      ['queue.customers', 4],
      ['queue.servers', 5],
      ['queue.serviceSeconds.kind', 7],
      ['title', 3],
      ['version', 2],
    ]);
  });

  it('suggests the closest field name inside a distribution, and lists the fields when nothing is close', () => {
    const problems = problemsOf(
      file(
        'version: 1',
        'title: t',
        'zzzzzz: 1',
        'queue:',
        '  arrivalRatePerSecond: 0.5',
        '  customers: 20000',
        '  serviceSeconds:',
        '    kind: exponential',
        '    mean: 1',
        '    meen: 2',
      ),
      'typos.yaml',
    );
    expect(whereabouts(problems)).toEqual([
      ['queue.serviceSeconds.meen', 10],
      ['zzzzzz', 3],
    ]);
    expect(problemAt(problems, 'queue.serviceSeconds.meen').hint).toBe('did you mean "mean"?');
    expect(problemAt(problems, 'zzzzzz').hint).toBe('remove it; fields here are: $schema, version, title, description, seed, queue, kafka, sale, expect, slo');
  });

  it('reports a missing top-level section without inventing a line', () => {
    const problems = problemsOf(file('version: 1', 'title: t'), 'no-queue.yaml');
    expect(whereabouts(problems)).toEqual([['queue', undefined]]);
    expect(problemAt(problems, 'queue').problem).toBe('is required: the scenario has neither a queue nor a kafka section');
  });

  it('counts lines the same in a file with Windows line endings', () => {
    const problems = problemsOf(BROKEN_YAML.replace(/\n/g, '\r\n'), 'crlf.yaml');
    expect(problemAt(problems, 'queue.batchs').line).toBe(10);
    expect(problemAt(problems, 'queue.serviceSeconds.kind').line).toBe(8);
  });
});

describe('loadScenario: syntax errors are problems with a line, never exceptions', () => {
  it('YAML: reports the line of a bad indentation', () => {
    const text = file('version: 1', 'title: t', 'queue:', '  servers: 1', ' customers: 3');
    let problems: ScenarioProblem[] = [];
    expect(() => (problems = problemsOf(text, 'indent.yaml'))).not.toThrow();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '', line: 5 });
    expect(problems[0]!.problem).toMatch(/^not valid YAML: /);
    expect(formatProblem(problems[0]!, 'indent.yaml')).toMatch(/^indent\.yaml:5: \(file\): not valid YAML: .+ \(.+\)$/);
  });

  it('YAML: reports tabs used as indentation at their line', () => {
    const problems = problemsOf(file('version: 1', '\ttitle: t'), 'tabs.yaml');
    expect(problems[0]).toMatchObject({ path: '', line: 2 });
    expect(problems[0]!.problem).toMatch(/^not valid YAML: .*[Tt]ab/);
  });

  it('JSON: reports a missing comma at the line where the next field starts', () => {
    const text = file('{', '  "version": 1,', '  "title": "t"', '  "queue": {}', '}');
    let problems: ScenarioProblem[] = [];
    expect(() => (problems = problemsOf(text, 'comma.json'))).not.toThrow();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '', line: 4 });
    expect(problems[0]!.problem).toMatch(/^not valid JSON: /);
  });

  it('JSON: reports a trailing comma with a line', () => {
    const problems = problemsOf(file('{', '  "version": 1,', '  "title": "t",', '}'), 'trailing.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(4);
    expect(problems[0]!.problem).toMatch(/^not valid JSON: /);
  });

  it('JSON: reports a file cut short with a line', () => {
    const problems = problemsOf(file('{', '  "version": 1,', '  "title": "t"'), 'cut.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toEqual(expect.any(Number));
  });

  it('JSON: a single-quoted string is one problem on one line, with a line number', () => {
    const problems = problemsOf(file('{', '  "version": 1,', "  \"title\": 't'", '}'), 'quotes.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(3);
    expect(formatProblem(problems[0]!, 'quotes.json')).not.toContain('\n');
  });
});

describe('loadScenario: JSON is strict JSON', () => {
  // Both texts are valid YAML (a superset of JSON) and would load as .yaml files.
  const WITH_COMMENT = file(
    '{',
    '  "version": 1,',
    '  "title": "t",',
    '  # a YAML comment',
    '  "queue": { "arrivalRatePerSecond": 0.5, "customers": 20000, "serviceSeconds": { "kind": "constant", "value": 1 } }',
    '}',
  );
  const UNQUOTED_KEYS = file(
    '{',
    '  "version": 1,',
    '  "title": "t",',
    '  queue: { arrivalRatePerSecond: 0.5, customers: 20000, serviceSeconds: { kind: constant, value: 1 } }',
    '}',
  );

  it('the same texts are accepted as YAML', () => {
    expect(load(WITH_COMMENT, 'comment.yaml').queue!.customers).toBe(20_000);
    expect(load(UNQUOTED_KEYS, 'unquoted.yaml').queue!.customers).toBe(20_000);
  });

  it('rejects a comment in a .json file, at its line, pointing to .yaml', () => {
    const problems = problemsOf(WITH_COMMENT, 'comment.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '', line: 4 });
    expect(problems[0]!.problem).toMatch(/^not valid JSON/);
    expect(problems[0]!.hint).toContain('.yaml');
  });

  it('rejects unquoted keys in a .json file, at their line', () => {
    const problems = problemsOf(UNQUOTED_KEYS, 'unquoted.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '', line: 4 });
    expect(problems[0]!.problem).toMatch(/^not valid JSON/);
  });

  it('rejects a YAML document saved as .json', () => {
    const problems = problemsOf(MINIMAL_YAML, 'actually-yaml.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).toMatch(/^not valid JSON/);
  });
});

describe('loadScenario: the file must be one mapping of fields', () => {
  it.each([
    ['a YAML list', 'list.yaml', file('- version: 1', '- title: t')],
    ['a YAML scalar', 'scalar.yaml', file('hello')],
    ['YAML null', 'null.yaml', file('null')],
    ['an empty YAML file', 'empty.yaml', ''],
    ['a YAML file with only a comment', 'comment.yaml', file('# nothing here')],
    ['a JSON list', 'list.json', '[{"version": 1}]'],
    ['a JSON string', 'string.json', '"hello"'],
    ['a JSON number', 'number.json', '42'],
    ['JSON null', 'null.json', 'null'],
  ])('%s is "not a scenario"', (_what, fileName, text) => {
    const problems = problemsOf(text, fileName);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '', problem: 'is not a scenario' });
    expect(problems[0]!.hint).toContain('version, title and queue');
  });

  it('an empty mapping is a scenario with its required fields missing', () => {
    expect(whereabouts(problemsOf('{}\n', 'empty-map.yaml')).map(([path]) => path)).toEqual(['queue', 'title', 'version']);
  });
});

describe('loadScenario: duplicate keys', () => {
  it('rejects a duplicate key in YAML at the line of the second one', () => {
    const problems = problemsOf(file('version: 1', 'title: first', 'title: second'), 'dup.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '', line: 3 });
    expect(problems[0]!.problem).toMatch(/^not valid YAML: .*unique/);
  });

  it('rejects a duplicate key nested in a section', () => {
    const text = file('version: 1', 'title: t', 'queue:', '  servers: 1', '  servers: 2');
    const problems = problemsOf(text, 'dup-nested.yml');
    expect(problems[0]).toMatchObject({ path: '', line: 5 });
  });

  it('rejects a duplicate key in JSON too (JSON.parse alone would keep the last one)', () => {
    const problems = problemsOf(file('{', '  "version": 1,', '  "version": 1', '}'), 'dup.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).toMatch(/^not valid JSON: .*unique/);
    expect(problems[0]!.line).toBe(3);
  });
});

describe('loadScenario: YAML aliases', () => {
  it('follows an anchor and alias like any other value', () => {
    const text = file(
      'version: 1',
      'title: t',
      'queue:',
      '  arrivalRatePerSecond: 0.5',
      '  customers: 20000',
      '  serviceSeconds: &service { kind: exponential, mean: 1 }',
      'description: *service',
    );
    // The alias puts a section where text belongs: an ordinary type problem.
    expect(problemAt(problemsOf(text, 'alias.yaml'), 'description').problem).toBe('must be text, got a section');
  });

  it('reports an alias to an unknown anchor as a problem instead of throwing', () => {
    const text = file('version: 1', 'title: t', 'queue: *nowhere');
    const outcome = loadScenario(text, { fileName: 'bad-alias.yaml' });
    expect(outcome.ok).toBe(false);
  });
});

describe('loadScenario: cross-field rules give path-precise problems', () => {
  const withService = (...serviceRows: string[]): string =>
    file('version: 1', 'title: t', 'queue:', '  arrivalRatePerSecond: 0.5', '  customers: 20000', '  serviceSeconds:', ...serviceRows);

  it('uniform: max below min is a problem at max, on max\'s line', () => {
    const problems = problemsOf(withService('    kind: uniform', '    min: 2', '    max: 1'), 'uniform.yaml');
    expect(whereabouts(problems)).toEqual([['queue.serviceSeconds.max', 9]]);
    expect(problems[0]!.problem).toBe('must be >= min (2), got 1');
    expect(problems[0]!.hint).toBe('swap min and max');
  });

  it('uniform: max equal to min is allowed', () => {
    expect(load(withService('    kind: uniform', '    min: 2', '    max: 2'), 'uniform.yaml').queue!.serviceSeconds).toEqual({
      kind: 'uniform',
      min: 2,
      max: 2,
    });
  });

  it('empirical: a valid CDF loads', () => {
    const scenario = load(withService('    kind: empirical', '    points:', '      - [0.1, 0]', '      - [0.5, 0.5]', '      - [2, 1]'), 'cdf.yaml');
    expect(scenario.queue!.serviceSeconds).toEqual({
      kind: 'empirical',
      points: [
        [0.1, 0],
        [0.5, 0.5],
        [2, 1],
      ],
    });
  });

  it('empirical: a first cumulative probability other than 0 is a problem at points[0][1]', () => {
    const problems = problemsOf(withService('    kind: empirical', '    points:', '      - [0.1, 0.2]', '      - [2, 1]'), 'cdf.yaml');
    expect(whereabouts(problems)).toEqual([['queue.serviceSeconds.points[0][1]', 9]]);
    expect(problems[0]!.problem).toBe('the first cumulative probability must be 0');
  });

  it('empirical: a last cumulative probability other than 1 is a problem at the last point', () => {
    const problems = problemsOf(
      withService('    kind: empirical', '    points:', '      - [0.1, 0]', '      - [1, 0.5]', '      - [2, 0.9]'),
      'cdf.yaml',
    );
    expect(whereabouts(problems)).toEqual([['queue.serviceSeconds.points[2][1]', 11]]);
    expect(problems[0]!.problem).toBe('the last cumulative probability must be 1');
  });

  it('empirical: a decreasing probability is a problem at that point', () => {
    const problems = problemsOf(
      withService('    kind: empirical', '    points:', '      - [0.1, 0]', '      - [1, 0.6]', '      - [1.5, 0.4]', '      - [2, 1]'),
      'cdf.yaml',
    );
    expect(whereabouts(problems)).toEqual([['queue.serviceSeconds.points[2]', 11]]);
    expect(problems[0]!.problem).toBe('is lower than the point before it');
  });

  it('empirical: a decreasing value is a problem at that point', () => {
    const problems = problemsOf(
      withService('    kind: empirical', '    points:', '      - [0.1, 0]', '      - [1, 0.5]', '      - [0.5, 0.7]', '      - [2, 1]'),
      'cdf.yaml',
    );
    expect(whereabouts(problems)).toEqual([['queue.serviceSeconds.points[2]', 11]]);
  });

  it('empirical: all three rules at once, each at its own point and line', () => {
    const problems = problemsOf(
      withService('    kind: empirical', '    points:', '      - [0.1, 0.1]', '      - [0.5, 0.6]', '      - [0.4, 0.5]', '      - [2, 0.9]'),
      'cdf.yaml',
    );
    expect(whereabouts(problems)).toEqual([
      ['queue.serviceSeconds.points[0][1]', 9],
      ['queue.serviceSeconds.points[2]', 11],
      ['queue.serviceSeconds.points[3][1]', 12],
    ]);
  });

  it('empirical: a probability above 1 is caught by the schema at its cell', () => {
    const problems = problemsOf(withService('    kind: empirical', '    points:', '      - [0, 0]', '      - [1, 1.5]'), 'cdf.yaml');
    expect(whereabouts(problems)).toEqual([['queue.serviceSeconds.points[1][1]', 10]]);
    expect(problems[0]!.problem).toBe('must be <= 1, got 1.5');
  });
});

describe('every scenario in simulations/ loads without problems', () => {
  const folder = new URL('../../../simulations/', import.meta.url);
  const scenarioFiles = readdirSync(folder)
    .filter((name) => /\.(ya?ml|json)$/i.test(name) && !name.endsWith('.schema.json'))
    .sort();

  it('finds both YAML and JSON scenarios', () => {
    expect(scenarioFiles.some((name) => name.endsWith('.json'))).toBe(true);
    expect(scenarioFiles.some((name) => /\.ya?ml$/.test(name))).toBe(true);
  });

  it.each(scenarioFiles)('%s', (name) => {
    const scenario = load(readFileSync(new URL(name, folder), 'utf8'), name);
    expect(scenario.version).toBe(1);
    expect(scenario.title).not.toBe('');
    expect(scenario.description, `${name} should say what it teaches`).not.toBe('');
  });
});

describe('kafka scenarios: Kafka configuration rules', () => {
  const kafka = (...lines: string[]) => ['version: 1', 'title: t', 'kafka:', ...lines].join('\n');
  const base = ['  runSeconds: 10', '  producer: { ratePerSecond: 10, stopAtSeconds: 5 }'];

  it('fills in Kafka 4 defaults: RF 3 on 3 brokers, acks=all, min.insync.replicas=1, unclean off', () => {
    const outcome = loadScenario(kafka(...base), { fileName: 'k.yaml' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.kafka).toMatchObject({
      brokers: 3,
      replicationFactor: 3,
      minInsyncReplicas: 1,
      uncleanLeaderElection: false,
      replicaLagTimeMaxMs: 30_000,
      producer: { acks: 'all', requestTimeoutMs: 30_000, retryBackoffMs: 100, lingerMs: 5, batchSizeBytes: 16_384, maxInFlightRequestsPerConnection: 5, bufferMemoryBytes: 33_554_432, maxBlockMs: 60_000 },
      consumers: { count: 1, maxPollRecords: 500 },
    });
  });

  it('rejects a replication factor above the brokers, min.insync above it, unknown brokers and faults that end first', () => {
    const outcome = loadScenario(
      kafka(
        '  brokers: 2',
        '  replicationFactor: 3',
        '  minInsyncReplicas: 4',
        ...base,
        '  faults:',
        '    - { kind: broker-crash, broker: 5, atSeconds: 3, restartAtSeconds: 2 }',
      ),
      { fileName: 'k.yaml' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => [p.path, p.line])).toEqual([
      ['kafka.replicationFactor', 5],
      ['kafka.minInsyncReplicas', 6],
      ['kafka.faults[0].broker', 10],
      ['kafka.faults[0].restartAtSeconds', 10],
    ]);
  });

  it('needs exactly one of queue and kafka', () => {
    const neither = loadScenario('version: 1\ntitle: t\n', { fileName: 'n.yaml' });
    expect(neither.ok).toBe(false);
    if (!neither.ok) expect(neither.problems[0]!.problem).toMatch(/neither a queue nor a kafka/);
  });

  it('rejects acks other than 0, 1 and all', () => {
    const outcome = loadScenario(kafka('  runSeconds: 10', '  producer: { ratePerSecond: 10, stopAtSeconds: 5, acks: 2 }'), { fileName: 'k.yaml' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0]).toMatchObject({ path: 'kafka.producer.acks', problem: 'must be 0 or 1 or "all", got number 2' });
  });
});
