import type { LiveTrace } from '../../run/live-trace';
import { formatClock, formatMs, formatNumber } from '../format';
import type { MessageKey } from '../i18n';
import { useApp, useT } from '../state/store';

/** What each hop is, and what the time since the hop before it was spent on. */
const HOP_TEXT: Record<LiveTrace['steps'][number]['hop'], { what: MessageKey; spent: MessageKey | null }> = {
  created: { what: 'follow.created', spent: null },
  sent: { what: 'follow.sent', spent: 'follow.spent.batch' },
  appended: { what: 'follow.appended', spent: 'follow.spent.network' },
  replicated: { what: 'follow.replicated', spent: 'follow.spent.replication' },
  committed: { what: 'follow.committed', spent: 'follow.spent.isr' },
  acked: { what: 'follow.acked', spent: 'follow.spent.answer' },
  fetched: { what: 'follow.fetched', spent: 'follow.spent.poll' },
  processed: { what: 'follow.processed', spent: 'follow.spent.processing' },
};

/**
 * The message the trainer clicked: its envelope, then its path through the cluster, one row
 * per hop: when it was created (on the run's clock), then each hop's time since then and what
 * the time since the hop before went on.
 */
export function FollowPanel({ trace, clockStartSeconds }: { trace: LiveTrace; clockStartSeconds: number }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const sale = useApp((s) => s.snapshot?.config.sale ?? false);
  const unfollow = useApp((s) => s.unfollow);
  const clock = (us: number) => formatClock(locale, clockStartSeconds + us / 1e6, sale, 3);
  const totalMs = (trace.steps.at(-1)!.atUs - trace.createdUs) / 1000;
  return (
    <section className="follow" aria-label={t('follow.title', { id: trace.id })} data-testid="follow-panel">
      <header>
        <strong>{t('follow.title', { id: formatNumber(locale, trace.id) })}</strong>
        <button type="button" onClick={unfollow} aria-label={t('follow.close')} data-testid="follow-close">
          ✕
        </button>
      </header>
      <dl className="envelope">
        <dt>{t('follow.partition')}</dt>
        <dd>
          p{trace.partition}
          {trace.offset >= 0 ? ` @ ${formatNumber(locale, trace.offset)}` : ''}
        </dd>
        <dt>{t('follow.size')}</dt>
        <dd>{t('follow.sizeValue', { bytes: formatNumber(locale, trace.bytes), records: trace.batchRecords })}</dd>
        {trace.stockKey !== null && (
          <>
            <dt>{t('follow.stockKey')}</dt>
            <dd>{trace.stockKey}</dd>
          </>
        )}
        <dt>{t('follow.total')}</dt>
        <dd>
          {formatMs(locale, totalMs)} ms{trace.done ? '' : ` · ${t('follow.inFlight')}`}
        </dd>
      </dl>
      <table className="hops">
        <tbody>
          {trace.steps.map((step, i) => {
            const text = HOP_TEXT[step.hop];
            return (
              <tr key={i} data-hop={step.hop}>
                <td className="at">{i === 0 ? clock(step.atUs) : `${formatMs(locale, (step.atUs - trace.createdUs) / 1000)} ms`}</td>
                <td>{t(text.what, { node: step.node })}</td>
                <td className="spent">{text.spent === null ? '' : `+${formatMs(locale, step.sinceUs / 1000)} ms ${t(text.spent)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
