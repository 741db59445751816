import type { ServerMigration } from '../migrate';

// Full-text search over message text. The trigram tokenizer matches substrings in any
// script (Cyrillic, Polish diacritics) case-insensitively, which is what an operator typing
// part of a word into the search box expects.
export const migration002: ServerMigration = {
  version: 2,
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
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text)
          SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
        INSERT INTO messages_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
      END;
      INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages WHERE text IS NOT NULL;
    `);
  },
  // PostgreSQL: pg_trgm's GIN index over the folded text serves the same case-insensitive
  // substring match (LIKE '%needle%' on lower(text)), in every script.
  postgres: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX messages_text_trgm ON messages USING gin (lower(text) gin_trgm_ops);
  `,
};
