import { CHAT_STATUSES, CHAT_TABS, MESSAGE_MAX_LENGTH } from '../../common/api';
import { isOverMessageLength } from '../../common/text-length';
import { BridgeError, type Args, type BridgeHandlers, type Handler, type OperatorView, type RequestName, type Result } from '../../common/bridge';
import { createAdminHandlers } from './admin-handlers';
import { NetworkError } from './api/errors';
import { encodeChatCursor } from './cache';
import type { DeskEngine } from './engine';
import { toBridgeError } from './engine';
import { loadOlder, newestMessages } from './history';

export type EngineHandlers = BridgeHandlers;

const MESSAGES_DEFAULT = 50;
const MESSAGES_MAX = 200;
const CHATS_DEFAULT = 50;
const CHATS_MAX = 200;

function positiveId(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new BridgeError('validation', `The ${field} must be a positive whole number.`, { [field]: [`The ${field} must be a positive whole number.`] });
  }
  return value;
}

function limitOf(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new BridgeError('validation', `The limit must be between 1 and ${max}.`, { limit: [`The limit must be between 1 and ${max}.`] });
  }
  return value;
}

/** Server search results (message text) for a query, remembered briefly so later pages agree with the first. */
const SEARCH_MEMORY_MS = 60_000;

/** Every bridge request, implemented over the engine. Failures reject with a BridgeError. */
export function createHandlers(engine: DeskEngine): BridgeHandlers {
  const searches = new Map<string, { ids: number[]; at: number }>();

  async function serverMatches(search: string): Promise<number[]> {
    const runtime = engine.runtime;
    if (!runtime || runtime.account.reachability === 'unreachable' || search.length < 2) return [];
    const remembered = searches.get(search);
    if (remembered && engine.now() - remembered.at < SEARCH_MEMORY_MS) return remembered.ids;
    try {
      const response = await runtime.account.api.chats({ page: 1, perPage: 100, search, tab: 'all' });
      runtime.account.cache.transaction(() => {
        for (const chat of response.data) runtime.account.applyChat(chat);
      });
      const ids = response.data.map((chat) => chat.id);
      searches.set(search, { ids, at: engine.now() });
      return ids;
    } catch {
      return [];
    }
  }

  const h = <K extends RequestName>(name: K, handler: Handler<K>): Handler<K> => guard(engine, name, handler);

  return {
    ...createAdminHandlers(engine),
    'session.login': h('session.login', async (args) => {
      if (typeof args.serverUrl !== 'string' || typeof args.email !== 'string' || typeof args.password !== 'string') {
        throw new BridgeError('validation', 'Server address, email and password are required.');
      }
      const fields: Record<string, string[]> = {};
      if (args.serverUrl.trim() === '') fields.serverUrl = ['The server address is required.'];
      if (args.email.trim() === '') fields.email = ['The email field is required.'];
      if (args.password === '') fields.password = ['The password field is required.'];
      const first = Object.values(fields)[0]?.[0];
      if (first) throw new BridgeError('validation', first, fields);
      return { session: await engine.login(args.serverUrl, args.email.trim(), args.password) };
    }),

    'session.logout': h('session.logout', async () => {
      await engine.ready;
      await engine.logout();
      return { ok: true };
    }),

    'session.get': h('session.get', async () => {
      await engine.ready;
      return { session: engine.session() };
    }),

    'desk.status': h('desk.status', async () => {
      await engine.ready;
      const runtime = engine.runtime;
      return {
        session: engine.session(),
        connection: engine.connection(),
        outbox: runtime ? runtime.account.outboxEntries() : [],
        unreadChats: runtime ? runtime.account.cache.chats.unreadChats() : 0,
        preferences: engine.getPreferences(),
      };
    }),

    'desk.focus': h('desk.focus', async (args) => {
      engine.setFocused(args.focused === true);
      return { ok: true };
    }),

    'chats.list': h('chats.list', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      if (!CHAT_TABS.includes(args.tab)) throw new BridgeError('validation', 'Unknown tab.', { tab: ['The selected tab is invalid.'] });
      if (args.status !== undefined && args.status !== 'open' && !CHAT_STATUSES.includes(args.status)) {
        throw new BridgeError('validation', 'Unknown status.', { status: ['The selected status is invalid.'] });
      }
      const limit = limitOf(args.limit, CHATS_DEFAULT, CHATS_MAX);
      const search = args.search?.trim() ?? '';
      const matches = search ? await serverMatches(search) : [];
      const filter = {
        tab: args.tab,
        status: args.status,
        sourceId: args.sourceId,
        departmentId: args.departmentId,
        search: search || undefined,
        serverMatches: matches,
        userId: account.user.id,
      };
      const { rows, hasMore } = account.cache.chats.list(filter, limit, args.cursor ?? null);
      const last = rows.at(-1);
      const views = account.chatRows(rows.map((row) => row.id));
      const byId = new Map(views.map((view) => [view.id, view]));
      return {
        rows: rows.flatMap((row) => byId.get(row.id) ?? []),
        counts: account.cache.chats.counts(filter),
        hasMore,
        nextCursor: hasMore && last ? encodeChatCursor(last) : null,
      };
    }),

    'chats.get': h('chats.get', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      return { chat: account.chatRows([positiveId(args.chatId, 'chatId')])[0] ?? null };
    }),

    'chat.open': h('chat.open', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const chatId = positiveId(args.chatId, 'chatId');
      const limit = limitOf(args.limit, MESSAGES_DEFAULT, MESSAGES_MAX);
      engine.openChat(chatId);
      const { messages, hasOlder } = newestMessages(account, chatId, limit);
      engine.refreshChat(chatId);
      return { chat: account.chatRows([chatId])[0] ?? null, messages, hasOlder };
    }),

    'chat.leave': h('chat.leave', async (args) => {
      engine.leaveChat(positiveId(args.chatId, 'chatId'));
      return { ok: true };
    }),

    'chat.loadOlder': h('chat.loadOlder', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      return loadOlder(account, positiveId(args.chatId, 'chatId'), positiveId(args.beforeId, 'beforeId'), limitOf(args.limit, MESSAGES_DEFAULT, MESSAGES_MAX));
    }),

    'chat.send': h('chat.send', async (args) => {
      await engine.ready;
      const { outbox } = engine.requireRuntime();
      const chatId = positiveId(args.chatId, 'chatId');
      const text = typeof args.text === 'string' ? args.text : null;
      if (text !== null && isOverMessageLength(text)) {
        const message = `The text may not be greater than ${MESSAGE_MAX_LENGTH} characters.`;
        throw new BridgeError('validation', message, { text: [message] });
      }
      const uploadIds = Array.isArray(args.uploadIds) ? args.uploadIds.filter((id): id is string => typeof id === 'string') : [];
      return { message: outbox.queueSend(chatId, text, uploadIds) };
    }),

    'chat.assignMe': h('chat.assignMe', async (args) => {
      await engine.ready;
      return { entry: engine.requireRuntime().outbox.queueAction(positiveId(args.chatId, 'chatId'), 'assign-me', {}) };
    }),

    'chat.close': h('chat.close', async (args) => {
      await engine.ready;
      return { entry: engine.requireRuntime().outbox.queueAction(positiveId(args.chatId, 'chatId'), 'close', {}) };
    }),

    'chat.transfer': h('chat.transfer', async (args) => {
      await engine.ready;
      const chatId = positiveId(args.chatId, 'chatId');
      const assignedTo = positiveId(args.assignedTo, 'assignedTo');
      const note = typeof args.note === 'string' && args.note.trim() !== '' ? args.note.trim().slice(0, 1000) : undefined;
      return { entry: engine.requireRuntime().outbox.queueAction(chatId, 'transfer', note ? { assignedTo, note } : { assignedTo }) };
    }),

    'chat.markRead': h('chat.markRead', async (args) => {
      await engine.ready;
      const { account, outbox } = engine.requireRuntime();
      const chatId = positiveId(args.chatId, 'chatId');
      const upToId = args.upToId === undefined ? (account.cache.messages.newestClientMessageId(chatId) ?? undefined) : positiveId(args.upToId, 'upToId');
      const chat = account.cache.chats.byId(chatId);
      if (upToId === undefined && (!chat || chat.unread_count === 0)) return { entry: null };
      account.cache.transaction(() => {
        if (upToId !== undefined) account.cache.messages.markReadUpTo(chatId, upToId);
        account.cache.chats.markReadLocally(chatId);
      });
      account.touchChat(chatId);
      return { entry: outbox.queueAction(chatId, 'mark-read', upToId === undefined ? {} : { upToId }) };
    }),

    'chat.hideMessage': h('chat.hideMessage', async (args) => {
      await engine.ready;
      const { account, outbox } = engine.requireRuntime();
      const chatId = positiveId(args.chatId, 'chatId');
      const messageId = positiveId(args.messageId, 'messageId');
      const message = account.cache.messages.byId(messageId);
      // The desk offers it for customers' messages (spam): operators outrank customers; the server has the last word.
      if (!message || message.chat_id !== chatId || message.sender_type !== 'client') {
        throw new BridgeError('validation', 'Only a customer message of this chat can be hidden here.', { messageId: ['Only a customer message of this chat can be hidden here.'] });
      }
      return { entry: outbox.queueAction(chatId, 'hide', { messageId }) };
    }),

    'chat.typing': h('chat.typing', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const chatId = positiveId(args.chatId, 'chatId');
      if (account.reachability !== 'unreachable') await account.api.typing(chatId, args.typing !== false).catch(() => undefined);
      return { ok: true };
    }),

    'chat.operators': h('chat.operators', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const chatId = positiveId(args.chatId, 'chatId');
      try {
        const operators: OperatorView[] = (await account.api.operators(chatId)).map((operator) => ({ id: operator.id, name: operator.name, roles: operator.roles }));
        account.cache.catalog.saveOperators(chatId, operators, account.now);
        return { operators };
      } catch (error) {
        const cached = account.cache.catalog.operators(chatId);
        if (error instanceof NetworkError && cached !== null) {
          const parsed: unknown = JSON.parse(cached);
          if (Array.isArray(parsed)) {
            return {
              operators: parsed.flatMap((item): OperatorView[] =>
                typeof item === 'object' && item !== null && typeof item.id === 'number' && typeof item.name === 'string'
                  ? [{ id: item.id, name: item.name, roles: Array.isArray(item.roles) ? item.roles.filter((role: unknown): role is string => typeof role === 'string') : [] }]
                  : [],
              ),
            };
          }
        }
        throw toBridgeError(error);
      }
    }),

    'outbox.list': h('outbox.list', async () => {
      await engine.ready;
      return { entries: engine.requireRuntime().account.outboxEntries() };
    }),

    'outbox.retry': h('outbox.retry', async (args) => {
      await engine.ready;
      if (typeof args.id !== 'string') throw new BridgeError('validation', 'The id is required.', { id: ['The id is required.'] });
      return { entry: engine.requireRuntime().outbox.retry(args.id) };
    }),

    'outbox.discard': h('outbox.discard', async (args) => {
      await engine.ready;
      if (typeof args.id !== 'string') throw new BridgeError('validation', 'The id is required.', { id: ['The id is required.'] });
      return { ok: await engine.requireRuntime().outbox.discard(args.id) };
    }),

    'uploads.add': h('uploads.add', async (args) => {
      await engine.ready;
      const { files } = engine.requireRuntime();
      if (typeof args.name !== 'string') throw new BridgeError('validation', 'The file name is required.', { name: ['The file name is required.'] });
      return { upload: await files.add(args) };
    }),

    'canned.search': h('canned.search', async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const items = account.cache.catalog.searchCanned(args.query, args.sourceId, 50);
      return { items: items.map((item) => ({ id: item.id, sourceId: item.source_id, code: item.code, title: item.title, text: item.text })) };
    }),

    'preferences.get': h('preferences.get', async () => {
      await engine.ready;
      return { preferences: engine.getPreferences() };
    }),

    'preferences.set': h('preferences.set', async (args) => {
      await engine.ready;
      return { preferences: await engine.setPreferences(args) };
    }),

    'attachments.open': h('attachments.open', async (args) => {
      await engine.ready;
      return engine.requireRuntime().files.open(positiveId(args.attachmentId, 'attachmentId'));
    }),
  };

}

function guard<K extends RequestName>(engine: DeskEngine, name: K, handler: Handler<K>): Handler<K> {
  return async (args: Args<K>): Promise<Result<K>> => {
    try {
      return await handler(args);
    } catch (error) {
      if (!(error instanceof BridgeError)) engine.logger.error(`request ${name} failed`, error);
      throw toBridgeError(error);
    }
  };
}
