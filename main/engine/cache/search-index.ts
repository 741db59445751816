import { sql, type Database } from './database';

/**
 * The deferred part of the message search index (migration 007): messages written into the cache wait
 * in `messages_fts_backlog` and are indexed here in batches, off the write path of history pages.
 */
export function searchIndexQueries(db: Database) {
  return {
    /** True when some messages wait to be indexed. */
    pending(): boolean {
      return sql<[], { one: number }>(db, 'SELECT 1 AS one FROM messages_fts_backlog LIMIT 1').get() !== undefined;
    },

    /** Indexes up to `limit` backlog messages (lowest ids first) in one transaction; returns how many left the backlog. */
    indexBatch(limit: number): number {
      return db.transaction(() => {
        // Bounded by the batch's highest id: within this transaction both statements see the same rows.
        // CROSS JOIN: the backlog drives the loop (SQLite would rather scan every message).
        const last = sql<[number], { id: number | null }>(db, 'SELECT MAX(id) AS id FROM (SELECT id FROM messages_fts_backlog ORDER BY id LIMIT ?)').get(limit)?.id;
        if (last === null || last === undefined) return 0;
        sql(
          db,
          `INSERT INTO messages_fts(rowid, text)
           SELECT m.id, m.text FROM messages_fts_backlog b CROSS JOIN messages m ON m.id = b.id WHERE b.id <= ? AND m.text IS NOT NULL`,
        ).run(last);
        return sql(db, 'DELETE FROM messages_fts_backlog WHERE id <= ?').run(last).changes;
      })();
    },
  };
}
