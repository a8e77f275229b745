/**
 * Renders a realistic report into test-artifacts/ so that a person (or a headless browser) can
 * look at it: report-sample.html, report-sample.zh-CN.html and the two CSV files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SeriesColumn } from '../../../src/metrics/time-series';
import { htmlReport } from '../../../src/report/html-report';
import { summaryCsv, timeSeriesCsv } from '../../../src/report/timeseries-csv';
import { SAMPLE_COLUMNS, sampleSeries, sampleSummary } from './fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = path.join(ROOT, 'test-artifacts');

const EXTRA_COLUMNS: readonly SeriesColumn[] = [
  { key: 'underReplicatedPartitions', label: 'Under-replicated partitions', unit: 'partitions', chart: 'replication' },
  { key: 'offlinePartitions', label: 'Offline partitions', unit: 'partitions', chart: 'replication' },
  { key: 'lostPerSec', label: 'Lost per second', unit: 'msg/s', chart: 'loss' },
  { key: 'ordersAcceptedPerSec', label: 'Orders accepted', unit: 'orders/s', chart: 'business' },
  { key: 'ordersRejectedPerSec', label: 'Orders rejected', unit: 'orders/s', chart: 'business' },
];

/** The fixture's series over 10 s in 50 ms buckets, with replication and business columns added. */
function richSeries() {
  const base = sampleSeries(200, 0.05);
  const rows = base.rows.map((row) => {
    const t = row[0]!;
    const crashed = t > 5 && t <= 8;
    const produced = row[1]!;
    return [
      ...row,
      crashed ? 12 : 0,
      t > 5 && t <= 5.3 ? 12 : 0,
      t > 5 && t <= 5.35 ? 467 / 0.35 : 0,
      Math.min(produced, 50_000) * 0.8,
      Math.max(0, produced - 50_000) * 0.05,
    ];
  });
  return { ...base, columns: [...SAMPLE_COLUMNS, ...EXTRA_COLUMNS], rows };
}

describe('sample report artifact', () => {
  it('writes test-artifacts/report-sample.html (and the zh-CN version and CSVs)', () => {
    mkdirSync(OUT, { recursive: true });
    const summary = sampleSummary({
      timeline: [
        { atMs: 5_300, kind: 'leader-election', label: 'orders-3 leader broker-2 -> broker-1' },
        { atMs: 5_300, kind: 'leader-election', label: 'orders-7 leader broker-2 -> broker-3' },
        { atMs: 5_320, kind: 'leader-election', label: 'orders-11 leader broker-2 -> broker-1' },
        { atMs: 8_400, kind: 'isr-expand', label: 'broker-2 back in the ISR of 12 partitions' },
      ],
      faults: [
        { atMs: 5_000, kind: 'broker-crash', target: 'broker-2', endedAtMs: 8_000 },
        { atMs: 8_800, kind: 'network-partition', target: 'broker-3 | broker-1', endedAtMs: null },
      ],
    });
    const series = richSeries();
    const files: [string, string][] = [
      ['report-sample.html', htmlReport({ summary, series, generatedBy: 'queuelab 0.1.0 (sample)' })],
      ['report-sample.zh-CN.html', htmlReport({ summary, series, generatedBy: 'queuelab 0.1.0 (sample)', lang: 'zh-CN' })],
      ['timeseries-sample.csv', timeSeriesCsv(series)],
      ['summary-sample.csv', summaryCsv(summary)],
    ];
    for (const [name, text] of files) writeFileSync(path.join(OUT, name), text);
    expect(files[0]![1]).toContain('data-chart="business"');
  });
});
