import type { Migration } from '../migrate';

// Message text searchable offline, matched as the server matches it (common/text-search.ts):
// the same FTS5 trigram index over the cached messages, kept in step by triggers. A text rewritten
// with the same words (a page of history fetched again) does not touch the index.
export const migration006: Migration = {
  version: 6,
  name: 'message-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content='messages', content_rowid='id', tokenize='trigram'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.text IS NOT NULL BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text)
          SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
        INSERT INTO messages_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
      END;
      INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages WHERE text IS NOT NULL;
    `);
  },
};
