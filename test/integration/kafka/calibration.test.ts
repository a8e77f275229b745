import { describe, expect, it } from 'vitest';
import { buildSummary, type Summary } from '../../../src/report/summary';
import { runScenario } from '../../../src/run';
import { loadScenario } from '../../../src/scenario';

/**
 * Calibration of the hardware presets (src/model/kafka/hardware-presets.ts) against the
 * published benchmarks of shared/reference/mq-semantics.md §3.1 (Confluent 2020) and §3.3
 * (LinkedIn 2014). Each test builds the published setup as a scenario with the preset and
 * checks one published figure within a stated tolerance; the figures measured here are in
 * docs/model.md, "Hardware presets and calibration".
 *
 * Peak throughput, as OpenMessaging Benchmark's "max sustainable rate" asks: a rate is
 * sustainable when the cluster commits what is offered, i.e. the records produced but not yet
 * below their partition's high watermark (in the producer, on the wire, waiting for a broker or
 * for replication) stay a few milliseconds' worth; past the peak a broker's queue, its NIC or
 * replication falls behind and that backlog grows by the excess every second. A short run
 * (0.25-0.5 s of simulated time) over- or undershooting the peak by 4 % ends with 10-20 ms of
 * backlog, so a threshold of 15 ms places the peak within a few percent. The test asserts that
 * the published rate × (1 - tolerance) is sustainable and × (1 + tolerance) is not, which
 * places the model's peak inside the band; three bisection steps between them then measure it
 * (to about 4 %) for the docs. CALIBRATION_LOG=1 prints every probe.
 *
 * Throughput units: the published "MB/s" are MiB/s (2^20 bytes): LinkedIn's 193.0 MB/s is
 * 2,024,032 records × 100 B / 2^20, and the OpenMessaging Benchmark prints rates the same way.
 * So Confluent's 605 MB/s of 1,024-byte messages is 619,520 messages/s.
 */

const TOLERANCE = 0.15;
const SUSTAINABLE_BACKLOG_MS = 15;
const MIB = 1_048_576;


interface Probe {
  /** Messages per second the producer actually offered (produced / run time). */
  offeredPerSecond: number;
  /** Records offered but not committed (below the high watermark) at the end, as ms of traffic. */
  backlogMs: number;
  sustainable: boolean;
  summary: Summary;
}

function run(yaml: string): { summary: Summary; committed: number; seconds: number } {
  const outcome = loadScenario(yaml, { fileName: 'calibration.yaml' });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  const result = runScenario(outcome.scenario);
  if (result.model !== 'kafka') throw new Error('a kafka scenario');
  let committed = 0;
  for (let p = 0; p < result.system.cluster.options.partitions; p++) committed += result.system.cluster.highWatermark(p);
  const summary = buildSummary(result);
  expect(summary.invariants.violations).toEqual([]);
  return { summary, committed, seconds: outcome.scenario.kafka!.runSeconds! };
}

function probe(scenario: (nominalPerSecond: number) => string, perSecond: number): Probe {
  const { summary, committed, seconds } = run(scenario(Math.round(perSecond)));
  const offeredPerSecond = summary.messages.produced / seconds;
  const backlogMs = ((summary.messages.produced - committed) / offeredPerSecond) * 1000;
  expect(summary.messages.rejected).toBe(0);
  if (process.env.CALIBRATION_LOG === '1') console.log(`offered ${Math.round(offeredPerSecond)}/s backlog ${backlogMs.toFixed(1)} ms`);
  return { offeredPerSecond, backlogMs, sustainable: backlogMs <= SUSTAINABLE_BACKLOG_MS, summary };
}

/**
 * Asserts the peak sustainable rate lies within ±TOLERANCE of `published` (messages/s) and
 * returns it, bisected three times between the band's ends.
 */
function expectPeakWithinTolerance(scenario: (nominalPerSecond: number) => string, published: number): number {
  const low = probe(scenario, published * (1 - TOLERANCE));
  const high = probe(scenario, published * (1 + TOLERANCE));
  expect(low.sustainable, `${Math.round(low.offeredPerSecond)}/s should be sustainable (backlog ${low.backlogMs.toFixed(1)} ms)`).toBe(true);
  expect(high.sustainable, `${Math.round(high.offeredPerSecond)}/s should not be sustainable (backlog ${high.backlogMs.toFixed(1)} ms)`).toBe(false);
  let [below, above] = [low.offeredPerSecond, high.offeredPerSecond];
  for (let step = 0; step < 3; step++) {
    const middle = probe(scenario, (below + above) / 2);
    if (middle.sustainable) below = middle.offeredPerSecond;
    else above = middle.offeredPerSecond;
  }
  return below;
}

/**
 * Confluent 2020 (§3.1): 3 brokers, 1 topic of 100 partitions, 1 KB (1,024 B) messages, RF 3,
 * min.insync.replicas 2, acks=all, linger.ms 1, batch.size 131072 (the OMB Kafka driver's
 * settings), keys spread evenly over the partitions. `consume`: one consumer reads from the
 * start, as OMB's single subscription does; without it the consumer never joins (the peak
 * search measures the produce path; the consumer's fetches would cost the leaders' NICs 1/3 of
 * the stream, which the 25 Gbit/s NICs carry easily).
 */
function confluentScenario(seconds: number, consume: boolean) {
  return (nominalPerSecond: number) => `
version: 1
title: Confluent 2020 calibration
kafka:
  hardware: i3en.2xlarge-25g
  brokers: 3
  partitions: 100
  replicationFactor: 3
  minInsyncReplicas: 2
  messageBytes: 1024
  runSeconds: ${seconds}
  producer: { ratePerSecond: ${nominalPerSecond}, acks: all, lingerMs: 1, batchSizeBytes: 131072, keys: 1000000, stopAtSeconds: ${seconds} }
  consumers: { count: 1, initialRebalanceDelayMs: ${consume ? 0 : 1e9} }
`;
}

/**
 * LinkedIn 2014 (§3.3): 3 brokers, a 6-partition topic, RF 3, 100-byte messages (the
 * ~22 bytes of record overhead are not modelled), acks=1 ("async replication"), the producer
 * defaults of the time (linger.ms 0, batch.size 16384). The 3-producer test ran its producers
 * on 3 machines with 1 GbE each: the model's one producer node stands for all three, with
 * their 375 MB/s of NIC (clientNicMBps). No consumer ran during the producer tests.
 */
function linkedinScenario(seconds: number, consume: boolean) {
  return (nominalPerSecond: number) => `
version: 1
title: LinkedIn 2014 calibration
kafka:
  hardware: linkedin-2014-1gbe
  brokers: 3
  partitions: 6
  replicationFactor: 3
  messageBytes: 100
  runSeconds: ${seconds}
  brokerResources: { clientNicMBps: 375 }
  producer: { ratePerSecond: ${nominalPerSecond}, acks: 1, lingerMs: 0, batchSizeBytes: 16384, keys: 1000000, stopAtSeconds: ${seconds} }
  consumers: { count: 1, initialRebalanceDelayMs: ${consume ? 0 : 1e9} }
`;
}

describe('calibration: i3en.2xlarge-25g reproduces Confluent 2020 (mq-semantics.md §3.1)', () => {
  it('§3.1 Kafka row, peak throughput: 605 MB/s (619,520 msg/s of 1 KB), model within ±15 %', () => {
    const peak = expectPeakWithinTolerance(confluentScenario(0.5, false), (605 * MIB) / 1024);
    const peakMiBps = (peak * 1024) / MIB;
    if (process.env.CALIBRATION_LOG === '1') console.log('confluent peak MiB/s', peakMiBps);
    // Measured: 607 MiB/s (622k msg/s sustainable, 647k not; the disk, fitted to this figure, is the limit).
    expect(Math.abs(peakMiBps - 605) / 605).toBeLessThan(TOLERANCE);
  });

  it('§3.1 Kafka row, p99 end-to-end latency: 5 ms at 200 MB/s, model at most 5 ms × 1.15 (and at least linger.ms)', () => {
    const { summary } = run(confluentScenario(0.5, true)(Math.round((200 * MIB) / 1024)));
    expect(summary.messages.delivered).toBeGreaterThan(0.99 * summary.messages.produced);
    const p99 = summary.latencyMs.endToEnd.p99;
    if (process.env.CALIBRATION_LOG === '1') console.log('confluent e2e', summary.latencyMs.endToEnd);
    // Measured: 1.66 ms (median 1.2 ms). The model's tail is thinner than the published one: it has no
    // JVM pauses, page-cache writeback stalls or client-side queues (docs/model.md).
    expect(p99).toBeLessThanOrEqual(5 * (1 + TOLERANCE));
    expect(p99).toBeGreaterThanOrEqual(1);
  });
});

describe('calibration: linkedin-2014-1gbe reproduces LinkedIn 2014 (mq-semantics.md §3.3)', () => {
  it('§3.3 "3 producers, 3x async replication": 2,024,032 rec/s, model within ±15 % (the brokers\' 1 GbE NICs are the limit)', () => {
    const peak = expectPeakWithinTolerance(linkedinScenario(0.25, false), 2_024_032);
    if (process.env.CALIBRATION_LOG === '1') console.log('linkedin peak rec/s', peak);
    // Measured: 1.88 M rec/s (-7 %; 1.96 M not sustainable). 1 GbE caps a broker's replication traffic (2/3 of the
    // stream) at 125 MB/s, i.e. 1.875 M rec/s of 100 B: the published figure is above what
    // 1 GbE can carry with RF 3, so the model lands just below it.
    expect(peak).toBeLessThan(2_024_032);
  });

  it('§3.3 "End-to-end latency": 2 ms median, 3 ms p99, model within ±15 % of the median and at most 3 ms × 1.15 at p99', () => {
    // The reference gives no rate for the latency test: a light load, 100,000 rec/s (5 % of the peak).
    const { summary } = run(linkedinScenario(0.3, true)(100_000));
    expect(summary.messages.delivered).toBeGreaterThan(0.99 * summary.messages.produced);
    const { p50, p99 } = summary.latencyMs.endToEnd;
    if (process.env.CALIBRATION_LOG === '1') console.log('linkedin e2e', summary.latencyMs.endToEnd);
    // Measured: 2.03 ms median (the link latency is fitted to it) and 2.59 ms p99.
    expect(Math.abs(p50 - 2) / 2).toBeLessThanOrEqual(TOLERANCE);
    expect(p99).toBeLessThanOrEqual(3 * (1 + TOLERANCE));
  });

  // Not reproducible (structural): the single-thread rows are limited by the producer
  // thread's CPU (787k rec/s is 79 MB/s, below its 1 GbE), and the model's producer costs no
  // CPU. Its one producer is limited only by its NIC and the brokers, so acks=1 and acks=all
  // reach the same peak (1.25 M rec/s on one 1 GbE machine): the published acks=all/acks=1
  // ratio of 0.54 comes from the thread waiting longer for each acks=all answer, which needs
  // a producer-side CPU cost per record (producer.ts) to appear.
  it.todo('§3.3 "1 producer thread, 3x async / sync replication": 786,980 and 421,823 rec/s (ratio 0.54); needs producer CPU, not modelled');
});

describe('kafka.hardware fills brokerResources and networkLatencyMs; fields the scenario sets win', () => {
  const load = (extra: string) => {
    const outcome = loadScenario(`version: 1\ntitle: t\nkafka:\n  hardware: i3en.2xlarge-25g\n  runSeconds: 1\n  producer: { ratePerSecond: 10, stopAtSeconds: 1 }\n${extra}`, { fileName: 'x.yaml' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    return outcome.scenario.kafka!;
  };

  it('takes the preset when nothing is set, and keeps each field the scenario sets', () => {
    expect(load('')).toMatchObject({ networkLatencyMs: 0.1, brokerResources: { requestCpuMicros: 1.5, cpuNanosPerByte: 0.1, diskMBps: 780, nicMBps: 3_125 } });
    expect(load('  networkLatencyMs: 0.5\n  brokerResources: { diskMBps: 100, requestCpuMicros: 0 }\n')).toMatchObject({
      networkLatencyMs: 0.5,
      brokerResources: { requestCpuMicros: 0, cpuNanosPerByte: 0.1, diskMBps: 100, nicMBps: 3_125 },
    });
  });
});
