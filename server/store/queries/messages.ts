import type { SenderType } from '../../../common/api';
import type { AttachmentRecord, MessageRecord, UploadRecord } from '../../domain/records';
import type { MessageQueries, NewAttachment, NewMessage, UploadQueries } from '../contract';
import { parseJsonObject, placeholders, type Executor } from '../executor';

// The columns `messageRecord` reads, in its order. Read as arrays of values: a desk's first sync
// reads a hundred thousand of these, and an object per row cost more than the query itself.
const MESSAGE_SELECT = `SELECT m.id, m.chat_id, m.sender_id, m.sender_type, u.name, m.text, m.payload, m.is_read, m.client_message_id,
    m.external_message_id, m.is_hidden, m.hidden_by, h.name, m.hidden_at, m.edited_at, m.created_at, m.updated_at
  FROM messages m LEFT JOIN users u ON u.id = m.sender_id LEFT JOIN users h ON h.id = m.hidden_by`;

type MessageValues = [
  id: number,
  chatId: number,
  senderId: number | null,
  senderType: SenderType,
  senderName: string | null,
  text: string | null,
  payload: string,
  isRead: number,
  clientMessageId: string | null,
  externalMessageId: string | null,
  isHidden: number,
  hiddenBy: number | null,
  hiddenByName: string | null,
  hiddenAt: number | null,
  editedAt: number | null,
  createdAt: number,
  updatedAt: number,
];

function messageRecord(row: MessageValues, attachments: AttachmentRecord[]): MessageRecord {
  return {
    id: row[0],
    chat_id: row[1],
    sender_id: row[2],
    sender_type: row[3],
    sender_name: row[4],
    text: row[5],
    payload: parseJsonObject(row[6]),
    is_read: row[7] === 1,
    client_message_id: row[8],
    external_message_id: row[9],
    is_hidden: row[10] === 1,
    hidden_by: row[11],
    hidden_by_name: row[12],
    hidden_at: row[13],
    attachments,
    edited_at: row[14],
    created_at: row[15],
    updated_at: row[16],
  };
}

export function messageQueries(db: Executor): MessageQueries {
  /** Messages with their attachments, loaded in one more query. */
  async function withAttachments(rows: MessageValues[]): Promise<MessageRecord[]> {
    const grouped = new Map<number, AttachmentRecord[]>();
    if (rows.length > 0) {
      const attachments = await db.all<AttachmentRecord>(
        `SELECT * FROM attachments WHERE message_id IN (${placeholders(rows.length)}) ORDER BY id`,
        rows.map((r) => r[0]),
      );
      for (const attachment of attachments) {
        const list = grouped.get(attachment.message_id) ?? [];
        list.push(attachment);
        grouped.set(attachment.message_id, list);
      }
    }
    return rows.map((row) => messageRecord(row, grouped.get(row[0]) ?? []));
  }

  async function select(where: string, params: (string | number)[]): Promise<MessageRecord[]> {
    return withAttachments(await db.values<MessageValues>(`${MESSAGE_SELECT} ${where}`, params));
  }

  async function one(where: string, params: (string | number)[]): Promise<MessageRecord | undefined> {
    return (await select(where, params))[0];
  }

  return {
    byId(id) {
      return one('WHERE m.id = ?', [id]);
    },

    async page(chatId, beforeId, limit) {
      return beforeId === null
        ? select('WHERE m.chat_id = ? ORDER BY m.id DESC LIMIT ?', [chatId, limit])
        : select('WHERE m.chat_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?', [chatId, beforeId, limit]);
    },

    byClientMessageId(senderId, clientMessageId) {
      return one('WHERE m.sender_id = ? AND m.client_message_id = ?', [senderId, clientMessageId]);
    },

    byReceipt(sourceId, externalMessageId) {
      return one('JOIN source_receipts r ON r.message_id = m.id WHERE r.source_id = ? AND r.external_message_id = ?', [sourceId, externalMessageId]);
    },

    async addReceipt(sourceId, externalMessageId, messageId) {
      const row = await db.get<{ message_id: number }>(
        `INSERT INTO source_receipts (source_id, external_message_id, message_id) VALUES (?, ?, ?)
         ON CONFLICT (source_id, external_message_id) DO NOTHING RETURNING message_id`,
        [sourceId, externalMessageId, messageId],
      );
      return row !== undefined;
    },

    async insert(message: NewMessage, now) {
      // The unique index on (sender, client_message_id) decides which of several identical sends
      // is the one; the others get no id and return the original.
      const row = await db.get<{ id: number }>(
        `INSERT INTO messages (chat_id, sender_id, sender_type, text, payload, is_read, client_message_id, external_message_id,
           created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sender_id, client_message_id) WHERE client_message_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
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
        ],
      );
      return row?.id;
    },

    async insertAttachment(messageId, attachment: NewAttachment, now) {
      const row = await db.get<{ id: number }>(
        `INSERT INTO attachments (message_id, name, mime_type, size, storage_path, external_url, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [messageId, attachment.name, attachment.mimeType, attachment.size, attachment.storagePath, attachment.externalUrl ?? null, now],
      );
      if (!row) throw new Error('attachment insert returned no id');
      return row.id;
    },

    attachmentWithChat(id) {
      return db.get<AttachmentRecord & { chat_id: number }>(
        'SELECT a.*, m.chat_id FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?',
        [id],
      );
    },

    async byIds(ids) {
      if (ids.length === 0) return [];
      return select(`WHERE m.id IN (${placeholders(ids.length)}) ORDER BY m.id`, [...ids]);
    },

    async countsByChat(chatIds) {
      const counts = new Map<number, number>();
      if (chatIds.length === 0) return counts;
      const rows = await db.all<{ chat_id: number; n: number }>(
        `SELECT chat_id, COUNT(*) AS n FROM messages WHERE chat_id IN (${placeholders(chatIds.length)}) GROUP BY chat_id`,
        [...chatIds],
      );
      for (const row of rows) counts.set(row.chat_id, Number(row.n));
      return counts;
    },

    async oldestFirst(chatId, offset, limit) {
      return select('WHERE m.chat_id = ? ORDER BY m.id LIMIT ? OFFSET ?', [chatId, limit, offset]);
    },

    async editText(id, text, now) {
      return (await db.run('UPDATE messages SET text = ?, edited_at = ?, updated_at = ? WHERE id = ?', [text, now, now, id])) > 0;
    },

    async delete(id) {
      const files = await db.all<{ storage_path: string }>('SELECT storage_path FROM attachments WHERE message_id = ? AND storage_path IS NOT NULL', [id]);
      // Its attachments and webhook receipt go with it (ON DELETE CASCADE).
      const deleted = await db.run('DELETE FROM messages WHERE id = ?', [id]);
      return deleted > 0 ? files.map((f) => f.storage_path) : undefined;
    },

    async touch(id, now) {
      await db.run('UPDATE messages SET updated_at = ? WHERE id = ?', [now, id]);
    },

    async hide(id, userId, now) {
      const changed = await db.run('UPDATE messages SET is_hidden = 1, hidden_by = ?, hidden_at = ?, updated_at = ? WHERE id = ? AND is_hidden = 0', [
        userId,
        now,
        now,
        id,
      ]);
      return changed > 0;
    },
  };
}

export function uploadQueries(db: Executor): UploadQueries {
  return {
    async create(upload: UploadRecord) {
      await db.run(
        `INSERT INTO uploads (id, user_id, path, original_name, mime_type, size, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [upload.id, upload.user_id, upload.path, upload.original_name, upload.mime_type, upload.size, upload.created_at, upload.expires_at],
      );
    },

    pending(userId, path, now) {
      return db.get<UploadRecord>('SELECT * FROM uploads WHERE user_id = ? AND path = ? AND expires_at > ?', [userId, path, now]);
    },

    async consume(id) {
      await db.run('DELETE FROM uploads WHERE id = ?', [id]);
    },

    takeExpired(now) {
      return db.all<UploadRecord>('DELETE FROM uploads WHERE expires_at <= ? RETURNING *', [now]);
    },
  };
}
