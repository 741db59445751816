import type { ChatRow, MessageView, OutboxEntryView } from '../../../common/bridge';
import type { Cache, MessageWithOutbox } from '../cache';
import { chatRowView, messageView, outboxEntryView } from '../views';

/** What reading views out of the cache needs: the cache, who we are, and where attachments are served. */
export interface ReadContext {
  cache: Cache;
  userId: number;
  serverUrl: string;
}

export function messageViews(context: ReadContext, records: MessageWithOutbox[]): MessageView[] {
  const attachmentIds: number[] = [];
  for (const record of records) {
    if (record.attachments === '[]') continue;
    const parsed: unknown = JSON.parse(record.attachments);
    if (!Array.isArray(parsed)) continue;
    for (const item of parsed) {
      if (typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'number') attachmentIds.push(item.id);
    }
  }
  const cached = context.cache.catalog.cachedAttachmentIds(attachmentIds);
  return records.map((record) => messageView(record, context.userId, cached, context.serverUrl));
}

export function chatRows(context: ReadContext, ids: number[]): ChatRow[] {
  const records = context.cache.chats.byIds(ids);
  const outbox = context.cache.outbox.forChats(ids);
  return records.map((record) => chatRowView(record, context.userId, outbox.filter((entry) => entry.chat_id === record.id)));
}

export function outboxEntries(cache: Cache): OutboxEntryView[] {
  return cache.outbox.all().map(outboxEntryView);
}

/** Older history exists: below what we hold on the server, or held below a gap. */
export function hasOlder(cache: Cache, chatId: number): boolean {
  const sync = cache.sync.get(chatId);
  return sync.has_older === 1 || cache.sync.gaps(chatId).length > 0;
}
