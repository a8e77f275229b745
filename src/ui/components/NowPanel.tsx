import type { LiveSnapshot } from '../../run/live-run';
import { formatMs, formatNumber } from '../format';
import { translateDynamic, type Locale } from '../i18n';
import { useApp, useT, type Selection } from '../state/store';

/** The few numbers a room can read from the back, then the partitions and the selection. */
export function NowPanel() {
  const t = useT();
  const snapshot = useApp((s) => s.snapshot);
  const locale = useApp((s) => s.locale);
  const selection = useApp((s) => s.selection);
  const select = useApp((s) => s.select);
  const latest = snapshot?.latest ?? {};
  const counters = snapshot?.counters;
  const number = (value: number | undefined) => (value === undefined ? '–' : formatNumber(locale, value));
  const causes = counters === undefined ? [] : Object.entries(counters.lostByCause).filter(([, n]) => n > 0);
  // In a sale the room reads orders: orders per second and the order confirmation p99.
  const sale = snapshot?.config.sale ?? false;
  const p99 = sale && latest.orderP99Ms !== undefined ? latest.orderP99Ms : latest.e2eP99Ms;

  return (
    <aside className="now" aria-labelledby="now-title">
      <div className="region pane">
      <h2 id="now-title">{t('now.title')}</h2>
      <dl className="big">
        {sale ? (
          <>
            <dt>{t('now.orders')}</dt>
            <dd data-testid="now-orders">{number(latest.ordersPerSec)}</dd>
          </>
        ) : (
          <>
            <dt>{t('now.throughput')}</dt>
            <dd data-testid="now-throughput">{number(latest.producedPerSec)}</dd>
          </>
        )}
        <dt>{t('now.p99')}</dt>
        <dd data-testid="now-p99">
          {p99 === undefined ? '–' : formatMs(locale, p99)}
          <span className="unit">{t('unit.ms')}</span>
        </dd>
        <dt>{t('now.lag')}</dt>
        <dd data-testid="now-lag">
          {number(latest.consumerLag)}
          <span className="unit">{t('unit.messages')}</span>
        </dd>
        <dt>{t('now.lost')}</dt>
        <dd data-testid="now-lost" className={counters !== undefined && counters.lost > 0 ? 'bad' : undefined}>
          {number(counters?.lost)}
          <span className="unit">{t('unit.messages')}</span>
        </dd>
        {causes.map(([cause, n]) => (
          <div className="cause" key={cause} data-testid={`lost-cause-${cause}`}>
            {formatNumber(locale, n)} · {translateDynamic(locale, `cause.${cause}`, cause)}
          </div>
        ))}
        {sale && (
          <>
            <dt>{t('now.oversold')}</dt>
            <dd data-testid="now-oversold" className={(latest.oversoldTotal ?? 0) > 0 ? 'bad' : undefined}>
              {number(latest.oversoldTotal)}
            </dd>
          </>
        )}
        <dt>{t('now.isrShrinks')}</dt>
        <dd data-testid="now-isr-shrinks">{number(counters?.isrShrinks)}</dd>
      </dl>
      {counters !== undefined && (
        <div className="small" data-testid="now-totals">
          {t('now.produced', { n: formatNumber(locale, counters.produced) })} · {t('now.delivered', { n: formatNumber(locale, counters.delivered) })} ·{' '}
          {t('now.elections')} {formatNumber(locale, counters.leaderElections)}
          {counters.rejected > 0 && ` · ${t('now.rejected')} ${formatNumber(locale, counters.rejected)}`}
        </div>
      )}
      {snapshot !== null && (
        <>
          <h3>{t('now.partitions')}</h3>
          <ul className="partitions" data-testid="partition-list">
            {snapshot.partitions.slice(0, 24).map((p) => (
              <li key={p.id} className={p.offline ? 'offline' : p.isr.length < p.replicas.length ? 'under' : undefined} data-testid={`partition-${p.id}`}>
                <button type="button" onClick={() => select({ kind: 'partition', id: p.id, broker: null })}>
                  <span className="swatch" aria-hidden="true" />
                  {t('now.partitionRow', {
                    id: p.id,
                    leader: p.offline ? t('now.offline') : t('topology.broker', { id: p.leader }),
                    isr: p.isr.join(', '),
                  })}
                </button>
              </li>
            ))}
          </ul>
          <h3>{t('now.selected')}</h3>
          <SelectionDetails snapshot={snapshot} selection={selection} locale={locale} />
          <div className="trace">
            {t('now.trace')} <span data-testid="trace-hash">{snapshot.traceHash}</span> · {t('now.events', { n: formatNumber(locale, snapshot.events) })}
          </div>
        </>
      )}
      </div>
    </aside>
  );
}

function SelectionDetails({ snapshot, selection, locale }: { snapshot: LiveSnapshot; selection: Selection | null; locale: Locale }) {
  const t = useT();
  if (selection === null) return <p className="small">{t('now.nothingSelected')}</p>;
  const list = (ids: number[]) => (ids.length === 0 ? t('detail.none') : ids.map((id) => `P${id}`).join(' '));
  const n = (value: number) => formatNumber(locale, value);
  if (selection.kind === 'broker') {
    const broker = snapshot.brokers.find((b) => b.id === selection.id);
    const status = snapshot.nodes.find((node) => node.id === `broker-${selection.id}`)?.status ?? 'up';
    if (broker === undefined) return null;
    const leads = snapshot.partitions.filter((p) => p.leader === broker.id).map((p) => p.id);
    const follows = snapshot.partitions.filter((p) => p.replicas.includes(broker.id) && p.leader !== broker.id).map((p) => p.id);
    return (
      <dl className="details" data-testid="selection">
        <dt>{t('topology.broker', { id: broker.id })}</dt>
        <dd>{t(`status.${status}`)}</dd>
        <dt>{t('detail.leads')}</dt>
        <dd>{list(leads)}</dd>
        <dt>{t('detail.follows')}</dt>
        <dd>{list(follows)}</dd>
      </dl>
    );
  }
  if (selection.kind === 'consumer') {
    const consumer = snapshot.consumers.find((c) => c.id === selection.id);
    if (consumer === undefined) return null;
    const lag = snapshot.partitions.filter((p) => p.consumer === consumer.id).reduce((sum, p) => sum + p.lag, 0);
    return (
      <dl className="details" data-testid="selection">
        <dt>{t('topology.consumer', { id: consumer.id })}</dt>
        <dd>{t(consumer.alive ? 'status.up' : 'status.down')}</dd>
        <dt>{t('detail.partitions')}</dt>
        <dd>{list(consumer.partitions)}</dd>
        <dt>{t('detail.lag')}</dt>
        <dd>
          {n(lag)} {t('unit.messages')}
        </dd>
      </dl>
    );
  }
  const partition = snapshot.partitions.find((p) => p.id === selection.id);
  if (partition === undefined) return null;
  const brokers = (ids: number[]) => (ids.length === 0 ? t('detail.none') : ids.map((id) => t('topology.broker', { id })).join(', '));
  return (
    <dl className="details" data-testid="selection">
      <dt>P{partition.id}</dt>
      <dd>{partition.offline ? t('now.offline') : ''}</dd>
      <dt>{t('detail.leader')}</dt>
      <dd>{partition.offline ? t('now.offline') : t('topology.broker', { id: partition.leader })}</dd>
      <dt>{t('detail.replicas')}</dt>
      <dd>{brokers(partition.replicas)}</dd>
      <dt>{t('detail.isr')}</dt>
      <dd>{brokers(partition.isr)}</dd>
      <dt>{t('detail.hw')}</dt>
      <dd>{n(partition.hw)}</dd>
      <dt>{t('detail.leo')}</dt>
      <dd>{n(partition.leo)}</dd>
      <dt>{t('detail.consumer')}</dt>
      <dd>
        {partition.consumer < 0 ? t('detail.unassigned') : t('topology.consumer', { id: partition.consumer })} · {t('detail.committed')} {n(partition.committed)}
      </dd>
    </dl>
  );
}
