// The Electron shell's IPC channels (main/electron/ipc.ts checks each sender). The bridge itself
// does not use IPC: it goes over the MessagePort that `bridgePort` delivers.
export const IPC = {
  /** preload → main: the page is ready for a bridge port. */
  ready: 'desk:ready',
  /** main → preload: the port to the engine (in `event.ports`). */
  bridgePort: 'desk:bridge-port',
  /** main → preload: show this chat (notification click, deep link); data: the chat id. */
  openChat: 'desk:open-chat',
} as const;

/** The event the preload delivers to the page's bridge listeners when the shell asks to show a chat. */
export const OPEN_CHAT_EVENT = 'desk.openChat';
