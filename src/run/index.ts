export { runScenario, type RunOptions, type RunResult } from './run-scenario';
