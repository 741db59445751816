import type { SessionView } from '../../../common/bridge';
import { bridge } from './bridge-ref';
import { shownError } from './errors';
import type { ShownError, SliceCreator } from './types';

export interface LoginInput {
  serverUrl: string;
  email: string;
  password: string;
}

export interface SessionSlice {
  /** `starting` until the engine told us whether a session is remembered. */
  boot: 'starting' | 'ready';
  session: SessionView | null;
  /** Pre-filled on the login screen (from the web desk or the page URL). */
  defaultServerUrl: string;
  loggingIn: boolean;
  loginError: ShownError | null;
  /** Why the last session ended without the user asking (token expired or revoked). */
  sessionEndedReason: 'expired' | null;
  start(): Promise<void>;
  login(input: LoginInput): Promise<boolean>;
  logout(): Promise<void>;
  sessionChanged(session: SessionView | null, reason: 'login' | 'logout' | 'expired' | 'restored'): void;
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => ({
  boot: 'starting',
  session: null,
  defaultServerUrl: '',
  loggingIn: false,
  loginError: null,
  sessionEndedReason: null,

  async start() {
    const status = await bridge().invoke('desk.status', {});
    set({
      session: status.session,
      connection: status.connection,
      outbox: status.outbox,
      unreadChats: status.unreadChats,
      preferences: status.preferences,
      boot: 'ready',
    });
    // The first page of the list comes first; the filters' catalog after it.
    if (status.session) void get().reloadList().then(() => get().harvestCatalog());
    const openId = get().openChatId;
    if (status.session && openId !== null) {
      // Back after the desk process went away: open the chat again (the leave keeps the engine's count of views right if it is the same engine).
      await bridge().invoke('chat.leave', { chatId: openId }).catch(() => undefined);
      void get().openChat(openId, { force: true });
    }
  },

  async login(input) {
    set({ loggingIn: true, loginError: null });
    try {
      const { session } = await bridge().invoke('session.login', input);
      set({ session, loggingIn: false, sessionEndedReason: null, caughtUpTo: 0 });
      void get().reloadList().then(() => get().harvestCatalog());
      return true;
    } catch (error) {
      set({ loggingIn: false, loginError: shownError(error) });
      return false;
    }
  },

  async logout() {
    get().closeChatView();
    await bridge().invoke('session.logout', {});
    set({ session: null, rows: [], counts: { my: 0, unassigned: 0, all: 0 } });
  },

  sessionChanged(session, reason) {
    const before = get().session;
    set({ session, sessionEndedReason: reason === 'expired' ? 'expired' : session ? null : get().sessionEndedReason });
    if (!session) {
      get().closeChatView();
      set({ rows: [], counts: { my: 0, unassigned: 0, all: 0 }, hasMore: false });
      return;
    }
    if (!before || before.user.id !== session.user.id || before.serverUrl !== session.serverUrl) {
      // Another account: what the thread had caught up to was another server's or user's.
      set({ caughtUpTo: 0 });
      void get().reloadList().then(() => get().harvestCatalog());
    }
  },
});
