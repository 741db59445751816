import type { BridgeHandlers } from '../../../common/bridge';
import { loadOlder, newestMessages } from '../history';
import type { HandlerContext } from './context';

const MESSAGES_DEFAULT = 50;

/** A chat's thread as a window shows it: opening, leaving, scrolling back. */
export function threadHandlers({ engine, window }: HandlerContext): Pick<BridgeHandlers, 'chat.open' | 'chat.leave' | 'chat.loadOlder'> {
  return {
    'chat.open': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      engine.windows.openChat(window, args.chatId);
      const { messages, hasOlder } = newestMessages(account, args.chatId, args.limit ?? MESSAGES_DEFAULT);
      engine.refreshChat(args.chatId);
      engine.pageServed();
      return { chat: account.chatRows([args.chatId])[0] ?? null, messages, hasOlder };
    },

    'chat.leave': async (args) => {
      engine.windows.leaveChat(window, args.chatId);
      return { ok: true };
    },

    'chat.loadOlder': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      return loadOlder(account, args.chatId, args.beforeId, args.limit ?? MESSAGES_DEFAULT);
    },
  };
}
