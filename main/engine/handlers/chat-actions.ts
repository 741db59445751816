import type { BridgeHandlers, OperatorView } from '../../../common/bridge';
import { BridgeError } from '../../../common/bridge';
import { NetworkError } from '../api/errors';
import { toBridgeError } from '../engine';
import type { HandlerContext } from './context';
import { TRANSFER_NOTE_MAX } from '../../../common/bridge-schemas';

type ActionName = 'chat.send' | 'chat.assignMe' | 'chat.close' | 'chat.transfer' | 'chat.markRead' | 'chat.hideMessage' | 'chat.typing' | 'chat.operators';

/** What an operator does in a chat: written into the outbox at once, delivered when the server is reachable. */
export function chatActionHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, ActionName> {
  return {
    // The text's length is checked by its schema, counted as the server counts it.
    'chat.send': async (args) => {
      await engine.ready;
      const { outbox } = engine.requireRuntime();
      return { message: outbox.queueSend(args.chatId, args.text ?? null, args.uploadIds ?? []) };
    },

    'chat.assignMe': async (args) => {
      await engine.ready;
      return { entry: engine.requireRuntime().outbox.queueAction(args.chatId, 'assign-me', {}) };
    },

    'chat.close': async (args) => {
      await engine.ready;
      return { entry: engine.requireRuntime().outbox.queueAction(args.chatId, 'close', {}) };
    },

    'chat.transfer': async (args) => {
      await engine.ready;
      const note = args.note?.trim() ? args.note.trim().slice(0, TRANSFER_NOTE_MAX) : undefined;
      return { entry: engine.requireRuntime().outbox.queueAction(args.chatId, 'transfer', note ? { assignedTo: args.assignedTo, note } : { assignedTo: args.assignedTo }) };
    },

    'chat.markRead': async (args) => {
      await engine.ready;
      const { account, outbox } = engine.requireRuntime();
      const { chatId } = args;
      const upToId = args.upToId ?? account.cache.messages.newestClientMessageId(chatId) ?? undefined;
      const chat = account.cache.chats.byId(chatId);
      if (upToId === undefined && (!chat || chat.unread_count === 0)) return { entry: null };
      account.cache.transaction(() => {
        if (upToId !== undefined) account.cache.messages.markReadUpTo(chatId, upToId);
        account.cache.chats.markReadLocally(chatId);
      });
      account.touchChat(chatId);
      return { entry: outbox.queueAction(chatId, 'mark-read', upToId === undefined ? {} : { upToId }) };
    },

    'chat.hideMessage': async (args) => {
      await engine.ready;
      const { account, outbox } = engine.requireRuntime();
      const message = account.cache.messages.byId(args.messageId);
      // The desk offers it for customers' messages (spam): operators outrank customers; the server has the last word.
      if (!message || message.chat_id !== args.chatId || message.sender_type !== 'client') {
        throw new BridgeError('validation', 'Only a customer message of this chat can be hidden here.', { messageId: ['Only a customer message of this chat can be hidden here.'] });
      }
      return { entry: outbox.queueAction(args.chatId, 'hide', { messageId: args.messageId }) };
    },

    'chat.typing': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      if (account.reachability !== 'unreachable') await account.api.typing(args.chatId, args.typing).catch(() => undefined);
      return { ok: true };
    },

    'chat.operators': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      try {
        const operators: OperatorView[] = (await account.api.operators(args.chatId)).map((operator) => ({ id: operator.id, name: operator.name, roles: operator.roles }));
        account.cache.catalog.saveOperators(args.chatId, operators, account.now);
        return { operators };
      } catch (error) {
        const cached = error instanceof NetworkError ? account.cache.catalog.operators(args.chatId) : null;
        if (cached) return { operators: cached };
        throw toBridgeError(error);
      }
    },
  };
}
