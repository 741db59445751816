import type { ApiChat, ChatListResponse } from '../../common/api';
import { CHATS_PAGE_MAX } from '../../common/api';
import type { Account } from './account';
import { HttpStatusError } from './api/errors';
import { inPool } from './pool';

/** The server's `meta.sync_cursor` after the last complete refresh of the chat list. */
const CURSOR_META = 'chat_sync_cursor';

/** List pages in flight at once on a full refresh. */
const LIST_PAGES_AT_ONCE = 4;

export interface ListRefresh {
  /** The chats the server described in this refresh (every chat on a full refresh, the changed ones on a delta). */
  chats: Map<number, ApiChat>;
  /** Whether the whole list was read (no cursor yet, a cursor refused, or one the server started over). */
  full: boolean;
  requests: number;
}

/**
 * Brings the cached chat list up to the server's. With a cursor from the last refresh, only what
 * changed since (a reconnect of a desk holding 10,000 chats is one request when little changed);
 * without one, or when the server no longer takes it, every page, and the cursor of the first.
 */
export async function refreshChatList(account: Account): Promise<ListRefresh> {
  const cursor = account.cache.meta.get(CURSOR_META);
  if (cursor !== undefined) {
    try {
      return await deltaRefresh(account, cursor);
    } catch (error) {
      // A cursor this server did not make (its database was restored, or replaced): start over.
      if (!(error instanceof HttpStatusError && error.status === 422)) throw error;
      account.host.logger.warn('the server refused the chat list cursor; reading the whole list');
      account.cache.meta.delete(CURSOR_META);
    }
  }
  return fullRefresh(account);
}

async function deltaRefresh(account: Account, start: string): Promise<ListRefresh> {
  const chats = new Map<number, ApiChat>();
  let cursor = start;
  let reset = false;
  for (let requests = 1; ; requests++) {
    const page = await account.api.chatChanges(cursor, CHATS_PAGE_MAX);
    if (account.closed) return { chats, full: reset, requests };
    reset ||= page.meta.reset;
    const last = page.meta.next_cursor === null;
    account.cache.transaction(() => {
      const removed: number[] = [];
      for (const item of page.data) {
        if ('removed' in item) {
          removed.push(item.id);
          chats.delete(item.id);
        } else {
          chats.set(item.id, item);
          account.applyChat(item);
        }
      }
      account.forgetChats(removed);
      // Started over: the scan listed every chat we may see, so one we hold and it did not list has left.
      if (last && reset) account.forgetChats(account.cache.chats.allIds().filter((id) => !chats.has(id)));
      // Saved with the last page it covers: an interrupted scan is asked again from where it began.
      if (last) account.cache.meta.set(CURSOR_META, page.meta.sync_cursor);
    });
    if (last) return { chats, full: reset, requests };
    cursor = page.meta.next_cursor ?? cursor;
  }
}

async function fullRefresh(account: Account): Promise<ListRefresh> {
  const chats = new Map<number, ApiChat>();
  const store = (response: ChatListResponse) =>
    account.cache.transaction(() => {
      for (const chat of response.data) {
        chats.set(chat.id, chat);
        account.applyChat(chat);
      }
    });
  const first = await account.api.chats({ page: 1, perPage: CHATS_PAGE_MAX, tab: 'all' });
  if (account.closed) return { chats, full: true, requests: 1 };
  // The first page's cursor: whatever changes while the rest is paged comes with the first delta.
  // An older server sends no cursor: every refresh reads the whole list there.
  const cursor = typeof first.meta.sync_cursor === 'string' ? first.meta.sync_cursor : undefined;
  store(first);
  // The first page says how many there are: the rest are read a few at a time, not one after another
  // (a page is a few milliseconds of the server's time and a round trip of waiting).
  const rest = first.data.length === 0 ? [] : Array.from({ length: Math.max(0, first.meta.last_page - 1) }, (_, i) => i + 2);
  await inPool(rest, LIST_PAGES_AT_ONCE, async (page) => {
    const response = await account.api.chats({ page, perPage: CHATS_PAGE_MAX, tab: 'all' });
    if (!account.closed) store(response);
  });
  let requests = 1 + rest.length;
  if (account.closed) return { chats, full: true, requests };
  requests += await dropVanishedChats(account, chats);
  if (cursor !== undefined && !account.closed) account.cache.meta.set(CURSOR_META, cursor);
  return { chats, full: true, requests };
}

/**
 * Chats we hold that a full read of the list did not show: confirmed one by one (an offset-paged
 * list can skip a chat that moved while we paged), then forgotten if the server says 404.
 */
async function dropVanishedChats(account: Account, seen: Map<number, ApiChat>): Promise<number> {
  const missing = account.cache.chats.allIds().filter((id) => !seen.has(id)).slice(0, 200);
  await inPool(missing, 4, async (chatId) => {
    try {
      const chat = await account.api.chat(chatId);
      seen.set(chat.id, chat);
      account.applyChat(chat);
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 404 || error.status === 403)) {
        account.forgetChats([chatId]);
        return;
      }
      throw error;
    }
  });
  return missing.length;
}
