import type { SenderType } from '../../common/api';
import { sql, type Database } from './database';
import type { AttachmentRow, MessageListRow, MessageRow, UploadRow } from './rows';

export interface NewMessage {
  chatId: number;
  senderId: number | null;
  senderType: SenderType;
  text: string | null;
  payload?: Record<string, unknown>;
  clientMessageId?: string | null;
  externalMessageId?: string | null;
  isRead?: boolean;
}

export interface NewAttachment {
  name: string;
  mimeType: string;
  size: number;
  storagePath: string | null;
  externalUrl?: string | null;
}

const MESSAGE_COLUMNS = `m.*, u.name AS sender_name`;
const MESSAGE_JOINS = `FROM messages m LEFT JOIN users u ON u.id = m.sender_id`;

export function messageQueries(db: Database) {
  return {
    byId(id: number): MessageListRow | undefined {
      return sql<[number], MessageListRow>(db, `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_JOINS} WHERE m.id = ?`).get(id);
    },

    /** Newest first; `beforeId` pages towards older messages (keyset, never offset). */
    page(chatId: number, beforeId: number | null, limit: number): MessageListRow[] {
      if (beforeId === null) {
        return sql<[number, number], MessageListRow>(
          db,
          `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_JOINS} WHERE m.chat_id = ? ORDER BY m.id DESC LIMIT ?`,
        ).all(chatId, limit);
      }
      return sql<[number, number, number], MessageListRow>(
        db,
        `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_JOINS} WHERE m.chat_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
      ).all(chatId, beforeId, limit);
    },

    byClientMessageId(senderId: number, clientMessageId: string): MessageRow | undefined {
      return sql<[number, string], MessageRow>(db, 'SELECT * FROM messages WHERE sender_id = ? AND client_message_id = ?').get(
        senderId,
        clientMessageId,
      );
    },

    byReceipt(sourceId: number, externalMessageId: string): MessageRow | undefined {
      return sql<[number, string], MessageRow>(
        db,
        `SELECT m.* FROM source_receipts r JOIN messages m ON m.id = r.message_id WHERE r.source_id = ? AND r.external_message_id = ?`,
      ).get(sourceId, externalMessageId);
    },

    addReceipt(sourceId: number, externalMessageId: string, messageId: number): void {
      sql(db, 'INSERT INTO source_receipts (source_id, external_message_id, message_id) VALUES (?, ?, ?)').run(
        sourceId,
        externalMessageId,
        messageId,
      );
    },

    insert(message: NewMessage, now: number): number {
      return Number(
        sql(
          db,
          `INSERT INTO messages (chat_id, sender_id, sender_type, text, payload, is_read, client_message_id, external_message_id,
             created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          message.chatId,
          message.senderId,
          message.senderType,
          message.text,
          JSON.stringify(message.payload ?? {}),
          message.isRead ? 1 : 0,
          message.clientMessageId ?? null,
          message.externalMessageId ?? null,
          now,
          now,
        ).lastInsertRowid,
      );
    },

    insertAttachment(messageId: number, attachment: NewAttachment, now: number): number {
      return Number(
        sql(
          db,
          `INSERT INTO attachments (message_id, name, mime_type, size, storage_path, external_url, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(messageId, attachment.name, attachment.mimeType, attachment.size, attachment.storagePath, attachment.externalUrl ?? null, now)
          .lastInsertRowid,
      );
    },

    /** Attachments of many messages in one query, grouped by message id. */
    attachmentsOf(messageIds: number[]): Map<number, AttachmentRow[]> {
      const grouped = new Map<number, AttachmentRow[]>();
      if (messageIds.length === 0) return grouped;
      const rows = db
        .prepare<number[], AttachmentRow>(
          `SELECT * FROM attachments WHERE message_id IN (${messageIds.map(() => '?').join(',')}) ORDER BY id`,
        )
        .all(...messageIds);
      for (const row of rows) {
        const list = grouped.get(row.message_id) ?? [];
        list.push(row);
        grouped.set(row.message_id, list);
      }
      return grouped;
    },

    attachmentWithChat(id: number): (AttachmentRow & { chat_id: number }) | undefined {
      return sql<[number], AttachmentRow & { chat_id: number }>(
        db,
        'SELECT a.*, m.chat_id FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?',
      ).get(id);
    },
  };
}

export function uploadQueries(db: Database) {
  return {
    create(upload: UploadRow): void {
      sql(
        db,
        `INSERT INTO uploads (id, user_id, path, original_name, mime_type, size, created_at, expires_at)
         VALUES (@id, @user_id, @path, @original_name, @mime_type, @size, @created_at, @expires_at)`,
      ).run(upload);
    },

    /** A pending upload of this user that has not expired. */
    pending(userId: number, path: string, now: number): UploadRow | undefined {
      return sql<[number, string, number], UploadRow>(db, 'SELECT * FROM uploads WHERE user_id = ? AND path = ? AND expires_at > ?').get(
        userId,
        path,
        now,
      );
    },

    consume(id: string): void {
      sql(db, 'DELETE FROM uploads WHERE id = ?').run(id);
    },

    /** Removes expired uploads from the table and returns them so their files can be deleted. */
    takeExpired(now: number): UploadRow[] {
      return sql<[number], UploadRow>(db, 'DELETE FROM uploads WHERE expires_at <= ? RETURNING *').all(now);
    },
  };
}
