import type { Migration } from '../migrate';

// Hidden messages (spam, abuse) stay in the history, marked: the desk shows them collapsed with who
// hid them. And hiding is an outbox action like the others, so the outbox's kinds gain `hide`; SQLite
// cannot change a CHECK in place, so the table is rebuilt with its rows (and their order) as they were.
export const migration004: Migration = {
  version: 4,
  name: 'hidden-messages',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN is_hidden INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN hidden_by_name TEXT;
      ALTER TABLE messages ADD COLUMN hidden_at INTEGER;

      CREATE TABLE outbox_next (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        chat_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('send', 'assign-me', 'close', 'transfer', 'mark-read', 'hide')),
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        error_kind TEXT,
        error TEXT,
        error_status INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      INSERT INTO outbox_next (seq, id, chat_id, kind, payload, state, attempts, next_attempt_at, error_kind, error, error_status, created_at, updated_at)
        SELECT seq, id, chat_id, kind, payload, state, attempts, next_attempt_at, error_kind, error, error_status, created_at, updated_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_next RENAME TO outbox;
      CREATE INDEX outbox_by_chat ON outbox (chat_id, seq);
    `);
  },
};
