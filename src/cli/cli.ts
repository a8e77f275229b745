import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine';
import { scenarioJsonSchema, scenarioReferenceMarkdown } from '../scenario';
import { benchCommand, runCommand, validateCommand } from './commands';
import { BadInputError, EXIT, type CliIo } from './io';

/**
 * `queuelab run | validate | schema | docs | bench` (DESIGN.md "CLI"). Commander parses flags (it reports
 * unknown options and missing arguments with usage); every error a user can cause maps to
 * exit code 2 with a one-line reason, everything else to 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('queuelab')
    .description('QueueLab: a deterministic simulator of distributed message queues')
    .version(ENGINE_VERSION, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const collect = (value: string, previous: string[]): string[] => [...previous, value];
  program
    .command('run')
    .description('run a scenario and print its results; --out writes summary.json')
    .argument('<scenario>', 'scenario file (.yaml, .yml or .json)')
    .option('--seed <n>', 'run seed (overrides the scenario seed)')
    .option('--set <path=value>', 'override a scenario field, e.g. --set queue.servers=4 (repeatable)', collect, [])
    .option('--out <dir>', 'folder to write summary.json into')
    .option('--until <duration>', 'stop at this simulated time, e.g. 60s, 10m')
    .option('--format <list>', 'outputs to write into --out: summary (summary.json), csv (timeseries.csv), html (report.html)', 'summary,csv,html')
    .option('--quiet', 'print nothing but errors')
    .option('--audit', 'Kafka scenarios: check that every message is accounted for after every time bucket, not only at the end (slow; exit 1 on a violation)')
    .action(async (file: string, flags) => {
      exitCode = await runCommand(io, file, flags);
    });
  program
    .command('validate')
    .description('check a scenario file; prints every problem as "path: problem (hint)"')
    .argument('<scenario>', 'scenario file (.yaml, .yml or .json)')
    .option('--set <path=value>', 'override a scenario field before checking (repeatable)', collect, [])
    .action(async (file: string, flags) => {
      exitCode = await validateCommand(io, file, flags);
    });
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (simulations/scenario.schema.json)')
    .action(() => {
      io.stdout(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
  program
    .command('docs')
    .description('print the scenario file reference as Markdown (docs/scenario.md)')
    .action(() => {
      io.stdout(scenarioReferenceMarkdown());
    });
  program
    .command('bench')
    .description('benchmarks: the kernel (M/M/1 against a hand-written baseline), then a Kafka scenario: simulated seconds per wall second, events per second, memory')
    .option('--customers <n>', 'customers per measured M/M/1 run', '1000000')
    .option('--kafka <file>', 'the Kafka benchmark scenario', 'simulations/bench-600k.yaml')
    .option('--kafka-seconds <n>', 'simulated seconds of the Kafka benchmark (0 skips it)', '60')
    .action(async (flags) => {
      exitCode = await benchCommand(io, flags);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message and usage hint.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
      ? EXIT.ok
      : EXIT.badInput;
  }
  if (error instanceof BadInputError) {
    io.stderr(`${error.lines.join('\n')}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`queuelab: the run failed: ${message}\n`);
  if (error instanceof Error && error.stack !== undefined && process.env['QUEUELAB_DEBUG'] !== undefined) io.stderr(`${error.stack}\n`);
  else io.stderr('(set QUEUELAB_DEBUG=1 to see where; please report it with the scenario and seed)\n');
  return EXIT.runFailed;
}
