import type { MessageRecord, VisitorUploadRecord } from '../../domain/records';
import type { SpaceQueries } from '../contract';
import type { Executor } from '../executor';
import { messageQueries } from './messages';

/**
 * A visitor's messages are the customer's (sender_type 'client', no sender id); what a visitor sees
 * of its space is the customer's and the operators' messages that nobody hid. The domain's predicate
 * of the same rule is `visibleToVisitor` (server/domain/visitor-visibility.ts).
 */
const VISIBLE_TO_VISITOR = "sender_type IN ('client', 'operator') AND is_hidden = 0";

export function spaceQueries(db: Executor): SpaceQueries {
  const messages = messageQueries(db);

  return {
    async messageByClientId(chatId, clientMessageId) {
      const row = await db.get<{ id: number }>(
        'SELECT id FROM messages WHERE chat_id = ? AND sender_id IS NULL AND client_message_id = ?',
        [chatId, clientMessageId],
      );
      return row ? messages.byId(row.id) : undefined;
    },

    async insertVisitorMessage(chatId, text, clientMessageId, now) {
      // The unique index on (space, client_message_id) of sender-less messages decides which of two
      // identical sends is the one; the other gets no id and answers with the original.
      const row = await db.get<{ id: number }>(
        `INSERT INTO messages (chat_id, sender_id, sender_type, text, payload, is_read, client_message_id, created_at, updated_at)
         VALUES (?, NULL, 'client', ?, '{}', 0, ?, ?, ?)
         ON CONFLICT (chat_id, client_message_id) WHERE sender_id IS NULL AND client_message_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [chatId, text, clientMessageId, now, now],
      );
      return row?.id;
    },

    async visibleMessages(chatId, afterId, limit): Promise<MessageRecord[]> {
      const rows = await db.all<{ id: number }>(
        `SELECT id FROM messages WHERE chat_id = ? AND id > ? AND ${VISIBLE_TO_VISITOR} ORDER BY id LIMIT ?`,
        [chatId, afterId, limit],
      );
      return messages.byIds(rows.map((row) => row.id));
    },

    async latestVisibleMessages(chatId, limit) {
      const rows = await db.all<{ id: number }>(
        `SELECT id FROM messages WHERE chat_id = ? AND ${VISIBLE_TO_VISITOR} ORDER BY id DESC LIMIT ?`,
        [chatId, limit],
      );
      return messages.byIds(rows.map((row) => row.id));
    },

    async createUpload(upload) {
      await db.run(
        `INSERT INTO visitor_uploads (id, chat_id, path, original_name, mime_type, size, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [upload.id, upload.chat_id, upload.path, upload.original_name, upload.mime_type, upload.size, upload.created_at, upload.expires_at],
      );
    },

    pendingUpload(chatId, id, now) {
      return db.get<VisitorUploadRecord>('SELECT * FROM visitor_uploads WHERE chat_id = ? AND id = ? AND expires_at > ?', [chatId, id, now]);
    },

    async consumeUpload(id) {
      await db.run('DELETE FROM visitor_uploads WHERE id = ?', [id]);
    },

    takeExpiredUploads(now) {
      return db.all<VisitorUploadRecord>('DELETE FROM visitor_uploads WHERE expires_at <= ? RETURNING *', [now]);
    },

    async readUpTo(chatId) {
      const row = await db.get<{ up_to_id: number }>('SELECT up_to_id FROM space_reads WHERE chat_id = ?', [chatId]);
      return row ? Number(row.up_to_id) : 0;
    },

    async markRead(chatId, upToId, now) {
      // Only forward: a late, smaller mark from another tab does not unread anything.
      const row = await db.get<{ chat_id: number }>(
        `INSERT INTO space_reads (chat_id, up_to_id, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (chat_id) DO UPDATE SET up_to_id = excluded.up_to_id, updated_at = excluded.updated_at
         WHERE space_reads.up_to_id < excluded.up_to_id
         RETURNING chat_id`,
        [chatId, upToId, now],
      );
      return row !== undefined;
    },
  };
}
