import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageLedger } from '../../../src/model/kafka/ledger';
import { buildSummary } from '../../../src/report/summary';
import { runScenario } from '../../../src/run';
import { loadSimulation } from '../../helpers/run-file';

describe('the conservation audit during a run (--audit)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('checks every bucket of a failover run and finds nothing', () => {
    const audit = vi.spyOn(MessageLedger.prototype, 'audit');
    const result = runScenario(loadSimulation('failover-acks1.yaml'), { auditEveryBucket: true });
    const summary = buildSummary(result);
    // One check per time bucket (1 s over the 200 s run), plus the final one of the summary.
    expect(audit.mock.calls.length).toBeGreaterThanOrEqual(200);
    expect(summary.invariants).toEqual({ conservation: true, violations: [] });
  });

  it('reports a violation with the time it was seen', () => {
    let calls = 0;
    const real = MessageLedger.prototype.audit;
    vi.spyOn(MessageLedger.prototype, 'audit').mockImplementation(function (this: MessageLedger, held) {
      calls++;
      return calls === 3 ? ['1 messages in flight are on no replica and held by no producer: lost silently'] : real.call(this, held);
    });
    const summary = buildSummary(runScenario(loadSimulation('failover-acks1.yaml'), { auditEveryBucket: true }));
    expect(summary.invariants.conservation).toBe(false);
    expect(summary.invariants.violations).toEqual(['at 3 s: 1 messages in flight are on no replica and held by no producer: lost silently']);
  });

  it('only looks: an audited run has the same trace hash', () => {
    const scenario = loadSimulation('failover-acks1.yaml');
    expect(runScenario(scenario, { auditEveryBucket: true }).traceHash).toBe(runScenario(scenario).traceHash);
  });
});
