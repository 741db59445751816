// The one desk window: secure webPreferences, navigation and window-open guards, remembered bounds.
import type { Rectangle } from 'electron';
import { BrowserWindow, screen, shell } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESK_ENTRY_URL, navigationDecision, windowOpenDecision } from './security';
import { deskWindowOptions } from './window-options';
import type { WindowState } from './window-state';
import { parseWindowState, restoreWindowState } from './window-state';

function readSavedState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

function currentState(window: BrowserWindow): WindowState {
  const bounds: Rectangle = window.getNormalBounds();
  return { bounds, maximized: window.isMaximized(), fullScreen: window.isFullScreen() };
}

export interface DeskWindowOptions {
  userData: string;
  preload: string;
  icon: string;
  show: boolean;
}

export function createDeskWindow({ userData, preload, icon, show }: DeskWindowOptions): BrowserWindow {
  const stateFile = join(userData, 'window-state.json');
  const state = restoreWindowState(
    readSavedState(stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow(deskWindowOptions(state, preload, icon));
  if (state.maximized) window.maximize();
  if (state.fullScreen) window.setFullScreen(true);
  window.once('ready-to-show', () => {
    if (show) window.show();
  });

  const save = () => {
    try {
      writeFileSync(stateFile, JSON.stringify(currentState(window)));
    } catch (error) {
      console.error('could not save the window state', error);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('close', () => {
    clearTimeout(timer);
    save();
  });

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    const decision = navigationDecision(url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guard(event, event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  void window.loadURL(DESK_ENTRY_URL);
  return window;
}

/** Brings the window to the front (tray click, second instance, notification click, deep link). */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
