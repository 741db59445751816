import type { ApiChat, ApiMessage } from '../../common/api';
import { CHATS_PAGE_MAX } from '../../common/api';
import type { Account } from './account';
import { HttpStatusError, NetworkError } from './api/errors';
import { backoffDelay } from './backoff';

/** Runs `work` over `items`, at most `concurrency` at a time; the first failure stops new work and is thrown. */
export async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (failure === null && next < items.length) {
      const item = items[next++];
      if (item === undefined) continue;
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(runners);
  if (failure !== null) throw failure;
}

export interface WalkResult {
  fetched: number;
  fresh: ApiMessage[];
}

/**
 * Brings one chat's newest history up to date (DESIGN §6): the newest page, then `before_id`
 * pages until a page overlaps what we already hold in sync. A walk that reaches `maxPages` first
 * leaves a gap marker between the old synced id and the oldest message it fetched; history
 * paging fills the gap later. A chat we never held gets only its newest page.
 */
export async function walkChat(account: Account, chatId: number, maxPages = account.host.timing.catchUpMaxPages): Promise<WalkResult> {
  const { cache, api } = account;
  const limit = account.host.timing.pageSize;
  const start = cache.sync.get(chatId);
  const knownUpTo = start.synced_id;
  let before: number | null = null;
  let newest: number | null = null;
  let lowest: number | null = null;
  let fetched = 0;
  const fresh: ApiMessage[] = [];
  for (let page = 1; ; page++) {
    const messages = await api.messages(chatId, before, limit);
    if (account.closed) return { fetched, fresh };
    fetched += messages.length;
    fresh.push(...account.applyMessages(messages));
    for (const message of messages) {
      newest = Math.max(newest ?? 0, message.id);
      lowest = Math.min(lowest ?? Number.MAX_SAFE_INTEGER, message.id);
    }
    const exhausted = messages.length < limit;
    const overlapped = knownUpTo > 0 && messages.some((message) => message.id <= knownUpTo);
    const firstTime = knownUpTo === 0;
    if (overlapped || exhausted || firstTime || page >= maxPages) {
      cache.transaction(() => {
        const current = cache.sync.get(chatId);
        const reachedStart = exhausted && !overlapped;
        const oldest = lowest === null ? current.oldest_id : Math.min(lowest, current.oldest_id ?? lowest);
        const stoppedEarly = !overlapped && !exhausted && !firstTime;
        if (stoppedEarly && lowest !== null) cache.sync.addGap({ chat_id: chatId, upper_id: lowest, lower_id: knownUpTo });
        cache.sync.save({
          chat_id: chatId,
          synced_id: Math.max(current.synced_id, newest ?? 0),
          oldest_id: oldest,
          has_older: reachedStart ? 0 : firstTime ? (exhausted ? 0 : 1) : current.has_older,
        });
      });
      account.touchMessage(chatId, newest ?? 0);
      return { fetched, fresh };
    }
    before = lowest;
  }
}

/** All chats the server shows us, page by page (`tab=all`), stored as they arrive. */
async function refreshChatList(account: Account): Promise<Map<number, ApiChat>> {
  const seen = new Map<number, ApiChat>();
  for (let page = 1; ; page++) {
    const response = await account.api.chats({ page, perPage: CHATS_PAGE_MAX, tab: 'all' });
    if (account.closed) return seen;
    account.cache.transaction(() => {
      for (const chat of response.data) {
        seen.set(chat.id, chat);
        account.applyChat(chat);
      }
    });
    if (page >= response.meta.last_page || response.data.length === 0) return seen;
  }
}

/**
 * Chats we hold that the list no longer shows: confirmed one by one (an offset-paged list can
 * skip a chat that moved while we paged), then forgotten if the server says 404.
 */
async function dropVanishedChats(account: Account, seen: Map<number, ApiChat>): Promise<void> {
  const missing = account.cache.chats.allIds().filter((id) => !seen.has(id));
  await inPool(missing.slice(0, 200), 4, async (chatId) => {
    try {
      const chat = await account.api.chat(chatId);
      seen.set(chat.id, chat);
      account.applyChat(chat);
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 404 || error.status === 403)) {
        account.cache.transaction(() => account.cache.chats.remove([chatId]));
        account.touchChat(chatId);
        return;
      }
      throw error;
    }
  });
}

/**
 * The catch-up of DESIGN §6, run after start and after every reconnect (and periodically while no
 * realtime socket is up). Requests while a round runs coalesce into one more round afterwards.
 */
export class CatchUp {
  private running: Promise<void> | null = null;
  private again = false;
  private rounds = 0;
  /** Rounds the server refused in a row (5xx, 429), for the backoff of the next try. */
  private refusals = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastRoundStart: number | null = null;

  constructor(
    private readonly account: Account,
    /** Asked before a round starts: is a realtime socket subscribed right now (so the round can make us live)? */
    private readonly realtimeEpoch: () => number | null,
  ) {}

  get completedRounds(): number {
    return this.rounds;
  }

  /** Starts a round (or schedules one more after the current); resolves when the requested data is in. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** A refused round waits to be tried again. */
  get retryPending(): boolean {
    return this.retryTimer !== null;
  }

  /** When the last round that completed had started (its data is at least that fresh); null before the first. */
  get freshAsOf(): number | null {
    return this.lastRoundStart;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.round();
        this.refusals = 0;
      } catch (error) {
        this.account.setFacts({ sync: null });
        // Unreachable: the account's prober notices the way back, and that starts a round.
        if (error instanceof NetworkError || this.account.closed) return;
        if (error instanceof HttpStatusError && error.status === 401) return;
        if (error instanceof HttpStatusError && (error.status >= 500 || error.status === 429 || error.status === 408)) {
          // The server answered but could not serve us now. Nothing else may come to ask again
          // (a realtime socket that stays up starts no round), so this round is tried again later.
          this.retryLater(error);
          return;
        }
        this.account.host.logger.error('catch-up failed', error);
        return;
      }
    } while (this.again && !this.account.closed);
  }

  /** After `Retry-After`, else the outbox's backoff (capped, with jitter). */
  private retryLater(error: HttpStatusError): void {
    const { host } = this.account;
    this.refusals++;
    const delay = error.retryAfterMs ?? backoffDelay(host.timing.retry, this.refusals, () => host.random());
    host.logger.warn(`catch-up refused (${error.status}); trying again in ${Math.round(delay / 100) / 10} s`);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.account.closed) void this.request();
    }, delay);
    this.retryTimer.unref();
  }

  private async round(): Promise<void> {
    const { account } = this;
    const startedAt = account.now;
    const epoch = this.realtimeEpoch();
    account.setFacts({ sync: { done: 0, total: 0 } });
    const seen = await refreshChatList(account);
    await dropVanishedChats(account, seen);
    try {
      const canned = await account.api.cannedResponses();
      account.cache.transaction(() => account.cache.catalog.replaceCanned(canned));
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      account.host.logger.warn('canned responses could not be refreshed');
    }

    const sync = account.cache.sync.all();
    const open = account.host.openChatIds();
    const work = [...seen.values()]
      .filter((chat) => {
        const state = sync.get(chat.id);
        const syncedId = state?.synced_id ?? 0;
        const latest = chat.latest_message?.id ?? 0;
        if (latest <= syncedId) return false;
        // Closed chats we never looked at wait until they are opened.
        return chat.status !== 'closed' || syncedId > 0 || open.has(chat.id);
      })
      .map((chat) => chat.id);
    let done = 0;
    account.setFacts({ sync: { done, total: work.length } });
    const fresh: ApiMessage[] = [];
    await inPool(work, account.host.timing.catchUpConcurrency, async (chatId) => {
      const result = await walkChat(account, chatId);
      fresh.push(...result.fresh);
      done++;
      account.setFacts({ sync: { done, total: work.length } });
    });
    account.setFacts({ sync: null });
    this.rounds++;
    this.lastRoundStart = startedAt;
    account.notifyAbout(fresh);
    account.notificationsArmed = true;
    // Realtime stayed subscribed through the whole round: from now on its messages are complete.
    const now = this.realtimeEpoch();
    account.live = epoch !== null && now === epoch;
  }
}
