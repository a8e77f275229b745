/**
 * Report -> PDF through Chromium's own print pipeline (webContents.printToPDF), in a hidden,
 * sandboxed window without preload that loads the report from app://report/<token>.html.
 * The window is injected (a factory), so the flow is tested with a fake.
 */
import type { PrintToPDFOptions } from 'electron';
import type { ReportStore } from './protocol';

export const PDF_OPTIONS: PrintToPDFOptions = {
  pageSize: 'A4',
  printBackground: true,
  preferCSSPageSize: true,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
  displayHeaderFooter: true,
  headerTemplate: '<span></span>',
  footerTemplate:
    '<div style="width:100%;font-size:8px;text-align:center;color:#6b7280"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
};

/**
 * Evaluated in the report page once it has loaded: waits for the report's own readiness promise
 * (`window.queuelabReportReady`, if the report defines one, e.g. after drawing charts), then for
 * web fonts, then for one frame to be painted.
 */
export const READY_SCRIPT = `Promise.resolve(window.queuelabReportReady)
  .then(() => document.fonts ? document.fonts.ready : undefined)
  .then(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))))`;

export const PDF_TIMEOUT_MS = 30_000;

export interface HiddenWindow {
  loadURL(url: string): Promise<void>;
  webContents: {
    executeJavaScript(code: string): Promise<unknown>;
    printToPDF(options: PrintToPDFOptions): Promise<Uint8Array>;
  };
  destroy(): void;
  isDestroyed(): boolean;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function renderReportPdf(
  html: string,
  deps: { createWindow(): HiddenWindow; reports: ReportStore; timeoutMs?: number },
): Promise<Uint8Array> {
  const { token, url } = deps.reports.put(html);
  const win = deps.createWindow();
  try {
    const timeoutMs = deps.timeoutMs ?? PDF_TIMEOUT_MS;
    await withTimeout(win.loadURL(url), timeoutMs, 'Loading the report');
    await withTimeout(win.webContents.executeJavaScript(READY_SCRIPT), timeoutMs, 'Drawing the report');
    return await win.webContents.printToPDF(PDF_OPTIONS);
  } finally {
    deps.reports.delete(token);
    if (!win.isDestroyed()) win.destroy();
  }
}
