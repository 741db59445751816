import type { ServerMigration } from '../migrate';

// Timestamps are epoch milliseconds (INTEGER): they sort, compare and index cheaply;
// the API formats them as Laravel strings at the edge.
export const migration001: ServerMigration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        password_hash TEXT NOT NULL,
        is_active INTEGER NOT NULL DEFAULT 1,
        phone TEXT,
        position TEXT,
        avatar TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE user_roles (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'employee')),
        PRIMARY KEY (user_id, role)
      ) WITHOUT ROWID;

      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('widget', 'telegram', 'vk', 'whatsapp', 'email', 'api')),
        webhook_secret TEXT NOT NULL,
        public_token TEXT UNIQUE,
        settings TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE departments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE user_sources (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, source_id)
      ) WITHOUT ROWID;
      CREATE INDEX user_sources_source ON user_sources(source_id);

      CREATE TABLE user_departments (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, department_id)
      ) WITHOUT ROWID;

      CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
        external_user_id TEXT NOT NULL,
        user_metadata TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('new', 'active', 'pending', 'transferred', 'closed')),
        assigned_to INTEGER REFERENCES users(id) ON DELETE SET NULL,
        is_urgent INTEGER NOT NULL DEFAULT 0,
        token TEXT UNIQUE,
        title TEXT,
        description TEXT,
        type TEXT,
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        -- Denormalised from messages, kept in the same transaction as every message write,
        -- so the chat list needs no per-row aggregate.
        last_message_id INTEGER,
        last_message_at INTEGER,
        last_activity_at INTEGER NOT NULL,
        unread_count INTEGER NOT NULL DEFAULT 0,
        waiting_since INTEGER,
        closed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX chats_activity ON chats(last_activity_at DESC, id DESC);
      CREATE INDEX chats_source_activity ON chats(source_id, last_activity_at DESC, id DESC);
      CREATE INDEX chats_assignee_activity ON chats(assigned_to, last_activity_at DESC, id DESC);
      CREATE INDEX chats_external_user ON chats(source_id, external_user_id, status);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        sender_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        sender_type TEXT NOT NULL CHECK (sender_type IN ('client', 'operator', 'system')),
        text TEXT,
        payload TEXT NOT NULL DEFAULT '{}',
        is_read INTEGER NOT NULL DEFAULT 0,
        client_message_id TEXT,
        external_message_id TEXT,
        is_hidden INTEGER NOT NULL DEFAULT 0,
        hidden_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        hidden_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX messages_chat ON messages(chat_id, id);
      CREATE UNIQUE INDEX messages_client_message ON messages(sender_id, client_message_id)
        WHERE client_message_id IS NOT NULL;

      -- Deduplicates customer messages that arrive through a source webhook.
      CREATE TABLE source_receipts (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        external_message_id TEXT NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        PRIMARY KEY (source_id, external_message_id)
      ) WITHOUT ROWID;

      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        storage_path TEXT,
        external_url TEXT,
        created_at INTEGER NOT NULL,
        CHECK (storage_path IS NOT NULL OR external_url IS NOT NULL)
      );
      CREATE INDEX attachments_message ON attachments(message_id);

      -- Files uploaded but not yet attached to a message; the row is deleted when a message takes it.
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        original_name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX uploads_expiry ON uploads(expires_at);

      CREATE TABLE access_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        abilities TEXT NOT NULL DEFAULT '["*"]',
        last_used_at INTEGER,
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX access_tokens_user ON access_tokens(user_id);

      CREATE TABLE device_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token TEXT NOT NULL UNIQUE,
        platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'desktop', 'web')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX device_tokens_user ON device_tokens(user_id);

      CREATE TABLE canned_responses (
        id INTEGER PRIMARY KEY,
        source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        is_active INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
  // The same schema in PostgreSQL's words: identity ids, BIGINT epoch times, 0/1 SMALLINT flags
  // (one row shape for both backends), and a unique index on lower(email) for NOCASE.
  postgres: `
    CREATE TABLE users (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      is_active SMALLINT NOT NULL DEFAULT 1,
      phone TEXT,
      position TEXT,
      avatar TEXT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE UNIQUE INDEX users_email ON users (lower(email));

    CREATE TABLE user_roles (
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'employee')),
      PRIMARY KEY (user_id, role)
    );

    CREATE TABLE sources (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      name TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('widget', 'telegram', 'vk', 'whatsapp', 'email', 'api')),
      webhook_secret TEXT NOT NULL,
      public_token TEXT UNIQUE,
      settings TEXT NOT NULL DEFAULT '{}',
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE departments (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      name TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE user_sources (
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      PRIMARY KEY (user_id, source_id)
    );
    CREATE INDEX user_sources_source ON user_sources(source_id);

    CREATE TABLE user_departments (
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
      PRIMARY KEY (user_id, department_id)
    );

    CREATE TABLE chats (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      source_id BIGINT NOT NULL REFERENCES sources(id),
      department_id BIGINT REFERENCES departments(id) ON DELETE SET NULL,
      external_user_id TEXT NOT NULL,
      user_metadata TEXT NOT NULL DEFAULT '{}',
      status TEXT NOT NULL CHECK (status IN ('new', 'active', 'pending', 'transferred', 'closed')),
      assigned_to BIGINT REFERENCES users(id) ON DELETE SET NULL,
      is_urgent SMALLINT NOT NULL DEFAULT 0,
      token TEXT UNIQUE,
      title TEXT,
      description TEXT,
      type TEXT,
      created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
      last_message_id BIGINT,
      last_message_at BIGINT,
      last_activity_at BIGINT NOT NULL,
      unread_count INTEGER NOT NULL DEFAULT 0,
      waiting_since BIGINT,
      closed_at BIGINT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX chats_activity ON chats(last_activity_at DESC, id DESC);
    CREATE INDEX chats_source_activity ON chats(source_id, last_activity_at DESC, id DESC);
    CREATE INDEX chats_assignee_activity ON chats(assigned_to, last_activity_at DESC, id DESC);
    CREATE INDEX chats_external_user ON chats(source_id, external_user_id, status);

    CREATE TABLE messages (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      chat_id BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
      sender_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
      sender_type TEXT NOT NULL CHECK (sender_type IN ('client', 'operator', 'system')),
      text TEXT,
      payload TEXT NOT NULL DEFAULT '{}',
      is_read SMALLINT NOT NULL DEFAULT 0,
      client_message_id TEXT,
      external_message_id TEXT,
      is_hidden SMALLINT NOT NULL DEFAULT 0,
      hidden_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
      hidden_at BIGINT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX messages_chat ON messages(chat_id, id);
    CREATE UNIQUE INDEX messages_client_message ON messages(sender_id, client_message_id)
      WHERE client_message_id IS NOT NULL;

    CREATE TABLE source_receipts (
      source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      external_message_id TEXT NOT NULL,
      message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      PRIMARY KEY (source_id, external_message_id)
    );

    CREATE TABLE attachments (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size BIGINT NOT NULL,
      storage_path TEXT,
      external_url TEXT,
      created_at BIGINT NOT NULL,
      CHECK (storage_path IS NOT NULL OR external_url IS NOT NULL)
    );
    CREATE INDEX attachments_message ON attachments(message_id);

    CREATE TABLE uploads (
      id TEXT PRIMARY KEY,
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      path TEXT NOT NULL UNIQUE,
      original_name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    );
    CREATE INDEX uploads_expiry ON uploads(expires_at);

    CREATE TABLE access_tokens (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      abilities TEXT NOT NULL DEFAULT '["*"]',
      last_used_at BIGINT,
      expires_at BIGINT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX access_tokens_user ON access_tokens(user_id);

    CREATE TABLE device_tokens (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token TEXT NOT NULL UNIQUE,
      platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'desktop', 'web')),
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX device_tokens_user ON device_tokens(user_id);

    CREATE TABLE canned_responses (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      source_id BIGINT REFERENCES sources(id) ON DELETE CASCADE,
      code TEXT NOT NULL,
      title TEXT NOT NULL,
      text TEXT NOT NULL,
      is_active SMALLINT NOT NULL DEFAULT 1,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
  `,
};
