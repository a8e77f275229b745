export type { FaultRecord } from './kafka-run';
export { runScenario, type KafkaRunResult, type QueueRunResult, type RunOptions, type RunResult } from './run-scenario';
