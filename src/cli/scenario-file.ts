import { parseRateCsv } from '../flows/traffic-curve';
import { formatProblem, loadScenario, parseOverride, type Override, type Scenario } from '../scenario';
import { BadInputError, type CliIo } from './io';

/** Reads and validates a scenario file with its --set overrides; every problem at once. */
export async function readScenario(io: CliIo, fileName: string, setFlags: readonly string[]): Promise<Scenario> {
  let text: string;
  try {
    text = await io.readFile(fileName);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : String(error);
    throw new BadInputError([`${fileName}: cannot read the scenario: ${reason} (give the path of a .yaml or .json scenario)`]);
  }
  const overrides: Override[] = [];
  const lines: string[] = [];
  for (const flag of setFlags) {
    const parsed = parseOverride(flag);
    if (parsed.ok) overrides.push(parsed.override);
    else lines.push(`--set ${formatProblem(parsed.problem)}`);
  }
  if (lines.length > 0) throw new BadInputError(lines);
  const outcome = loadScenario(text, { fileName, overrides });
  if (!outcome.ok) throw new BadInputError(outcome.problems.map((problem) => formatProblem(problem, fileName)));
  return withCsvTraffic(io, fileName, outcome.scenario);
}

/**
 * A traffic curve given as a CSV of rates is read here, relative to the scenario file, and
 * replayed step-wise; the run itself never touches files (it also runs in the app's worker).
 */
async function withCsvTraffic(io: CliIo, fileName: string, scenario: Scenario): Promise<Scenario> {
  const curve = scenario.sale?.traffic.curve;
  if (scenario.sale === undefined || curve === undefined || curve.kind !== 'csv') return scenario;
  const slash = fileName.lastIndexOf('/');
  const csvPath = curve.file.startsWith('/') || slash < 0 ? curve.file : `${fileName.slice(0, slash + 1)}${curve.file}`;
  let text: string;
  try {
    text = await io.readFile(csvPath);
  } catch {
    throw new BadInputError([`${fileName}: sale.traffic.curve.file: cannot read ${csvPath} (the path is relative to the scenario file)`]);
  }
  const parsed = parseRateCsv(text, csvPath);
  if ('problems' in parsed) throw new BadInputError(parsed.problems);
  return { ...scenario, sale: { ...scenario.sale, traffic: { ...scenario.sale.traffic, curve: { kind: 'replay', points: parsed.points } } } };
}
