import { buildSummary, type Summary } from '../../../src/report/summary';
import { runScenario, type KafkaRunResult } from '../../../src/run';
import type { Override } from '../../../src/scenario';
import { columnIndex, type TimeSeries } from '../../../src/metrics/time-series';
import { loadSimulation } from '../../helpers/run-file';

export interface SaleRun {
  summary: Summary;
  series: TimeSeries;
  result: KafkaRunResult;
}

/** Runs a sale file from simulations/ (with overrides) and returns its summary and series. */
export function runSale(fileName: string, overrides: Override[] = []): SaleRun {
  const result = runScenario(loadSimulation(fileName, overrides));
  if (result.model !== 'kafka') throw new Error(`${fileName} is not a Kafka scenario`);
  return { summary: buildSummary(result), series: result.series, result };
}

export const set = (path: string, value: unknown): Override => ({ path, value });

/** The values of one column, with the time of each row. */
export function column(series: TimeSeries, key: string): { t: number; v: number }[] {
  const index = columnIndex(series, key);
  if (index < 0) throw new Error(`no column ${key}`);
  return series.rows.map((row) => ({ t: row[0]!, v: row[index]! }));
}

export function business(summary: Summary): NonNullable<Summary['business']> {
  if (summary.business === undefined) throw new Error(`${summary.scenario} has no business section`);
  return summary.business;
}
