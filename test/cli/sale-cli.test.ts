import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fake-io';

const HOT_SKU = fileURLToPath(new URL('../../simulations/hot-sku-oversell.yaml', import.meta.url));
const SHORT = ['--set', 'sale.traffic.endSeconds=1', '--set', 'sale.drainSeconds=2'];

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'queuelab-sale-cli-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('queuelab run on a sale scenario', () => {
  it('prints each expectation and exits 0 when all are met', async () => {
    const { code, stdout } = await cli(['run', HOT_SKU, ...SHORT]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/expectations: 1 met, 0 missed/);
    expect(stdout).toMatch(/met {4}oversoldMin >= 1: got [\d,]+/);
  });

  it('exits 3 and says MISSED when a stated expectation is missed', async () => {
    const { code, stdout, stderr } = await cli(['run', HOT_SKU, ...SHORT, '--set', 'sale.stock.deduction=atomic']);
    expect(code).toBe(3);
    expect(stdout).toContain('MISSED oversoldMin >= 1: got 0');
    expect(stderr).toBe('');
  });

  it('writes summary.json, timeseries.csv and report.html into --out', async () => {
    const out = join(temp, 'hot');
    const { code } = await cli(['run', HOT_SKU, ...SHORT, '--out', out, '--quiet']);
    expect(code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.business.oversold).toBeGreaterThan(0);
    const csv = (await readFile(join(out, 'timeseries.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toMatch(/^timeSeconds \[s\],producedPerSec \[msg\/s\],/);
    expect(csv[0]).toContain('oversoldTotal [units]');
    expect(csv.length - 1).toBe(3); // 0..3 s at 1 s buckets: rows at 1, 2 and 3 s
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Hot SKU oversell');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('replays a traffic CSV given relative to the scenario file', async () => {
    await writeFile(join(temp, 'rates.csv'), 'seconds,rate\n0,100\n1,400\n', 'utf8');
    const scenario = (await readFile(HOT_SKU, 'utf8')).replace('curve: { kind: constant, rate: 30000 }', 'curve: { kind: csv, file: rates.csv }');
    const path = join(temp, 'csv-sale.yaml');
    await writeFile(path, scenario, 'utf8');
    const { code, stdout } = await cli(['run', path, '--set', 'sale.traffic.endSeconds=2', '--set', 'sale.drainSeconds=1', '--set', 'expect.oversoldMin=0']);
    expect(code).toBe(0);
    const placed = Number(/orders: ([\d,]+) placed/.exec(stdout)![1]!.replaceAll(',', ''));
    // 100 orders in the first second, 400 in the next: Poisson, so within 4 sd of 500.
    expect(Math.abs(placed - 500)).toBeLessThan(4 * Math.sqrt(500));
  });

  it('names the file and the fix when the traffic CSV is missing or broken', async () => {
    const scenario = (await readFile(HOT_SKU, 'utf8')).replace('curve: { kind: constant, rate: 30000 }', 'curve: { kind: csv, file: nowhere.csv }');
    const path = join(temp, 'missing-csv.yaml');
    await writeFile(path, scenario, 'utf8');
    const missing = await cli(['run', path]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sale.traffic.curve.file: cannot read');
    await writeFile(join(temp, 'nowhere.csv'), 'seconds,rate\n0,100\n0,-5\n', 'utf8');
    const broken = await cli(['run', path]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/nowhere\.csv:3: /);
  });
});

describe('queuelab validate on sale scenarios: every problem at once, with path and fix', () => {
  async function problems(yaml: string): Promise<string[]> {
    const path = join(temp, `case-${Math.abs(hash(yaml))}.yaml`);
    await writeFile(path, yaml, 'utf8');
    const { code, stderr } = await cli(['validate', path]);
    expect(code).toBe(2);
    return stderr.trimEnd().split('\n');
  }

  it('a sale without a cluster, and cluster fields the sale sets itself', async () => {
    const base = 'version: 1\ntitle: t\nsale:\n  traffic: { curve: { kind: constant, rate: 10 }, endSeconds: 10 }\n';
    expect((await problems(base)).join('\n')).toContain('kafka: is required by the sale section');
    const lines = await problems(`${base}kafka:\n  runSeconds: 60\n  producer: { ratePerSecond: 5 }\n`);
    expect(lines.some((l) => l.includes('kafka.runSeconds: cannot be set in a sale scenario'))).toBe(true);
    expect(lines.some((l) => l.includes('kafka.producer.ratePerSecond: cannot be set in a sale scenario'))).toBe(true);
  });

  it('sales-node apply times that do not match the count, faults before the sale, unknown expectations', async () => {
    const lines = await problems(
      [
        'version: 1',
        'title: t',
        'kafka:',
        '  faults: [{ kind: broker-crash, broker: 0, atSeconds: -100 }]',
        'sale:',
        '  traffic: { curve: { kind: constant, rate: 10 }, endSeconds: 10 }',
        '  salesNodes: { count: 3, applyMicros: [1, 2] }',
        'expect: { oversld: 0 }',
      ].join('\n'),
    );
    const text = lines.join('\n');
    expect(text).toContain('sale.salesNodes.applyMicros: lists 2 nodes but count is 3');
    expect(text).toContain('kafka.faults[0].atSeconds: is -100, before the sale starts at -60');
    expect(text).toMatch(/expect\.oversld: .*did you mean "oversold"/);
  });
});

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}
