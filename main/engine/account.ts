import type { ApiChat, ApiMessage, ApiUser } from '../../common/api';
import type { ChatRow, MessageView, OutboxEntryView, SessionView } from '../../common/bridge';
import { applyChat, applyMessages, forgetChats } from './account/apply';
import { ChangeFeed } from './account/changes';
import type { AccountHost } from './account/host';
import { notifyAbout } from './account/notify';
import { ReachabilityTracker } from './account/reachability';
import { chatRows, hasOlder, messageViews, outboxEntries, type ReadContext } from './account/reads';
import { ApiClient } from './api/client';
import type { Cache, MessageWithOutbox } from './cache';
import type { ConnectionFacts } from './connection-state';
import type { AccountPaths } from './paths';

export { canSee } from './account/apply';
export type { AccountHost } from './account/host';

export interface AccountInit {
  cache: Cache;
  paths: AccountPaths;
  serverUrl: string;
  session: SessionView;
  user: ApiUser;
  token: string;
}

/**
 * One signed-in server + user: its cache, its API client, and the bookkeeping every part of the
 * sync (catch-up, history, outbox, realtime) shares. Each concern lives in its own file under
 * `account/` (reachability, applying server data, notifications, the change feed, views); this class
 * wires them to one cache and one API client.
 */
export class Account {
  readonly cache: Cache;
  readonly api: ApiClient;
  readonly paths: AccountPaths;
  readonly user: ApiUser;
  readonly session: SessionView;
  readonly reach: ReachabilityTracker;
  readonly changes: ChangeFeed;
  private readonly reads: ReadContext;
  private token: string;
  private readonly freshListeners = new Set<(messages: ApiMessage[]) => void>();
  /** The realtime socket id, for `X-Socket-ID`. */
  socketId: string | null = null;
  /**
   * True while realtime has been connected and subscribed since a completed catch-up: then every
   * new message reaches us, and a realtime message may advance a chat's synced id.
   */
  live = false;
  /** Notifications start after the first catch-up of this run: a backlog at start only sets the badge. */
  notificationsArmed = false;
  closed = false;

  constructor(
    readonly host: AccountHost,
    init: AccountInit,
  ) {
    this.paths = init.paths;
    this.user = init.user;
    this.session = init.session;
    this.token = init.token;
    this.cache = init.cache;
    this.api = new ApiClient({
      serverUrl: init.serverUrl,
      token: () => (this.closed ? null : this.token),
      socketId: () => this.socketId,
      timeoutMs: host.timing.requestTimeoutMs,
      onReachable: () => this.reach.markReachable(),
      onUnreachable: (error) => {
        if (this.reach.markUnreachable(error)) this.live = false;
      },
      onUnauthenticated: () => this.handleUnauthenticated(),
    });
    this.reach = new ReachabilityTracker(host, () => this.api.config());
    this.reads = { cache: this.cache, userId: this.user.id, serverUrl: this.api.serverUrl };
    this.changes = new ChangeFeed(host, this.reads);
  }

  get now(): number {
    return this.host.now();
  }

  get reachability() {
    return this.reach.reachability;
  }

  connection() {
    return this.reach.connection();
  }

  setFacts(patch: Partial<ConnectionFacts>): void {
    this.reach.setFacts(patch);
  }

  onReachable(listener: (wasUnreachable: boolean) => void): () => void {
    return this.reach.onReachable(listener);
  }

  onUnreachable(listener: () => void): () => void {
    return this.reach.onUnreachable(listener);
  }

  /** Any request may find the token revoked or expired. */
  handleUnauthenticated(): void {
    if (this.closed) return;
    this.host.onUnauthenticated();
  }

  applyChat(chat: ApiChat): boolean {
    return applyChat(this, chat);
  }

  /** Chats that left our view (the delta says `removed`, or the server answers 404/403). */
  forgetChats(chatIds: number[]): boolean {
    return forgetChats(this, chatIds);
  }

  applyMessages(messages: ApiMessage[]): ApiMessage[] {
    const fresh = applyMessages(this, messages);
    if (fresh.length > 0) for (const listener of this.freshListeners) listener(fresh);
    return fresh;
  }

  /** Told about every batch of messages that were new to us (attachments to prefetch). */
  onFreshMessages(listener: (messages: ApiMessage[]) => void): () => void {
    this.freshListeners.add(listener);
    return () => this.freshListeners.delete(listener);
  }

  notifyAbout(messages: ApiMessage[]): void {
    if (this.notificationsArmed) notifyAbout(this.host, this.cache, this.user, messages);
  }

  touchChat(chatId: number): void {
    this.changes.touchChat(chatId);
  }

  touchMessage(chatId: number, id: number): void {
    this.changes.touchMessage(chatId, id);
  }

  touchRemoved(chatId: number, key: string): void {
    this.changes.touchRemoved(chatId, key);
  }

  touchOutbox(chatId?: number): void {
    this.changes.touchOutbox(chatId);
  }

  flush(): void {
    this.changes.flush();
  }

  messageViews(records: MessageWithOutbox[]): MessageView[] {
    return messageViews(this.reads, records);
  }

  chatRows(ids: number[]): ChatRow[] {
    return chatRows(this.reads, ids);
  }

  outboxEntries(): OutboxEntryView[] {
    return outboxEntries(this.cache);
  }

  hasOlder(chatId: number): boolean {
    return hasOlder(this.cache, chatId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reach.close();
    this.changes.close();
    this.cache.close();
  }
}
