import { readFileSync } from 'node:fs';
import { buildSummary, type QueueingSummary, type Summary } from '../../src/report/summary';
import { runScenario } from '../../src/run';
import { loadScenario, type Override, type Scenario } from '../../src/scenario';

/** Loads a scenario from simulations/ exactly as the CLI does, failing loudly on problems. */
export function loadSimulation(fileName: string, overrides: Override[] = []): Scenario {
  const path = new URL(`../../simulations/${fileName}`, import.meta.url);
  const outcome = loadScenario(readFileSync(path, 'utf8'), { fileName, overrides });
  if (!outcome.ok) throw new Error(`${fileName}: ${JSON.stringify(outcome.problems)}`);
  return outcome.scenario;
}

export function runSimulation(fileName: string, overrides: Override[] = [], seed?: number): Summary {
  const scenario = loadSimulation(fileName, overrides);
  return buildSummary(runScenario(scenario, seed === undefined ? {} : { seed }));
}

/** summary.json without its one wall-clock field, for determinism comparisons. */
export function withoutWallTime(summary: Summary): Omit<Summary, 'wallSeconds'> {
  const { wallSeconds: _wallSeconds, ...rest } = summary;
  return rest;
}

/** The queueing section of a queue model's summary (fails loudly for other models). */
export function queueingOf(summary: Summary): QueueingSummary {
  if (summary.queueing === undefined) throw new Error(`${summary.scenario} has no queueing section`);
  return summary.queueing;
}
