import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seriesCsv } from '../../../src/ui/state/files';
import { applyParams, paramsOf, validate } from '../../../src/ui/state/scenario-edit';
import { findShortcut, SHORTCUTS } from '../../../src/ui/shortcuts';

describe('the page', () => {
  it('carries the renderer CSP of src/ipc/csp.ts in its meta tag', async () => {
    const html = readFileSync('src/ui/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    if (existsSync('src/ipc/csp.ts')) {
      const { CONTENT_SECURITY_POLICY } = (await import('../../../src/ipc/csp')) as { CONTENT_SECURITY_POLICY: string };
      expect(meta).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toContain('unsafe-eval');
  });
});

describe('scenario parameters', () => {
  const text = readFileSync('simulations/failover-acks-all.yaml', 'utf8');

  it('writes the panel values into the text, keeping the comments, and validates like the CLI', () => {
    const loaded = validate(text, 'failover-acks-all.yaml');
    if (!loaded.ok) throw new Error('invalid');
    const values = paramsOf(loaded.scenario)!;
    expect(values).toEqual({
      partitions: '1',
      replicationFactor: '3',
      acks: 'all',
      minInsyncReplicas: '2',
      consumers: '1',
      ratePerSecond: '100',
      lingerMs: '5',
      batchSizeBytes: '16384',
      maxInFlight: '5',
    });
    const edited = applyParams(text, 'failover-acks-all.yaml', { ...values, acks: '1', partitions: '4' });
    expect(edited.ok).toBe(true);
    if (!edited.ok) return;
    expect(edited.scenario.kafka).toMatchObject({ partitions: 4, producer: { acks: 1 } });
    expect(edited.text).toContain('# yaml-language-server');
    expect(edited.text).not.toMatch(/lingerMs|batchSizeBytes|maxInFlight/); // untouched defaults stay out of the file
    const bad = applyParams(text, 'failover-acks-all.yaml', { ...values, replicationFactor: '5', consumers: 'many' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    for (const line of bad.problems) expect(line).toMatch(/^failover-acks-all\.yaml:(\d+: )?kafka\.\S+: .+/);
    expect(bad.problems.join('\n')).toMatch(/kafka\.consumers\.count/);
  });

  it("edits the producer's batching, and refuses what Kafka's producer refuses, naming the field", () => {
    const loaded = validate(text, 'failover-acks-all.yaml');
    if (!loaded.ok) throw new Error('invalid');
    const values = paramsOf(loaded.scenario)!;
    const edited = applyParams(text, 'failover-acks-all.yaml', { ...values, lingerMs: '20', batchSizeBytes: '65536', maxInFlight: '1' });
    if (!edited.ok) throw new Error(edited.problems.join('\n'));
    expect(edited.scenario.kafka!.producer).toMatchObject({ lingerMs: 20, batchSizeBytes: 65_536, maxInFlightRequestsPerConnection: 1 });
    // Idempotence is on by default with acks=all: Kafka 4 refuses more than 5 requests in flight.
    const bad = applyParams(text, 'failover-acks-all.yaml', { ...values, maxInFlight: '6' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.join('\n')).toMatch(/kafka\.producer\.maxInFlightRequestsPerConnection: .*at most 5/);
  });

  it('leaves the producer rate to the traffic in a sale', () => {
    const sale = validate(readFileSync('simulations/double12.yaml', 'utf8'), 'double12.yaml');
    if (!sale.ok) throw new Error('invalid');
    expect(paramsOf(sale.scenario)).not.toHaveProperty('ratePerSecond');
  });

  it("edits a sale's traffic and stock, and refuses a negative surge in the CLI's words", () => {
    const text = readFileSync('simulations/double12.yaml', 'utf8');
    const sale = validate(text, 'double12.yaml');
    if (!sale.ok) throw new Error('invalid');
    const values = paramsOf(sale.scenario)!;
    expect(values).toMatchObject({ trafficBaseline: '20000', trafficPeakMultiplier: '29.15', unitsPerItem: '1000', pushRatePerSecond: '150000' });
    expect(values).not.toHaveProperty('trafficRate'); // a spike has no single rate
    const edited = applyParams(text, 'double12.yaml', { ...values, trafficBaseline: '2000', unitsPerItem: '50' });
    if (!edited.ok) throw new Error(edited.problems.join('\n'));
    expect(edited.scenario.sale!.traffic.curve).toMatchObject({ kind: 'spike', baseline: 2000 });
    expect(edited.scenario.sale!.stock.unitsPerItem).toBe(50);
    expect(edited.text).toContain('# yaml-language-server'); // comments kept
    const bad = applyParams(text, 'double12.yaml', { ...values, trafficPeakMultiplier: '-3' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.join('\n')).toMatch(/sale\.traffic\.curve\.peakMultiplier/);
  });
});

describe('CSV export and shortcuts', () => {
  it('writes the series as CSV with a byte order mark and empty cells for no data', () => {
    const csv = seriesCsv({
      bucketSeconds: 1,
      columns: [{ key: 'timeSeconds', label: 'Time', unit: 's', chart: 'throughput' }, { key: 'e2eP99Ms', label: 'p99', unit: 'ms', chart: 'latency' }],
      rows: [[1, NaN], [2, 3.5]],
    });
    // The same file as the CLI's timeseries.csv, behind a byte order mark.
    expect(csv).toBe('\uFEFFtimeSeconds [s],e2eP99Ms [ms]\n1,\n2,3.5\n');
  });

  it('maps keys to actions, but not while typing', () => {
    const key = (k: string, target: object = { closest: () => null, isContentEditable: false, getAttribute: () => null }, shiftKey = false) =>
      ({ key: k, shiftKey, ctrlKey: false, metaKey: false, altKey: false, target }) as unknown as KeyboardEvent;
    expect(findShortcut(key(' '))?.label).toBe('shortcut.playPause');
    expect(findShortcut(key('ArrowRight'))?.label).toBe('shortcut.step');
    expect(findShortcut(key('ArrowRight', undefined, true))?.label).toBe('shortcut.stepEvent');
    expect(findShortcut(key('4'))?.label).toBe('shortcut.speedMax');
    expect(findShortcut(key('?'))?.label).toBe('shortcut.help');
    const input = { closest: (s: string) => (s.includes('input') ? {} : null), isContentEditable: false, getAttribute: () => null };
    expect(findShortcut(key(' ', input))).toBeUndefined();
    expect(new Set(SHORTCUTS.map((s) => s.label)).size).toBe(SHORTCUTS.length);
  });
});
