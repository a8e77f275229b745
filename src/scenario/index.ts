export { loadScenario, type LoadOptions, type LoadOutcome } from './load';
export { formatPath, splitPath } from './paths';
export { applyOverrides, parseOverride, type Override } from './overrides';
export { formatProblem, type ScenarioProblem } from './problems';
export {
  SCENARIO_VERSION,
  scenarioJsonSchema,
  scenarioSchema,
  type FaultSpec,
  type KafkaSpec,
  type QueueSpec,
  type Scenario,
} from './schema';
