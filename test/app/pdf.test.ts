/**
 * app/pdf.ts: report -> hidden window on app://report/<token>.html -> printToPDF, always
 * cleaning up the window and the stored report.
 */
import { describe, expect, it, vi } from 'vitest';
import { PDF_OPTIONS, READY_SCRIPT, renderReportPdf, type HiddenWindow } from '../../app/pdf';
import { createAppProtocolHandler, ReportStore } from '../../app/protocol';

function fakeWindow(reports: ReportStore, overrides: Partial<{ ready: Promise<unknown>; print: () => Promise<Uint8Array> }> = {}) {
  let destroyed = false;
  const handler = createAppProtocolHandler({ rootDir: '/nonexistent', reports, log: () => undefined });
  const loaded: string[] = [];
  const win: HiddenWindow & { loaded: string[] } = {
    loaded,
    loadURL: vi.fn(async (url: string) => {
      // Load through the real protocol handler, as Chromium would.
      const res = await handler(new Request(url));
      if (res.status !== 200) throw new Error(`load failed ${res.status}`);
      loaded.push(await res.text());
    }),
    webContents: {
      executeJavaScript: vi.fn(() => overrides.ready ?? Promise.resolve(true)),
      printToPDF: vi.fn(overrides.print ?? (async () => new Uint8Array([0x25, 0x50, 0x44, 0x46]))),
    },
    destroy: vi.fn(() => {
      destroyed = true;
    }),
    isDestroyed: () => destroyed,
  };
  return win;
}

describe('renderReportPdf', () => {
  it('loads the report over app://report, waits until it is ready, prints A4 with tagged PDF and outline', async () => {
    const reports = new ReportStore();
    const win = fakeWindow(reports);
    const pdf = await renderReportPdf('<html><body>报告</body></html>', { createWindow: () => win, reports });
    expect(Buffer.from(pdf).toString('latin1')).toBe('%PDF');
    expect(win.loaded).toEqual(['<html><body>报告</body></html>']);
    expect(vi.mocked(win.loadURL).mock.calls[0]![0]).toMatch(/^app:\/\/report\/[0-9a-f-]{36}\.html$/);
    expect(win.webContents.executeJavaScript).toHaveBeenCalledWith(READY_SCRIPT);
    expect(win.webContents.printToPDF).toHaveBeenCalledWith(PDF_OPTIONS);
    expect(PDF_OPTIONS).toMatchObject({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true, generateTaggedPDF: true, generateDocumentOutline: true });
    expect(win.destroy).toHaveBeenCalled();
    expect(reports.size).toBe(0);
  });

  it('cleans up when printing fails', async () => {
    const reports = new ReportStore();
    const win = fakeWindow(reports, { print: async () => Promise.reject(new Error('printing failed')) });
    await expect(renderReportPdf('<html></html>', { createWindow: () => win, reports })).rejects.toThrow('printing failed');
    expect(win.destroy).toHaveBeenCalled();
    expect(reports.size).toBe(0);
  });

  it('gives up on a report that never becomes ready', async () => {
    const reports = new ReportStore();
    const win = fakeWindow(reports, { ready: new Promise(() => undefined) });
    await expect(renderReportPdf('<html></html>', { createWindow: () => win, reports, timeoutMs: 20 })).rejects.toThrow(/Drawing the report took longer than/);
    expect(win.webContents.printToPDF).not.toHaveBeenCalled();
    expect(win.destroy).toHaveBeenCalled();
    expect(reports.size).toBe(0);
  });
});
