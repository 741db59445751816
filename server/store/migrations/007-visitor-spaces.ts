import type { ServerMigration } from '../migrate';

// What a website visitor's space needs beyond a chat:
// - visitor_uploads: files a visitor uploaded and has not yet sent. Their owner is the space (the
//   chat), not a user: a visitor has no user row, and uploads.user_id is NOT NULL. They expire as
//   operators' uploads do, and go with their space.
// - space_reads: how far the visitor has read the operators' messages (operators' messages are
//   stored read, as they are from the desk's side), so a widget shows its unread badge after a reload.
// - a unique index on a visitor's client_message_id within its space: messages_client_message is
//   keyed by the sender's user id, which a visitor's messages do not have (NULLs never conflict), so
//   two identical sends at once (on any node) would otherwise both be stored.

export const migration007: ServerMigration = {
  version: 7,
  name: 'visitor-spaces',
  up(db) {
    db.exec(`
      CREATE TABLE visitor_uploads (
        id TEXT PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        original_name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX visitor_uploads_expiry ON visitor_uploads(expires_at);
      CREATE INDEX visitor_uploads_chat ON visitor_uploads(chat_id);

      CREATE TABLE space_reads (
        chat_id INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
        up_to_id INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE UNIQUE INDEX messages_space_client_message ON messages(chat_id, client_message_id)
        WHERE sender_id IS NULL AND client_message_id IS NOT NULL;
    `);
  },
  postgres: `
    CREATE TABLE visitor_uploads (
      id TEXT PRIMARY KEY,
      chat_id BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
      path TEXT NOT NULL UNIQUE,
      original_name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    );
    CREATE INDEX visitor_uploads_expiry ON visitor_uploads(expires_at);
    CREATE INDEX visitor_uploads_chat ON visitor_uploads(chat_id);

    CREATE TABLE space_reads (
      chat_id BIGINT PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
      up_to_id BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );

    CREATE UNIQUE INDEX messages_space_client_message ON messages(chat_id, client_message_id)
      WHERE sender_id IS NULL AND client_message_id IS NOT NULL;
  `,
};
