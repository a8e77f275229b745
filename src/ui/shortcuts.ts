import type { MessageKey } from './i18n';
import type { AppState } from './state/store';

/**
 * The keyboard shortcuts: one table drives the key handler and the Help dialog. They act only
 * while no text field has focus; Space and Enter on a focused button keep their usual meaning.
 */
export interface Shortcut {
  keys: string[];
  label: MessageKey;
  matches(event: KeyboardEvent): boolean;
  run(app: AppState): void;
}

const plain = (event: KeyboardEvent) => !event.ctrlKey && !event.metaKey && !event.altKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Space'], label: 'shortcut.playPause', matches: (e) => plain(e) && e.key === ' ', run: (app) => app.togglePlay() },
  { keys: ['→'], label: 'shortcut.step', matches: (e) => plain(e) && !e.shiftKey && e.key === 'ArrowRight', run: (app) => app.step('bucket') },
  { keys: ['Shift', '→'], label: 'shortcut.stepEvent', matches: (e) => plain(e) && e.shiftKey && e.key === 'ArrowRight', run: (app) => app.step('event') },
  { keys: ['1'], label: 'shortcut.speed1', matches: (e) => plain(e) && e.key === '1', run: (app) => app.setSpeed(1) },
  { keys: ['2'], label: 'shortcut.speed10', matches: (e) => plain(e) && e.key === '2', run: (app) => app.setSpeed(10) },
  { keys: ['3'], label: 'shortcut.speed100', matches: (e) => plain(e) && e.key === '3', run: (app) => app.setSpeed(100) },
  { keys: ['4'], label: 'shortcut.speedMax', matches: (e) => plain(e) && e.key === '4', run: (app) => app.setSpeed('max') },
  { keys: ['R'], label: 'shortcut.restart', matches: (e) => plain(e) && (e.key === 'r' || e.key === 'R'), run: (app) => app.restart() },
  { keys: ['?'], label: 'shortcut.help', matches: (e) => plain(e) && e.key === '?', run: (app) => app.setHelpOpen(!app.helpOpen) },
  {
    keys: ['Esc'],
    label: 'shortcut.escape',
    matches: (e) => e.key === 'Escape',
    run: (app) => {
      app.closeMenu();
      app.setHelpOpen(false);
    },
  },
];

/** Whether a key event belongs to the focused control rather than to the shortcuts. */
export function ownedByControl(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (target === null || typeof target.closest !== 'function') return false;
  if (target.isContentEditable || target.closest('input, select, textarea') !== null) return event.key !== 'Escape';
  const role = target.getAttribute('role');
  if (role === 'slider' && event.key.startsWith('Arrow')) return true;
  const isButton = target.closest('button, [role="button"], [role="menuitem"]') !== null;
  return isButton && (event.key === ' ' || event.key === 'Enter');
}

export function findShortcut(event: KeyboardEvent): Shortcut | undefined {
  if (ownedByControl(event)) return undefined;
  return SHORTCUTS.find((shortcut) => shortcut.matches(event));
}
