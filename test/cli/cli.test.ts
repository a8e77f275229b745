import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliOutcome } from './fake-io';
import type { Summary } from '../../src/report/summary';
import { ENGINE_VERSION } from '../../src/engine';
import { loadScenario, scenarioJsonSchema } from '../../src/scenario';

/**
 * `queuelab` run in-process with a fake CliIo: files are read from disk, output is collected,
 * summary.json lands in a temporary folder. Every invocation is also checked for stack traces.
 */
const SIMULATIONS = fileURLToPath(new URL('../../simulations/', import.meta.url));
const MM1 = join(SIMULATIONS, 'mm1.yaml');
const MD1_JSON = join(SIMULATIONS, 'md1-half-load.json');
/** Keeps runs of mm1.yaml well under a second. */
const SMALL = ['--set', 'queue.customers=20000'];

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'queuelab-cli-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function tempFile(name: string, text: string): Promise<string> {
  const path = join(temp, name);
  await writeFile(path, text, 'utf8');
  return path;
}

/** Runs and returns the summary.json written by --out, with the printed output. */
async function runWithOut(name: string, argv: string[]): Promise<CliOutcome & { summary: Summary; summaryPath: string }> {
  const outDir = join(temp, name);
  const outcome = await cli([...argv, '--out', outDir]);
  expect(outcome.code, outcome.stderr).toBe(0);
  const summaryPath = join(outDir, 'summary.json');
  const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as Summary;
  return { ...outcome, summary, summaryPath };
}

/** mm1-like but fast and without warm-up: 100 arrivals per second at 95 % load. */
const FAST_YAML = [
  'version: 1',
  'title: Fast M/M/1 at 95 % load',
  'queue:',
  '  arrivalRatePerSecond: 100',
  '  serviceSeconds: { kind: exponential, mean: 0.0095 }',
  '  customers: 20000',
  '  warmupCustomers: 0',
  '',
].join('\n');

const BROKEN_YAML = [
  'version: 2',
  'title: 42',
  'queue:',
  '  servers: two',
  '  arrivalRatePerSecond: -1',
  '  serviceSeconds: { kind: gamma, mean: 1 }',
  '  batchs: 3',
  '',
].join('\n');

describe('queuelab validate', () => {
  it('says "valid" with the title and exits 0 for a valid YAML file', async () => {
    const { code, stdout, stderr } = await cli(['validate', MM1]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${MM1}: valid (M/M/1 at 90 % load)\n`);
    expect(stderr).toBe('');
  });

  it('validates a JSON file alike', async () => {
    const { code, stdout } = await cli(['validate', MD1_JSON]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/: valid \(.+\)\n$/);
  });

  it('exits 2 for a broken file and prints one line per problem, file:line: path: problem (hint)', async () => {
    const path = await tempFile('broken.yaml', BROKEN_YAML);
    const { code, stdout, stderr } = await cli(['validate', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    const expected = loadScenario(BROKEN_YAML, { fileName: path });
    expect(expected.ok).toBe(false);
    expect(lines).toHaveLength(expected.ok ? 0 : expected.problems.length);
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      expect(line.startsWith(`${path}:`), line).toBe(true);
      expect(line).toMatch(/^\S+:\d+: [\w.[\]$]+: .+ \(.+\)$/);
    }
    expect(lines).toContain(`${path}:7: queue.batchs: unknown field (did you mean "batches"?)`);
    expect(lines.some((line) => line.startsWith(`${path}:6: queue.serviceSeconds.kind: unknown kind "gamma" (use one of "constant"`))).toBe(true);
  });

  it('exits 2 for a YAML syntax error, naming the line', async () => {
    const path = await tempFile('syntax.yaml', 'version: 1\ntitle: t\nqueue:\n  servers: 1\n customers: 3\n');
    const { code, stderr } = await cli(['validate', path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: \\(file\\): not valid YAML: `));
  });

  it('applies --set before checking, and blames --set for what it broke', async () => {
    const ok = await cli(['validate', MM1, '--set', 'queue.servers=4', '--set', 'title=Renamed']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid (Renamed)');

    const bad = await cli(['validate', MM1, '--set', 'queue.servers=0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`${MM1}: queue.servers: must be >= 1, got 0 (number of parallel servers c; set by --set)\n`);
  });

  it('exits 2 for a --set without "="', async () => {
    const { code, stderr } = await cli(['validate', MM1, '--set', 'queue.servers']);
    expect(code).toBe(2);
    expect(stderr).toBe('--set queue.servers: is not of the form path=value (e.g. --set queue.servers=4)\n');
  });

  it('exits 2 for a --set inside a value', async () => {
    const { code, stderr } = await cli(['validate', MM1, '--set', 'title.x=1']);
    expect(code).toBe(2);
    expect(stderr).toContain('title.x: cannot set inside title, which is a value, not a section');
  });
});

describe('user mistakes exit 2 with a one-line reason', () => {
  it('unknown flag', async () => {
    const { code, stdout, stderr } = await cli(['run', MM1, '--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown option '--bogus'");
  });

  it('unknown command', async () => {
    const { code, stderr } = await cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('missing scenario argument', async () => {
    const { code, stderr } = await cli(['validate']);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'scenario'");
  });

  it.each([['validate'], ['run']])('%s of a missing file: "no such file"', async (command) => {
    const missing = join(temp, 'does-not-exist.yaml');
    const { code, stdout, stderr } = await cli([command, missing]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${missing}: cannot read the scenario: no such file (give the path of a .yaml or .json scenario)\n`);
  });

  it('a folder instead of a file', async () => {
    const { code, stderr } = await cli(['validate', temp]);
    expect(code).toBe(2);
    expect(stderr).toContain('is a folder, not a file');
  });

  it.each(['abc', '-1', '1.5', '', '9007199254740992'])('bad --seed %j', async (seed) => {
    const { code, stdout, stderr } = await cli(['run', MM1, '--seed', seed]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`--seed: must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got "${seed}"\n`);
  });

  it.each(['forever', '1e3', '-5s', '10 years', ''])('bad --until %j', async (until) => {
    const { code, stdout, stderr } = await cli(['run', MM1, '--until', until]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`--until: "${until}" is not a duration (write e.g. 60s, 500ms, 2m or 1h)\n`);
  });

  it('pdf, which only the desktop app makes', async () => {
    const { code, stdout, stderr } = await cli(['run', MM1, '--format', 'pdf']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      '--format: "pdf" is made by the desktop app (File > Export report as PDF); from the CLI, print report.html to PDF (use summary, csv, html)\n',
    );
  });

  it('an unknown --format, with every bad format listed', async () => {
    const { code, stderr } = await cli(['run', MM1, '--format', 'xml,json']);
    expect(code).toBe(2);
    expect(stderr).toBe('--format: unknown format "xml" (use summary, csv, html)\n--format: unknown format "json" (use summary, csv, html)\n');
  });

  it('a broken scenario given to run', async () => {
    const path = await tempFile('broken-run.yaml', BROKEN_YAML);
    const { code, stdout, stderr } = await cli(['run', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(7);
  });

  it('bench with too few customers', async () => {
    const { code, stderr } = await cli(['bench', '--customers', '5']);
    expect(code).toBe(2);
    expect(stderr).toBe('--customers: must be a whole number >= 1000, got "5"\n');
  });

  it('bench with a bad --kafka-seconds says what it takes', async () => {
    const { code, stderr } = await cli(['bench', '--kafka-seconds', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^--kafka-seconds: must be a whole number of simulated seconds >= 0 \(0 skips the Kafka benchmark\), got "soon"/);
  });
});

describe('queuelab run', () => {
  it('writes summary.json following the summary contract and prints the measured-vs-theory table', async () => {
    const { stdout, stderr, summary, summaryPath } = await runWithOut('contract', ['run', MM1, ...SMALL]);
    expect(stderr).toBe('');

    expect(summary).toMatchObject({
      schema: 1,
      scenario: 'M/M/1 at 90 % load',
      seed: 1,
      engineVersion: ENGINE_VERSION,
      traceHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      simulatedSeconds: expect.any(Number),
      wallSeconds: expect.any(Number),
      events: expect.any(Number),
      messages: {
        produced: expect.any(Number),
        acked: expect.any(Number),
        delivered: expect.any(Number),
        duplicates: expect.any(Number),
        lost: expect.any(Number),
        inFlight: expect.any(Number),
        rejected: expect.any(Number),
        lostByCause: expect.any(Object),
      },
      invariants: { conservation: true, violations: [] },
    });
    for (const latency of ['endToEnd', 'queueWait', 'service'] as const) {
      const l = summary.latencyMs[latency]!;
      expect(Object.keys(l).sort(), latency).toEqual(['max', 'mean', 'p50', 'p95', 'p99', 'p999']);
      for (const value of Object.values(l)) expect(Number.isFinite(value) && value >= 0, `${latency}: ${JSON.stringify(l)}`).toBe(true);
      expect(l.p50).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.p99);
      expect(l.p99).toBeLessThanOrEqual(l.p999);
      expect(l.p999).toBeLessThanOrEqual(l.max);
    }

    const m = summary.messages;
    // 10,000 warm-up + 20,000 measured (+ 1 arrival that closes the last batch), all served.
    expect(m.produced).toBeGreaterThanOrEqual(30_000);
    expect(m.delivered).toBe(m.produced);
    expect(m.inFlight).toBe(0);
    expect(m.delivered + m.lost + m.inFlight + m.rejected).toBe(m.produced);
    expect(summary.events).toBeGreaterThanOrEqual(2 * m.produced);
    expect(summary.simulatedSeconds).toBeGreaterThan(0);
    expect(summary.wallSeconds).toBeGreaterThan(0);

    // The table: a header, one row per quantity with measured ± half-width, theory and verdict.
    expect(stdout).toContain(`M/M/1 at 90 % load  (${MM1}, seed 1)`);
    expect(stdout).toContain(`trace hash ${summary.traceHash}`);
    expect(stdout).toMatch(/quantity\s+measured ± half-width\s+theory\s+theory in interval/);
    for (const row of ['mean sojourn W (s)', 'mean wait Wq (s)', 'mean in system L', 'p99 sojourn (s)']) {
      expect(stdout).toMatch(new RegExp(`${row.replace(/[()]/g, '\\$&')}\\s+[\\d.]+ ± [\\d.]+ \\([\\d.]+ %\\)\\s+[\\d.]+\\s+(inside|OUTSIDE)`));
    }
    expect(stdout).toContain("Little's law: L = ");
    expect(stdout).toContain('conservation holds');
    expect(stdout).toContain(`summary.json written to ${summaryPath}`);
  });

  it('prints the table without writing anything when --out is not given', async () => {
    const { code, stdout } = await cli(['run', MD1_JSON, ...SMALL]);
    expect(code).toBe(0);
    expect(stdout).toContain('M/D/1');
    expect(stdout).not.toContain('written to');
  });

  it('is deterministic: the same seed gives the same summary except wallSeconds', async () => {
    const { wallSeconds: _first, ...first } = (await runWithOut('same-1', ['run', MM1, ...SMALL])).summary;
    const { wallSeconds: _second, ...second } = (await runWithOut('same-2', ['run', MM1, ...SMALL])).summary;
    expect(second).toEqual(first);
  });

  it('--seed 2 changes the trace hash against seed 1 and is recorded', async () => {
    const seed1 = (await runWithOut('seed-1', ['run', MM1, ...SMALL, '--seed', '1'])).summary;
    const seed2 = await runWithOut('seed-2', ['run', MM1, ...SMALL, '--seed', '2']);
    expect(seed2.summary.seed).toBe(2);
    expect(seed2.summary.traceHash).not.toBe(seed1.traceHash);
    expect(seed2.stdout).toContain('seed 2)');
  });

  it('--seed overrides the seed written in the scenario', async () => {
    const path = await tempFile('seed-7.yaml', FAST_YAML.replace('version: 1', 'version: 1\nseed: 7'));
    const fromFile = (await runWithOut('seed-from-file', ['run', path])).summary;
    const fromFlag = (await runWithOut('seed-from-flag', ['run', path, '--seed', '1'])).summary;
    expect(fromFile.seed).toBe(7);
    expect(fromFlag.seed).toBe(1);
    expect(fromFlag.traceHash).not.toBe(fromFile.traceHash);
  });

  it('--until 100s stops at 100 s simulated, leaving customers in flight, with conservation', async () => {
    const path = await tempFile('fast.yaml', FAST_YAML);
    const full = (await runWithOut('until-full', ['run', path])).summary;
    const { summary, stdout } = await runWithOut('until-100s', ['run', path, '--until', '100s']);
    expect(summary.simulatedSeconds).toBe(100);
    expect(summary.messages.inFlight).toBeGreaterThan(0);
    expect(summary.messages.produced).toBeLessThan(full.messages.produced);
    expect(summary.messages.delivered + summary.messages.lost + summary.messages.inFlight + summary.messages.rejected).toBe(
      summary.messages.produced,
    );
    expect(summary.invariants).toEqual({ conservation: true, violations: [] });
    expect(summary.traceHash).not.toBe(full.traceHash);
    expect(stdout).toContain(`${summary.messages.inFlight} in system`);
  });

  it('--until accepts other units: 1.5m is 90 s', async () => {
    const path = await tempFile('fast-minutes.yaml', FAST_YAML);
    expect((await runWithOut('until-minutes', ['run', path, '--until', '1.5m'])).summary.simulatedSeconds).toBe(90);
  });

  it('--until before the warm-up ends completes, says why there are no intervals, and balances', async () => {
    const { code, stdout, stderr, summary } = await runWithOut('until-early', ['run', MM1, ...SMALL, '--until', '100s']);
    expect(code).toBe(0);
    expect(stderr).not.toContain('the run failed');
    expect(stdout).toMatch(/no intervals: only 0 of \d+ measured batches completed/);
    expect(summary.queueing!.sojournSecondsMean).toBeNull();
    expect(summary.queueing!.measurementNote).toMatch(/run longer/);
    const m = summary.messages;
    expect(m.inFlight).toBeGreaterThan(0);
    expect(m.produced).toBe(m.delivered + m.inFlight + m.lost + m.rejected);
  });

  it('--until after the last customer leaves stops at the last departure, adding no idle time', async () => {
    const natural = (await runWithOut('natural-end', ['run', MM1, ...SMALL, '--quiet'])).summary;
    const late = (await runWithOut('until-late', ['run', MM1, ...SMALL, '--until', '1000000h', '--quiet'])).summary;
    expect(late.simulatedSeconds).toBe(natural.simulatedSeconds);
    expect(late.simulatedSeconds as number).toBeLessThan(3_600_000_000);
    expect(late.traceHash).toBe(natural.traceHash);
  });

  it('--quiet prints nothing to stdout, yet writes summary.json', async () => {
    const { stdout, stderr, summary } = await runWithOut('quiet', ['run', MM1, ...SMALL, '--quiet']);
    expect(stdout).toBe('');
    expect(stderr).toBe('');
    expect(summary.schema).toBe(1);
  });

  it('draws progress on a terminal stderr and clears it at the end, but not with --quiet', async () => {
    const shown = await cli(['run', MM1, ...SMALL], { stderrIsTty: true });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('% of the run done');
    expect(shown.stderr.endsWith('\r\x1b[K')).toBe(true);

    const quiet = await cli(['run', MM1, ...SMALL, '--quiet'], { stderrIsTty: true });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('accepts --out with a trailing slash', async () => {
    const outDir = join(temp, 'trailing');
    const { code, stdout } = await cli(['run', MM1, ...SMALL, '--out', `${outDir}/`]);
    expect(code).toBe(0);
    expect(stdout).toContain(`summary.json written to ${outDir}/summary.json`);
    expect(JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')).schema).toBe(1);
  });
});

describe('other commands', () => {
  it('schema prints the JSON Schema of scenario files', async () => {
    const { code, stdout, stderr } = await cli(['schema']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(scenarioJsonSchema());
  });

  it('--help exits 0 and lists the commands', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: queuelab');
    for (const command of ['run', 'validate', 'schema', 'bench']) expect(stdout).toContain(`  ${command}`);
  });

  it('run --help exits 0 and lists the run flags', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--seed', '--set', '--out', '--until', '--format', '--quiet']) expect(stdout).toContain(flag);
  });

  it('--version prints the engine version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(ENGINE_VERSION);
  });

  it('bench with a small customer count prints its three rows', async () => {
    const { code, stdout } = await cli(['bench', '--customers', '2000', '--kafka-seconds', '0']);
    expect(code).toBe(0);
    expect(stdout).toContain('2,000 customers');
    for (const row of ['baseline', 'kernel', 'station']) expect(stdout).toContain(row);
    expect(stdout).not.toContain('real time');
  });

  it('bench runs the Kafka benchmark scenario for the simulated seconds asked', async () => {
    const { code, stdout } = await cli(['bench', '--customers', '1000', '--kafka-seconds', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain('600,000 messages/s into 9 brokers');
    expect(stdout).toMatch(/1 simulated s in [\d.]+ wall s: [\d.]+x real time/);
    // About 600,000 messages in the first simulated second (Poisson).
    const messages = Number(/events \([\d.]+ M events\/s, [\d.]+ per message\), ([\d,]+) messages/.exec(stdout)![1]!.replaceAll(',', ''));
    expect(messages).toBeGreaterThan(590_000);
    expect(messages).toBeLessThan(610_000);
  });
});
