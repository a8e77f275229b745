/**
 * app/window-state.ts: the remembered window size and position, clamped to attached displays.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  readWindowState,
  restoreWindowState,
  type Rect,
  WINDOW_STATE_FILE,
  writeWindowState,
} from '../../app/window-state';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 }; // work area below a 30 px top bar
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const leftMonitor: Rect = { x: -1280, y: 200, width: 1280, height: 984 };

describe('restoreWindowState', () => {
  it('centres the default size on the primary display when nothing (or garbage) was saved', () => {
    for (const saved of [undefined, null, 'x', { width: 'wide' }, { width: -5, height: 10 }, { width: Number.NaN, height: 600 }]) {
      expect(restoreWindowState(saved, [laptop], laptop)).toEqual({
        x: (1920 - DEFAULT_SIZE.width) / 2,
        y: (1050 - DEFAULT_SIZE.height) / 2,
        ...DEFAULT_SIZE,
        maximized: false,
        fullScreen: false,
      });
    }
  });

  it('keeps a window that is on a display', () => {
    const saved = { x: 100, y: 80, width: 1000, height: 700, maximized: true, fullScreen: false };
    expect(restoreWindowState(saved, [laptop, rightMonitor], laptop)).toEqual(saved);
    const onRight = { x: 2200, y: 100, width: 1600, height: 1000, maximized: false, fullScreen: true };
    expect(restoreWindowState(onRight, [laptop, rightMonitor], laptop)).toEqual(onRight);
  });

  it('recentres on the primary display a window left on a monitor that is gone', () => {
    const saved = { x: 2200, y: 100, width: 1600, height: 1000 };
    expect(restoreWindowState(saved, [laptop], laptop)).toEqual({ x: 160, y: 25, width: 1600, height: 1000, maximized: false, fullScreen: false });
  });

  it('recentres a window whose title bar is off screen (above the top, or barely visible)', () => {
    expect(restoreWindowState({ x: 100, y: -500, width: 800, height: 600 }, [laptop], laptop)).toMatchObject({ x: 560, y: 225 });
    expect(restoreWindowState({ x: 1900, y: 100, width: 800, height: 600 }, [laptop], laptop)).toMatchObject({ x: 560, y: 225 });
  });

  it('shifts a partly visible window fully inside its display', () => {
    expect(restoreWindowState({ x: 1500, y: 900, width: 800, height: 600 }, [laptop], laptop)).toMatchObject({ x: 1120, y: 450, width: 800, height: 600 });
    expect(restoreWindowState({ x: -1400, y: 300, width: 800, height: 600 }, [laptop, leftMonitor], laptop)).toMatchObject({ x: -1280, y: 300 });
  });

  it('shrinks a window larger than its display, and grows one below the minimum size', () => {
    expect(restoreWindowState({ x: 0, y: 0, width: 4000, height: 3000 }, [laptop], laptop)).toMatchObject({ x: 0, y: 0, width: 1920, height: 1050 });
    expect(restoreWindowState({ x: 10, y: 10, width: 100, height: 50 }, [laptop], laptop)).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
  });

  it('fits a display smaller than the minimum size', () => {
    const tiny: Rect = { x: 0, y: 0, width: 640, height: 480 };
    expect(restoreWindowState({ x: 0, y: 0, width: 1280, height: 800 }, [tiny], tiny)).toMatchObject({ width: 640, height: 480, x: 0, y: 0 });
  });

  it('picks the display that shows most of the title bar', () => {
    const s = restoreWindowState({ x: 1700, y: 50, width: 1000, height: 700 }, [laptop, rightMonitor], laptop);
    expect(s).toMatchObject({ x: 1920, y: 50 }); // mostly on the right monitor: moved fully onto it
  });
});

describe('read and write', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('round-trips through userData/window-state.json, atomically', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'queuelab-ws-'));
    expect(readWindowState(dir)).toBeUndefined();
    const state = { x: 1, y: 2, width: 900, height: 600, maximized: false, fullScreen: false };
    writeWindowState(dir, state);
    expect(readWindowState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{ not json');
    expect(readWindowState(dir)).toBeUndefined();
  });

  it('never throws when it cannot write (it warns)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => writeWindowState('/nonexistent/dir/for/queuelab', { x: 0, y: 0, width: 1, height: 1, maximized: false, fullScreen: false })).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^QueueLab: could not save the window position/));
    warn.mockRestore();
  });
});
