import { z } from 'zod';
import type { RateCurveSpec } from '../flows/traffic-curve';

/**
 * The `traffic` section: the shape of the sale's order rate over time, the buyer population and
 * the item catalogue with its hot-item skew. Times are seconds relative to midnight (negative
 * before it); rates are orders per second. See src/flows/traffic-curve.ts for each curve's shape.
 */
const rate = (what: string) => z.number().min(0).describe(`${what}, orders per second (>= 0; required)`);
const seconds = (what: string) => z.number().describe(`${what}, seconds relative to midnight, negative before it (required)`);

const ratePoints = (how: string) =>
  z
    .array(
      z.tuple([
        z.number().describe('time, seconds relative to midnight (required)'),
        z.number().min(0).describe('rate, orders per second (>= 0; required)'),
      ]),
    )
    .min(1)
    .describe(`[seconds, rate] points, times strictly increasing; ${how}; flat before the first and after the last (at least one; required)`);

export const trafficCurveSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant').describe('the same rate at all times (required)'), rate: rate('the rate at all times') }),
    z.strictObject({
      kind: z.literal('ramp').describe('a linear ramp between two rates (required)'),
      from: rate('the rate until startSeconds'),
      to: rate('the rate from endSeconds on'),
      startSeconds: seconds('when the linear ramp starts'),
      endSeconds: seconds('when it ends, after startSeconds'),
    }),
    z.strictObject({
      kind: z.literal('step').describe('a jump from one rate to another (required)'),
      before: rate('the rate before atSeconds'),
      after: rate('the rate from atSeconds on'),
      atSeconds: seconds('when the rate jumps'),
    }),
    z.strictObject({
      kind: z.literal('spike').describe('the midnight surge: rise to a peak, exponential decay back (required)'),
      baseline: rate('the everyday rate before the surge and the level it decays back to'),
      peakMultiplier: z.number().min(1).describe('peak rate as a multiple of baseline (>= 1, no unit; required)'),
      atSeconds: seconds('when the surge starts, usually 0 (midnight)'),
      riseSeconds: z.number().positive().describe('duration of the linear rise from atSeconds to the peak, seconds (> 0; required; 2020 peaked at +26 s)'),
      decaySeconds: z.number().positive().describe('time constant of the exponential decay back to baseline after the peak, seconds (> 0; required)'),
      preheat: z
        .strictObject({
          multiplier: z.number().min(0).describe('pre-heat rate as a multiple of baseline (>= 0, no unit; required)'),
          fromSeconds: seconds('when the pre-heat plateau starts, before atSeconds'),
        })
        .optional()
        .describe('a plateau of baseline * multiplier from fromSeconds to atSeconds (optional; none if absent)'),
    }),
    z.strictObject({
      kind: z.literal('piecewise').describe('linear interpolation through points (required)'),
      points: ratePoints('interpolated linearly'),
    }),
    z.strictObject({
      kind: z.literal('replay').describe('step-wise rates, each holding until the next point (required)'),
      points: ratePoints('each rate holds until the next point'),
    }),
    z.strictObject({
      kind: z.literal('csv').describe('replay the rates of a CSV file (required)'),
      file: z
        .string()
        .min(1)
        .describe('path of a CSV with a seconds,rate header and one row per time, relative to the scenario file; replayed step-wise (required)'),
    }),
  ])
  .describe('the order rate over time, chosen by "kind": constant, ramp, step, spike, piecewise, replay or csv');

export const trafficSchema = z
  .strictObject({
    curve: trafficCurveSchema,
    users: z.int().min(1).max(2_000_000_000).default(1_000_000).describe('buyer population, people (default 1,000,000)'),
    items: z.int().min(1).max(1_000_000).default(1_000).describe('SKUs on sale, items (default 1,000)'),
    zipfExponent: z
      .number()
      .min(0)
      .max(10)
      .default(1)
      .describe('Zipf skew s of item popularity: rank k has weight (k+1)^-s; 0 is uniform (no unit, default 1.0)'),
    startSeconds: z.number().default(-60).describe('when traffic starts, seconds relative to midnight (default -60)'),
    endSeconds: z.number().describe('when traffic stops, seconds relative to midnight, after startSeconds (no default; required)'),
  })
  .describe('the sale traffic: an order-rate curve over time, the buyers and the items with their popularity skew');

export type TrafficCurveSpec = z.output<typeof trafficCurveSchema>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type TrafficSpecInput = z.input<typeof trafficSchema>;

type AssignableToRateCurveSpec<T extends RateCurveSpec> = T;
/** Every curve kind but csv is a RateCurveSpec as it stands: this fails to compile if the two drift apart. */
export type InlineCurveSpec = AssignableToRateCurveSpec<Exclude<TrafficCurveSpec, { kind: 'csv' }>>;

export interface TrafficRuleProblem {
  /** Dotted path from the scenario root, e.g. `traffic.curve.endSeconds`. */
  path: string;
  /** `problem (hint)`. */
  message: string;
}

/**
 * Cross-field rules the schema cannot express. The block is read defensively (it may be the
 * parsed TrafficSpec or the raw data before parsing), so that these run alongside the schema's
 * own problems; a field the schema rejects is not checked again here, and single-field bounds
 * (rise and decay > 0, rates >= 0) are the schema's.
 */
export function trafficRules(traffic: unknown, basePath = 'traffic'): TrafficRuleProblem[] {
  const problems: TrafficRuleProblem[] = [];
  const add = (path: string, problem: string, hint: string): void => {
    problems.push({ path: `${basePath}.${path}`, message: `${problem} (${hint})` });
  };
  const start = numberField(traffic, 'startSeconds') ?? (field(traffic, 'startSeconds') === undefined ? -60 : undefined);
  const end = numberField(traffic, 'endSeconds');
  if (start !== undefined && end !== undefined && end <= start) {
    add('endSeconds', `must be after startSeconds (${start}), got ${end}`, 'traffic stops after it starts');
  }
  const curve = field(traffic, 'curve');
  switch (field(curve, 'kind')) {
    case 'ramp': {
      const rampStart = numberField(curve, 'startSeconds');
      const rampEnd = numberField(curve, 'endSeconds');
      if (rampStart !== undefined && rampEnd !== undefined && rampEnd <= rampStart) {
        add('curve.endSeconds', `must be after startSeconds (${rampStart}), got ${rampEnd}`, 'the ramp ends after it starts; use a step for a jump');
      }
      break;
    }
    case 'spike': {
      const at = numberField(curve, 'atSeconds');
      const from = numberField(field(curve, 'preheat'), 'fromSeconds');
      if (at !== undefined && from !== undefined && from >= at) {
        add('curve.preheat.fromSeconds', `must be before atSeconds (${at}), got ${from}`, 'the pre-heat plateau leads up to the surge');
      }
      break;
    }
    case 'piecewise':
    case 'replay': {
      const points = field(curve, 'points');
      if (!Array.isArray(points)) break;
      let previous: number | undefined;
      points.forEach((point: unknown, index) => {
        const time = Array.isArray(point) && typeof point[0] === 'number' && Number.isFinite(point[0]) ? point[0] : undefined;
        if (time === undefined) return;
        if (previous !== undefined && time <= previous) {
          add(`curve.points[${index}]`, `time ${time} is not after the time before it (${previous})`, 'list [seconds, rate] points with times strictly increasing');
        }
        previous = previous === undefined ? time : Math.max(previous, time);
      });
      break;
    }
  }
  return problems;
}

function field(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[key] : undefined;
}

function numberField(data: unknown, key: string): number | undefined {
  const value = field(data, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
