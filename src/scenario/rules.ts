import type { ScenarioProblem } from './problems';
import { trafficRules } from './traffic-schema';

/**
 * Rules that span several fields (and Kafka's configuration rules). They read the raw data defensively, so that they run even
 * when the schema has found problems elsewhere and every problem is reported at once; a
 * field the schema rejects is simply not checked again here.
 */
export function crossFieldProblems(data: unknown): ScenarioProblem[] {
  const queue = field(data, 'queue');
  const kafka = field(data, 'kafka');
  const problems: ScenarioProblem[] = [];
  if ((queue === undefined) === (kafka === undefined)) {
    problems.push({
      path: queue === undefined ? 'queue' : 'kafka',
      problem: queue === undefined ? 'is required: the scenario has neither a queue nor a kafka section' : 'cannot stand beside a queue section',
      hint: 'give exactly one: queue for a queueing station, kafka for a Kafka cluster',
    });
  }
  problems.push(...distributionProblems('queue.serviceSeconds', field(queue, 'serviceSeconds')));
  problems.push(...distributionProblems('kafka.consumers.processingSeconds', field(field(kafka, 'consumers'), 'processingSeconds')));
  problems.push(...kafkaProblems(kafka));
  problems.push(...saleProblems(field(data, 'sale'), kafka));
  return problems;
}

/** A sale runs on the kafka section's cluster, whose producer and clock it then drives. */
function saleProblems(sale: unknown, kafka: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const producer = field(kafka, 'producer');
  if (sale === undefined) {
    if (kafka === undefined) return problems;
    if (field(kafka, 'runSeconds') === undefined) problems.push({ path: 'kafka.runSeconds', problem: 'is required', hint: 'how long to simulate, in seconds, e.g. runSeconds: 60' });
    if (field(producer, 'ratePerSecond') === undefined) problems.push({ path: 'kafka.producer.ratePerSecond', problem: 'is required', hint: 'messages per second, e.g. ratePerSecond: 1000' });
    if (field(producer, 'stopAtSeconds') === undefined) problems.push({ path: 'kafka.producer.stopAtSeconds', problem: 'is required', hint: 'when the producer stops, in seconds, at most runSeconds' });
    return problems;
  }
  if (kafka === undefined) {
    problems.push({ path: 'kafka', problem: 'is required by the sale section', hint: 'the sale runs on a Kafka cluster: add a kafka section with brokers, partitions and consumers' });
    return problems;
  }
  for (const [path, value] of [
    ['kafka.runSeconds', field(kafka, 'runSeconds')],
    ['kafka.producer.ratePerSecond', field(producer, 'ratePerSecond')],
    ['kafka.producer.stopAtSeconds', field(producer, 'stopAtSeconds')],
  ] as const) {
    if (value !== undefined) problems.push({ path, problem: 'cannot be set in a sale scenario', hint: 'sale.traffic sets the rate and its start and end; sale.drainSeconds the run\'s end. Remove this field' });
  }
  for (const problem of trafficRules(field(sale, 'traffic'), 'sale.traffic')) problems.push({ path: problem.path, problem: problem.message, hint: '' });
  const nodes = field(sale, 'salesNodes');
  const apply = field(nodes, 'applyMicros');
  const count = field(nodes, 'count');
  if (Array.isArray(apply) && typeof count === 'number' && apply.length !== count) {
    problems.push({ path: 'sale.salesNodes.applyMicros', problem: `lists ${apply.length} nodes but count is ${count}`, hint: 'give one value for all nodes or exactly one per node' });
  }
  const start = field(field(sale, 'traffic'), 'startSeconds');
  const runStart = typeof start === 'number' ? start : -60;
  const faults = field(kafka, 'faults');
  if (Array.isArray(faults)) {
    faults.forEach((fault, index) => {
      const at = field(fault, 'atSeconds');
      if (typeof at === 'number' && at < runStart) {
        problems.push({ path: `kafka.faults[${index}].atSeconds`, problem: `is ${at}, before the sale starts at ${runStart}`, hint: 'fault times are on the sale clock (seconds from midnight), at or after sale.traffic.startSeconds' });
      }
    });
  }
  return problems;
}

/** Kafka's own rules: a replica per broker at most, min.insync within the replicas, real brokers. */
function kafkaProblems(kafka: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const number = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
  const brokers = number(field(kafka, 'brokers'), 3);
  const replicationFactor = number(field(kafka, 'replicationFactor'), 3);
  const minInsync = number(field(kafka, 'minInsyncReplicas'), 1);
  if (kafka === undefined) return problems;
  if (replicationFactor > brokers) {
    problems.push({
      path: 'kafka.replicationFactor',
      problem: `is ${replicationFactor}, more than the ${brokers} brokers`,
      hint: 'each replica needs its own broker: lower replicationFactor or add brokers',
    });
  }
  const producer = field(kafka, 'producer');
  const acks = field(producer, 'acks');
  if (field(producer, 'idempotence') === true && acks !== undefined && acks !== 'all') {
    problems.push({
      path: 'kafka.producer.idempotence',
      problem: `needs acks=all, but acks is ${String(acks)}`,
      hint: 'Kafka refuses this configuration: set acks: all, or leave idempotence out (it is then off)',
    });
  }
  if (minInsync > replicationFactor) {
    problems.push({
      path: 'kafka.minInsyncReplicas',
      problem: `is ${minInsync}, more than the replication factor ${replicationFactor}`,
      hint: 'acks=all could never succeed; use at most replicationFactor, commonly replicationFactor - 1',
    });
  }
  const faults = field(kafka, 'faults');
  if (!Array.isArray(faults)) return problems;
  faults.forEach((fault, index) => {
    const consumer = field(fault, 'consumer');
    const consumers = number(field(field(kafka, 'consumers'), 'count'), 1);
    if (typeof consumer === 'number' && consumer >= consumers) {
      problems.push({ path: `kafka.faults[${index}].consumer`, problem: `consumer ${consumer} does not exist`, hint: `consumers are numbered 0 to ${consumers - 1}` });
    }
    const broker = field(fault, 'broker');
    if (typeof broker === 'number' && broker >= brokers) {
      problems.push({ path: `kafka.faults[${index}].broker`, problem: `broker ${broker} does not exist`, hint: `brokers are numbered 0 to ${brokers - 1}` });
    }
    const nodes = [...array(field(fault, 'sideA')), ...array(field(fault, 'sideB')), ...array(field(fault, 'between')), field(fault, 'node')];
    for (const name of nodes) {
      if (typeof name !== 'string') continue;
      const match = /^(broker|consumer)-(\d+)$/.exec(name);
      if (match === null) continue;
      const limit = match[1] === 'broker' ? brokers : consumers;
      if (Number(match[2]) >= limit) {
        problems.push({ path: `kafka.faults[${index}]`, problem: `${name} does not exist`, hint: `${match[1]}s are numbered 0 to ${limit - 1}` });
      }
    }
    if (field(fault, 'kind') === 'slow-disk' && field(field(kafka, 'brokerResources'), 'diskMBps') === undefined) {
      problems.push({
        path: `kafka.faults[${index}]`,
        problem: 'a slow disk needs a disk to slow down',
        hint: 'set kafka.brokerResources.diskMBps (e.g. 500) so that writes take disk time',
      });
    }
    const sideA = array(field(fault, 'sideA'));
    const overlap = array(field(fault, 'sideB')).filter((name) => sideA.includes(name));
    if (overlap.length > 0) {
      problems.push({ path: `kafka.faults[${index}].sideB`, problem: `${overlap.join(', ')} is on both sides`, hint: 'a node stays on one side of a partition' });
    }
    const at = field(fault, 'atSeconds');
    for (const end of ['restartAtSeconds', 'untilSeconds']) {
      const until = field(fault, end);
      if (typeof at === 'number' && typeof until === 'number' && until <= at) {
        problems.push({ path: `kafka.faults[${index}].${end}`, problem: `must be after atSeconds (${at}), got ${until}`, hint: 'the fault ends after it starts' });
      }
    }
  });
  return problems;
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[key] : undefined;
}

function distributionProblems(path: string, spec: unknown): ScenarioProblem[] {
  const kind = field(spec, 'kind');
  if (kind === 'uniform') {
    const min = field(spec, 'min');
    const max = field(spec, 'max');
    return typeof min === 'number' && typeof max === 'number' && max < min
      ? [{ path: `${path}.max`, problem: `must be >= min (${min}), got ${max}`, hint: 'swap min and max' }]
      : [];
  }
  if (kind === 'empirical') {
    const points = field(spec, 'points');
    const numeric =
      Array.isArray(points) &&
      points.length >= 2 &&
      points.every(
        (point) => Array.isArray(point) && point.length === 2 && typeof point[0] === 'number' && point[1] >= 0 && point[1] <= 1,
      );
    return numeric ? empiricalProblems(`${path}.points`, points as [number, number][]) : [];
  }
  return [];
}

function empiricalProblems(path: string, points: ReadonlyArray<readonly [number, number]>): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const hint = 'list [value, cumulative probability] pairs with both columns rising, from probability 0 to 1';
  if (points[0]![1] !== 0) problems.push({ path: `${path}[0][1]`, problem: 'the first cumulative probability must be 0', hint });
  if (points[points.length - 1]![1] !== 1) {
    problems.push({ path: `${path}[${points.length - 1}][1]`, problem: 'the last cumulative probability must be 1', hint });
  }
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0] || points[i]![1] < points[i - 1]![1]) {
      problems.push({ path: `${path}[${i}]`, problem: 'is lower than the point before it', hint });
    }
  }
  return problems;
}
