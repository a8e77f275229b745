import type { TimeSeries } from '../../metrics/time-series';
import { translate } from '../i18n';
import { downloadFile, exportCsv, openRecentFile, openScenarioFile, saveScenarioFile, type OpenedFile } from '../platform';
import type { SimClient } from './sim-client';
import { useApp } from './store';

/** File commands shared by the scenario panel's buttons and the desktop menu. */
function baseName(fileName: string): string {
  return fileName.replace(/\.(ya?ml|json|queuelab)$/i, '');
}

async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const app = useApp.getState();
    app.setError(translate(app.locale, 'error.open', { message: error instanceof Error ? error.message : String(error) }));
  }
}

function opened(file: OpenedFile | null): void {
  if (file !== null) useApp.getState().openScenario(file.fileName, file.text, file.documentId);
}

export const openFile = () => guarded(async () => opened(await openScenarioFile()));
export const openRecent = (recentId: string) => guarded(async () => opened(await openRecentFile(recentId)));

export const saveFile = (saveAs = false) =>
  guarded(async () => {
    const { fileName, documentId, text, markSaved } = useApp.getState();
    if (fileName === null) return;
    const saved = await saveScenarioFile(documentId, fileName, text, saveAs);
    if (saved !== null) markSaved(text, saved.fileName, saved.documentId);
  });

/** The run's time series as CSV (UTF-8 with a byte order mark, so Excel reads it right). */
export function seriesCsv(series: Pick<TimeSeries, 'columns' | 'rows'>): string {
  const header = series.columns.map((column) => column.key).join(',');
  const lines = series.rows.map((row) => row.map((value) => (Number.isFinite(value) ? String(value) : '')).join(','));
  return `\uFEFF${[header, ...lines].join('\r\n')}\r\n`;
}

export const exportSeries = () =>
  guarded(async () => {
    const { fileName, series } = useApp.getState();
    if (fileName === null) return;
    await exportCsv(`${baseName(fileName)}.timeseries.csv`, seriesCsv(series));
  });

export const exportSummary = (client: SimClient) =>
  guarded(async () => {
    const { fileName } = useApp.getState();
    if (fileName === null) return;
    const { json } = await client.request('summary');
    downloadFile(`${baseName(fileName)}.summary.json`, json);
  });
