/**
 * The time series a run reports: one row per time bucket, one column per measure. The same
 * table feeds timeseries.csv, the charts of report.html and the app's live charts, so each
 * column says which chart it belongs to and in what unit it is measured.
 *
 * Rates are per second over the bucket; latency percentiles are over the messages delivered
 * in the bucket (NaN when none was); gauges are the value at the end of the bucket; counters
 * named "total" are cumulative since the start of the run.
 */
export type ChartId = 'throughput' | 'latency' | 'lag' | 'replication' | 'loss' | 'business';

export interface SeriesColumn {
  /** Stable machine name: the CSV header and the key the UI and report look up. */
  readonly key: string;
  /** Human name in English (the UI translates by key). */
  readonly label: string;
  readonly unit: string;
  readonly chart: ChartId;
}

export interface TimeSeries {
  readonly bucketSeconds: number;
  /** columns[0] is always `timeSeconds`: the simulated time at the end of the bucket. */
  readonly columns: readonly SeriesColumn[];
  /** rows[i][j] is the value of columns[j] in bucket i; NaN means "no data in this bucket". */
  readonly rows: readonly (readonly number[])[];
}

export const TIME_COLUMN: SeriesColumn = { key: 'timeSeconds', label: 'Time', unit: 's', chart: 'throughput' };

/** Appends rows of a fixed column set; the run layer samples the model once per bucket. */
export class TimeSeriesRecorder {
  private readonly rowsSoFar: number[][] = [];

  constructor(
    readonly columns: readonly SeriesColumn[],
    readonly bucketSeconds: number,
  ) {
    if (columns[0]?.key !== TIME_COLUMN.key) throw new Error('the first column of a time series must be timeSeconds');
  }

  push(row: readonly number[]): void {
    if (row.length !== this.columns.length) throw new Error(`row has ${row.length} values for ${this.columns.length} columns`);
    this.rowsSoFar.push([...row]);
  }

  get length(): number {
    return this.rowsSoFar.length;
  }

  table(): TimeSeries {
    return { bucketSeconds: this.bucketSeconds, columns: this.columns, rows: this.rowsSoFar };
  }
}

export function columnIndex(series: TimeSeries, key: string): number {
  return series.columns.findIndex((column) => column.key === key);
}
