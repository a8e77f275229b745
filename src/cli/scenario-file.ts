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
  return outcome.scenario;
}
