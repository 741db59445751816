import type { MessageWithOutbox } from '../cache';
import type { AccountHost } from './host';
import { chatRows, hasOlder, messageViews, outboxEntries, type ReadContext } from './reads';

interface PendingChanges {
  chats: Set<number>;
  messages: Map<number, { ids: Set<number>; removedKeys: Set<string> }>;
  outbox: boolean;
}

function emptyChanges(): PendingChanges {
  return { chats: new Set(), messages: new Map(), outbox: false };
}

/**
 * Changes are collected and pushed to the UI once per tick, so a page of 100 messages is one
 * `messages.changed`, not a hundred.
 */
export class ChangeFeed {
  private pending = emptyChanges();
  private flushScheduled = false;
  private lastBadge: number | null = null;
  private closed = false;

  constructor(
    private readonly host: AccountHost,
    private readonly context: ReadContext,
  ) {}

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
    this.pending = emptyChanges();
    const { emitter } = this.host;
    const { cache } = this.context;
    // Message rows go only to chats on screen; the list learns of the rest through chats.changed,
    // and opening a chat reads its messages from the cache (a backfill is not a flood of events).
    const open = this.host.openChatIds();
    for (const [chatId, bucket] of messages) {
      if (!open.has(chatId)) continue;
      const records: MessageWithOutbox[] = [];
      for (const id of bucket.ids) {
        const record = cache.messages.byId(id);
        if (record) records.push(record);
        // Gone since it was touched: a pending row replaced by the server's.
        else if (id > 0) bucket.removedKeys.add(`m${id}`);
      }
      const upserted = messageViews(this.context, records);
      const keys = new Set(upserted.map((view) => view.key));
      for (const key of bucket.removedKeys) if (keys.has(key)) bucket.removedKeys.delete(key);
      emitter.emit('messages.changed', { chatId, upserted, removedKeys: [...bucket.removedKeys], hasOlder: hasOlder(cache, chatId) });
    }
    if (outbox) emitter.emit('outbox.changed', { entries: outboxEntries(cache) });
    if (chats.size > 0) {
      const ids = [...chats];
      const rows = chatRows(this.context, ids);
      const present = new Set(rows.map((row) => row.id));
      const unreadChats = cache.chats.unreadChats();
      emitter.emit('chats.changed', {
        chats: rows,
        removedIds: ids.filter((id) => !present.has(id)),
        counts: cache.chats.counts({ tab: 'all', userId: this.context.userId }),
        unreadChats,
      });
      if (unreadChats !== this.lastBadge) {
        this.lastBadge = unreadChats;
        this.host.notifier?.setBadge(unreadChats);
      }
    }
  }

  close(): void {
    this.closed = true;
  }
}
