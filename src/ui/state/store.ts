import { castDraft, setAutoFreeze } from 'immer';
import { create } from 'zustand';
import { immer } from 'zustand/middleware/immer';
import type { SeriesColumn } from '../../metrics/time-series';
import type { LiveFault, LiveSnapshot } from '../../run/live-run';
import type { TraceLink } from '../../run/live-trace';
import { translate, type Locale, type MessageKey, type MessageParams } from '../i18n';
import type { Speed, WorkerCommand, WorkerEvent } from '../worker/protocol';
import { applyParams, paramsOf, validate, type ParamKey, type ParamValues } from './scenario-edit';

/**
 * The UI's state: one zustand store with immer. The worker's snapshots land here once per
 * animation frame (sim-client.ts batches them); components select the slices they draw.
 */
export type Theme = 'light' | 'dark';
export type NodeTarget = { kind: 'broker'; id: number } | { kind: 'consumer'; id: number };
export type Selection = NodeTarget | { kind: 'partition'; id: number; broker: number | null };

/** A link between a client and a broker, named by its two nodes (`producer`, `broker-0`, `consumer-3`). */
export type LinkTarget = { kind: 'link'; a: string; b: string };

export interface MenuState {
  target: NodeTarget | LinkTarget;
  /** Position in the topology pane, px. */
  x: number;
  y: number;
}

export interface SeriesState {
  columns: readonly SeriesColumn[];
  bucketSeconds: number;
  rows: number[][];
}

export interface AppState {
  locale: Locale;
  theme: Theme;
  fileName: string | null;
  /** The desktop shell's handle of the open file (null: web build, library entry, new file). */
  documentId: string | null;
  text: string;
  savedText: string;
  title: string;
  description: string;
  params: ParamValues | null;
  draft: ParamValues | null;
  problems: string[];
  /** Title of the scenario that last validated (shown as "Valid: …" in the current language). */
  validTitle: string | null;
  loaded: boolean;
  runId: number;
  playing: boolean;
  speed: Speed;
  seed: number;
  endUs: number;
  /**
   * What the topology and the charts draw: the same snapshot and series, committed one and two
   * frames after `snapshot` (sim-client.ts), so that no single frame redraws everything.
   */
  topology: LiveSnapshot | null;
  chartSnapshot: LiveSnapshot | null;
  chartSeries: SeriesState;
  /** The latest snapshot, without its series rows (they accumulate in `series`). */
  snapshot: LiveSnapshot | null;
  series: SeriesState;
  selection: Selection | null;
  menu: MenuState | null;
  helpOpen: boolean;
  /** Simulated second under the pointer in a chart or the timeline, shared by all charts. */
  hoverSeconds: number | null;
  error: string | null;

  setLocale(locale: Locale): void;
  setTheme(theme: Theme): void;
  openScenario(fileName: string, text: string, documentId?: string | null): void;
  setDraft(key: ParamKey, value: string): void;
  validateDraft(): boolean;
  applyDraft(): void;
  markSaved(text: string, fileName: string, documentId: string | null): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(unit: 'bucket' | 'event'): void;
  setSpeed(speed: Speed): void;
  setSeed(seed: number): void;
  restart(): void;
  inject(fault: LiveFault): void;
  /** Follow the newest traced message that crossed this link (a clicked dot, or the link's menu). */
  follow(link: TraceLink): void;
  unfollow(): void;
  seek(timeUs: number): void;
  select(selection: Selection | null): void;
  openMenu(menu: MenuState): void;
  closeMenu(): void;
  setHelpOpen(open: boolean): void;
  setHover(seconds: number | null): void;
  receive(events: readonly WorkerEvent[]): void;
  commitTopology(): void;
  commitCharts(): void;
  setError(message: string | null): void;
}

// Snapshots arrive 20 times a second and are replaced whole, never edited: freezing each one
// deeply would cost more than the rest of the update.
setAutoFreeze(false);

let sendToWorker: (command: WorkerCommand) => void = () => undefined;

/** Connects the store to the simulation worker (sim-client.ts); tests can pass a spy. */
export function connectWorker(send: (command: WorkerCommand) => void): void {
  sendToWorker = send;
}

const emptySeries: SeriesState = { columns: [], bucketSeconds: 1, rows: [] };

export const useApp = create<AppState>()(
  immer((set, get) => ({
    locale: 'en',
    theme: 'light',
    fileName: null,
    documentId: null,
    text: '',
    savedText: '',
    title: '',
    description: '',
    params: null,
    draft: null,
    problems: [],
    validTitle: null,
    loaded: false,
    runId: 0,
    playing: false,
    speed: 1,
    seed: 1,
    endUs: 0,
    snapshot: null,
    series: emptySeries,
    topology: null,
    chartSnapshot: null,
    chartSeries: emptySeries,
    selection: null,
    menu: null,
    helpOpen: false,
    hoverSeconds: null,
    error: null,

    setLocale: (locale) => set((s) => void (s.locale = locale)),
    setTheme: (theme) => set((s) => void (s.theme = theme)),

    openScenario: (fileName, text, documentId = null) => {
      const outcome = validate(text, fileName);
      set((s) => {
        s.fileName = fileName;
        s.documentId = documentId;
        s.text = text;
        s.savedText = text;
        s.validTitle = null;
        s.error = null;
        s.selection = null;
        s.menu = null;
        if (!outcome.ok) {
          s.problems = outcome.problems;
          s.params = null;
          s.draft = null;
          return;
        }
        s.problems = [];
        s.title = outcome.scenario.title;
        s.description = outcome.scenario.description;
        s.params = paramsOf(outcome.scenario);
        s.draft = s.params;
        s.seed = outcome.scenario.seed;
      });
      // The worker validates again (and reports a queue-model scenario as a problem); a file
      // that does not validate stops the previous run there too.
      sendToWorker({ type: 'load', text, fileName });
    },

    setDraft: (key, value) =>
      set((s) => {
        if (s.draft !== null) s.draft[key] = value;
        s.validTitle = null;
      }),

    validateDraft: () => {
      const { text, fileName, draft } = get();
      if (fileName === null || draft === null) return false;
      const outcome = applyParams(text, fileName, draft);
      set((s) => {
        s.problems = outcome.ok ? [] : outcome.problems;
        s.validTitle = outcome.ok ? outcome.scenario.title : null;
      });
      return outcome.ok;
    },

    applyDraft: () => {
      const { text, fileName, draft, seed } = get();
      if (fileName === null || draft === null) return;
      const outcome = applyParams(text, fileName, draft);
      if (!outcome.ok) {
        set((s) => {
          s.problems = outcome.problems;
          s.validTitle = null;
        });
        return;
      }
      set((s) => {
        s.text = outcome.text;
        s.problems = [];
        s.validTitle = outcome.scenario.title;
        s.params = paramsOf(outcome.scenario);
        s.draft = s.params;
        s.title = outcome.scenario.title;
        s.description = outcome.scenario.description;
      });
      sendToWorker({ type: 'load', text: outcome.text, fileName, seed, keepFaults: true });
    },

    markSaved: (text, fileName, documentId) =>
      set((s) => {
        s.savedText = text;
        s.fileName = fileName;
        s.documentId = documentId;
      }),

    play: () => {
      if (!get().loaded) return;
      sendToWorker({ type: 'play' });
      set((s) => void (s.playing = true));
    },
    pause: () => {
      sendToWorker({ type: 'pause' });
      set((s) => void (s.playing = false));
    },
    togglePlay: () => (get().playing ? get().pause() : get().play()),
    step: (unit) => {
      sendToWorker({ type: 'step', unit });
      set((s) => void (s.playing = false));
    },
    setSpeed: (speed) => {
      sendToWorker({ type: 'speed', speed });
      set((s) => void (s.speed = speed));
    },
    setSeed: (seed) => {
      if (!Number.isSafeInteger(seed) || seed < 0) return;
      sendToWorker({ type: 'seed', seed });
      set((s) => {
        s.seed = seed;
        s.playing = false;
      });
    },
    restart: () => {
      sendToWorker({ type: 'restart' });
      set((s) => void (s.playing = false));
    },
    inject: (fault) => {
      sendToWorker({ type: 'inject', fault });
      set((s) => void (s.menu = null));
    },
    follow: (link) => {
      sendToWorker({ type: 'follow', link });
      set((s) => void (s.menu = null));
    },
    unfollow: () => sendToWorker({ type: 'unfollow' }),
    seek: (timeUs) => sendToWorker({ type: 'seek', timeUs }),

    select: (selection) => set((s) => void (s.selection = selection)),
    openMenu: (menu) =>
      set((s) => {
        s.menu = menu;
        if (menu.target.kind !== 'link') s.selection = menu.target;
      }),
    closeMenu: () => set((s) => void (s.menu = null)),
    setHelpOpen: (open) => set((s) => void (s.helpOpen = open)),
    setHover: (seconds) => set((s) => void (s.hoverSeconds = seconds)),
    setError: (message) => set((s) => void (s.error = message)),

    commitTopology: () => {
      const { topology, snapshot } = get();
      if (topology !== snapshot) set({ topology: snapshot });
    },
    commitCharts: () => {
      const { chartSnapshot, chartSeries, snapshot, series } = get();
      if (chartSnapshot !== snapshot || chartSeries !== series) set({ chartSnapshot: snapshot, chartSeries: series });
    },

    receive: (events) =>
      set((s) => {
        for (const event of events) {
          switch (event.type) {
            case 'loaded':
              s.loaded = true;
              s.seed = event.seed;
              s.endUs = event.endUs;
              s.title = event.title;
              s.problems = [];
              break;
            case 'problems':
              s.problems = event.problems;
              if (event.fileName === s.fileName) {
                s.loaded = false;
                s.playing = false;
                s.snapshot = null;
                s.series = { columns: [], bucketSeconds: 1, rows: [] };
                s.topology = null;
                s.chartSnapshot = null;
                s.chartSeries = s.series;
                s.runId = -1;
                s.endUs = 0;
              }
              break;
            case 'snapshot': {
              const { snapshot } = event;
              if (event.runId !== s.runId) {
                s.runId = event.runId;
                s.series = { columns: castDraft(snapshot.series.columns), bucketSeconds: snapshot.series.bucketSeconds, rows: [] };
              }
              const rows = s.series.rows;
              if (rows.length > snapshot.series.firstRow) rows.length = snapshot.series.firstRow;
              if (rows.length === snapshot.series.firstRow) rows.push(...snapshot.series.rows);
              s.snapshot = castDraft({ ...snapshot, flows: [], series: { ...snapshot.series, rows: [] } });
              s.playing = event.playing;
              s.speed = event.speed;
              s.endUs = snapshot.endUs;
              s.seed = snapshot.seed;
              break;
            }
            case 'error':
              s.error = event.message;
              break;
            case 'hash':
            case 'summary':
            case 'flows':
              break;
          }
        }
      }),
  })),
);

/** The translation function for the current locale, re-rendering on a language switch. */
export function useT(): (key: MessageKey, params?: MessageParams) => string {
  const locale = useApp((s) => s.locale);
  return (key, params) => translate(locale, key, params);
}
