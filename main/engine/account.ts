import type { ApiChat, ApiMessage, ApiUser } from '../../common/api';
import type { ChatRow, MessageView, OutboxEntryView, Preferences, SessionView } from '../../common/bridge';
import { parseTimestamp } from '../../common/time';
import { canSeeChat } from '../../common/visibility';
import { ApiClient } from './api/client';
import type { NetworkError } from './api/errors';
import { backoffDelay } from './backoff';
import { messageRecord, type Cache, type MessageWithOutbox } from './cache';
import { connectionState, INITIAL_FACTS, sameConnectionState, type ConnectionFacts } from './connection-state';
import type { EngineEmitter } from './emitter';
import type { EngineLogger } from './logger';
import { notificationBody, shouldNotify, type NotificationPayload, type Notifier } from './notifications';
import type { AccountPaths } from './paths';
import type { EngineTiming } from './timing';
import { chatRowView, messageView, outboxEntryView } from './views';

/**
 * The server's visibility rule (common/visibility.ts) over what the desk knows: of the chats a user
 * takes part in, the desk can tell only the ones assigned to them.
 */
export function canSee(user: Pick<ApiUser, 'id' | 'roles' | 'source_ids' | 'department_ids'>, chat: Pick<ApiChat, 'source_id' | 'department_id' | 'assigned_to'>): boolean {
  return canSeeChat(user, chat, chat.assigned_to === user.id);
}

/** What the account needs from the engine around it (desk-wide state). */
export interface AccountHost {
  emitter: EngineEmitter;
  logger: EngineLogger;
  timing: EngineTiming;
  notifier: Notifier | null;
  preferences(): Preferences;
  /** Whether a focused window shows the chat (then its messages do not notify). */
  showing(chatId: number): boolean;
  /** Chats some window shows. */
  openChatIds(): ReadonlySet<number>;
  now(): number;
  random(): number;
  /** The server refused our token: the engine ends the session. */
  onUnauthenticated(): void;
}

export interface AccountInit {
  cache: Cache;
  paths: AccountPaths;
  serverUrl: string;
  session: SessionView;
  user: ApiUser;
  token: string;
}

interface PendingChanges {
  chats: Set<number>;
  messages: Map<number, { ids: Set<number>; removedKeys: Set<string> }>;
  outbox: boolean;
}

/**
 * One signed-in server + user: its cache, its API client, and the bookkeeping every part of the
 * sync (catch-up, history, outbox, realtime) shares. Changes are collected and pushed to the UI once
 * per tick, so a page of 100 messages is one `messages.changed`, not a hundred.
 */
export class Account {
  readonly cache: Cache;
  readonly api: ApiClient;
  readonly paths: AccountPaths;
  readonly user: ApiUser;
  readonly session: SessionView;
  private token: string;
  private facts: ConnectionFacts = { ...INITIAL_FACTS, signedIn: true };
  private lastState = connectionState(this.facts);
  private pending: PendingChanges = { chats: new Set(), messages: new Map(), outbox: false };
  private flushScheduled = false;
  private probeTimer: NodeJS.Timeout | null = null;
  private probeAttempt = 0;
  private lastBadge: number | null = null;
  private readonly reachableListeners = new Set<(wasUnreachable: boolean) => void>();
  private readonly unreachableListeners = new Set<() => void>();
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
      onReachable: () => this.markReachable(),
      onUnreachable: (error) => this.markUnreachable(error),
      onUnauthenticated: () => this.handleUnauthenticated(),
    });
  }

  get now(): number {
    return this.host.now();
  }

  get reachability() {
    return this.facts.reachability;
  }

  connection() {
    return this.lastState;
  }

  // ------------------------------------------------------------------------------------------
  // Connection facts

  setFacts(patch: Partial<ConnectionFacts>): void {
    this.facts = { ...this.facts, ...patch };
    const next = connectionState(this.facts);
    if (sameConnectionState(next, this.lastState)) return;
    this.lastState = next;
    if (!this.closed) this.host.emitter.emit('connection', next);
  }

  onReachable(listener: (wasUnreachable: boolean) => void): () => void {
    this.reachableListeners.add(listener);
    return () => this.reachableListeners.delete(listener);
  }

  onUnreachable(listener: () => void): () => void {
    this.unreachableListeners.add(listener);
    return () => this.unreachableListeners.delete(listener);
  }

  private markReachable(): void {
    if (this.closed || this.facts.reachability === 'reachable') return;
    const wasUnreachable = this.facts.reachability === 'unreachable';
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.probeAttempt = 0;
    this.setFacts({ reachability: 'reachable', offlineSince: null, offlineReason: null, nextProbeAt: null });
    if (wasUnreachable) this.host.logger.info('the server is reachable again');
    for (const listener of this.reachableListeners) listener(wasUnreachable);
  }

  private markUnreachable(error: NetworkError): void {
    if (this.closed) return;
    const first = this.facts.reachability !== 'unreachable';
    if (first) {
      this.host.logger.warn(error.message);
      this.live = false;
      this.setFacts({ reachability: 'unreachable', offlineSince: this.now, offlineReason: error.message, sync: null });
      for (const listener of this.unreachableListeners) listener();
    }
    if (!this.probeTimer) this.scheduleProbe();
  }

  /** While unreachable, asks `GET /config` with backoff; any answer anywhere ends the outage. */
  private scheduleProbe(): void {
    if (this.closed) return;
    this.probeAttempt++;
    const delay = backoffDelay(this.host.timing.probe, this.probeAttempt, () => this.host.random());
    this.setFacts({ nextProbeAt: this.now + delay });
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      if (this.closed || this.facts.reachability !== 'unreachable') return;
      this.api.config().then(
        () => undefined,
        () => {
          if (!this.probeTimer && this.facts.reachability === 'unreachable') this.scheduleProbe();
        },
      );
    }, delay);
    this.probeTimer.unref();
  }

  /** Any request may find the token revoked or expired. */
  handleUnauthenticated(): void {
    if (this.closed) return;
    this.host.onUnauthenticated();
  }

  // ------------------------------------------------------------------------------------------
  // Applying what the server says. Each function is idempotent: the same message or chat from
  // REST, realtime on the user channel and realtime on the chat channel lands as one row.

  /**
   * Stores one chat as the server describes it. A chat we may no longer see (moved to a department
   * outside ours: the server tells former viewers with one last ChatUpdated) is forgotten instead.
   */
  applyChat(chat: ApiChat): boolean {
    if (!canSee(this.user, chat)) {
      if (!this.cache.chats.byId(chat.id)) return false;
      this.cache.transaction(() => this.cache.chats.remove([chat.id]));
      this.touchChat(chat.id);
      return true;
    }
    const changed = this.cache.chats.upsert(chat);
    if (changed) this.touchChat(chat.id);
    return changed;
  }

  /**
   * Stores server messages (any order, any overlap). A message we hold as pending is replaced by it
   * (matched by client_message_id) and its outbox entry is done, unless a request for it is in flight
   * (then that request finishes the entry). Returns the ids that were new to us.
   */
  applyMessages(messages: ApiMessage[]): ApiMessage[] {
    const fresh: ApiMessage[] = [];
    this.cache.transaction(() => {
      for (const message of messages) {
        if (message.client_message_id) {
          const replaced = this.cache.messages.takePending(message.client_message_id);
          const entry = this.cache.outbox.byId(message.client_message_id);
          if (entry && entry.kind === 'send' && entry.state !== 'sending') {
            this.cache.outbox.remove(entry.id);
            this.pending.outbox = true;
          }
          if (replaced !== null) this.touchChat(message.chat_id);
        }
        const outcome = this.cache.messages.upsert(messageRecord(message));
        if (outcome === 'unchanged') continue;
        if (message.attachments.length > 0) this.cache.catalog.noteAttachments(message.id, message.attachments);
        if (outcome === 'inserted') {
          fresh.push(message);
          const moved = this.cache.chats.noteMessage(
            message.chat_id,
            { id: message.id, text: message.text, sender_type: message.sender_type, created_at: message.created_at, is_hidden: message.is_hidden === true },
            parseTimestamp(message.created_at),
          );
          if (moved) this.touchChat(message.chat_id);
        } else if (message.is_hidden === true && this.cache.chats.hideLatest(message.chat_id, message.id)) {
          this.touchChat(message.chat_id);
        }
        this.touchMessage(message.chat_id, message.id);
      }
    });
    if (fresh.length > 0) for (const listener of this.freshListeners) listener(fresh);
    return fresh;
  }

  /** Told about every batch of messages that were new to us (attachments to prefetch). */
  onFreshMessages(listener: (messages: ApiMessage[]) => void): () => void {
    this.freshListeners.add(listener);
    return () => this.freshListeners.delete(listener);
  }

  // ------------------------------------------------------------------------------------------
  // Notifications

  /** Decides and raises notifications for messages that were new to us. */
  notifyAbout(messages: ApiMessage[]): void {
    if (!this.notificationsArmed || messages.length === 0) return;
    const newestPerChat = new Map<number, ApiMessage>();
    for (const message of messages) {
      const current = newestPerChat.get(message.chat_id);
      if (!current || current.id < message.id) newestPerChat.set(message.chat_id, message);
    }
    const context = {
      myUserId: this.user.id,
      preferences: this.host.preferences(),
      showing: (chatId: number) => this.host.showing(chatId),
    };
    for (const message of newestPerChat.values()) {
      const chat = this.cache.chats.byId(message.chat_id);
      if (!shouldNotify(message, chat?.assigned_to ?? null, context)) continue;
      const notification: NotificationPayload = {
        chatId: message.chat_id,
        messageId: message.id,
        title: chat?.title ?? `Chat #${message.chat_id}`,
        body: notificationBody(message),
        sound: context.preferences.sound,
      };
      this.host.emitter.emit('notification', notification);
      this.host.notifier?.notify(notification);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Change collection → push events

  touchChat(chatId: number): void {
    this.pending.chats.add(chatId);
    this.scheduleFlush();
  }

  touchMessage(chatId: number, id: number): void {
    this.messageBucket(chatId).ids.add(id);
    this.scheduleFlush();
  }

  touchRemoved(chatId: number, key: string): void {
    this.messageBucket(chatId).removedKeys.add(key);
    this.scheduleFlush();
  }

  touchOutbox(chatId?: number): void {
    this.pending.outbox = true;
    if (chatId !== undefined) this.pending.chats.add(chatId);
    this.scheduleFlush();
  }

  private messageBucket(chatId: number) {
    let bucket = this.pending.messages.get(chatId);
    if (!bucket) {
      bucket = { ids: new Set(), removedKeys: new Set() };
      this.pending.messages.set(chatId, bucket);
    }
    return bucket;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      try {
        this.flush();
      } catch (error) {
        if (!this.closed) this.host.logger.error('pushing changes to the UI failed', error);
      }
    });
  }

  /** Pushes everything collected since the last flush. */
  flush(): void {
    if (this.closed) return;
    const { chats, messages, outbox } = this.pending;
    this.pending = { chats: new Set(), messages: new Map(), outbox: false };
    const { emitter } = this.host;
    // Message rows go only to chats on screen; the list learns of the rest through chats.changed,
    // and opening a chat reads its messages from the cache (a backfill is not a flood of events).
    const open = this.host.openChatIds();
    for (const [chatId, bucket] of messages) {
      if (!open.has(chatId)) continue;
      const records: MessageWithOutbox[] = [];
      for (const id of bucket.ids) {
        const record = this.cache.messages.byId(id);
        if (record) records.push(record);
        // Gone since it was touched: a pending row replaced by the server's.
        else if (id > 0) bucket.removedKeys.add(`m${id}`);
      }
      const upserted = this.messageViews(records);
      const keys = new Set(upserted.map((view) => view.key));
      for (const key of bucket.removedKeys) if (keys.has(key)) bucket.removedKeys.delete(key);
      emitter.emit('messages.changed', { chatId, upserted, removedKeys: [...bucket.removedKeys], hasOlder: this.hasOlder(chatId) });
    }
    if (outbox) emitter.emit('outbox.changed', { entries: this.outboxEntries() });
    if (chats.size > 0) {
      const ids = [...chats];
      const rows = this.chatRows(ids);
      const present = new Set(rows.map((row) => row.id));
      const unreadChats = this.cache.chats.unreadChats();
      emitter.emit('chats.changed', {
        chats: rows,
        removedIds: ids.filter((id) => !present.has(id)),
        counts: this.cache.chats.counts({ tab: 'all', userId: this.user.id }),
        unreadChats,
      });
      if (unreadChats !== this.lastBadge) {
        this.lastBadge = unreadChats;
        this.host.notifier?.setBadge(unreadChats);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Views

  messageViews(records: MessageWithOutbox[]): MessageView[] {
    const attachmentIds: number[] = [];
    for (const record of records) {
      if (record.attachments === '[]') continue;
      const parsed: unknown = JSON.parse(record.attachments);
      if (!Array.isArray(parsed)) continue;
      for (const item of parsed) {
        if (typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'number') attachmentIds.push(item.id);
      }
    }
    const cached = this.cache.catalog.cachedAttachmentIds(attachmentIds);
    return records.map((record) => messageView(record, this.user.id, cached, this.api.serverUrl));
  }

  chatRows(ids: number[]): ChatRow[] {
    const records = this.cache.chats.byIds(ids);
    const outbox = this.cache.outbox.forChats(ids);
    return records.map((record) => chatRowView(record, this.user.id, outbox.filter((entry) => entry.chat_id === record.id)));
  }

  outboxEntries(): OutboxEntryView[] {
    return this.cache.outbox.all().map(outboxEntryView);
  }

  /** Older history exists: below what we hold on the server, or held below a gap. */
  hasOlder(chatId: number): boolean {
    const sync = this.cache.sync.get(chatId);
    return sync.has_older === 1 || this.cache.sync.gaps(chatId).length > 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.cache.close();
  }
}
