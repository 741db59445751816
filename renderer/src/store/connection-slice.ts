import type { ConnectionState } from '../../../common/bridge';
import type { LinkState } from '../bridge/desk-bridge';
import type { SliceCreator } from './types';

export interface ConnectionSlice {
  /** The engine's link to the chat server. */
  connection: ConnectionState;
  /** The page's link to the engine (always `connected` in Electron; the web desk's WebSocket in a browser). */
  link: LinkState;
  /** Chats with unread client messages (the badge). */
  unreadChats: number;
  setLink(link: LinkState): void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set, get) => ({
  connection: { kind: 'connecting' },
  link: 'connecting',
  unreadChats: 0,
  setLink(link) {
    const before = get().link;
    set({ link });
    // Back from an outage of the desk process: what we show may be stale; ask again.
    if (link === 'connected' && before === 'lost') void get().start();
  },
});
