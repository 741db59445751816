import type { Migration } from '../migrate';

// Indexing each message as it is written made writing history pages ~15x slower. New messages now
// only note their id in a backlog that the engine indexes in batches later (cache/search-index.ts);
// search scans the backlog rows directly until then (cache/chats.ts).
// An FTS5 external-content 'delete' of a row that was never indexed corrupts the index, so update
// and delete touch the index only for rows that are not in the backlog.
export const migration007: Migration = {
  version: 7,
  name: 'search-backlog',
  up(db) {
    db.exec(`
      CREATE TABLE messages_fts_backlog (id INTEGER PRIMARY KEY);
      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_delete;
      DROP TRIGGER messages_fts_update;
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
        INSERT OR IGNORE INTO messages_fts_backlog (id) VALUES (new.id);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text)
          SELECT 'delete', old.id, old.text
          WHERE old.text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages_fts_backlog WHERE id = old.id);
        DELETE FROM messages_fts_backlog WHERE id = old.id;
      END;
      -- A backlog row is indexed later with the text it has then: nothing to do for it here.
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
        WHEN old.text IS NOT new.text AND NOT EXISTS (SELECT 1 FROM messages_fts_backlog WHERE id = old.id) BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text)
          SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
        INSERT INTO messages_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
      END;
    `);
  },
};
