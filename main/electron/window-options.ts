import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security';
import type { WindowState } from './window-state';
import { MIN_HEIGHT, MIN_WIDTH } from './window-state';

/** The desk window's constructor options; it is shown once its first paint is ready. */
export function deskWindowOptions(state: WindowState, preload: string, icon: string): BrowserWindowConstructorOptions {
  return {
    ...state.bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Switchboard',
    icon,
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(preload),
  };
}
