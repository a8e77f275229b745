import { it } from 'vitest';
import { RandomStream } from '../src/engine';
import { randomCase, runCase } from './integration/kafka/random-cases';
it('diag', () => {
  const random = new RandomStream(7, 'settling');
  const cases = Array.from({ length: 150 }, () => randomCase(random, true));
  for (const [index, c] of cases.entries()) {
    const r = runCase({ ...c, overrides: { ...c.overrides, ledgerWindow: 4 } }, 7);
    const l = r.system.ledger; l.settle();
    if (l.liveMessages <= c.overrides.cluster!.partitions! * 40) continue;
    const s = r.system;
    const floors = { first: l.firstLiveId, produced: l.produced, producer: s.producer.lowestHeldId(), group: s.group.lowestHeldId(), readers: s.readers.map(g => g.lowestHeldId()),
      read: s.cluster.partitions.map((_, p) => [s.group.readFloor(p), ...s.readers.map(g => g.readFloor(p))]),
      hw: s.cluster.partitions.map((_, p) => s.cluster.highWatermark(p)),
      leo: s.cluster.partitions.map((st, p) => st.replicas.map(b => [s.cluster.replica(b, p).log.startOffset, s.cluster.replica(b, p).log.logEndOffset])),
      logs: s.cluster.forgetSettled(() => Infinity) };
    console.log(index, JSON.stringify(floors), r.result.delivered, r.result.lost, r.result.rejected);
  }
});
