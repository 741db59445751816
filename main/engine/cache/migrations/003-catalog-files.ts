import type { Migration } from '../migrate';

export const migration003: Migration = {
  version: 3,
  name: 'catalog-files',
  up(db) {
    db.exec(`
      CREATE TABLE canned_responses (
        id INTEGER PRIMARY KEY,
        source_id INTEGER,
        code TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        search_text TEXT NOT NULL
      );

      -- The transfer picker's last answer per chat, for offline use.
      CREATE TABLE operator_lists (
        chat_id INTEGER PRIMARY KEY,
        operators TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
      );

      -- Every attachment of the messages we hold; \`path\` once its file is on disk (it opens offline).
      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        url TEXT,
        path TEXT,
        fetched_at INTEGER
      );
      CREATE INDEX attachments_by_message ON attachments (message_id);
    `);
  },
};
