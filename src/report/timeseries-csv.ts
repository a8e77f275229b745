import type { TimeSeries } from '../metrics/time-series';
import { plainNumber } from './format';
import type { Summary } from './summary';

/**
 * timeseries.csv and summary.csv: RFC 4180 fields (quoted when they hold a comma, a quote or
 * a line break; quotes doubled), `\n` line ends and a final newline. Numbers are plain
 * decimals (no exponent, at most 6 decimals); NaN, "no data in this bucket", is an empty cell.
 */

/** One row per bucket; the header is each column's key with its unit: `producedPerSec [msg/s]`. */
export function timeSeriesCsv(series: TimeSeries): string {
  const header = series.columns.map((column) => (column.unit === '' ? column.key : `${column.key} [${column.unit}]`));
  const lines = [csvLine(header)];
  for (const row of series.rows) {
    if (row.length !== series.columns.length) throw new Error(`time-series row has ${row.length} values for ${series.columns.length} columns`);
    lines.push(csvLine(row.map(plainNumber)));
  }
  return lines.join('\n') + '\n';
}

/**
 * summary.json flattened for spreadsheets: two columns `field,value`, one row per leaf, with
 * dotted paths (`messages.lostByCause.acked-then-leader-failed-unreplicated`) and array
 * indexes as path parts (`faults.0.atMs`). null and empty objects or arrays are empty cells.
 */
export function summaryCsv(summary: Summary): string {
  const rows: [string, string][] = [];
  flatten(summary, '', rows);
  return [csvLine(['field', 'value']), ...rows.map(csvLine)].join('\n') + '\n';
}

/** One CSV field: quoted only when it must be. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

function flatten(value: unknown, path: string, rows: [string, string][]): void {
  if (value === null || value === undefined) {
    if (value === null) rows.push([path, '']);
    return;
  }
  if (typeof value === 'number') return void rows.push([path, plainNumber(value)]);
  if (typeof value === 'string') return void rows.push([path, value]);
  if (typeof value === 'boolean') return void rows.push([path, value ? 'true' : 'false']);
  if (typeof value !== 'object') return void rows.push([path, String(value)]);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  if (entries.length === 0 && path !== '') return void rows.push([path, '']);
  for (const [key, child] of entries) flatten(child, path === '' ? key : `${path}.${key}`, rows);
}
