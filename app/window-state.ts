/**
 * The main window's size and position, remembered across runs in userData/window-state.json,
 * and clamped to a display that is still attached (a laptop undocked from its second monitor
 * must not open the window off screen).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from './atomic-write';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 800, height: 560 } as const;
/** How much of the window (its top strip, where the title bar is) must be on a display to keep its position. */
export const MIN_VISIBLE = { width: 160, height: 48 } as const;

const finite = z.number().finite();
const savedStateSchema = z.object({
  x: finite.optional(),
  y: finite.optional(),
  width: finite.positive(),
  height: finite.positive(),
  maximized: z.boolean().optional(),
  fullScreen: z.boolean().optional(),
});

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

function centerIn(area: Rect, width: number, height: number): Rect {
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where to open the window, from what was saved (anything: it is a file on disk) and the work
 * areas of the attached displays (`screen.getAllDisplays().map(d => d.workArea)`, primary first
 * or given separately).
 *
 * - Garbage or nothing saved: the default size, centred on the primary display.
 * - The size never exceeds the display's work area, nor goes below MIN_SIZE (unless the display is smaller).
 * - If the saved title-bar strip is visible on some display (at least MIN_VISIBLE of it), the
 *   window stays on that display, shifted inside its work area; otherwise it is centred on the primary.
 */
export function restoreWindowState(saved: unknown, workAreas: readonly Rect[], primary: Rect): WindowState {
  const parsed = savedStateSchema.safeParse(saved);
  const flags = {
    maximized: parsed.success ? (parsed.data.maximized ?? false) : false,
    fullScreen: parsed.success ? (parsed.data.fullScreen ?? false) : false,
  };
  const fit = (area: Rect, width: number, height: number): { width: number; height: number } => ({
    width: Math.round(clamp(width, Math.min(MIN_SIZE.width, area.width), area.width)),
    height: Math.round(clamp(height, Math.min(MIN_SIZE.height, area.height), area.height)),
  });

  if (!parsed.success || parsed.data.x === undefined || parsed.data.y === undefined) {
    const width = parsed.success ? parsed.data.width : DEFAULT_SIZE.width;
    const height = parsed.success ? parsed.data.height : DEFAULT_SIZE.height;
    const size = fit(primary, width, height);
    return { ...centerIn(primary, size.width, size.height), ...flags };
  }

  const { x, y, width, height } = parsed.data;
  // The strip that must be reachable to move the window: its top MIN_VISIBLE.height pixels.
  const titleStrip: Rect = { x, y, width, height: Math.min(height, MIN_VISIBLE.height) };
  let best: { area: Rect; visible: Rect } | null = null;
  for (const area of workAreas) {
    const visible = intersection(titleStrip, area);
    if (visible && (best === null || visible.width * visible.height > best.visible.width * best.visible.height)) {
      best = { area, visible };
    }
  }
  const onScreen =
    best !== null &&
    best.visible.width >= Math.min(MIN_VISIBLE.width, width) &&
    best.visible.height >= Math.min(MIN_VISIBLE.height, height);
  if (!onScreen || best === null) {
    const size = fit(primary, width, height);
    return { ...centerIn(primary, size.width, size.height), ...flags };
  }
  const area = best.area;
  const size = fit(area, width, height);
  return {
    x: Math.round(clamp(x, area.x, area.x + area.width - size.width)),
    y: Math.round(clamp(y, area.y, area.y + area.height - size.height)),
    ...size,
    ...flags,
  };
}

/** Reads userData/window-state.json; undefined if missing or unreadable (restoreWindowState copes). */
export function readWindowState(userData: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(userData, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Synchronous and atomic: called from the window's 'close' event. Never throws. */
export function writeWindowState(userData: string, state: WindowState): void {
  try {
    writeFileAtomicSync(path.join(userData, WINDOW_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  } catch (error) {
    console.warn(`QueueLab: could not save the window position: ${String(error)}`);
  }
}
