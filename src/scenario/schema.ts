import { z } from 'zod';

/**
 * The scenario file format, version 1. One zod schema is the source of the TypeScript types,
 * of validation (every problem at once, each with its path) and of the JSON Schema shipped in
 * simulations/scenario.schema.json for editors. Units are in the field names.
 *
 * Today a scenario describes a queueing station (the teaching models of queueing theory);
 * cluster, workloads, faults and expectations join as further top-level sections.
 */
export const SCENARIO_VERSION = 1;

const positive = (what: string) => z.number().positive().describe(what);

export const distributionSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), value: z.number().min(0).describe('the fixed value') }),
    z.strictObject({
      kind: z.literal('uniform'),
      min: z.number().min(0).describe('the smallest value'),
      max: z.number().min(0).describe('the largest value, at least min'),
    }),
    z.strictObject({ kind: z.literal('exponential'), mean: positive('the mean, in the unit the field name gives') }),
    z.strictObject({ kind: z.literal('normal'), mean: z.number(), sd: z.number().min(0).describe('standard deviation') }),
    z.strictObject({
      kind: z.literal('lognormal'),
      mean: positive('mean of the variable itself'),
      sd: z.number().min(0).describe('standard deviation of the variable itself'),
    }),
    z.strictObject({
      kind: z.literal('pareto'),
      scale: positive('the minimum value x_m'),
      shape: positive('the tail index alpha; the mean is finite for alpha > 1'),
    }),
    z.strictObject({
      kind: z.literal('empirical'),
      points: z
        .array(
          z.tuple([
            z.number().describe('a value'),
            z.number().min(0).max(1).describe('the probability of a value at most this one'),
          ]),
        )
        .min(2)
        .describe('[value, cumulative probability] pairs from probability 0 to 1, interpolated linearly'),
    }),
  ])
  .describe('a probability distribution, chosen by "kind"');

export const queueSchema = z
  .strictObject({
    servers: z.int().min(1).max(100_000).default(1).describe('number of parallel servers c'),
    arrivalRatePerSecond: positive('mean Poisson arrival rate λ, customers per second'),
    serviceSeconds: distributionSchema.describe('service time of one customer, in seconds'),
    customers: z
      .int()
      .min(1_000)
      .max(1_000_000_000)
      .describe('measured customers after the warm-up, rounded down to a multiple of batches'),
    warmupCustomers: z.int().min(0).default(10_000).describe('customers served before measuring starts'),
    batches: z.int().min(2).max(1_000).default(20).describe('batches for the batch-means confidence intervals'),
  })
  .describe('an M/G/c queueing station: Poisson arrivals, c servers, FIFO, unlimited waiting room');

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('path of the JSON Schema, for editors'),
    version: z.literal(SCENARIO_VERSION).describe(`scenario file format version; this QueueLab reads version ${SCENARIO_VERSION}`),
    title: z.string().min(1).describe('short title shown in reports and the app'),
    description: z.string().default('').describe('what the scenario teaches and what to look at'),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(1).describe('run seed; same seed, same run'),
    queue: queueSchema,
  })
  .describe('A QueueLab scenario');

export type DistributionSpecInput = z.input<typeof distributionSchema>;
export type QueueSpec = z.output<typeof queueSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}
