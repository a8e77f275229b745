/**
 * app/documents.ts: open, save, save as and export through injected dialogs, on a temp folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DialogKind, DocumentService, ensureExtension, scenarioPathFromArgv, withUtf8Bom } from '../../app/documents';
import { STRINGS } from '../../app/strings';
import { MAX_SCENARIO_CHARS, openedScenarioSchema, savedScenarioSchema } from '../../src/ipc/schemas';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'queuelab-docs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(answers: { open?: (string | null)[]; save?: (string | null)[] } = {}) {
  const openAnswers = [...(answers.open ?? [])];
  const saveAnswers = [...(answers.save ?? [])];
  const recentAdded: string[] = [];
  const recentRemoved: string[] = [];
  let n = 0;
  const deps = {
    showOpenDialog: vi.fn(async (_o: { defaultPath?: string }) => openAnswers.shift() ?? null),
    showSaveDialog: vi.fn(async (_o: { kind: DialogKind; defaultPath: string }) => saveAnswers.shift() ?? null),
    renderPdf: vi.fn(async (html: string) => new TextEncoder().encode(`%PDF-1.7 ${html.length}`)),
    recent: {
      add: vi.fn(async (p: string) => void recentAdded.push(p)),
      remove: vi.fn(async (p: string) => void recentRemoved.push(p)),
      pathOf: vi.fn((id: string) => (id === 'known00000000000' ? path.join(dir, 'known.queuelab') : null)),
    },
    onSaved: vi.fn(),
    onOpened: vi.fn(),
    defaultDirectory: () => path.join(dir, 'Documents'),
    strings: () => STRINGS.en.dialog,
    newId: () => `doc-${++n}`,
  };
  return { service: new DocumentService(deps), deps, recentAdded, recentRemoved };
}

describe('DocumentService', () => {
  it('opens a file chosen in the dialog: content, opaque id, file name; adds it to recents', async () => {
    const file = path.join(dir, 'flash-sale.queuelab');
    writeFileSync(file, '\uFEFFversion: 1\n');
    const { service, deps, recentAdded } = setup({ open: [file] });
    const opened = await service.open();
    expect(opened).toEqual({ documentId: 'doc-1', name: 'flash-sale.queuelab', content: 'version: 1\n' });
    expect(openedScenarioSchema.safeParse(opened).success).toBe(true);
    expect(JSON.stringify(opened)).not.toContain(dir);
    expect(recentAdded).toEqual([file]);
    expect(deps.onOpened).toHaveBeenCalledWith(file);
    expect(service.pathOf('doc-1')).toBe(file);
    expect(service.idFor(file)).toBe('doc-1'); // stable
    // The next dialog starts in that folder.
    await service.open();
    expect(deps.showOpenDialog).toHaveBeenLastCalledWith({ defaultPath: dir });
  });

  it('returns null when the open dialog is cancelled', async () => {
    const { service } = setup({ open: [null] });
    expect(await service.open()).toBeNull();
  });

  it('refuses a file too large to be a scenario, before reading it', async () => {
    const file = path.join(dir, 'huge.yaml');
    writeFileSync(file, Buffer.alloc(MAX_SCENARIO_CHARS + 1, 0x61));
    const { service } = setup({ open: [file] });
    await expect(service.open()).rejects.toThrow(/huge\.yaml is too large to be a scenario/);
  });

  it('opens a recent entry by id; a vanished file is dropped from recents with a readable error', async () => {
    const { service, recentRemoved } = setup();
    await expect(service.openRecent('unknown000000000')).rejects.toThrow('The file is no longer there.');
    await expect(service.openRecent('known00000000000')).rejects.toThrow('The file is no longer there.');
    expect(recentRemoved).toEqual([path.join(dir, 'known.queuelab')]);
    writeFileSync(path.join(dir, 'known.queuelab'), 'seed: 3\n');
    expect(await service.openRecent('known00000000000')).toMatchObject({ name: 'known.queuelab', content: 'seed: 3\n' });
  });

  it('saves over the opened file atomically, without a dialog', async () => {
    const file = path.join(dir, 'a.queuelab');
    writeFileSync(file, 'old');
    const { service, deps } = setup({ open: [file] });
    const { documentId } = (await service.open())!;
    const saved = await service.save({ documentId, content: 'new' });
    expect(saved).toEqual({ documentId, name: 'a.queuelab' });
    expect(savedScenarioSchema.safeParse(saved).success).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.queuelab']);
    expect(deps.showSaveDialog).not.toHaveBeenCalled();
    expect(deps.onSaved).toHaveBeenCalledWith(file, 'new');
  });

  it('asks where to save a new document, appends .queuelab when the name has no scenario extension', async () => {
    const chosen = path.join(dir, 'my sale');
    const { service, deps } = setup({ save: [chosen] });
    const saved = await service.save({ documentId: null, content: 'version: 1\n' });
    expect(deps.showSaveDialog).toHaveBeenCalledWith({ kind: 'scenario', defaultPath: path.join(dir, 'Documents', 'Untitled.queuelab') });
    expect(saved).toEqual({ documentId: 'doc-1', name: 'my sale.queuelab' });
    expect(readFileSync(`${chosen}.queuelab`, 'utf8')).toBe('version: 1\n');
  });

  it('save as starts in the document folder, keeps .yaml/.json names, returns a new id; cancel gives null', async () => {
    const file = path.join(dir, 'a.queuelab');
    writeFileSync(file, 'x');
    const { service, deps } = setup({ open: [file], save: [path.join(dir, 'b.json'), null] });
    const { documentId } = (await service.open())!;
    const saved = await service.saveAs({ documentId, content: '{}', suggestedName: 'b' });
    expect(deps.showSaveDialog).toHaveBeenCalledWith({ kind: 'scenario', defaultPath: path.join(dir, 'b.queuelab') });
    expect(saved).toEqual({ documentId: 'doc-2', name: 'b.json' });
    expect(readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe('{}');
    expect(await service.saveAs({ documentId, content: '{}', suggestedName: 'c.queuelab' })).toBeNull();
  });

  it('a save with an unknown document id falls back to Save as', async () => {
    const { service, deps } = setup({ save: [null] });
    expect(await service.save({ documentId: 'forged', content: 'x', suggestedName: 'x.yaml' })).toBeNull();
    expect(deps.showSaveDialog).toHaveBeenCalledWith({ kind: 'scenario', defaultPath: path.join(dir, 'Documents', 'x.yaml') });
    expect(deps.onSaved).not.toHaveBeenCalled();
  });

  it('exports HTML as is, CSV with a byte order mark, PDF through renderPdf', async () => {
    const { service, deps } = setup({ save: [path.join(dir, 'r.html'), path.join(dir, 'r'), path.join(dir, 'r.pdf')] });
    expect(await service.exportReport({ kind: 'html', content: '<html>报告</html>', suggestedName: 'r.html' })).toEqual({ name: 'r.html' });
    expect(readFileSync(path.join(dir, 'r.html'), 'utf8')).toBe('<html>报告</html>');
    expect(deps.showSaveDialog).toHaveBeenLastCalledWith({ kind: 'html', defaultPath: path.join(dir, 'Documents', 'r.html') });

    expect(await service.exportReport({ kind: 'csv', content: 'a,订单\n1,2\n', suggestedName: 'data' })).toEqual({ name: 'r.csv' });
    expect(deps.showSaveDialog).toHaveBeenLastCalledWith({ kind: 'csv', defaultPath: path.join(dir, 'data.csv') });
    const csv = readFileSync(path.join(dir, 'r.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8')).toBe('a,订单\n1,2\n');

    await service.exportReport({ kind: 'pdf', content: '<html></html>', suggestedName: 'r.pdf' });
    expect(deps.renderPdf).toHaveBeenCalledWith('<html></html>');
    expect(readFileSync(path.join(dir, 'r.pdf'), 'latin1')).toBe('%PDF-1.7 13');
  });

  it('does not render a PDF when the export dialog is cancelled', async () => {
    const { service, deps } = setup({ save: [null] });
    expect(await service.exportReport({ kind: 'pdf', content: '<html></html>', suggestedName: 'r.pdf' })).toBeNull();
    expect(deps.renderPdf).not.toHaveBeenCalled();
  });
});

describe('helpers', () => {
  it('ensureExtension', () => {
    expect(ensureExtension('a.QUEUELAB', ['queuelab'], 'queuelab')).toBe('a.QUEUELAB');
    expect(ensureExtension('a.txt', ['queuelab', 'yaml'], 'queuelab')).toBe('a.txt.queuelab');
    expect(ensureExtension('report', ['pdf'], 'pdf')).toBe('report.pdf');
  });

  it('withUtf8Bom adds one mark, once', () => {
    expect(withUtf8Bom('a')).toBe('\uFEFFa');
    expect(withUtf8Bom('\uFEFFa')).toBe('\uFEFFa');
  });

  it('finds a scenario path in a command line, ignoring flags and the app folder', () => {
    expect(scenarioPathFromArgv(['/opt/QueueLab/queuelab', '/home/u/sale.queuelab'], '/')).toBe('/home/u/sale.queuelab');
    expect(scenarioPathFromArgv(['electron', '.', 'sims/mm1.yaml'], '/repo')).toBe('/repo/sims/mm1.yaml');
    expect(scenarioPathFromArgv(['queuelab', '--inspect=9229', '--flag.queuelab'], '/')).toBeNull();
    expect(scenarioPathFromArgv(['queuelab', 'notes.txt'], '/')).toBeNull();
    expect(scenarioPathFromArgv(['/home/u/sale.queuelab'], '/')).toBeNull(); // argv[0] is the executable
  });
});
