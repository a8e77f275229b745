import { brokerDefaults, consumerDefaults, validateProducerConfig, type ProducerConfig, type ProducerConfigInput } from '../model/kafka/defaults';
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
  problems.push(...distributionProblems('kafka.networkJitterMs', field(kafka, 'networkJitterMs')));
  problems.push(...kafkaProblems(kafka));
  problems.push(...saleProblems(field(data, 'sale'), kafka));
  return problems;
}

/** Scenario producer fields and the Kafka producer configs they stand for (ProducerConfig names in defaults.ts). */
const PRODUCER_FIELDS: [scenarioField: string, config: keyof ProducerConfig][] = [
  ['idempotence', 'enableIdempotence'],
  ['lingerMs', 'lingerMs'],
  ['batchSizeBytes', 'batchSizeBytes'],
  ['bufferMemoryBytes', 'bufferMemoryBytes'],
  ['maxBlockMs', 'maxBlockMs'],
  ['requestTimeoutMs', 'requestTimeoutMs'],
  ['deliveryTimeoutMs', 'deliveryTimeoutMs'],
  ['retryBackoffMs', 'retryBackoffMs'],
  ['retryBackoffMaxMs', 'retryBackoffMaxMs'],
  ['maxInFlightRequestsPerConnection', 'maxInFlightRequestsPerConnection'],
];

/**
 * The producer settings checked as the Kafka 4 Java producer checks them when it starts
 * (validateProducerConfig): idempotence needs acks=all and at most 5 requests in flight,
 * delivery.timeout.ms covers linger.ms + request.timeout.ms. Fields of the wrong type are left
 * to the schema.
 */
function producerProblems(producer: unknown): ScenarioProblem[] {
  const input: ProducerConfigInput = {};
  const acks = field(producer, 'acks');
  if (acks === 0 || acks === 1 || acks === 'all') input.acks = acks;
  const pathOf = new Map<keyof ProducerConfig, string>([['acks', 'kafka.producer.acks']]);
  for (const [name, config] of PRODUCER_FIELDS) {
    const value = field(producer, name);
    pathOf.set(config, `kafka.producer.${name}`);
    if (typeof value === (config === 'enableIdempotence' ? 'boolean' : 'number')) (input as Record<string, unknown>)[config] = value;
  }
  const result = validateProducerConfig(input);
  if (result.ok) return [];
  return result.problems.map((p) => ({ path: pathOf.get(p.field) ?? `kafka.producer.${p.field}`, problem: p.problem, hint: p.hint }));
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
  problems.push(...rackProblems(field(kafka, 'racks'), brokers));
  problems.push(...producerProblems(field(kafka, 'producer')));
  problems.push(...consumerGroupProblems(field(kafka, 'consumers')));
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
    const listed = array(field(fault, 'brokers'));
    listed.forEach((id, at) => {
      if (typeof id === 'number' && id >= brokers) {
        problems.push({ path: `kafka.faults[${index}].brokers[${at}]`, problem: `broker ${id} does not exist`, hint: `brokers are numbered 0 to ${brokers - 1}` });
      } else if (typeof id === 'number' && listed.indexOf(id) !== at) {
        problems.push({ path: `kafka.faults[${index}].brokers[${at}]`, problem: `broker ${id} is listed twice`, hint: 'name each broker once' });
      }
    });
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
    // A hardware preset brings a disk (kafka.hardware, hardware-presets.ts).
    if (field(fault, 'kind') === 'slow-disk' && field(field(kafka, 'brokerResources'), 'diskMBps') === undefined && field(kafka, 'hardware') === undefined) {
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

/** broker.rack for every broker or for none (AdminUtils refuses partial rack information). */
function rackProblems(racks: unknown, brokers: number): ScenarioProblem[] {
  if (Array.isArray(racks) && racks.length !== brokers) {
    return [
      {
        path: 'kafka.racks',
        problem: `lists ${racks.length} rack${racks.length === 1 ? '' : 's'} but there ${brokers === 1 ? 'is 1 broker' : `are ${brokers} brokers`}`,
        hint: `give exactly one rack name per broker, in broker order (${brokers} names), or a number of racks to spread the brokers over, e.g. racks: 3`,
      },
    ];
  }
  if (typeof racks === 'number' && racks > brokers) {
    return [{ path: 'kafka.racks', problem: `is ${racks}, more racks than the ${brokers} brokers`, hint: `a rack needs a broker: use at most ${brokers} racks` }];
  }
  return [];
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

/**
 * The consumer group's own rules (§1.8): the broker accepts a session timeout only within
 * group.min.session.timeout.ms and group.max.session.timeout.ms (6 s and 30 min by default;
 * INVALID_SESSION_TIMEOUT otherwise), the client wants heartbeats more often than the session
 * timeout ("Heartbeat must be set lower than the session timeout"), and the rebalance protocol
 * is the one the assignor implies.
 */
function consumerGroupProblems(consumers: unknown): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const session = field(consumers, 'sessionTimeoutMs');
  const heartbeat = field(consumers, 'heartbeatIntervalMs');
  const sessionMs = typeof session === 'number' ? session : consumerDefaults.sessionTimeoutMs;
  const heartbeatMs = typeof heartbeat === 'number' ? heartbeat : consumerDefaults.heartbeatIntervalMs;
  const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = brokerDefaults;
  if (typeof session === 'number' && (session < min || session > max)) {
    problems.push({
      path: 'kafka.consumers.sessionTimeoutMs',
      problem: `is ${session}, outside the ${min} to ${max} ms the broker accepts (group.min.session.timeout.ms, group.max.session.timeout.ms)`,
      hint: `the coordinator refuses the member with INVALID_SESSION_TIMEOUT: use ${min} to ${max} (Kafka 4's default is ${consumerDefaults.sessionTimeoutMs})`,
    });
  }
  if (heartbeatMs >= sessionMs) {
    problems.push({
      path: 'kafka.consumers.heartbeatIntervalMs',
      problem: `is ${heartbeatMs}, not below sessionTimeoutMs (${sessionMs})`,
      hint: 'heartbeats must come more often than the session timeout; Kafka advises at most a third of it (defaults 3,000 and 45,000)',
    });
  }
  const assignor = field(consumers, 'assignor');
  const rebalance = field(consumers, 'rebalance');
  if (typeof assignor === 'string' && typeof rebalance === 'string') {
    const implied = assignor === 'cooperative-sticky' ? 'cooperative' : 'eager';
    if (implied !== rebalance) {
      problems.push({
        path: 'kafka.consumers.rebalance',
        problem: `is ${rebalance}, but kafka.consumers.assignor ${assignor} rebalances ${implied}ly`,
        hint:
          rebalance === 'cooperative'
            ? 'only cooperative-sticky rebalances cooperatively: set assignor: cooperative-sticky, or remove rebalance (the assignor decides it)'
            : 'cooperative-sticky always rebalances cooperatively: choose range, roundrobin or sticky for eager, or remove rebalance (the assignor decides it)',
      });
    }
  }
  return problems;
}
