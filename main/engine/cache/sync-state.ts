import { sql, type Database } from './database';
import type { ChatSyncRecord, GapRecord } from './rows';

const EMPTY = (chatId: number): ChatSyncRecord => ({ chat_id: chatId, synced_id: 0, oldest_id: null, has_older: 1 });

/** Per-chat history bookkeeping: how far we are in sync, how far back we hold, and known holes. */
export function syncQueries(db: Database) {
  const save = (record: ChatSyncRecord) =>
    sql(
      db,
      `INSERT INTO chat_sync (chat_id, synced_id, oldest_id, has_older) VALUES (@chat_id, @synced_id, @oldest_id, @has_older)
       ON CONFLICT (chat_id) DO UPDATE SET synced_id = excluded.synced_id, oldest_id = excluded.oldest_id, has_older = excluded.has_older`,
    ).run(record);

  return {
    get(chatId: number): ChatSyncRecord {
      return sql<[number], ChatSyncRecord>(db, 'SELECT * FROM chat_sync WHERE chat_id = ?').get(chatId) ?? EMPTY(chatId);
    },

    all(): Map<number, ChatSyncRecord> {
      const rows = sql<[], ChatSyncRecord>(db, 'SELECT * FROM chat_sync').all();
      return new Map(rows.map((row) => [row.chat_id, row]));
    },

    save,

    /** Everything up to `id` is held (realtime on a connection that has been in sync). */
    advance(chatId: number, id: number): void {
      const current = sql<[number], ChatSyncRecord>(db, 'SELECT * FROM chat_sync WHERE chat_id = ?').get(chatId);
      if (!current || current.synced_id === 0 || current.synced_id >= id) return;
      save({ ...current, synced_id: id });
    },

    gaps(chatId: number): GapRecord[] {
      return sql<[number], GapRecord>(db, 'SELECT * FROM gaps WHERE chat_id = ? ORDER BY upper_id DESC').all(chatId);
    },

    addGap(gap: GapRecord): void {
      sql(db, 'INSERT OR REPLACE INTO gaps (chat_id, upper_id, lower_id) VALUES (@chat_id, @upper_id, @lower_id)').run(gap);
    },

    removeGap(chatId: number, upperId: number): void {
      sql(db, 'DELETE FROM gaps WHERE chat_id = ? AND upper_id = ?').run(chatId, upperId);
    },
  };
}
