import { parseDocument } from 'yaml';
import { formatProblem, loadScenario, type Scenario } from '../../scenario';
import type { MessageKey } from '../i18n';

/**
 * The scenario panel's parameters, edited as strings and written back into the scenario text
 * (comments kept), then validated by the same code as `queuelab validate`, so the problems
 * read exactly as the CLI prints them: `file:line: path: problem (hint)`.
 */
export type ParamKey =
  | 'partitions'
  | 'replicationFactor'
  | 'acks'
  | 'minInsyncReplicas'
  | 'consumers'
  | 'ratePerSecond'
  | 'lingerMs'
  | 'batchSizeBytes'
  | 'maxInFlight'
  | 'trafficRate'
  | 'trafficBaseline'
  | 'trafficPeakMultiplier'
  | 'unitsPerItem'
  | 'pushRatePerSecond';

export interface ParamSpec {
  key: ParamKey;
  label: MessageKey;
  path: readonly string[];
  input: 'int' | 'number' | 'acks';
}

export const PARAMS: readonly ParamSpec[] = [
  { key: 'partitions', label: 'param.partitions', path: ['kafka', 'partitions'], input: 'int' },
  { key: 'replicationFactor', label: 'param.replicationFactor', path: ['kafka', 'replicationFactor'], input: 'int' },
  { key: 'acks', label: 'param.acks', path: ['kafka', 'producer', 'acks'], input: 'acks' },
  { key: 'minInsyncReplicas', label: 'param.minInsyncReplicas', path: ['kafka', 'minInsyncReplicas'], input: 'int' },
  { key: 'consumers', label: 'param.consumers', path: ['kafka', 'consumers', 'count'], input: 'int' },
  { key: 'ratePerSecond', label: 'param.ratePerSecond', path: ['kafka', 'producer', 'ratePerSecond'], input: 'number' },
  // The producer's batching: linger.ms, batch.size and max.in.flight.requests.per.connection.
  { key: 'lingerMs', label: 'param.lingerMs', path: ['kafka', 'producer', 'lingerMs'], input: 'number' },
  { key: 'batchSizeBytes', label: 'param.batchSizeBytes', path: ['kafka', 'producer', 'batchSizeBytes'], input: 'int' },
  { key: 'maxInFlight', label: 'param.maxInFlight', path: ['kafka', 'producer', 'maxInFlightRequestsPerConnection'], input: 'int' },
  // The sale's traffic: the rate of a constant curve, or a spike's baseline and surge.
  { key: 'trafficRate', label: 'param.trafficRate', path: ['sale', 'traffic', 'curve', 'rate'], input: 'number' },
  { key: 'trafficBaseline', label: 'param.trafficBaseline', path: ['sale', 'traffic', 'curve', 'baseline'], input: 'number' },
  { key: 'trafficPeakMultiplier', label: 'param.trafficPeakMultiplier', path: ['sale', 'traffic', 'curve', 'peakMultiplier'], input: 'number' },
  { key: 'unitsPerItem', label: 'param.unitsPerItem', path: ['sale', 'stock', 'unitsPerItem'], input: 'int' },
  { key: 'pushRatePerSecond', label: 'param.pushRatePerSecond', path: ['sale', 'push', 'ratePerSecond'], input: 'number' },
];

/** The parameters the scenario has (a sale sets the producer rate through its traffic, so that one is absent there). */
export type ParamValues = Partial<Record<ParamKey, string>>;

export function paramsOf(scenario: Scenario): ParamValues | null {
  const kafka = scenario.kafka;
  if (kafka === undefined) return null;
  const values: ParamValues = {
    partitions: String(kafka.partitions),
    replicationFactor: String(kafka.replicationFactor),
    acks: String(kafka.producer.acks),
    minInsyncReplicas: String(kafka.minInsyncReplicas),
    consumers: String(kafka.consumers.count),
    lingerMs: String(kafka.producer.lingerMs),
    batchSizeBytes: String(kafka.producer.batchSizeBytes),
    maxInFlight: String(kafka.producer.maxInFlightRequestsPerConnection),
  };
  if (kafka.producer.ratePerSecond !== undefined && scenario.sale === undefined) values.ratePerSecond = String(kafka.producer.ratePerSecond);
  const sale = scenario.sale;
  if (sale !== undefined) {
    const curve = sale.traffic.curve;
    if (curve.kind === 'constant') values.trafficRate = String(curve.rate);
    if (curve.kind === 'spike') {
      values.trafficBaseline = String(curve.baseline);
      values.trafficPeakMultiplier = String(curve.peakMultiplier);
    }
    values.unitsPerItem = String(sale.stock.unitsPerItem);
    values.pushRatePerSecond = String(sale.push.ratePerSecond);
  }
  return values;
}

/** A field's text as the value to write: numbers as numbers, anything else as typed (the validator says what is wrong). */
function valueOf(text: string): string | number {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export type EditOutcome =
  | { ok: true; text: string; scenario: Scenario }
  | { ok: false; text: string; problems: string[] };

/**
 * Writes the values that differ from the scenario's into its text and validates the result: a
 * default the user did not touch (linger.ms 5, say) stays out of the file.
 */
export function applyParams(text: string, fileName: string, values: ParamValues): EditOutcome {
  const document = parseDocument(text);
  if (document.errors.length > 0) return validate(text, fileName);
  const before = validate(text, fileName);
  const current = before.ok ? paramsOf(before.scenario) : null;
  for (const param of PARAMS) {
    const value = values[param.key];
    if (value !== undefined && (current === null || current[param.key] !== value.trim())) document.setIn([...param.path], valueOf(value));
  }
  const isJson = fileName.toLowerCase().endsWith('.json');
  const edited = isJson ? `${JSON.stringify(document.toJS(), null, 2)}\n` : document.toString();
  return validate(edited, fileName);
}

export function validate(text: string, fileName: string): EditOutcome {
  const outcome = loadScenario(text, { fileName });
  if (outcome.ok) return { ok: true, text, scenario: outcome.scenario };
  return { ok: false, text, problems: outcome.problems.map((problem) => formatProblem(problem, fileName)) };
}
