import { LIBRARY } from '../library';
import { desktop } from '../platform';
import { exportReport, exportSeries, exportSummary, openFile, saveFile } from '../state/files';
import { PARAMS } from '../state/scenario-edit';
import type { SimClient } from '../state/sim-client';
import { useApp, useT } from '../state/store';

/** Left column: the library, open/save/export, the parameters and the validation problems. */
export function ScenarioPanel({ client }: { client: SimClient | null }) {
  const t = useT();
  const fileName = useApp((s) => s.fileName);
  const draft = useApp((s) => s.draft);
  const problems = useApp((s) => s.problems);
  const validTitle = useApp((s) => s.validTitle);
  const description = useApp((s) => s.description);
  const faults = useApp((s) => s.snapshot?.faults.length ?? 0);
  const hasRows = useApp((s) => s.series.rows.length > 0);
  const app = useApp.getState;

  return (
    <nav className="scenario" aria-labelledby="scenario-title">
      <div className="region pane">
      <h2 id="scenario-title">{t('panel.scenario')}</h2>
      <div className="row">
        <button type="button" className="btn small" data-testid="open" onClick={() => void openFile()}>
          {t('panel.open')}
        </button>
        <button type="button" className="btn small" data-testid="save" disabled={fileName === null} onClick={() => void saveFile()}>
          {t('panel.save')}
        </button>
        <button type="button" className="btn small" data-testid="export-csv" disabled={!hasRows} onClick={() => void exportSeries()}>
          {t('panel.exportCsv')}
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="export-report"
          disabled={!hasRows || client === null}
          onClick={() => client !== null && void exportReport(client)}
        >
          {t('panel.exportReport')}
        </button>
        {desktop() === undefined && (
          <button
            type="button"
            className="btn small"
            data-testid="export-summary"
            disabled={fileName === null || client === null}
            onClick={() => client !== null && void exportSummary(client)}
          >
            {t('panel.export')}
          </button>
        )}
      </div>
      <h3 title={t('panel.libraryHint')}>{t('panel.library')}</h3>
      <div className="library" data-testid="library">
        {LIBRARY.map((entry) => (
          <button
            key={entry.fileName}
            type="button"
            className={`lib-item ${entry.kind}`}
            aria-current={entry.fileName === fileName}
            data-testid={`library-${entry.fileName}`}
            title={entry.title}
            onClick={() => app().openScenario(entry.fileName, entry.text)}
          >
            <span className="name">
              {entry.fileName}
              {entry.kind !== 'kafka' && <span className="tag">{t('panel.queueOnly')}</span>}
            </span>
            <span className="title">{entry.title}</span>
          </button>
        ))}
      </div>
      {draft !== null && (
        <>
          <h3>{t('panel.parameters')}</h3>
          <form
            className="params"
            onSubmit={(event) => {
              event.preventDefault();
              app().applyDraft();
            }}
          >
            {PARAMS.filter((param) => draft[param.key] !== undefined).map((param) => {
              const id = `param-${param.key}`;
              const invalid = problems.some((line) => line.includes(param.path.join('.')));
              return (
                <div key={param.key} style={{ display: 'contents' }}>
                  <label htmlFor={id}>{t(param.label)}</label>
                  {param.input === 'acks' ? (
                    <select id={id} data-testid={id} value={draft.acks ?? 'all'} onChange={(e) => app().setDraft('acks', e.target.value)}>
                      <option value="0">0</option>
                      <option value="1">1</option>
                      <option value="all">all</option>
                    </select>
                  ) : (
                    <input
                      id={id}
                      data-testid={id}
                      inputMode={param.input === 'int' ? 'numeric' : 'decimal'}
                      aria-invalid={invalid}
                      value={draft[param.key] ?? ''}
                      onChange={(e) => app().setDraft(param.key, e.target.value)}
                    />
                  )}
                </div>
              );
            })}
          </form>
          <div className="row">
            <button type="button" className="btn small" data-testid="validate" onClick={() => app().validateDraft()}>
              {t('panel.validate')}
            </button>
            <button type="button" className="btn small primary" data-testid="apply" title={t('panel.applyHint')} onClick={() => app().applyDraft()}>
              {t('panel.apply')}
            </button>
          </div>
          {faults > 0 && <div className="label">{t('panel.faultsRecorded', { count: faults })}</div>}
        </>
      )}
      {validTitle !== null && problems.length === 0 && (
        <div className="ok" role="status" data-testid="valid">
          ✓ {t('panel.valid', { title: validTitle })}
        </div>
      )}
      {problems.length > 0 && (
        <>
          <h3>{t('panel.problems')}</h3>
          <ul className="problems" role="alert" data-testid="problems">
            {problems.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      {description !== '' && (
        <details>
          <summary>{t('panel.description')}</summary>
          <p className="description">{description}</p>
        </details>
      )}
      </div>
    </nav>
  );
}
