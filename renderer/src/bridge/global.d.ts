import type { BridgeClient } from '../../../common/bridge';

/** What the Electron shell adds to the bridge's events: "show this chat" (notification click, deep link). */
export interface ShellEvents {
  'desk.openChat': { chatId: number };
}

/** The Electron preload's `window.switchboard`: the bridge contract, plus the shell's own event. */
export interface PreloadBridge extends BridgeClient {
  on: BridgeClient['on'] & (<E extends keyof ShellEvents>(event: E, listener: (payload: ShellEvents[E]) => void) => () => void);
}

declare global {
  interface Window {
    /** Present only in the Electron desk (preload/index.ts). */
    switchboard?: PreloadBridge;
  }
}
