import type { ApiMessage } from '../../../common/api';
import { parseTimestamp } from '../../../common/time';
import { sql, type Database } from './database';
import type { MessageRecord, MessageWithOutbox, StoredAttachment } from './rows';

/** The JSON text of a message's payload: most have none, and the backfill converts tens of thousands a second. */
function payloadText(payload: ApiMessage['payload']): string {
  for (const _key in payload) return JSON.stringify(payload);
  return '{}';
}

export function messageRecord(message: ApiMessage): MessageRecord {
  const attachments =
    message.attachments.length === 0
      ? '[]'
      : JSON.stringify(message.attachments.map((a): StoredAttachment => ({ id: a.id, name: a.name, mime_type: a.mime_type, size: a.size, url: a.url })));
  const createdAt = parseTimestamp(message.created_at);
  return {
    id: message.id,
    chat_id: message.chat_id,
    sender_id: message.sender_id,
    sender_type: message.sender_type,
    sender_name: message.sender?.name ?? null,
    text: message.text,
    payload: payloadText(message.payload),
    attachments,
    is_read: message.is_read ? 1 : 0,
    client_message_id: message.client_message_id,
    // A server older than hiding sends none of the three: nothing is hidden there.
    is_hidden: message.is_hidden === true ? 1 : 0,
    hidden_by_name: message.hidden_by?.name ?? null,
    hidden_at: typeof message.hidden_at === 'string' ? parseTimestamp(message.hidden_at) : null,
    created_at: createdAt,
    updated_at: message.updated_at === message.created_at ? createdAt : parseTimestamp(message.updated_at),
  };
}

const WITH_OUTBOX = `SELECT m.*, o.state AS outbox_state, o.error AS outbox_error
  FROM messages m LEFT JOIN outbox o ON m.id < 0 AND o.id = m.client_message_id`;

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export function messageQueries(db: Database) {
  return {
    byId(id: number): MessageWithOutbox | undefined {
      return sql<[number], MessageWithOutbox>(db, `${WITH_OUTBOX} WHERE m.id = ?`).get(id);
    },

    byClientMessageId(clientMessageId: string): MessageWithOutbox | undefined {
      return sql<[string], MessageWithOutbox>(db, `${WITH_OUTBOX} WHERE m.client_message_id = ?`).get(clientMessageId);
    },

    /**
     * Stores a server message by its id: new ones are inserted, known ones updated when the server's copy
     * is at least as new. Callers first drop a pending row with the same client_message_id.
     */
    upsert(record: MessageRecord): UpsertOutcome {
      // Positional parameters: binding by name looks up every property of the record on each run.
      const inserted = sql(
        db,
        `INSERT OR IGNORE INTO messages (id, chat_id, sender_id, sender_type, sender_name, text, payload, attachments, is_read,
           client_message_id, is_hidden, hidden_by_name, hidden_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        record.id,
        record.chat_id,
        record.sender_id,
        record.sender_type,
        record.sender_name,
        record.text,
        record.payload,
        record.attachments,
        record.is_read,
        record.client_message_id,
        record.is_hidden,
        record.hidden_by_name,
        record.hidden_at,
        record.created_at,
        record.updated_at,
      ).changes;
      if (inserted > 0) return 'inserted';
      const updated = sql(
        db,
        `UPDATE messages SET sender_name = @sender_name, text = @text, payload = @payload, attachments = @attachments,
           is_read = @is_read, is_hidden = @is_hidden, hidden_by_name = @hidden_by_name, hidden_at = @hidden_at, updated_at = @updated_at
         WHERE id = @id AND updated_at <= @updated_at
           AND (sender_name, text, payload, attachments, is_read, is_hidden, hidden_by_name, hidden_at, updated_at)
             IS NOT (@sender_name, @text, @payload, @attachments, @is_read, @is_hidden, @hidden_by_name, @hidden_at, @updated_at)`,
      ).run(record).changes;
      return updated > 0 ? 'updated' : 'unchanged';
    },

    /** Drops the pending copy of a message the server now holds; returns its local id. */
    takePending(clientMessageId: string): number | null {
      const row = sql<[string], { id: number }>(db, 'DELETE FROM messages WHERE client_message_id = ? AND id < 0 RETURNING id').get(clientMessageId);
      return row?.id ?? null;
    },

    insertPending(record: MessageRecord): void {
      if (record.id >= 0) throw new Error('a pending message needs a negative local id');
      sql(
        db,
        `INSERT INTO messages (id, chat_id, sender_id, sender_type, sender_name, text, payload, attachments, is_read,
           client_message_id, created_at, updated_at)
         VALUES (@id, @chat_id, @sender_id, @sender_type, @sender_name, @text, @payload, @attachments, @is_read,
           @client_message_id, @created_at, @updated_at)`,
      ).run(record);
    },

    remove(id: number): MessageRecord | undefined {
      return sql<[number], MessageRecord>(db, 'DELETE FROM messages WHERE id = ? RETURNING *').get(id);
    },

    removeByClientMessageId(clientMessageId: string): MessageRecord | undefined {
      return sql<[string], MessageRecord>(db, 'DELETE FROM messages WHERE client_message_id = ? AND id < 0 RETURNING *').get(clientMessageId);
    },

    /** Server messages of a chat, newest first, below `beforeId` when given (keyset). */
    page(chatId: number, beforeId: number | null, limit: number): MessageWithOutbox[] {
      if (beforeId === null) {
        return sql<[number, number], MessageWithOutbox>(db, `${WITH_OUTBOX} WHERE m.chat_id = ? AND m.id > 0 ORDER BY m.id DESC LIMIT ?`).all(
          chatId,
          limit,
        );
      }
      return sql<[number, number, number], MessageWithOutbox>(
        db,
        `${WITH_OUTBOX} WHERE m.chat_id = ? AND m.id > 0 AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
      ).all(chatId, beforeId, limit);
    },

    /** Messages of a chat still in the outbox, in the order they were written. */
    pending(chatId: number): MessageWithOutbox[] {
      return sql<[number], MessageWithOutbox>(db, `${WITH_OUTBOX} WHERE m.chat_id = ? AND m.id < 0 ORDER BY m.id DESC`).all(chatId);
    },

    oldestServerId(chatId: number): number | null {
      return sql<[number], { id: number | null }>(db, 'SELECT MIN(id) AS id FROM messages WHERE chat_id = ? AND id > 0').get(chatId)?.id ?? null;
    },

    newestServerId(chatId: number): number | null {
      return sql<[number], { id: number | null }>(db, 'SELECT MAX(id) AS id FROM messages WHERE chat_id = ? AND id > 0').get(chatId)?.id ?? null;
    },

    /** Server ids held in [low, high], for overlap checks. */
    countBetween(chatId: number, low: number, high: number): number {
      return (
        sql<[number, number, number], { n: number }>(db, 'SELECT COUNT(*) AS n FROM messages WHERE chat_id = ? AND id BETWEEN ? AND ?').get(
          chatId,
          low,
          high,
        )?.n ?? 0
      );
    },

    /** The newest client message held, for mark-read. */
    newestClientMessageId(chatId: number): number | null {
      return (
        sql<[number], { id: number | null }>(db, `SELECT MAX(id) AS id FROM messages WHERE chat_id = ? AND id > 0 AND sender_type = 'client'`).get(
          chatId,
        )?.id ?? null
      );
    },

    markReadUpTo(chatId: number, upToId: number): number {
      return sql(db, `UPDATE messages SET is_read = 1 WHERE chat_id = ? AND id > 0 AND id <= ? AND sender_type = 'client' AND is_read = 0`).run(
        chatId,
        upToId,
      ).changes;
    },
  };
}
