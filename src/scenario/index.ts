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
  type SaleSpec,
  type ExpectSpec,
  type SloSpec,
  type Scenario,
} from './schema';
export { EXPECT_METRICS, EXPECT_BOUNDS, SLO_METRICS, type ExpectMetric, type SloMetric } from './expect-schema';
export { scenarioReferenceMarkdown } from './scenario-docs';
