import type { ServerMigration } from '../migrate';

// The customer's name, e-mail and phone as columns of the chat, so the chat search matches them
// without parsing `user_metadata`: a JSON function over that free-form text failed the whole
// search (SQLite's "malformed JSON" past 1,000 levels; PostgreSQL's `::jsonb` on any text it
// refuses) whenever one stored row was hostile, and the row kept failing it after every restart.
// From here on the store writes these columns with the metadata (server/store/queries/chats.ts,
// contactFields); this step fills them for the chats written before it, with the same rule: a
// top-level string value of the JSON object, or NULL. Rows whose text is not a JSON object that
// both databases can read get NULL and stay searchable by external id and message text.

const CONTACT_KEYS = ['name', 'email', 'phone'] as const;
const NONE = CONTACT_KEYS.map(() => null);
// A lone UTF-16 surrogate: JSON allows it as an escape, PostgreSQL's jsonb refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether PostgreSQL's jsonb would refuse a string of this document (U+0000 or a lone surrogate, anywhere). */
function jsonbRefuses(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      if (node.includes('\u0000') || LONE_SURROGATE.test(node)) return true;
    } else if (Array.isArray(node)) {
      for (const child of node) pending.push(child);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) pending.push(key, child);
    }
  }
  return false;
}

/**
 * The contact columns of one stored text, as this step fills them on both databases: the
 * top-level string values of a JSON object that PostgreSQL can read as jsonb, else NULL.
 * (A migration never changes, so this rule is written out here, not imported.)
 */
function contactOf(text: string): (string | null)[] {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    return NONE;
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || jsonbRefuses(metadata)) return NONE;
  const fields = new Map(Object.entries(metadata));
  return CONTACT_KEYS.map((key) => {
    const value = fields.get(key);
    return typeof value === 'string' ? value : null;
  });
}

export const migration004: ServerMigration = {
  version: 4,
  name: 'chat-contact',
  up(db) {
    db.exec(`
      ALTER TABLE chats ADD COLUMN contact_name TEXT;
      ALTER TABLE chats ADD COLUMN contact_email TEXT;
      ALTER TABLE chats ADD COLUMN contact_phone TEXT;
    `);
    const update = db.prepare('UPDATE chats SET contact_name = ?, contact_email = ?, contact_phone = ? WHERE id = ?');
    const rows = db.prepare<[], { id: number; user_metadata: string }>(`SELECT id, user_metadata FROM chats WHERE user_metadata <> '{}'`);
    for (const row of rows.all()) {
      const [name, email, phone] = contactOf(row.user_metadata);
      update.run(name ?? null, email ?? null, phone ?? null, row.id);
    }
  },
  // One row at a time, each in its own exception block: a text PostgreSQL cannot read as jsonb
  // (too deep for its stack, an escaped U+0000, not JSON at all) leaves that row's columns NULL
  // instead of failing the upgrade.
  postgres: `
    ALTER TABLE chats ADD COLUMN contact_name TEXT;
    ALTER TABLE chats ADD COLUMN contact_email TEXT;
    ALTER TABLE chats ADD COLUMN contact_phone TEXT;
    DO $$
    DECLARE
      chat RECORD;
      metadata JSONB;
    BEGIN
      FOR chat IN SELECT id, user_metadata FROM chats WHERE user_metadata <> '{}' LOOP
        BEGIN
          metadata := chat.user_metadata::jsonb;
          IF jsonb_typeof(metadata) = 'object' THEN
            UPDATE chats SET
              contact_name = CASE WHEN jsonb_typeof(metadata -> 'name') = 'string' THEN metadata ->> 'name' END,
              contact_email = CASE WHEN jsonb_typeof(metadata -> 'email') = 'string' THEN metadata ->> 'email' END,
              contact_phone = CASE WHEN jsonb_typeof(metadata -> 'phone') = 'string' THEN metadata ->> 'phone' END
            WHERE id = chat.id;
          END IF;
        EXCEPTION WHEN OTHERS THEN
          NULL;
        END;
      END LOOP;
    END
    $$;
  `,
};
