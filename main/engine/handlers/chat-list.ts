import type { BridgeHandlers } from '../../../common/bridge';
import { characterCount } from '../../../common/text-length';
import { encodeChatCursor } from '../cache';
import type { DeskEngine } from '../engine';
import type { HandlerContext } from './context';

const CHATS_DEFAULT = 50;

/** Server search results (message text) for a query, remembered briefly so later pages agree with the first. */
const SEARCH_MEMORY_MS = 60_000;
/** Shorter searches match too much to be worth asking the server. */
const SERVER_SEARCH_MIN = 2;

/** Chats the server finds for a search (its search covers message text the cache may not hold). */
function serverSearch(engine: DeskEngine) {
  const remembered = new Map<string, { ids: number[]; at: number }>();
  /** The chats the server found; null when it was not asked (offline, too short) or did not answer. */
  return async (search: string): Promise<number[] | null> => {
    const runtime = engine.runtime;
    if (!runtime || runtime.account.reachability === 'unreachable' || characterCount(search) < SERVER_SEARCH_MIN) return null;
    const hit = remembered.get(search);
    if (hit && engine.now() - hit.at < SEARCH_MEMORY_MS) return hit.ids;
    try {
      const response = await runtime.account.api.chats({ page: 1, perPage: 100, search, tab: 'all' });
      runtime.account.cache.transaction(() => {
        for (const chat of response.data) runtime.account.applyChat(chat);
      });
      const ids = response.data.map((chat) => chat.id);
      remembered.set(search, { ids, at: engine.now() });
      return ids;
    } catch {
      return null;
    }
  };
}

/** The chat list from the cache, pages and counts, with the server's search results folded in. */
export function chatListHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, 'chats.list' | 'chats.get'> {
  const serverMatches = serverSearch(engine);
  return {
    'chats.list': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const search = args.search?.trim() ?? '';
      const matches = search ? await serverMatches(search) : null;
      const filter = {
        tab: args.tab,
        status: args.status,
        sourceId: args.sourceId,
        departmentId: args.departmentId,
        search: search || undefined,
        serverMatches: matches ?? [],
        // Offline the cache answers alone, with the server's rule for short needles too.
        scanMessages: matches === null && account.reachability === 'unreachable',
        userId: account.user.id,
      };
      const { rows, hasMore } = account.cache.chats.list(filter, args.limit ?? CHATS_DEFAULT, args.cursor ?? null);
      const last = rows.at(-1);
      const views = account.chatRows(rows.map((row) => row.id));
      const byId = new Map(views.map((view) => [view.id, view]));
      engine.pageServed();
      return {
        rows: rows.flatMap((row) => byId.get(row.id) ?? []),
        counts: account.cache.chats.counts(filter),
        hasMore,
        nextCursor: hasMore && last ? encodeChatCursor(last) : null,
      };
    },

    'chats.get': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      return { chat: account.chatRows([args.chatId])[0] ?? null };
    },
  };
}
