import type { SenderType } from '../../../common/api';
import type { CountedTable, StoreTestingFacet } from '../contract';
import type { Executor } from '../executor';
import type { DeviceTokenRecord } from '../../domain/records';
import type { ChatRow } from '../rows';

const TABLES = new Set<CountedTable>(['messages', 'chats', 'attachments', 'uploads', 'source_receipts', 'device_tokens', 'access_tokens', 'users']);

export function testingQueries(db: Executor): StoreTestingFacet {
  return {
    async count(table) {
      // The table name is checked against the closed list above, never taken from input.
      if (!TABLES.has(table)) throw new Error(`not a counted table: ${table}`);
      return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0;
    },

    async chatIdByExternalUser(externalUserId) {
      return (await db.get<{ id: number }>('SELECT id FROM chats WHERE external_user_id = ? ORDER BY id LIMIT 1', [externalUserId]))?.id;
    },

    chatFacts() {
      return db.all<Pick<ChatRow, 'id' | 'source_id' | 'department_id' | 'assigned_to' | 'status'>>(
        'SELECT id, source_id, department_id, assigned_to, status FROM chats ORDER BY id',
      );
    },

    async messageFacts(chatId) {
      const rows = await db.all<{ id: number; is_read: number }>('SELECT id, is_read FROM messages WHERE chat_id = ? ORDER BY id', [chatId]);
      return rows.map((row) => ({ id: row.id, is_read: row.is_read === 1 }));
    },

    async messageTexts(chatId) {
      const rows =
        chatId === undefined
          ? await db.all<{ text: string }>('SELECT text FROM messages WHERE text IS NOT NULL ORDER BY id')
          : await db.all<{ text: string }>('SELECT text FROM messages WHERE chat_id = ? AND text IS NOT NULL ORDER BY id', [chatId]);
      return rows.map((row) => row.text);
    },

    messagesByExternalIdPrefix(prefix) {
      return db.all<{ source_id: number; sender_type: SenderType; text: string | null }>(
        `SELECT c.source_id, m.sender_type, m.text FROM messages m JOIN chats c ON c.id = m.chat_id
         WHERE m.external_message_id LIKE ? ESCAPE '\\' ORDER BY m.id`,
        [`${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`],
      );
    },

    async messagesWithClientMessageId(clientMessageId) {
      return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM messages WHERE client_message_id = ?', [clientMessageId]))?.n ?? 0;
    },

    async tokenLastUsedAt(tokenId) {
      return (await db.get<{ last_used_at: number | null }>('SELECT last_used_at FROM access_tokens WHERE id = ?', [tokenId]))?.last_used_at;
    },

    async attachmentStoragePath(attachmentId) {
      return (await db.get<{ storage_path: string | null }>('SELECT storage_path FROM attachments WHERE id = ?', [attachmentId]))?.storage_path;
    },

    async tokenHashes() {
      return (await db.all<{ token_hash: string }>('SELECT token_hash FROM access_tokens ORDER BY id')).map((row) => row.token_hash);
    },

    async writeRawUserMetadata(chatId, text) {
      // Only the metadata text: the contact columns keep what they were, as for a row written before migration 004.
      await db.run('UPDATE chats SET user_metadata = ? WHERE id = ?', [text, chatId]);
    },

    deviceOwner(token) {
      return db.get<Pick<DeviceTokenRecord, 'user_id' | 'platform'>>('SELECT user_id, platform FROM device_tokens WHERE token = ?', [token]);
    },

    async forgetDeviceSession(token) {
      await db.run('UPDATE device_tokens SET access_token_id = NULL WHERE token = ?', [token]);
    },
  };
}
