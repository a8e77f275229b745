import type { ChartId } from '../../metrics/time-series';
import type { MessageKey } from '../i18n';

/**
 * The live charts: which columns of the run's time series each one draws, with which class (the
 * role colour plus a dash pattern, so that the lines read in grey-scale too) and which unit.
 * They all share one time axis: 0 to the end of the run.
 */
export interface ChartSeries {
  key: string;
  label: MessageKey;
  className: string;
}

export interface ChartDef {
  id: ChartId;
  title: MessageKey;
  unit: MessageKey;
  scale: 'linear' | 'log';
  curve: 'linear' | 'step';
  series: ChartSeries[];
  /** Smallest top of the y axis, so that a flat zero line still has a readable axis. */
  minTop: number;
  integer?: boolean;
}

export const CHARTS: readonly ChartDef[] = [
  {
    id: 'throughput',
    title: 'chart.throughput',
    unit: 'unit.msgPerSec',
    scale: 'linear',
    curve: 'linear',
    minTop: 10,
    series: [
      { key: 'producedPerSec', label: 'series.producedPerSec', className: 's-produced' },
      { key: 'deliveredPerSec', label: 'series.deliveredPerSec', className: 's-delivered' },
    ],
  },
  {
    id: 'latency',
    title: 'chart.latency',
    unit: 'unit.ms',
    scale: 'log',
    curve: 'linear',
    minTop: 10,
    series: [
      { key: 'e2eP50Ms', label: 'series.e2eP50Ms', className: 's-p50' },
      { key: 'e2eP95Ms', label: 'series.e2eP95Ms', className: 's-p95' },
      { key: 'e2eP99Ms', label: 'series.e2eP99Ms', className: 's-p99' },
      { key: 'orderP99Ms', label: 'series.orderP99Ms', className: 's-order-p99' },
    ],
  },
  {
    id: 'lag',
    title: 'chart.lag',
    unit: 'unit.messages',
    scale: 'linear',
    curve: 'linear',
    minTop: 10,
    integer: true,
    series: [{ key: 'consumerLag', label: 'series.consumerLag', className: 's-lag' }],
  },
  {
    id: 'replication',
    title: 'chart.replication',
    unit: 'unit.replicas',
    scale: 'linear',
    curve: 'step',
    minTop: 3,
    integer: true,
    series: [
      { key: 'minIsr', label: 'series.minIsr', className: 's-isr' },
      { key: 'underReplicated', label: 'series.underReplicated', className: 's-urp' },
      { key: 'offline', label: 'series.offline', className: 's-offline' },
    ],
  },
  {
    id: 'loss',
    title: 'chart.loss',
    unit: 'unit.messages',
    scale: 'linear',
    curve: 'step',
    minTop: 10,
    integer: true,
    series: [
      { key: 'lostTotal', label: 'series.lostTotal', className: 's-lost' },
      { key: 'duplicatesTotal', label: 'series.duplicatesTotal', className: 's-duplicates' },
      { key: 'rejectedTotal', label: 'series.rejectedTotal', className: 's-rejected' },
    ],
  },
  {
    id: 'business',
    title: 'chart.business',
    unit: 'unit.ordersPerSec',
    scale: 'linear',
    curve: 'linear',
    minTop: 10,
    series: [
      { key: 'ordersPerSec', label: 'series.ordersPerSec', className: 's-produced' },
      { key: 'confirmedPerSec', label: 'series.confirmedPerSec', className: 's-delivered' },
      { key: 'rejectedPerSec', label: 'series.rejectedPerSec', className: 's-rejected' },
    ],
  },
];

/** The charts whose columns the run's series has, each with only the series present. */
export function chartsFor(columnKeys: readonly string[]): ChartDef[] {
  const present = new Set(columnKeys);
  return CHARTS.map((def) => ({ ...def, series: def.series.filter((s) => present.has(s.key)) })).filter((def) => def.series.length > 0);
}

/** The row whose bucket holds `seconds` (rows end at their time), or the last row. */
export function rowAt(rows: readonly (readonly number[])[], seconds: number | null): readonly number[] | undefined {
  if (rows.length === 0) return undefined;
  if (seconds === null) return rows[rows.length - 1];
  let low = 0;
  let high = rows.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (rows[middle]![0]! < seconds) low = middle + 1;
    else high = middle;
  }
  return rows[low];
}
