import { expect } from 'vitest';
import type { Estimate, Summary } from '../../src/report/summary';
import { queueingOf } from '../helpers/run-file';

/**
 * The proof that the kernel's numbers can be trusted: theory (computed in each test from the
 * closed form, never pasted) lies inside the run's 99 % batch-means confidence interval, the
 * interval is narrow, and Little's law holds in the measured data.
 */
export const HALF_WIDTH_MAX = 0.02;

function measured(label: string, estimate: Estimate | null, summary: Summary): Estimate {
  if (estimate === null) throw new Error(`${label} seed=${summary.seed}: no interval (${queueingOf(summary).measurementNote})`);
  return estimate;
}

export function expectTheoryInside(label: string, maybeEstimate: Estimate | null, theory: number, summary: Summary): void {
  const estimate = measured(label, maybeEstimate, summary);
  const context = `${label} seed=${summary.seed} measured=${estimate.measured} ± ${estimate.halfWidth} theory=${theory}`;
  expect(Math.abs(estimate.measured - theory), context).toBeLessThanOrEqual(estimate.halfWidth);
}

export function expectNarrow(label: string, maybeEstimate: Estimate | null, summary: Summary): void {
  const estimate = measured(label, maybeEstimate, summary);
  expect(estimate.relativeHalfWidth, `${label} seed=${summary.seed}: interval too wide`).toBeLessThanOrEqual(HALF_WIDTH_MAX);
}

export function expectLittlesLaw(summary: Summary, lambda: number, sojournTheory: number): void {
  const { littleLaw, inSystemMean } = queueingOf(summary);
  if (littleLaw === null) throw new Error(`Little's law seed=${summary.seed}: not measured`);
  // Over the measured window, L (time average of the number in system) and λ̂·Ŵ (arrival rate
  // times mean sojourn, both measured) differ only by customers straddling the window edges.
  expect(littleLaw.relativeDifference, `Little's law seed=${summary.seed}`).toBeLessThan(1e-3);
  expectTheoryInside('L = λW', inSystemMean, lambda * sojournTheory, summary);
}

export function expectConservation(summary: Summary): void {
  const m = summary.messages;
  expect(m.produced).toBe(m.delivered + m.lost + m.inFlight + m.rejected);
  expect(summary.invariants).toEqual({ conservation: true, violations: [] });
  expect(m.inFlight).toBe(0); // every customer left: the run drained
}
