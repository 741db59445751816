import { BridgeError, type BridgeHandlers } from '../../../common/bridge';
import type { HandlerContext } from './context';

/** Signing in and out, and what the UI needs at start. */
export function sessionHandlers({ engine, window }: HandlerContext): Pick<BridgeHandlers, 'session.login' | 'session.logout' | 'session.get' | 'desk.status' | 'desk.focus'> {
  return {
    'session.login': async (args) => {
      const fields: Record<string, string[]> = {};
      if (args.serverUrl.trim() === '') fields.serverUrl = ['The server address is required.'];
      if (args.email.trim() === '') fields.email = ['The email field is required.'];
      if (args.password === '') fields.password = ['The password field is required.'];
      const first = Object.values(fields)[0]?.[0];
      if (first) throw new BridgeError('validation', first, fields);
      return { session: await engine.login(args.serverUrl, args.email.trim(), args.password) };
    },

    'session.logout': async () => {
      await engine.ready;
      await engine.logout();
      return { ok: true };
    },

    'session.get': async () => {
      await engine.ready;
      return { session: engine.session() };
    },

    'desk.status': async () => {
      await engine.ready;
      const runtime = engine.runtime;
      return {
        session: engine.session(),
        connection: engine.connection(),
        outbox: runtime ? runtime.account.outboxEntries() : [],
        unreadChats: runtime ? runtime.account.cache.chats.unreadChats() : 0,
        preferences: engine.getPreferences(),
      };
    },

    // Focus is this window's: another window's blur does not change it.
    'desk.focus': async (args) => {
      engine.windows.setFocused(window, args.focused);
      return { ok: true };
    },
  };
}
