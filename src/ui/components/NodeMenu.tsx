import { useEffect, useRef } from 'react';
import type { LiveFault, LiveSnapshot } from '../../run/live-run';
import type { MessageKey } from '../i18n';
import { useApp, useT, type MenuState } from '../state/store';

/** A slowed link's one-way latency: a congested or long-distance link, enough to time out produce requests. */
const SLOW_LINK_MS = 200;

/** The small menu a click on a broker, a consumer or a client link opens: the faults a trainer can inject. */
interface Item {
  id: string;
  label: MessageKey;
  fault: LiveFault;
  enabled: boolean;
  danger?: boolean;
}

export function NodeMenu({ menu, snapshot }: { menu: MenuState; snapshot: LiveSnapshot }) {
  const t = useT();
  const inject = useApp((s) => s.inject);
  const follow = useApp((s) => s.follow);
  const close = useApp((s) => s.closeMenu);
  const ref = useRef<HTMLDivElement>(null);
  const { target } = menu;
  const name =
    target.kind === 'link'
      ? t('menu.link', { a: target.a, b: target.b })
      : target.kind === 'broker'
        ? t('topology.broker', { id: target.id })
        : t('topology.consumer', { id: target.id });

  let items: Item[];
  if (target.kind === 'link') {
    const state = snapshot.links.find((link) => link.a === target.a && link.b === target.b);
    const cut = state?.cut ?? false;
    const slow = state?.slow ?? false;
    const { a, b } = target;
    items = [
      { id: 'cut', label: 'menu.cut', fault: { kind: 'link-cut', a, b }, enabled: !cut, danger: true },
      { id: 'heal', label: 'menu.healLink', fault: { kind: 'link-heal', a, b }, enabled: cut },
      { id: 'slow', label: 'menu.slow', fault: { kind: 'link-slow', a, b, latencyMs: SLOW_LINK_MS }, enabled: !slow, danger: true },
      { id: 'normal', label: 'menu.normal', fault: { kind: 'link-normal', a, b }, enabled: slow },
    ];
  } else if (target.kind === 'broker') {
    const broker = snapshot.brokers.find((b) => b.id === target.id);
    const alive = broker?.alive ?? false;
    const isolated = broker?.isolated ?? false;
    items = [
      { id: 'crash', label: 'menu.crash', fault: { kind: 'broker-crash', broker: target.id }, enabled: alive, danger: true },
      { id: 'restart', label: 'menu.restart', fault: { kind: 'broker-restart', broker: target.id }, enabled: !alive },
      { id: 'isolate', label: 'menu.isolate', fault: { kind: 'broker-isolate', broker: target.id }, enabled: !isolated, danger: true },
      { id: 'heal', label: 'menu.heal', fault: { kind: 'broker-heal', broker: target.id }, enabled: isolated },
    ];
  } else {
    const alive = snapshot.consumers.find((c) => c.id === target.id)?.alive ?? false;
    items = [
      { id: 'kill', label: 'menu.kill', fault: { kind: 'consumer-kill', consumer: target.id }, enabled: alive, danger: true },
      { id: 'restart', label: 'menu.restart', fault: { kind: 'consumer-restart', consumer: target.id }, enabled: !alive },
    ];
  }
  const done = snapshot.done;

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (ref.current !== null && !ref.current.contains(event.target as Node)) close();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('keydown', onKey);
    };
  }, [close, name]);

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={t('menu.title', { target: name })}
      data-testid="node-menu"
      style={{ left: Math.max(4, menu.x), top: Math.max(4, menu.y) }}
    >
      <div className="menu-title">{t('menu.title', { target: name })}</div>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          className={item.danger ? 'danger' : undefined}
          disabled={!item.enabled || done}
          data-testid={`menu-${target.kind}-${item.id}`}
          onClick={() => inject(item.fault)}
        >
          {t(item.label)}
        </button>
      ))}
      {target.kind === 'link' && (
        <button
          type="button"
          role="menuitem"
          data-testid="menu-link-follow"
          onClick={() => follow({ from: target.a, to: target.b, hop: target.a === 'producer' ? 'produce' : target.b.startsWith('broker-') ? 'replicate' : 'consume' })}
        >
          {t('menu.follow')}
        </button>
      )}
      <button type="button" role="menuitem" data-testid="menu-close" onClick={close}>
        {t('menu.close')}
      </button>
    </div>
  );
}
