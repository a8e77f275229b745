import type { TimeSeries } from '../../metrics/time-series';
import { htmlReport } from '../../report/html-report';
import type { Summary } from '../../report/summary';
import { timeSeriesCsv } from '../../report/timeseries-csv';
import { translate } from '../i18n';
import { downloadFile, exportCsv, exportReportFile, openRecentFile, openScenarioFile, saveScenarioFile, type OpenedFile } from '../platform';
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

/**
 * The run's time series as the CLI writes timeseries.csv, with a byte order mark so that
 * Excel reads it as UTF-8.
 */
export function seriesCsv(series: Pick<TimeSeries, 'columns' | 'rows' | 'bucketSeconds'>): string {
  return `\uFEFF${timeSeriesCsv(series)}`;
}

export const exportSeries = () =>
  guarded(async () => {
    const { fileName, series } = useApp.getState();
    if (fileName === null) return;
    await exportCsv(`${baseName(fileName)}.timeseries.csv`, seriesCsv(series));
  });

/** report.html of the run so far, the same file `queuelab run --out` writes, in the UI's language. */
export const exportReport = (client: SimClient, kind: 'html' | 'pdf' = 'html') =>
  guarded(async () => {
    const { fileName, series, locale } = useApp.getState();
    if (fileName === null) return;
    const { json } = await client.request('summary');
    const html = htmlReport({ summary: JSON.parse(json) as Summary, series, generatedBy: 'QueueLab', lang: locale === 'zh-CN' ? 'zh-CN' : 'en' });
    await exportReportFile(`${baseName(fileName)}.report.html`, html, kind);
  });

export const exportSummary = (client: SimClient) =>
  guarded(async () => {
    const { fileName } = useApp.getState();
    if (fileName === null) return;
    const { json } = await client.request('summary');
    downloadFile(`${baseName(fileName)}.summary.json`, json);
  });
