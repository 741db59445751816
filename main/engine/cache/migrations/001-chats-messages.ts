import type { Migration } from '../migrate';

// Times are epoch milliseconds. Messages keep the server's id; a message still in the outbox
// has a negative local id and is found again by its client_message_id when the server answers.
export const migration001: Migration = {
  version: 1,
  name: 'chats-messages',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        source_type TEXT NOT NULL,
        department_id INTEGER,
        department_name TEXT,
        external_user_id TEXT NOT NULL,
        user_metadata TEXT NOT NULL,
        title TEXT NOT NULL,
        -- lower-cased name, email, phone and external id: local search without the server
        search_text TEXT NOT NULL,
        status TEXT NOT NULL,
        assigned_to INTEGER,
        assignee_name TEXT,
        is_urgent INTEGER NOT NULL,
        unread_count INTEGER NOT NULL,
        waiting_since INTEGER,
        last_message_at INTEGER,
        latest_message_id INTEGER,
        latest_message TEXT,
        -- the list's order: newest activity first
        activity_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_at INTEGER
      );
      CREATE INDEX chats_by_activity ON chats (activity_at DESC, id DESC);
      CREATE INDEX chats_by_assignee ON chats (assigned_to, activity_at DESC, id DESC);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        sender_id INTEGER,
        sender_type TEXT NOT NULL,
        sender_name TEXT,
        text TEXT,
        payload TEXT NOT NULL DEFAULT '{}',
        attachments TEXT NOT NULL DEFAULT '[]',
        is_read INTEGER NOT NULL DEFAULT 0,
        client_message_id TEXT UNIQUE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX messages_by_chat ON messages (chat_id, id);

      -- What we know about a chat's history. Every server message with oldest_id <= id <= synced_id
      -- is held, except inside a gap; has_older: the server has messages below oldest_id.
      CREATE TABLE chat_sync (
        chat_id INTEGER PRIMARY KEY,
        synced_id INTEGER NOT NULL DEFAULT 0,
        oldest_id INTEGER,
        has_older INTEGER NOT NULL DEFAULT 1
      );

      -- Messages with lower_id < id < upper_id may be missing (a catch-up that stopped early).
      CREATE TABLE gaps (
        chat_id INTEGER NOT NULL,
        upper_id INTEGER NOT NULL,
        lower_id INTEGER NOT NULL,
        PRIMARY KEY (chat_id, upper_id)
      ) WITHOUT ROWID;
    `);
  },
};
