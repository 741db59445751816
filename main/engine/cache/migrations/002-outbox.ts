import type { Migration } from '../migrate';

// What the operator did that the server has not confirmed yet. `seq` orders entries per chat;
// `id` is the send's client_message_id (or an action's own UUID).
export const migration002: Migration = {
  version: 2,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        chat_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('send', 'assign-me', 'close', 'transfer', 'mark-read')),
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        -- 'network' | 'server' | 'rate-limit' | 'refused': why the last attempt did not finish
        error_kind TEXT,
        error TEXT,
        error_status INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX outbox_by_chat ON outbox (chat_id, seq);

      -- Files taken for sending: a copy lives in the desk's data until the message is sent.
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        mime_type TEXT,
        size INTEGER NOT NULL,
        local_path TEXT NOT NULL,
        server_path TEXT,
        state TEXT NOT NULL CHECK (state IN ('queued', 'uploading', 'uploaded', 'failed')),
        error TEXT,
        created_at INTEGER NOT NULL
      );
    `);
  },
};
