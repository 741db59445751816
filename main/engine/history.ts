import { MESSAGES_PAGE_MAX } from '../../common/api';
import type { MessageView } from '../../common/bridge';
import { BridgeError } from '../../common/bridge';
import type { Account } from './account';
import { NetworkError } from './api/errors';
import type { GapRecord, MessageWithOutbox } from './cache';

/** Fetches below a gap's upper end and narrows (or closes) the gap with what came, in one transaction. */
async function fillGap(account: Account, chatId: number, gap: GapRecord): Promise<void> {
  const pageSize = account.host.timing.pageSize;
  const page = await account.api.messages(chatId, gap.upper_id, pageSize);
  account.cache.transaction(() => {
    account.applyMessages(page);
    account.cache.sync.removeGap(chatId, gap.upper_id);
    const closed = page.length < pageSize || page.some((message) => message.id <= gap.lower_id);
    if (!closed) account.cache.sync.addGap({ chat_id: chatId, upper_id: Math.min(...page.map((message) => message.id)), lower_id: gap.lower_id });
  });
}

/** The newest gap at or below `beforeId` (null: none): messages shown must not run across it. */
function gapBelow(account: Account, chatId: number, beforeId: number | null): GapRecord | null {
  return account.cache.sync.gaps(chatId).find((gap) => beforeId === null || gap.upper_id <= beforeId) ?? null;
}

/** Cached server messages below `beforeId`, newest first, stopping at the next gap. */
function heldAbove(account: Account, chatId: number, beforeId: number | null, limit: number): { rows: MessageWithOutbox[]; gap: GapRecord | null } {
  const gap = gapBelow(account, chatId, beforeId);
  const rows = account.cache.messages.page(chatId, beforeId, limit);
  return { rows: gap ? rows.filter((row) => row.id >= gap.upper_id) : rows, gap };
}

/** Extends what we hold below the oldest message, when the server has more. */
async function extendOldest(account: Account, chatId: number, limit: number): Promise<boolean> {
  const sync = account.cache.sync.get(chatId);
  if (sync.has_older === 0) return false;
  const oldest = sync.oldest_id ?? account.cache.messages.oldestServerId(chatId);
  // The server pages by at most 100 (MESSAGES_PAGE_MAX); a larger request is several pages.
  const pageSize = Math.min(MESSAGES_PAGE_MAX, Math.max(limit, account.host.timing.pageSize));
  const page = await account.api.messages(chatId, oldest, pageSize);
  // The page and how far back we hold are written together, in one transaction.
  account.cache.transaction(() => {
    account.applyMessages(page);
    const current = account.cache.sync.get(chatId);
    const lowest = page.length > 0 ? Math.min(...page.map((message) => message.id)) : current.oldest_id;
    const newest = page.length > 0 ? Math.max(...page.map((message) => message.id)) : 0;
    account.cache.sync.save({
      chat_id: chatId,
      synced_id: oldest === null ? Math.max(current.synced_id, newest) : current.synced_id,
      oldest_id: lowest === null ? current.oldest_id : Math.min(lowest, current.oldest_id ?? lowest),
      has_older: page.length < pageSize ? 0 : 1,
    });
  });
  return true;
}

/**
 * Messages older than `beforeId`, from the cache when we hold them, else from the server (stored as
 * they arrive). Oldest first. Offline with nothing more cached: a BridgeError `offline`.
 */
export async function loadOlder(account: Account, chatId: number, beforeId: number, limit: number): Promise<{ messages: MessageView[]; hasOlder: boolean }> {
  let held = heldAbove(account, chatId, beforeId, limit);
  try {
    // Each round fills a gap or extends the oldest end by a page; a window needs at most a few.
    for (let round = 0; round < 10 && held.rows.length < limit; round++) {
      if (held.gap) await fillGap(account, chatId, held.gap);
      else if (!(await extendOldest(account, chatId, limit))) break;
      held = heldAbove(account, chatId, beforeId, limit);
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    if (held.rows.length === 0) throw new BridgeError('offline', 'Older messages cannot be loaded while the server is unreachable.');
  }
  const lowest = held.rows.at(-1)?.id;
  const moreHeld = lowest !== undefined && account.cache.messages.page(chatId, lowest, 1).length > 0;
  return { messages: account.messageViews(held.rows.reverse()), hasOlder: moreHeld || held.gap !== null || account.hasOlder(chatId) };
}

/** The newest `limit` messages we hold down to the newest gap (and every pending one), oldest first. */
export function newestMessages(account: Account, chatId: number, limit: number): { messages: MessageView[]; hasOlder: boolean } {
  const held = heldAbove(account, chatId, null, limit);
  const pending = account.cache.messages.pending(chatId);
  const lowest = held.rows.at(-1)?.id;
  const moreHeld = lowest !== undefined && account.cache.messages.page(chatId, lowest, 1).length > 0;
  return { messages: account.messageViews([...held.rows.reverse(), ...pending]), hasOlder: moreHeld || held.gap !== null || account.hasOlder(chatId) };
}
