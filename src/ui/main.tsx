import './csp-safe';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initialLocale } from './i18n';
import { LIBRARY } from './library';
import { startSimClient } from './state/sim-client';
import { useApp } from './state/store';
import './styles.css';

function saved(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

const search = window.location.search;
const params = new URLSearchParams(search);
const theme = params.get('theme') ?? saved('queuelab.theme') ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
useApp.setState({ locale: initialLocale(search, saved('queuelab.locale'), navigator.language), theme: theme === 'dark' ? 'dark' : 'light' });

const client = startSimClient();
const wanted = params.get('scenario') ?? 'double12.yaml';
const first = LIBRARY.find((entry) => entry.fileName === wanted) ?? LIBRARY.find((entry) => entry.kind === 'kafka');
if (first !== undefined) useApp.getState().openScenario(first.fileName, first.text);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
