import type { ServerMigration } from '../migrate';

// Who takes part in a chat (created it, was assigned it, wrote in it, transferred it or had it
// transferred to them): everyone sees the chats they take part in, and an employee sees only those.
// And one open chat per customer and source, kept by a partial unique index rather than by one
// process checking first, so two servers receiving the same customer at once cannot split the chat.

const PARTICIPANT_BACKFILL = (transferTarget: string) => `
  INSERT INTO chat_participants (chat_id, user_id)
  SELECT id, created_by FROM chats WHERE created_by IS NOT NULL
  UNION SELECT id, assigned_to FROM chats WHERE assigned_to IS NOT NULL
  UNION SELECT chat_id, sender_id FROM messages WHERE sender_id IS NOT NULL
  UNION SELECT m.chat_id, u.id FROM messages m JOIN users u ON u.id = ${transferTarget}
    WHERE m.sender_type = 'system';`;

// Older duplicates (only possible before this index existed) are closed; the newest open one is
// the chat new messages already went to.
const CLOSE_DUPLICATE_OPEN_CHATS = `
  UPDATE chats SET status = 'closed', closed_at = updated_at
  WHERE status <> 'closed' AND id NOT IN (
    SELECT MAX(id) FROM chats WHERE status <> 'closed' GROUP BY source_id, external_user_id
  );
  CREATE UNIQUE INDEX chats_one_open ON chats(source_id, external_user_id) WHERE status <> 'closed';`;

export const migration003: ServerMigration = {
  version: 3,
  name: 'participants',
  up(db) {
    db.exec(`
      CREATE TABLE chat_participants (
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX chat_participants_user ON chat_participants(user_id, chat_id);
      ${PARTICIPANT_BACKFILL(`json_extract(m.payload, '$.to_user_id')`)}
      ${CLOSE_DUPLICATE_OPEN_CHATS}
    `);
  },
  postgres: `
    CREATE TABLE chat_participants (
      chat_id BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
      user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (chat_id, user_id)
    );
    CREATE INDEX chat_participants_user ON chat_participants(user_id, chat_id);
    ${PARTICIPANT_BACKFILL(`CASE WHEN (m.payload::jsonb ->> 'to_user_id') ~ '^[0-9]{1,15}$' THEN (m.payload::jsonb ->> 'to_user_id')::bigint END`)}
    ${CLOSE_DUPLICATE_OPEN_CHATS}
  `,
};
