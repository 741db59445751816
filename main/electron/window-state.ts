// The window comes back where the user left it — unless that place no longer exists (a monitor
// was unplugged, the resolution changed): then it is moved onto a screen the user can see.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
  fullScreen: boolean;
}

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 520;
const DEFAULT_WIDTH = 1280;
const DEFAULT_HEIGHT = 820;
/** How much of the window's top strip (where the title bar is) must be on a screen to be reachable. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 32;

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads the saved file's JSON; anything malformed is null (the default place is used). */
export function parseWindowState(json: unknown): WindowState | null {
  if (!isRecord(json) || !isRecord(json.bounds)) return null;
  const { x, y, width, height } = json.bounds;
  if (!isInt(x) || !isInt(y) || !isInt(width) || !isInt(height) || width <= 0 || height <= 0) return null;
  return {
    bounds: { x, y, width, height },
    maximized: json.maximized === true,
    fullScreen: json.fullScreen === true,
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/** Centred on the primary screen's work area, at the default size or smaller if the screen is. */
export function defaultWindowState(primaryWorkArea: Rect): WindowState {
  const width = Math.min(DEFAULT_WIDTH, primaryWorkArea.width);
  const height = Math.min(DEFAULT_HEIGHT, primaryWorkArea.height);
  return {
    bounds: {
      x: primaryWorkArea.x + Math.round((primaryWorkArea.width - width) / 2),
      y: primaryWorkArea.y + Math.round((primaryWorkArea.height - height) / 2),
      width,
      height,
    },
    maximized: false,
    fullScreen: false,
  };
}

/**
 * The state to open the window with: the saved one if its title bar is on some screen's work area
 * (sized down to fit that screen), else the default on the primary screen.
 */
export function restoreWindowState(saved: WindowState | null, workAreas: readonly Rect[], primaryWorkArea: Rect): WindowState {
  if (saved === null) return defaultWindowState(primaryWorkArea);
  const topStrip: Rect = { x: saved.bounds.x, y: saved.bounds.y, width: saved.bounds.width, height: GRAB_HEIGHT };
  const grabWidth = Math.min(GRAB_WIDTH, saved.bounds.width);
  const screen = workAreas.find((area) => {
    const shared = overlap(topStrip, area);
    return shared.width >= grabWidth && shared.height >= Math.min(GRAB_HEIGHT, saved.bounds.height);
  });
  if (!screen) return { ...defaultWindowState(primaryWorkArea), maximized: saved.maximized };
  const width = Math.min(Math.max(saved.bounds.width, Math.min(MIN_WIDTH, screen.width)), screen.width);
  const height = Math.min(Math.max(saved.bounds.height, Math.min(MIN_HEIGHT, screen.height)), screen.height);
  // Pull the window inside the screen so that none of it hangs off the work area's edges.
  const x = Math.min(Math.max(saved.bounds.x, screen.x), screen.x + screen.width - width);
  const y = Math.min(Math.max(saved.bounds.y, screen.y), screen.y + screen.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized, fullScreen: saved.fullScreen };
}
