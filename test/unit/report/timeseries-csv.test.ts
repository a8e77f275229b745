import { describe, expect, it } from 'vitest';
import type { TimeSeries } from '../../../src/metrics/time-series';
import { csvField, summaryCsv, timeSeriesCsv } from '../../../src/report/timeseries-csv';
import { parseCsv } from './csv-parse';
import { sampleSeries, sampleSummary } from './fixtures';

/** Reads a CSV cell back as the number it stands for: empty is NaN. */
const cellNumber = (text: string): number => (text === '' ? NaN : Number(text));

describe('timeSeriesCsv', () => {
  const series = sampleSeries();
  const text = timeSeriesCsv(series);
  const table = parseCsv(text);

  it('writes a header of column keys with their units, and one row per bucket', () => {
    expect(table[0]).toEqual([
      'timeSeconds [s]',
      'producedPerSec [msg/s]',
      'deliveredPerSec [msg/s]',
      'e2eP50Ms [ms]',
      'e2eP99Ms [ms]',
      'consumerLag [msg]',
      'lostTotal [msg]',
    ]);
    expect(table).toHaveLength(series.rows.length + 1);
  });

  it('round-trips: every value parses back to the original within 6 decimals, NaN as NaN', () => {
    let nanCells = 0;
    series.rows.forEach((row, i) => {
      const parsed = (table[i + 1] ?? []).map(cellNumber);
      expect(parsed).toHaveLength(row.length);
      row.forEach((value, j) => {
        const back = parsed[j]!;
        if (Number.isNaN(value)) {
          nanCells++;
          expect(back, `row ${i} column ${j}`).toBeNaN();
        } else {
          expect(Math.abs(back - value), `row ${i} column ${j}: ${value} -> ${back}`).toBeLessThanOrEqual(5e-7);
        }
      });
    });
    expect(nanCells).toBeGreaterThan(0); // the fixture has buckets with nothing delivered
  });

  it('writes NaN as an empty cell', () => {
    const nanRow = series.rows.findIndex((row) => row.some(Number.isNaN));
    const line = text.split('\n')[nanRow + 1]!;
    expect(line).toMatch(/,,/);
    expect(table[nanRow + 1]![3]).toBe('');
  });

  it('uses \\n line ends, a trailing newline, no exponents and at most 6 decimals', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text).not.toContain('\r');
    for (const cell of table.slice(1).flat()) {
      expect(cell).not.toMatch(/e/i);
      expect(cell).toMatch(/^(-?\d+(\.\d{1,6})?)?$/);
    }
  });

  it('writes awkward numbers plainly', () => {
    const awkward: TimeSeries = {
      bucketSeconds: 1,
      columns: [
        { key: 'timeSeconds', label: 'Time', unit: 's', chart: 'throughput' },
        { key: 'x', label: 'X', unit: '', chart: 'throughput' },
      ],
      rows: [
        [1, 0.1 + 0.2],
        [2, 1e21],
        [3, 1.5e-7],
        [4, -0],
        [5, 123_456_789 + 0.123_456_7],
        [6, -2.5e-9],
        [7, Infinity],
      ],
    };
    const cells = parseCsv(timeSeriesCsv(awkward)).slice(1).map((row) => row[1]);
    expect(cells).toEqual(['0.3', '1000000000000000000000', '0.00000015', '0', '123456789.123457', '-0.0000000025', 'Infinity']);
    expect(parseCsv(timeSeriesCsv(awkward))[0]).toEqual(['timeSeconds [s]', 'x']);
  });

  it('quotes fields with commas, quotes and line breaks, and they parse back', () => {
    const key = 'lag, "orders"\ngroup';
    const odd: TimeSeries = {
      bucketSeconds: 1,
      columns: [
        { key: 'timeSeconds', label: 'Time', unit: 's', chart: 'throughput' },
        { key, label: 'Lag', unit: 'msg, total', chart: 'lag' },
      ],
      rows: [[1, 2]],
    };
    const text = timeSeriesCsv(odd);
    expect(text.split('\n')[0]).toBe('timeSeconds [s],"lag, ""orders""');
    expect(parseCsv(text)).toEqual([
      ['timeSeconds [s]', `${key} [msg, total]`],
      ['1', '2'],
    ]);
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('rejects a row of the wrong width', () => {
    const broken: TimeSeries = { ...sampleSeries(2), rows: [[1, 2]] };
    expect(() => timeSeriesCsv(broken)).toThrow(/2 values for 7 columns/);
  });

  it('writes only the header for an empty series', () => {
    expect(timeSeriesCsv(sampleSeries(0))).toBe(
      'timeSeconds [s],producedPerSec [msg/s],deliveredPerSec [msg/s],e2eP50Ms [ms],e2eP99Ms [ms],consumerLag [msg],lostTotal [msg]\n',
    );
  });
});

describe('summaryCsv', () => {
  const summary = sampleSummary({ scenario: 'Sale, "Double 12"' });
  const table = parseCsv(summaryCsv(summary));
  const fields = new Map(table.slice(1).map(([field = '', value = '']) => [field, value]));

  it('has two columns, field and value, with dotted paths', () => {
    expect(table[0]).toEqual(['field', 'value']);
    expect(table.every((row) => row.length === 2)).toBe(true);
    expect(fields.get('scenario')).toBe('Sale, "Double 12"');
    expect(fields.get('messages.produced')).toBe('583000');
    expect(fields.get('messages.lostByCause.acked-then-leader-failed-unreplicated')).toBe('450');
    expect(fields.get('latencyMs.endToEnd.p99')).toBe('742');
    expect(fields.get('faults.0.kind')).toBe('broker-crash');
    expect(fields.get('faults.0.endedAtMs')).toBe('8000');
    expect(fields.get('expectations.1.met')).toBe('false');
    expect(fields.get('invariants.conservation')).toBe('true');
    expect(fields.get('invariants.violations')).toBe(''); // an empty list still has its row
  });

  it('round-trips every leaf of summary.json', () => {
    const leaves: [string, unknown][] = [];
    const walk = (value: unknown, path: string): void => {
      if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value);
        if (entries.length === 0) leaves.push([path, '']);
        for (const [key, child] of entries) walk(child, path === '' ? key : `${path}.${key}`);
      } else leaves.push([path, value]);
    };
    walk(summary, '');
    expect([...fields.keys()]).toEqual(leaves.map(([path]) => path));
    for (const [path, value] of leaves) {
      const text = fields.get(path)!;
      if (typeof value === 'number') expect(Number(text), path).toBeCloseTo(value, 6);
      else expect(text, path).toBe(value === null ? '' : String(value));
    }
  });

  it('writes null as an empty cell', () => {
    const open = sampleSummary({ faults: [{ atMs: 1, kind: 'k', target: 't', endedAtMs: null }] });
    expect(summaryCsv(open)).toContain('\nfaults.0.endedAtMs,\n');
  });
});
