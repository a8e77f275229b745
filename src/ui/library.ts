import { loadScenario } from '../scenario';

/**
 * The sample scenarios of simulations/, bundled as text (Vite `?raw` through import.meta.glob),
 * so the library is one click away in the web build and in the app alike.
 */
export interface LibraryEntry {
  fileName: string;
  text: string;
  title: string;
  /** Kafka scenarios run live; queue-model ones are for the CLI. */
  kind: 'kafka' | 'queue' | 'invalid';
}

const files = import.meta.glob<string>(['../../simulations/*.yaml', '../../simulations/*.yml', '../../simulations/*.json', '!../../simulations/*.schema.json'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

export function libraryFrom(sources: Record<string, string>): LibraryEntry[] {
  const entries = Object.entries(sources).map(([path, text]): LibraryEntry => {
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    const outcome = loadScenario(text, { fileName });
    if (!outcome.ok) return { fileName, text, title: fileName, kind: 'invalid' };
    return { fileName, text, title: outcome.scenario.title, kind: outcome.scenario.kafka !== undefined ? 'kafka' : 'queue' };
  });
  const rank = { kafka: 0, queue: 1, invalid: 2 };
  return entries.sort((a, b) => rank[a.kind] - rank[b.kind] || a.fileName.localeCompare(b.fileName));
}

export const LIBRARY: readonly LibraryEntry[] = libraryFrom(files);
