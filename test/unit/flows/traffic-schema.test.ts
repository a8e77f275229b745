import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeRateCurve, type RateCurveSpec } from '../../../src/flows/traffic-curve';
import { trafficRules, trafficSchema, type TrafficSpec } from '../../../src/scenario/traffic-schema';

const SPIKE = {
  kind: 'spike',
  baseline: 20_000,
  peakMultiplier: 29.15,
  atSeconds: 0,
  riseSeconds: 26,
  decaySeconds: 600,
  preheat: { multiplier: 0.5, fromSeconds: -30 },
} as const;

const EVERY_CURVE: Record<string, unknown> = {
  constant: { kind: 'constant', rate: 1_000 },
  ramp: { kind: 'ramp', from: 0, to: 1_000, startSeconds: -10, endSeconds: 10 },
  step: { kind: 'step', before: 10, after: 1_000, atSeconds: 0 },
  spike: SPIKE,
  piecewise: { kind: 'piecewise', points: [[-60, 100], [26, 583_000], [600, 50_000]] },
  replay: { kind: 'replay', points: [[-60, 100], [0, 583_000]] },
  csv: { kind: 'csv', file: 'rates/double12.csv' },
};

function issuePaths(data: unknown): string[] {
  const result = trafficSchema.safeParse(data);
  expect(result.success, 'expected the block to be rejected').toBe(false);
  return result.error!.issues.map((issue) => issue.path.join('.')).sort();
}

describe('trafficSchema', () => {
  it('parses a minimal block and fills in every default', () => {
    expect(trafficSchema.parse({ curve: SPIKE, endSeconds: 3_600 })).toEqual({
      curve: SPIKE,
      users: 1_000_000,
      items: 1_000,
      zipfExponent: 1,
      startSeconds: -60,
      endSeconds: 3_600,
    } satisfies TrafficSpec);
  });

  it.each(Object.entries(EVERY_CURVE))('accepts a %s curve, and every inline kind makes a rate curve', (kind, curve) => {
    const spec = trafficSchema.parse({ curve, endSeconds: 60, users: 5, items: 1, zipfExponent: 0 });
    expect(spec.curve.kind).toBe(kind);
    expect(trafficRules(spec)).toEqual([]);
    if (spec.curve.kind !== 'csv') {
      const rateCurve = makeRateCurve(spec.curve satisfies RateCurveSpec);
      expect(rateCurve.integral(-60, 60)).toBeGreaterThan(0);
    }
  });

  it('rejects bad blocks with the path of each problem', () => {
    expect(issuePaths({ curve: { kind: 'spiky', rate: 1 }, endSeconds: 5 })).toEqual(['curve.kind']);
    expect(
      issuePaths({
        curve: { ...SPIKE, riseSeconds: 0, decaySeconds: -1, peakMultiplier: 0.5, extra: 1 },
        items: 0,
        users: 1.5,
        zipfExponent: -1,
        startSeconds: 'midnight',
      }),
    ).toEqual(['curve', 'curve.decaySeconds', 'curve.peakMultiplier', 'curve.riseSeconds', 'endSeconds', 'items', 'startSeconds', 'users', 'zipfExponent']);
    expect(issuePaths({ curve: { kind: 'replay', points: [[0, 1], [1, -1], [2]] }, endSeconds: Infinity })).toEqual([
      'curve.points.1.1',
      'curve.points.2',
      'endSeconds',
    ]);
    expect(issuePaths({ curve: { kind: 'piecewise', points: [] }, endSeconds: 1 })).toEqual(['curve.points']);
    expect(issuePaths({ curve: { kind: 'csv', file: '' }, endSeconds: 1, unknownKey: true })).toEqual(['', 'curve.file']);
    expect(issuePaths({ curve: { ...SPIKE, preheat: { multiplier: -1 } }, endSeconds: 1 })).toEqual(['curve.preheat.fromSeconds', 'curve.preheat.multiplier']);
  });

  it.each(Object.entries(EVERY_CURVE))('a %s curve rejects an unknown field', (_kind, curve) => {
    expect(issuePaths({ curve: { ...(curve as object), extra: 1 }, endSeconds: 60 })).toEqual(['curve']);
  });

  it('describes every field, in its JSON Schema too', () => {
    const undescribed: string[] = [];
    let fields = 0;
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        fields++;
        if (typeof child.description !== 'string' || child.description === '') undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      for (const [index, option] of ((schema.oneOf ?? schema.anyOf ?? []) as unknown[]).entries()) walk(option, `${path}[${index}]`);
    };
    walk(z.toJSONSchema(trafficSchema, { target: 'draft-7', io: 'input' }), 'traffic');
    expect(undescribed).toEqual([]);
    expect(fields, 'fields walked').toBeGreaterThan(30);
  });
});

describe('trafficRules', () => {
  const base = { curve: SPIKE, endSeconds: 3_600 };

  it('a valid block has no problems, parsed or raw', () => {
    expect(trafficRules(base)).toEqual([]);
    expect(trafficRules(trafficSchema.parse(base))).toEqual([]);
  });

  it('endSeconds after startSeconds, with the default start of -60', () => {
    expect(trafficRules({ ...base, startSeconds: 10, endSeconds: 10 })).toEqual([
      { path: 'traffic.endSeconds', message: 'must be after startSeconds (10), got 10 (traffic stops after it starts)' },
    ]);
    expect(trafficRules({ ...base, endSeconds: -90 })).toEqual([
      { path: 'traffic.endSeconds', message: 'must be after startSeconds (-60), got -90 (traffic stops after it starts)' },
    ]);
  });

  it('a ramp ends after it starts', () => {
    expect(trafficRules({ ...base, curve: { kind: 'ramp', from: 0, to: 1, startSeconds: 5, endSeconds: 2 } }, 'scenario.traffic')).toEqual([
      {
        path: 'scenario.traffic.curve.endSeconds',
        message: 'must be after startSeconds (5), got 2 (the ramp ends after it starts; use a step for a jump)',
      },
    ]);
  });

  it('piecewise and replay times increase strictly: each offending point', () => {
    for (const kind of ['piecewise', 'replay']) {
      expect(trafficRules({ ...base, curve: { kind, points: [[0, 1], [5, 1], [5, 2], [3, 1], [6, 1]] } })).toEqual([
        { path: 'traffic.curve.points[2]', message: 'time 5 is not after the time before it (5) (list [seconds, rate] points with times strictly increasing)' },
        { path: 'traffic.curve.points[3]', message: 'time 3 is not after the time before it (5) (list [seconds, rate] points with times strictly increasing)' },
      ]);
    }
  });

  it('the pre-heat starts before the surge', () => {
    expect(trafficRules({ ...base, curve: { ...SPIKE, preheat: { multiplier: 1, fromSeconds: 0 } } })).toEqual([
      { path: 'traffic.curve.preheat.fromSeconds', message: 'must be before atSeconds (0), got 0 (the pre-heat plateau leads up to the surge)' },
    ]);
  });

  it('reads raw data defensively: wrong types are the schema\'s to report, not a crash', () => {
    const raws = [
      undefined,
      null,
      5,
      [],
      { curve: 'spike' },
      { curve: { kind: 'piecewise', points: 'x' } },
      { curve: { kind: 'replay', points: [null, [1], ['a', 2]] } },
      { startSeconds: 'a', endSeconds: 1 },
    ];
    for (const raw of raws) {
      expect(trafficRules(raw), JSON.stringify(raw)).toEqual([]);
    }
  });

  it('every message reads "problem (hint)"', () => {
    const problems = trafficRules({
      startSeconds: 5,
      endSeconds: 0,
      curve: { kind: 'ramp', from: 0, to: 1, startSeconds: 5, endSeconds: 2 },
    });
    expect(problems).toHaveLength(2);
    for (const problem of problems) expect(problem.message).toMatch(/^.+ \([^()]+\)$/);
  });
});
