import { useEffect, useState, type MouseEvent } from 'react';
import { clockText } from './Timeline';
import { useApp, useT } from '../state/store';
import { SPEEDS, type Speed } from '../worker/protocol';

/** A mouse click should not leave focus on the button (Space would press it again). */
const blurAfterClick = (event: MouseEvent<HTMLButtonElement>) => {
  if (event.detail > 0) event.currentTarget.blur();
};

export function TopBar() {
  const t = useT();
  const fileName = useApp((s) => s.fileName);
  const dirty = useApp((s) => s.text !== s.savedText);
  const loaded = useApp((s) => s.loaded);
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const seed = useApp((s) => s.seed);
  const nowUs = useApp((s) => s.snapshot?.timeUs ?? 0);
  const done = useApp((s) => s.snapshot?.done ?? false);
  const endUs = useApp((s) => s.endUs);
  const clockStart = useApp((s) => s.snapshot?.clockStartSeconds ?? 0);
  const sale = useApp((s) => s.snapshot?.config.sale ?? false);
  const clock = { start: clockStart, sale };
  const locale = useApp((s) => s.locale);
  const theme = useApp((s) => s.theme);
  const app = useApp.getState;
  const [seedText, setSeedText] = useState(String(seed));
  useEffect(() => setSeedText(String(seed)), [seed]);

  const applySeed = () => {
    const value = Number(seedText);
    if (/^\d+$/.test(seedText.trim()) && Number.isSafeInteger(value)) {
      if (value !== seed) app().setSeed(value);
    } else setSeedText(String(seed));
  };
  const speedLabel = (s: Speed) => (s === 'max' ? t('top.speedMax') : `${s}x`);

  return (
    <header className="topbar">
      <div className="region topbar-row">
      <span className="brand">{t('app.name')}</span>
      <span className="file" title={fileName ?? ''} data-testid="file-name">
        {fileName ?? t('top.noScenario')}
        {dirty && <span title={t('top.unsaved')}> *</span>}
      </span>
      <span className="sep" />
      <div className="group">
        <button type="button" className="btn primary" data-testid="play" title={t('top.play')} disabled={!loaded || playing || done} onClick={(e) => (blurAfterClick(e), app().play())}>
          <span className="icon" aria-hidden="true">▶</span>
          <span className="text">{t('top.play')}</span>
        </button>
        <button type="button" className="btn" data-testid="pause" title={t('top.pause')} disabled={!playing} onClick={(e) => (blurAfterClick(e), app().pause())}>
          <span className="icon" aria-hidden="true">❚❚</span>
          <span className="text">{t('top.pause')}</span>
        </button>
        <button type="button" className="btn" data-testid="step" title={t('top.step')} disabled={!loaded || done} onClick={(e) => (blurAfterClick(e), app().step('bucket'))}>
          <span className="icon" aria-hidden="true">▶❘</span>
          <span className="text">{t('top.step')}</span>
        </button>
      </div>
      <div className="group" role="group" aria-label={t('top.speed')}>
        {SPEEDS.map((s) => (
          <button
            key={String(s)}
            type="button"
            className="btn small"
            aria-pressed={speed === s}
            data-testid={`speed-${s}`}
            onClick={(e) => (blurAfterClick(e), app().setSpeed(s))}
          >
            {speedLabel(s)}
          </button>
        ))}
      </div>
      <label className="group">
        <span className="label seed-label">{t('top.seed')}</span>
        <input
          className="seed-input"
          data-testid="seed"
          inputMode="numeric"
          value={seedText}
          disabled={!loaded}
          onChange={(e) => setSeedText(e.target.value)}
          onBlur={applySeed}
          onKeyDown={(e) => e.key === 'Enter' && applySeed()}
        />
      </label>
      <button type="button" className="btn" data-testid="restart" title={t('top.restart')} disabled={!loaded} onClick={(e) => (blurAfterClick(e), app().restart())}>
        <span className="icon" aria-hidden="true">↺</span>
        <span className="text">{t('top.restart')}</span>
      </button>
      <span className="sep" />
      <div className="clock" aria-label={t('top.simTime')} data-testid="clock" data-done={done} title={done ? t('top.done') : undefined}>
        <strong data-testid="sim-time" data-us={nowUs}>
          {clockText(locale, clock, nowUs / 1e6)}
        </strong>{' '}
        / {clockText(locale, clock, endUs / 1e6, 0)}
        {done && <span className="visually-hidden"> {t('top.done')}</span>}
      </div>
      <div className={`progress${done ? ' done' : ''}`} aria-hidden="true">
        <div style={{ width: `${endUs === 0 ? 0 : (100 * nowUs) / endUs}%` }} />
      </div>
      <span className="spacer" />
      <button
        type="button"
        className="btn small"
        data-testid="language"
        aria-label={t('top.language')}
        title={t('top.language')}
        onClick={(e) => (blurAfterClick(e), app().setLocale(locale === 'en' ? 'zh-CN' : 'en'))}
      >
        <span lang="en" style={{ fontWeight: locale === 'en' ? 700 : 400 }}>EN</span>/<span lang="zh-CN" style={{ fontWeight: locale === 'zh-CN' ? 700 : 400 }}>中</span>
      </button>
      <button
        type="button"
        className="btn small"
        data-testid="theme"
        aria-label={theme === 'light' ? t('top.themeDark') : t('top.themeLight')}
        title={theme === 'light' ? t('top.themeDark') : t('top.themeLight')}
        onClick={(e) => (blurAfterClick(e), app().setTheme(theme === 'light' ? 'dark' : 'light'))}
      >
        {theme === 'light' ? '☾' : '☀'}
      </button>
      <button type="button" className="btn small" data-testid="help" aria-label={t('top.help')} title={t('top.help')} onClick={(e) => (blurAfterClick(e), app().setHelpOpen(true))}>
        ?
      </button>
      </div>
    </header>
  );
}
