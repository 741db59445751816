import type { MessageView } from '../../common/bridge';
import { BridgeError } from '../../common/bridge';
import type { Account } from './account';
import { NetworkError } from './api/errors';
import type { MessageWithOutbox } from './cache';

/** Fetches one older page from the server below `beforeId` and stores it. Returns how many came. */
async function fetchOlder(account: Account, chatId: number, beforeId: number, limit: number) {
  const messages = await account.api.messages(chatId, beforeId, limit);
  account.applyMessages(messages);
  return messages;
}

/**
 * Fills the newest gap below `beforeId` that the requested window would cross. A gap marks ids
 * (lower, upper) we may be missing; we fetch below `upper` until we reach `lower`.
 */
async function fillGapIfCrossed(account: Account, chatId: number, beforeId: number, limit: number, local: MessageWithOutbox[]): Promise<boolean> {
  const gap = account.cache.sync.gaps(chatId).find((candidate) => candidate.upper_id <= beforeId);
  if (!gap) return false;
  const lowestShown = local.at(-1)?.id ?? beforeId;
  if (local.length >= limit && lowestShown > gap.upper_id) return false;
  const page = await fetchOlder(account, chatId, gap.upper_id, account.host.timing.pageSize);
  const lowest = Math.min(...page.map((message) => message.id));
  account.cache.transaction(() => {
    account.cache.sync.removeGap(chatId, gap.upper_id);
    const closed = page.length < account.host.timing.pageSize || page.some((message) => message.id <= gap.lower_id);
    if (!closed) account.cache.sync.addGap({ chat_id: chatId, upper_id: lowest, lower_id: gap.lower_id });
  });
  return true;
}

/** Extends what we hold below the oldest message, when the server has more. */
async function extendOldest(account: Account, chatId: number, limit: number): Promise<boolean> {
  const sync = account.cache.sync.get(chatId);
  if (sync.has_older === 0) return false;
  const oldest = sync.oldest_id ?? account.cache.messages.oldestServerId(chatId);
  const pageSize = Math.max(limit, Math.min(100, account.host.timing.pageSize));
  const page = oldest === null ? await account.api.messages(chatId, null, pageSize) : await fetchOlder(account, chatId, oldest, pageSize);
  if (oldest === null) account.applyMessages(page);
  account.cache.transaction(() => {
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
  const read = () => account.cache.messages.page(chatId, beforeId, limit);
  let local = read();
  try {
    if (await fillGapIfCrossed(account, chatId, beforeId, limit, local)) local = read();
    if (local.length < limit && (await extendOldest(account, chatId, limit))) local = read();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    if (local.length === 0) throw new BridgeError('offline', 'Older messages cannot be loaded while the server is unreachable.');
  }
  const lowest = local.at(-1)?.id;
  const moreHeld = lowest !== undefined && account.cache.messages.page(chatId, lowest, 1).length > 0;
  return { messages: account.messageViews(local.reverse()), hasOlder: moreHeld || account.hasOlder(chatId) };
}

/** The newest `limit` messages we hold (and every pending one), oldest first, with whether older ones exist. */
export function newestMessages(account: Account, chatId: number, limit: number): { messages: MessageView[]; hasOlder: boolean } {
  const page = account.cache.messages.page(chatId, null, limit);
  const pending = account.cache.messages.pending(chatId);
  const lowest = page.at(-1)?.id;
  const moreHeld = lowest !== undefined && account.cache.messages.page(chatId, lowest, 1).length > 0;
  return { messages: account.messageViews([...page.reverse(), ...pending]), hasOlder: moreHeld || account.hasOlder(chatId) };
}
