import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  formatPath,
  formatProblem,
  loadScenario,
  parseOverride,
  splitPath,
  type Override,
  type ScenarioProblem,
} from '../../../src/scenario';

function override(text: string): Override {
  const parsed = parseOverride(text);
  if (!parsed.ok) throw new Error(`expected "${text}" to parse, got ${formatProblem(parsed.problem)}`);
  return parsed.override;
}

function apply(data: unknown, ...texts: string[]): unknown {
  const outcome = applyOverrides(data, texts.map(override));
  if (!outcome.ok) throw new Error(`expected the overrides to apply, got ${JSON.stringify(outcome.problems)}`);
  return outcome.data;
}

describe('parseOverride', () => {
  it.each([
    ['queue.servers=3', 'queue.servers', 3],
    ['queue.arrivalRatePerSecond=0.75', 'queue.arrivalRatePerSecond', 0.75],
    ['flag=true', 'flag', true],
    ['flag=false', 'flag', false],
    ['queue.serviceSeconds={kind: constant, value: 1}', 'queue.serviceSeconds', { kind: 'constant', value: 1 }],
    ['list=[1, 2]', 'list', [1, 2]],
    ['title=abc', 'title', 'abc'],
    ['title=two words', 'title', 'two words'],
    ['title="3"', 'title', '3'],
    ['nothing=null', 'nothing', null],
    ['title=', 'title', ''],
    ['  queue.servers  = 4 ', 'queue.servers', 4],
    ['title=a=b', 'title', 'a=b'],
  ])('%s -> %s = %j', (text, path, value) => {
    expect(parseOverride(text)).toEqual({ ok: true, override: { path, value } });
  });

  it('rejects text with no "=", with an example in the hint', () => {
    const parsed = parseOverride('queue.servers');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toMatchObject({ path: 'queue.servers', problem: 'is not of the form path=value' });
    expect(parsed.problem.hint).toContain('queue.servers=4');
  });

  it('rejects an empty path before "="', () => {
    expect(parseOverride('=3').ok).toBe(false);
  });

  it('rejects a value that is not readable YAML, naming the path', () => {
    const parsed = parseOverride('queue.serviceSeconds={kind: constant');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.path).toBe('queue.serviceSeconds');
    expect(parsed.problem.problem).toMatch(/^cannot read the value "\{kind: constant"/);
    expect(parsed.problem.hint).toBe('quote text values');
  });
});

describe('applyOverrides', () => {
  const DATA = { version: 1, title: 't', queue: { servers: 1, serviceSeconds: { kind: 'exponential', mean: 1 } } };

  it('returns the data itself when there is nothing to apply', () => {
    expect(applyOverrides(DATA, [])).toEqual({ ok: true, data: DATA });
  });

  it('sets top-level and nested fields, keeping the rest', () => {
    expect(apply(DATA, 'title=new', 'queue.servers=4', 'queue.serviceSeconds.mean=2.5')).toEqual({
      version: 1,
      title: 'new',
      queue: { servers: 4, serviceSeconds: { kind: 'exponential', mean: 2.5 } },
    });
  });

  it('replaces a whole section with a flow value', () => {
    expect(apply(DATA, 'queue.serviceSeconds={kind: constant, value: 1}')).toMatchObject({
      queue: { servers: 1, serviceSeconds: { kind: 'constant', value: 1 } },
    });
  });

  it('lets the later of two overrides of one path win', () => {
    expect(apply(DATA, 'queue.servers=2', 'queue.servers=3')).toMatchObject({ queue: { servers: 3 } });
  });

  it('creates missing sections, as lists when the next key is an index', () => {
    expect(apply({ version: 1 }, 'queue.servers=2', 'queue.serviceSeconds.points[1][0]=5')).toEqual({
      version: 1,
      queue: { servers: 2, serviceSeconds: { points: [undefined, [5]] } },
    });
  });

  it('sets inside an existing list by index', () => {
    const data = { points: [[0, 0], [1, 1]] };
    expect(apply(data, 'points[1][1]=0.5')).toEqual({ points: [[0, 0], [1, 0.5]] });
  });

  it('reports setting inside a scalar, naming the field that is a value', () => {
    const outcome = applyOverrides(DATA, [override('title.x=1'), override('queue.servers.max=3')]);
    expect(outcome).toEqual({
      ok: false,
      problems: [
        { path: 'title.x', problem: 'cannot set inside title, which is a value, not a section', hint: 'check the path' },
        { path: 'queue.servers.max', problem: 'cannot set inside queue.servers, which is a value, not a section', hint: 'check the path' },
      ],
    });
  });

  it('reports setting inside null as inside a value', () => {
    const outcome = applyOverrides({ description: null }, [override('description.text=x')]);
    expect(outcome.ok).toBe(false);
  });

  it('reports an empty path', () => {
    const outcome = applyOverrides(DATA, [{ path: '', value: 1 }]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0]!.problem).toBe('is an empty path');
  });

  it('does not mutate the input data, even when it creates sections', () => {
    const data = { version: 1, queue: { servers: 1, serviceSeconds: { kind: 'exponential', mean: 1 } } };
    const before = structuredClone(data);
    const outcome = applyOverrides(data, [override('queue.servers=8'), override('queue.serviceSeconds.mean=3'), override('extra.section=1')]);
    expect(outcome.ok).toBe(true);
    expect(data).toEqual(before);
    if (outcome.ok) expect(outcome.data).not.toBe(data);
  });

  it('does not mutate the input data when an override fails', () => {
    const data = { title: 't', queue: { servers: 1 } };
    const before = structuredClone(data);
    expect(applyOverrides(data, [override('queue.servers=2'), override('title.x=1')]).ok).toBe(false);
    expect(data).toEqual(before);
  });
});

describe('overrides through loadScenario', () => {
  const TEXT = [
    'version: 1',
    'title: t',
    'queue:',
    '  arrivalRatePerSecond: 0.5',
    '  serviceSeconds: { kind: exponential, mean: 1 }',
    '  customers: 20000',
    '',
  ].join('\n');

  function problemsWith(...texts: string[]): ScenarioProblem[] {
    const outcome = loadScenario(TEXT, { fileName: 'base.yaml', overrides: texts.map(override) });
    if (outcome.ok) throw new Error('expected the overrides to make the scenario invalid');
    return outcome.problems;
  }

  it('applies overrides before validation, so defaults still fill the rest', () => {
    const outcome = loadScenario(TEXT, {
      fileName: 'base.yaml',
      overrides: ['queue.servers=4', 'queue.warmupCustomers=0', 'seed=9', 'queue.serviceSeconds={kind: constant, value: 0.5}'].map(override),
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.scenario.seed).toBe(9);
    expect(outcome.scenario.queue).toEqual({
      servers: 4,
      arrivalRatePerSecond: 0.5,
      serviceSeconds: { kind: 'constant', value: 0.5 },
      customers: 20_000,
      warmupCustomers: 0,
      batches: 20,
    });
  });

  it('can repair a file: a missing required field given by --set', () => {
    const missing = TEXT.replace('  customers: 20000\n', '');
    expect(loadScenario(missing, { fileName: 'base.yaml' }).ok).toBe(false);
    expect(loadScenario(missing, { fileName: 'base.yaml', overrides: [override('queue.customers=5000')] }).ok).toBe(true);
  });

  it('reports an override that breaks the scenario at the field path, blaming --set rather than a file line', () => {
    const problems = problemsWith('queue.servers=0');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'queue.servers', problem: 'must be >= 1, got 0' });
    expect(problems[0]!.hint).toContain('--set');
    expect(problems[0]!.line).toBeUndefined();
    expect(formatProblem(problems[0]!, 'base.yaml')).toBe('base.yaml: queue.servers: must be >= 1, got 0 (number of parallel servers c; set by --set)');
  });

  it('blames --set for a field the file also has (no misleading line)', () => {
    const problems = problemsWith('queue.arrivalRatePerSecond=fast');
    expect(problems[0]).toMatchObject({ path: 'queue.arrivalRatePerSecond', problem: 'must be a number, got the text "fast"' });
    expect(problems[0]!.hint).toMatch(/; set by --set$/);
    expect(problems[0]!.line).toBeUndefined();
  });

  it('blames --set for an unknown field and an unknown kind it introduced', () => {
    const problems = problemsWith('queue.servrs=2', 'queue.serviceSeconds.kind=gamma');
    const byPath = Object.fromEntries(problems.map((problem) => [problem.path, problem]));
    expect(Object.keys(byPath).sort()).toEqual(['queue.serviceSeconds.kind', 'queue.servrs']);
    expect(byPath['queue.servrs']!.hint).toBe('did you mean "servers"?; set by --set');
    expect(byPath['queue.serviceSeconds.kind']!.hint).toMatch(/^use one of .*; set by --set$/);
  });

  it('reports problems from the file and from --set together', () => {
    const outcome = loadScenario(TEXT.replace('title: t', 'title: 42'), { fileName: 'base.yaml', overrides: [override('queue.servers=0')] });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((problem) => [problem.path, problem.line])).toEqual([
      ['title', 2],
      ['queue.servers', undefined],
    ]);
  });

  it('reports setting inside a scalar through loadScenario', () => {
    const problems = problemsWith('title.x=1');
    expect(problems).toEqual([{ path: 'title.x', problem: 'cannot set inside title, which is a value, not a section', hint: 'check the path' }]);
  });

  it('blames --set for a problem inside a section that --set replaced', () => {
    const problems = problemsWith('queue.serviceSeconds={kind: exponential, mean: -1}');
    expect(problems[0]).toMatchObject({ path: 'queue.serviceSeconds.mean' });
    expect(problems[0]!.hint).toContain('--set');
    expect(problems[0]!.line).toBeUndefined();
  });
});

describe('splitPath and formatPath', () => {
  it('split a.b[2][0].c into keys and format it back', () => {
    expect(splitPath('a.b[2][0].c')).toEqual(['a', 'b', 2, 0, 'c']);
    expect(formatPath(['a', 'b', 2, 0, 'c'])).toBe('a.b[2][0].c');
    expect(formatPath(splitPath('a.b[2][0].c'))).toBe('a.b[2][0].c');
  });

  it.each(['version', '$schema', 'queue.serviceSeconds.points[2][0]', 'queue.serviceSeconds.points[10]', 'a[0]'])('round-trips %s', (path) => {
    expect(formatPath(splitPath(path))).toBe(path);
  });

  it('reads a numeric dotted segment as an index and ignores empty segments', () => {
    expect(splitPath('points.1.0')).toEqual(['points', 1, 0]);
    expect(splitPath('a..b')).toEqual(['a', 'b']);
    expect(splitPath('')).toEqual([]);
  });
});
