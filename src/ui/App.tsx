import { useEffect } from 'react';
import { Charts } from './components/Charts';
import { HelpDialog } from './components/HelpDialog';
import { NowPanel } from './components/NowPanel';
import { ScenarioPanel } from './components/ScenarioPanel';
import { Timeline } from './components/Timeline';
import { Topology } from './components/Topology';
import { TopBar } from './components/TopBar';
import { translate } from './i18n';
import { findShortcut } from './shortcuts';
import { useDesktopShell } from './state/desktop-shell';
import type { SimClient } from './state/sim-client';
import { useApp, useT } from './state/store';

export function App({ client }: { client: SimClient | null }) {
  const t = useT();
  const theme = useApp((s) => s.theme);
  const locale = useApp((s) => s.locale);
  const helpOpen = useApp((s) => s.helpOpen);
  const error = useApp((s) => s.error);
  useDesktopShell(client);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    remember('queuelab.theme', theme);
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.name');
    remember('queuelab.locale', locale);
  }, [locale]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = findShortcut(event);
      if (shortcut === undefined) return;
      event.preventDefault();
      shortcut.run(useApp.getState());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <TopBar />
      <ScenarioPanel client={client} />
      <Topology />
      <NowPanel />
      <Charts />
      <Timeline />
      {helpOpen && <HelpDialog />}
      {error !== null && (
        <div className="toast" role="alert" data-testid="error">
          {t('error.worker', { message: error })}
          <button type="button" onClick={() => useApp.getState().setError(null)}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be unavailable (private mode, file URLs); the choice then lasts the session.
  }
}
