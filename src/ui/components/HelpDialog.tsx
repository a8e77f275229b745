import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../shortcuts';
import { useApp, useT } from '../state/store';

export function HelpDialog() {
  const t = useT();
  const close = () => useApp.getState().setHelpOpen(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <div className="backdrop" onClick={close}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">{t('help.title')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('help.key')}</th>
              <th>{t('help.action')}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.label}>
                <td>
                  {shortcut.keys.map((key, i) => (
                    <span key={key}>
                      {i > 0 && ' + '}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(shortcut.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t('help.mouse')}</p>
        <button ref={button} type="button" className="btn" onClick={close}>
          {t('help.close')}
        </button>
      </div>
    </div>
  );
}
