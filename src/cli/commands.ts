import { htmlReport } from '../report/html-report';
import { buildSummary } from '../report/summary';
import { timeSeriesCsv } from '../report/timeseries-csv';
import { ENGINE_VERSION } from '../engine';
import { runScenario } from '../run';
import { formatKafkaBench, runBench, runKafkaBench } from './bench';
import { parseDurationSeconds } from './duration';
import { formatRun } from './format-run';
import { BadInputError, EXIT, type CliIo } from './io';
import { readScenario } from './scenario-file';

export interface RunFlags {
  seed?: string;
  set: string[];
  out?: string;
  until?: string;
  format: string;
  quiet?: boolean;
  audit?: boolean;
}

const AVAILABLE_FORMATS = ['summary', 'csv', 'html'];
const PLANNED_FORMATS = ['pdf'];

export async function runCommand(io: CliIo, fileName: string, flags: RunFlags): Promise<number> {
  const formats = parseFormats(flags.format);
  const seed = flags.seed === undefined ? undefined : parseSeed(flags.seed);
  const untilSeconds = flags.until === undefined ? undefined : parseDurationSeconds(flags.until, '--until');
  const scenario = await readScenario(io, fileName, flags.set);
  const progress = io.stderrIsTty && !flags.quiet ? progressLine(io) : undefined;
  const result = runScenario(scenario, {
    ...(seed === undefined ? {} : { seed }),
    ...(untilSeconds === undefined ? {} : { untilSeconds }),
    ...(progress === undefined ? {} : { onProgress: progress }),
    ...(flags.audit === true ? { auditEveryBucket: true } : {}),
    wallClockMs: io.wallClockMs,
  });
  if (progress !== undefined) io.stderr('\r\x1b[K');
  const summary = buildSummary(result);
  if (!flags.quiet) io.stdout(formatRun(summary, fileName));
  if (flags.out !== undefined) {
    const dir = flags.out.replace(/\/+$/, '');
    const series = result.model === 'kafka' ? result.series : null;
    const outputs: [string, string, () => string][] = [
      ['summary', 'summary.json', () => `${JSON.stringify(summary, null, 2)}\n`],
      ['csv', 'timeseries.csv', () => (series === null ? '' : timeSeriesCsv(series))],
      ['html', 'report.html', () => htmlReport({ summary, series, generatedBy: `QueueLab ${ENGINE_VERSION}` })],
    ];
    for (const [format, name, content] of outputs) {
      if (!formats.includes(format) || (format === 'csv' && series === null)) continue;
      await io.writeFile(`${dir}/${name}`, content());
      if (!flags.quiet) io.stdout(`  ${name} written to ${dir}/${name}\n`);
    }
  }
  // A model that loses track of a message is a failed run, not a finding: --audit makes it one.
  if (flags.audit === true && !summary.invariants.conservation) {
    io.stderr(`audit: ${summary.invariants.violations.join('; ')}\n`);
    return EXIT.runFailed;
  }
  return summary.expectations?.some((expectation) => !expectation.met) === true ? EXIT.expectationMissed : EXIT.ok;
}

export async function validateCommand(io: CliIo, fileName: string, flags: { set: string[] }): Promise<number> {
  const scenario = await readScenario(io, fileName, flags.set);
  io.stdout(`${fileName}: valid (${scenario.title})\n`);
  return EXIT.ok;
}

export interface BenchFlags {
  customers: string;
  kafka: string;
  kafkaSeconds: string;
}

/** `queuelab bench`: the kernel against a hand-written baseline, then the Kafka benchmark scenario. */
export async function benchCommand(io: CliIo, flags: BenchFlags): Promise<number> {
  const customers = Number(flags.customers);
  if (!Number.isSafeInteger(customers) || customers < 1000) {
    throw new BadInputError([`--customers: must be a whole number >= 1000, got "${flags.customers}"`]);
  }
  const kafkaSeconds = Number(flags.kafkaSeconds);
  if (!Number.isSafeInteger(kafkaSeconds) || kafkaSeconds < 0) {
    throw new BadInputError([`--kafka-seconds: must be a whole number of simulated seconds >= 0 (0 skips the Kafka benchmark), got "${flags.kafkaSeconds}"`]);
  }
  const scenario = kafkaSeconds > 0 ? await readScenario(io, flags.kafka, []) : null;
  if (scenario !== null && scenario.kafka === undefined) throw new BadInputError([`--kafka: ${flags.kafka} has no kafka section`]);
  // The Kafka benchmark runs first, in a fresh process, so that its memory figures are its own
  // (the kernel runs leave garbage the process keeps); it is printed after the kernel's table.
  const kafkaReport = scenario === null ? null : formatKafkaBench(`${scenario.title} (${flags.kafka}, ${kafkaSeconds} simulated s)`, runKafkaBench(scenario, kafkaSeconds, io.wallClockMs, io.residentBytes ?? (() => NaN)));
  io.stdout(runBench(customers, io.wallClockMs));
  if (kafkaReport !== null) io.stdout(`\n${kafkaReport}`);
  return EXIT.ok;
}

function parseFormats(text: string): string[] {
  const formats = text.split(',').map((format) => format.trim()).filter((format) => format !== '');
  const lines: string[] = [];
  for (const format of formats) {
    if (PLANNED_FORMATS.includes(format)) {
      lines.push(`--format: "${format}" is made by the desktop app (File > Export report as PDF); from the CLI, print report.html to PDF (use ${AVAILABLE_FORMATS.join(', ')})`);
    }
    else if (!AVAILABLE_FORMATS.includes(format)) lines.push(`--format: unknown format "${format}" (use ${AVAILABLE_FORMATS.join(', ')})`);
  }
  if (lines.length > 0) throw new BadInputError(lines);
  return formats;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed)) {
    throw new BadInputError([`--seed: must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got "${text}"`]);
  }
  return seed;
}

function progressLine(io: CliIo): (fraction: number) => void {
  return (fraction) => io.stderr(`\r\x1b[Krunning… ${(fraction * 100).toFixed(0)} % of the run done`);
}
