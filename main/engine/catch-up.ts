import type { ApiMessage } from '../../common/api';
import { MESSAGES_BATCH_MAX_CHATS } from '../../common/api';
import type { Account } from './account';
import { HttpStatusError, NetworkError } from './api/errors';
import { backoffDelay } from './backoff';
import { noteNewestPerChat } from './account/newest-per-chat';
import { refreshChatList } from './chat-list-sync';
import { inPool, inSlices } from './pool';

export interface WalkResult {
  fetched: number;
  fresh: ApiMessage[];
}

/**
 * Brings one chat's newest history up to date: the newest page, then `before_id`
 * pages until a page overlaps what we already hold in sync. A walk that reaches `maxPages` first
 * leaves a gap marker between the old synced id and the oldest message it fetched; history
 * paging fills the gap later. A chat we never held gets only its newest page.
 */
export async function walkChat(account: Account, chatId: number, maxPages = account.host.timing.catchUpMaxPages): Promise<WalkResult> {
  const { api } = account;
  const limit = account.host.timing.pageSize;
  const walk = startWalk(account, chatId);
  let before: number | null = null;
  const fresh: ApiMessage[] = [];
  for (let page = 1; ; page++) {
    const messages = await api.messages(chatId, before, limit);
    if (account.closed) return { fetched: walk.fetched, fresh };
    // The page and where the walk stands are written together, in one transaction.
    const over = account.cache.transaction(() => {
      fresh.push(...account.applyMessages(messages));
      return takePage(account, walk, messages, limit, page >= maxPages);
    });
    if (over) return { fetched: walk.fetched, fresh };
    before = walk.lowest;
  }
}

/** One chat's walk from its newest message down towards what we hold. */
interface Walk {
  chatId: number;
  knownUpTo: number;
  newest: number | null;
  lowest: number | null;
  fetched: number;
}

function startWalk(account: Account, chatId: number): Walk {
  return { chatId, knownUpTo: account.cache.sync.get(chatId).synced_id, newest: null, lowest: null, fetched: 0 };
}

/**
 * Takes one page (newest first) into the walk; true when the walk is over (it overlapped what we
 * hold, reached the chat's start, was the first look at the chat, or ran out of pages), and then
 * records how far we are in sync, leaving a gap marker when it stopped early.
 */
function takePage(account: Account, walk: Walk, messages: ApiMessage[], limit: number, lastPage: boolean): boolean {
  const { cache } = account;
  walk.fetched += messages.length;
  for (const message of messages) {
    walk.newest = Math.max(walk.newest ?? 0, message.id);
    walk.lowest = Math.min(walk.lowest ?? Number.MAX_SAFE_INTEGER, message.id);
  }
  const { chatId, knownUpTo, newest, lowest } = walk;
  const exhausted = messages.length < limit;
  const overlapped = knownUpTo > 0 && messages.some((message) => message.id <= knownUpTo);
  const firstTime = knownUpTo === 0;
  if (!(overlapped || exhausted || firstTime || lastPage)) return false;
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
  return true;
}

/** Messages a batch request aims at: big answers cost more to write and parse per message than small ones, and keep the other side waiting. */
const BATCH_MESSAGES = 2_500;
/** Batch requests in flight: one being written into the cache while the server prepares the next ones. */
const BATCHES_AT_ONCE = 3;

/**
 * Chats per batch request: as many as make about `BATCH_MESSAGES` messages, judged by the chats
 * answered so far (before any, as if each filled its page). A first sync of 10,000 quiet chats asks
 * for a hundred at a time; chats with long histories go a few dozen at a time.
 */
export function batchSize(limit: number, chatsAnswered: number, messagesAnswered: number): number {
  const perChat = chatsAnswered === 0 ? limit : Math.max(1, messagesAnswered / chatsAnswered);
  return Math.max(1, Math.min(MESSAGES_BATCH_MAX_CHATS, Math.round(BATCH_MESSAGES / perChat)));
}

/**
 * The newest page of many chats per request (`GET /chats/messages`): a first sync of 10,000 chats
 * is a hundred requests, not ten thousand. Each page is taken as the first page of that chat's walk;
 * the chats it does not finish (more new messages than a page) are returned to be walked one by one.
 * Null: the server has no batch endpoint (an older server).
 */
async function newestPages(account: Account, chatIds: number[], fresh: Map<number, ApiMessage>, onDone: () => void): Promise<number[] | null> {
  const limit = account.host.timing.pageSize;
  const unfinished: number[] = [];
  let chatsAnswered = 0;
  let messagesAnswered = 0;
  let unsupported = false;
  const size = () => batchSize(limit, chatsAnswered, messagesAnswered);
  await inSlices(chatIds, BATCHES_AT_ONCE, size, async (batch) => {
    if (unsupported || account.closed) return;
    let answer;
    try {
      answer = await account.api.messagesBatch(batch, limit);
    } catch (error) {
      // `/chats/messages` is `/chats/{id}` to a server without it: a 404 for the id "messages".
      if (error instanceof HttpStatusError && error.status === 404) {
        unsupported = true;
        return;
      }
      throw error;
    }
    if (account.closed) return;
    const { data, meta } = answer;
    const messages = data.flatMap((page) => page.messages);
    chatsAnswered += data.length;
    messagesAnswered += messages.length;
    // A batch is written in one transaction: its pages and where each chat's walk stands.
    account.cache.transaction(() => {
      // All the pages at once: they are written in id order across chats, not chat by chat.
      noteNewestPerChat(fresh, account.applyMessages(messages));
      for (const { chat_id: chatId, messages: page } of data) {
        if (!takePage(account, startWalk(account, chatId), page, limit, false)) unfinished.push(chatId);
        else onDone();
      }
      // Gone from our view since the list said otherwise: forgotten now, the next list confirms it.
      account.forgetChats(meta.missing);
    });
    for (let i = 0; i < meta.missing.length; i++) onDone();
  });
  return unsupported ? null : unfinished;
}

/**
 * The catch-up, run after start and after every reconnect (and periodically while no realtime socket
 * is up): refresh the chat list (only what changed, once the server gave us a cursor), then bring
 * every chat whose newest message is newer than what we hold up to date. Requests while a round
 * runs coalesce into one more round afterwards, whatever asked (the prober, a realtime
 * resubscription, polling): the list is read once per round, not once per trigger.
 */
export class CatchUp {
  private running: Promise<void> | null = null;
  private again = false;
  private rounds = 0;
  /** Rounds the server refused in a row (5xx, 429), for the backoff of the next try. */
  private refusals = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastRoundStart: number | null = null;
  /** When canned responses were last refreshed (null: not in this run). */
  private cannedAt: number | null = null;
  /** The server has no `GET /chats/messages` (an older one): every chat is walked on its own. */
  private batchUnsupported = false;

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
    const list = await refreshChatList(account);
    await this.refreshCanned(list.full);

    // The work comes from the cache, not from this round's answer: a round that was interrupted
    // after the list was stored (and its cursor moved on) leaves its chats behind, not lost.
    const open = account.host.openChatIds();
    // Closed chats we never looked at wait until they are opened.
    const behind = account.cache.chats.behind().filter((chat) => chat.status !== 'closed' || chat.synced_id > 0 || open.has(chat.id));
    let done = 0;
    const total = behind.length;
    const progress = () => {
      done++;
      account.setFacts({ sync: { done, total } });
    };
    account.setFacts({ sync: { done, total } });
    // The newest new message per chat, what notifications are about: a first sync brings a hundred
    // thousand, and holding all of them until the round ends only fed the garbage collector.
    const fresh = new Map<number, ApiMessage>();
    const ids = behind.map((chat) => chat.id);
    const unfinished = this.batchUnsupported ? null : await newestPages(account, ids, fresh, progress);
    if (unfinished === null) this.batchUnsupported = true;
    const walks = unfinished ?? ids;
    await inPool(walks, account.host.timing.catchUpConcurrency, async (chatId) => {
      const result = await walkChat(account, chatId);
      noteNewestPerChat(fresh, result.fresh);
      progress();
    });
    account.setFacts({ sync: null });
    this.rounds++;
    this.lastRoundStart = startedAt;
    account.notifyAbout([...fresh.values()]);
    account.notificationsArmed = true;
    // Realtime stayed subscribed through the whole round: from now on its messages are complete.
    const now = this.realtimeEpoch();
    account.live = epoch !== null && now === epoch;
  }

  /** Canned responses change rarely: with every full list, else once they are older than `cannedMaxAgeMs`. */
  private async refreshCanned(full: boolean): Promise<void> {
    const { account } = this;
    if (!full && this.cannedAt !== null && account.now - this.cannedAt < account.host.timing.cannedMaxAgeMs) return;
    try {
      const canned = await account.api.cannedResponses();
      account.cache.transaction(() => account.cache.catalog.replaceCanned(canned));
      this.cannedAt = account.now;
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      account.host.logger.warn('canned responses could not be refreshed');
    }
  }
}
