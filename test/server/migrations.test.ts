import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type Database } from '../../server/store/database';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from '../../server/store/migrate';
import { migratePostgres } from '../../server/store/postgres/migrate';
import { createTestDatabase, POSTGRES_URL_ENV, testBackend } from '../helpers/postgres';

function tables(db: Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((r) => r.name);
}

function triggers(db: Database): string[] {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all().map((r) => r.name);
}

/** A customer chat with messages, written with plain SQL as any version-1 server would have. */
function seedVersion1(db: Database, texts: string[]): number[] {
  const now = Date.now();
  db.prepare("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', ?, ?)").run(now, now);
  db.prepare("INSERT INTO chats (id, source_id, external_user_id, status, last_activity_at, created_at, updated_at) VALUES (1, 1, 'c1', 'new', ?, ?, ?)").run(now, now, now);
  const insert = db.prepare("INSERT INTO messages (chat_id, sender_type, text, created_at, updated_at) VALUES (1, 'client', ?, ?, ?)");
  return texts.map((text) => Number(insert.run(text, now, now).lastInsertRowid));
}

function search(db: Database, needle: string): number[] {
  return db
    .prepare<[string], { rowid: number }>('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid')
    .all(`"${needle}"`)
    .map((r) => r.rowid);
}

const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * Metadata texts chats may hold from before 004, and the contact columns 004 gives them, the same on
 * both databases: a top-level string of an object both can read, else NULL.
 */
const LEGACY_METADATA: [text: string, contact: (string | null)[]][] = [
  ['{"name":"Анна Петрова","email":"anna@example.com","phone":"+7 916 000-00-00","language":"ru"}', ['Анна Петрова', 'anna@example.com', '+7 916 000-00-00']],
  ['{"name":"Zażółć 😀","city":"Łódź"}', ['Zażółć 😀', null, null]],
  ['{"name":48500100200,"email":{"work":"a@example.com"},"phone":["+48"]}', [null, null, null]],
  [`{"name":"Deep","nest":${nested(1000)}}`, ['Deep', null, null]],
  [`{"email":"deeper@example.com","nest":${nested(4500)}}`, [null, 'deeper@example.com', null]],
  ['{"name": "Broken", "email": ', [null, null, null]],
  ['{"name":"a\\u0000b"}', [null, null, null]],
  ['{"name":"Lone","note":"\\ud800"}', [null, null, null]],
  ['[{"name":"in an array"}]', [null, null, null]],
  ['"just a string"', [null, null, null]],
  ['not json', [null, null, null]],
  ['{}', [null, null, null]],
];


type Rows = Record<string, unknown>[];
type Run = (text: string, params?: (string | number)[]) => Promise<Rows>;

/**
 * What 009 promises, the same on both databases: chats written before it get key 0; afterwards each
 * change to what a chat's list row shows gives the chat a key no smaller than any horizon taken
 * before it (a row changed after a horizon is found from it), and a chat that moves department or
 * is deleted leaves who could see it before in chat_exits.
 */
async function checkChatSync(run: Run, horizonSql: string, migrateTo9: () => Promise<void>): Promise<void> {
  const now = Date.now();
  await run("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', ?, ?)", [now, now]);
  await run("INSERT INTO departments (id, name, created_at, updated_at) VALUES (1, 'Support', ?, ?), (2, 'Sales', ?, ?)", [now, now, now, now]);
  await run("INSERT INTO users (id, name, email, password_hash, created_at, updated_at) VALUES (1, 'A', 'a@example.com', 'x', ?, ?)", [now, now]);
  await run("INSERT INTO chats (id, source_id, department_id, external_user_id, status, last_activity_at, created_at, updated_at) VALUES (1, 1, 1, 'c1', 'new', ?, ?, ?)", [now, now, now]);
  await run("INSERT INTO messages (id, chat_id, sender_type, text, created_at, updated_at) VALUES (1, 1, 'client', 'hi', ?, ?)", [now, now]);
  await migrateTo9();
  const key = async () => Number((await run('SELECT sync_key FROM chats WHERE id = 1'))[0]?.sync_key);
  const horizon = async () => Number((await run(horizonSql))[0]?.horizon);
  assert.equal(await key(), 0, 'written before 009');
  const steps: [string, string, (string | number)[]][] = [
    ['status', "UPDATE chats SET status = 'active' WHERE id = 1", []],
    ['hidden message', 'UPDATE messages SET is_hidden = 1 WHERE id = 1', []],
    ['participant', 'INSERT INTO chat_participants (chat_id, user_id) VALUES (1, 1)', []],
    ['assignee renamed', 'UPDATE users SET name = ? WHERE id = 1', ['B']],
    ['source renamed', "UPDATE sources SET name = 'Web' WHERE id = 1", []],
    ['department renamed', "UPDATE departments SET name = 'Help' WHERE id = 1", []],
    ['department moved', 'UPDATE chats SET department_id = 2 WHERE id = 1', []],
  ];
  await run('UPDATE chats SET assigned_to = 1 WHERE id = 1');
  for (const [name, text, params] of steps) {
    const before = await horizon();
    await run(text, params);
    assert.ok((await key()) >= before, `${name}: the chat is found from a horizon taken before it`);
  }
  // Reading is not a change of what the list shows by itself (the store updates the chat's count).
  const beforeRead = await key();
  await run('UPDATE messages SET is_read = 1 WHERE id = 1');
  assert.equal(await key(), beforeRead);
  const exits = await run('SELECT chat_id, source_id, department_id, participant_ids, deleted FROM chat_exits ORDER BY sync_key');
  assert.deepEqual(exits.map((row) => [Number(row.chat_id), Number(row.department_id), row.participant_ids, Number(row.deleted)]), [[1, 1, '1', 0]]);
  const beforeDelete = await horizon();
  await run('DELETE FROM chats WHERE id = 1');
  const deleted = await run('SELECT chat_id, department_id, participant_ids, deleted, sync_key FROM chat_exits WHERE deleted = 1');
  assert.deepEqual(deleted.map((row) => [Number(row.chat_id), Number(row.department_id), row.participant_ids]), [[1, 2, '1']]);
  assert.ok(Number(deleted[0]?.sync_key) >= beforeDelete);
}

describe('migrations', () => {
  let dir: string;
  let serial = 0;
  const file = () => join(dir, `db-${++serial}.sqlite`);
  const open = () => new BetterSqlite3(file());

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-migrations-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are numbered 1…n without gaps', () => {
    assert.deepEqual(
      MIGRATIONS.map((m) => m.version),
      MIGRATIONS.map((_, i) => i + 1),
    );
  });

  it('bring a fresh file to the newest version, in WAL mode with foreign keys on', () => {
    const db = openDatabase(file());
    try {
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      for (const table of ['users', 'user_roles', 'sources', 'departments', 'chats', 'messages', 'attachments', 'uploads', 'access_tokens', 'device_tokens', 'canned_responses', 'source_receipts', 'messages_fts']) {
        assert.ok(tables(db).includes(table), table);
      }
      assert.throws(() => db.prepare("INSERT INTO messages (chat_id, sender_type, created_at, updated_at) VALUES (999, 'client', 0, 0)").run(), /FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('apply one at a time, in order, each to its own version', () => {
    const db = open();
    try {
      assert.equal(schemaVersion(db), 0);
      assert.equal(migrate(db, 1), 1);
      assert.equal(schemaVersion(db), 1);
      assert.ok(tables(db).includes('messages'));
      assert.ok(!tables(db).includes('messages_fts'));
      assert.equal(migrate(db, 2), 2);
      assert.ok(tables(db).includes('messages_fts'));
      assert.deepEqual(triggers(db), ['messages_fts_delete', 'messages_fts_insert', 'messages_fts_update']);
      assert.equal(migrate(db, 3), 3);
      assert.ok(tables(db).includes('chat_participants'));
      assert.equal(migrate(db, 4), 4);
      assert.ok(db.prepare<[], { name: string }>('PRAGMA table_info(chats)').all().some((c) => c.name === 'contact_name'));
      assert.equal(migrate(db, 6), 6);
      assert.ok(tables(db).includes('contacts'));
      // Up to date: running again changes nothing; a lower target never goes back.
      assert.equal(migrate(db), MIGRATIONS.length);
      const before = tables(db);
      assert.equal(migrate(db), MIGRATIONS.length);
      assert.equal(migrate(db, 1), MIGRATIONS.length);
      assert.deepEqual(tables(db), before);
    } finally {
      db.close();
    }
  });

  it('002 indexes the messages written under 001, and keeps the index in step afterwards', () => {
    const db = open();
    try {
      migrate(db, 1);
      const [ru, pl, en, none] = seedVersion1(db, ['Не могу оплатить заказ картой', 'Zamówienie nie dotarło od tygodnia', 'The CSV export keeps timing out', 'Hello']);
      db.prepare("INSERT INTO messages (chat_id, sender_type, text, created_at, updated_at) VALUES (1, 'operator', NULL, 0, 0)").run();
      migrate(db, 2);
      assert.deepEqual(search(db, 'оплатить'), [ru]);
      assert.deepEqual(search(db, 'ОПЛАТИТЬ'), [ru], 'case-insensitive in Cyrillic');
      assert.deepEqual(search(db, 'dotarło'), [pl]);
      assert.deepEqual(search(db, 'timing'), [en]);
      assert.deepEqual(search(db, 'Hel'), [none]);

      const fresh = Number(db.prepare("INSERT INTO messages (chat_id, sender_type, text, created_at, updated_at) VALUES (1, 'client', 'Nowa wiadomość', 0, 0)").run().lastInsertRowid);
      assert.deepEqual(search(db, 'wiadomo'), [fresh]);
      db.prepare("UPDATE messages SET text = 'The export works now' WHERE id = ?").run(en);
      assert.deepEqual(search(db, 'timing'), []);
      assert.deepEqual(search(db, 'works now'), [en]);
      db.prepare('DELETE FROM messages WHERE id = ?').run(pl);
      assert.deepEqual(search(db, 'dotarło'), []);
      // FTS5's own check that the index matches the messages table.
      assert.doesNotThrow(() => db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"));
    } finally {
      db.close();
    }
  });

  it('003 records who took part in the chats written before it, and keeps one open chat per customer', () => {
    const db = open();
    try {
      migrate(db, 2);
      const now = Date.now();
      db.prepare("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', ?, ?)").run(now, now);
      const user = db.prepare("INSERT INTO users (name, email, password_hash, created_at, updated_at) VALUES (?, ?, 'x', ?, ?)");
      const [writer, assignee, target, creator] = ['writer', 'assignee', 'target', 'creator'].map((name) => Number(user.run(name, `${name}@example.com`, now, now).lastInsertRowid));
      const chat = db.prepare("INSERT INTO chats (source_id, external_user_id, status, assigned_to, created_by, last_activity_at, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
      const first = Number(chat.run('c1', 'active', assignee, creator, now, now, now).lastInsertRowid);
      // Two open chats of one customer, as an old server could leave them.
      const older = Number(chat.run('c2', 'new', null, null, now, now, now).lastInsertRowid);
      const newer = Number(chat.run('c2', 'active', null, null, now, now, now).lastInsertRowid);
      const message = db.prepare("INSERT INTO messages (chat_id, sender_id, sender_type, text, payload, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?, ?)");
      message.run(first, writer, 'operator', '{}', now, now);
      message.run(first, writer, 'system', JSON.stringify({ type: 'transfer', to_user_id: target }), now, now);
      migrate(db, 3);
      const participants = db.prepare<[number], { user_id: number }>('SELECT user_id FROM chat_participants WHERE chat_id = ? ORDER BY user_id').all(first).map((r) => r.user_id);
      assert.deepEqual(participants, [writer, assignee, target, creator].sort((a, b) => (a ?? 0) - (b ?? 0)));
      const status = (id: number) => db.prepare<[number], { status: string }>('SELECT status FROM chats WHERE id = ?').get(id)?.status;
      assert.equal(status(older), 'closed');
      assert.equal(status(newer), 'active');
      assert.throws(() => chat.run('c2', 'new', null, null, now, now, now), /UNIQUE/);
      assert.doesNotThrow(() => chat.run('c2', 'closed', null, null, now, now, now), 'closed chats of the customer may be many');
    } finally {
      db.close();
    }
  });

  it('005 ties device tokens to the session that registered them: older rows have none, and ending the session frees the token', () => {
    const db = open();
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 4);
      const now = Date.now();
      const userId = Number(db.prepare("INSERT INTO users (name, email, password_hash, created_at, updated_at) VALUES ('A', 'a@example.com', 'x', ?, ?)").run(now, now).lastInsertRowid);
      const session = db.prepare("INSERT INTO access_tokens (user_id, name, token_hash, created_at, updated_at) VALUES (?, 'desk', ?, ?, ?)");
      const tokenId = Number(session.run(userId, 'hash-1', now, now).lastInsertRowid);
      db.prepare("INSERT INTO device_tokens (user_id, token, platform, created_at, updated_at) VALUES (?, 'fcm:old', 'android', ?, ?)").run(userId, now, now);
      migrate(db, 5);
      const sessionOf = (token: string) => db.prepare<[string], { access_token_id: number | null }>('SELECT access_token_id FROM device_tokens WHERE token = ?').get(token);
      assert.deepEqual(sessionOf('fcm:old'), { access_token_id: null }, 'kept, with no session');
      db.prepare("INSERT INTO device_tokens (user_id, token, platform, access_token_id, created_at, updated_at) VALUES (?, 'fcm:new', 'ios', ?, ?, ?)").run(userId, tokenId, now, now);
      db.prepare('DELETE FROM access_tokens WHERE id = ?').run(tokenId);
      assert.equal(sessionOf('fcm:new'), undefined, 'logout deletes the registration');
      assert.deepEqual(sessionOf('fcm:old'), { access_token_id: null });
      assert.throws(() => db.prepare("INSERT INTO device_tokens (user_id, token, platform, access_token_id, created_at, updated_at) VALUES (?, 'fcm:x', 'web', 999, ?, ?)").run(userId, now, now), /FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('004 gives the chats written before it the contact columns the search matches', () => {
    const db = open();
    try {
      migrate(db, 3);
      const now = Date.now();
      db.prepare("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', ?, ?)").run(now, now);
      const insert = db.prepare("INSERT INTO chats (source_id, external_user_id, user_metadata, status, last_activity_at, created_at, updated_at) VALUES (1, ?, ?, 'new', ?, ?, ?)");
      const ids = LEGACY_METADATA.map(([text], i) => Number(insert.run(`c${i}`, text, now, now, now).lastInsertRowid));
      migrate(db, 4);
      const contact = db.prepare<[number], { contact_name: string | null; contact_email: string | null; contact_phone: string | null }>(
        'SELECT contact_name, contact_email, contact_phone FROM chats WHERE id = ?',
      );
      LEGACY_METADATA.forEach(([text, expected], i) => {
        const row = contact.get(ids[i] ?? 0);
        assert.deepEqual([row?.contact_name, row?.contact_email, row?.contact_phone], expected, text.slice(0, 60));
      });
      // The metadata itself is left as it was.
      assert.equal(db.prepare<[number], { user_metadata: string }>('SELECT user_metadata FROM chats WHERE id = ?').get(ids[5] ?? 0)?.user_metadata, LEGACY_METADATA[5]?.[0]);
    } finally {
      db.close();
    }
  });

  it('006 adds contacts that chats link to, unlinked when the contact goes, and the edit time of messages', () => {
    const db = open();
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 5);
      const now = Date.now();
      db.prepare("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', ?, ?)").run(now, now);
      const chatId = Number(db.prepare("INSERT INTO chats (source_id, external_user_id, status, last_activity_at, created_at, updated_at) VALUES (1, 'c1', 'new', ?, ?, ?)").run(now, now, now).lastInsertRowid);
      const messageId = Number(db.prepare("INSERT INTO messages (chat_id, sender_type, text, created_at, updated_at) VALUES (?, 'client', 'hi', ?, ?)").run(chatId, now, now).lastInsertRowid);
      migrate(db, 6);
      const chat = db.prepare<[number], { contact_id: number | null }>('SELECT contact_id FROM chats WHERE id = ?');
      assert.deepEqual(chat.get(chatId), { contact_id: null }, 'older chats are unlinked');
      assert.deepEqual(db.prepare<[number], { edited_at: number | null }>('SELECT edited_at FROM messages WHERE id = ?').get(messageId), { edited_at: null });
      const contactId = Number(
        db.prepare("INSERT INTO contacts (name, email, phone, phone_key, created_at, updated_at) VALUES ('Anna', 'Anna@Example.com', '+48 601', '+48601', ?, ?)").run(now, now).lastInsertRowid,
      );
      assert.equal(db.prepare<[string], { id: number }>('SELECT id FROM contacts WHERE email = ?').get('anna@example.COM')?.id, contactId, 'e-mail compares ignoring case');
      db.prepare('UPDATE chats SET contact_id = ? WHERE id = ?').run(contactId, chatId);
      assert.throws(() => db.prepare('UPDATE chats SET contact_id = 999 WHERE id = ?').run(chatId), /FOREIGN KEY/);
      db.prepare('DELETE FROM contacts WHERE id = ?').run(contactId);
      assert.deepEqual(chat.get(chatId), { contact_id: null }, 'deleting the contact unlinks the chat and keeps it');
    } finally {
      db.close();
    }
  });

  it('006 on PostgreSQL makes the same contacts, links and edit times', { skip: testBackend() !== 'postgres' && 'runs with --backend postgres' }, async () => {
    const database = await createTestDatabase(process.env[POSTGRES_URL_ENV] ?? '');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      assert.equal(await migratePostgres(client, MIGRATIONS.slice(0, 5)), 5);
      const now = Date.now();
      await client.query("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', $1, $1)", [now]);
      const chat = await client.query<{ id: string }>("INSERT INTO chats (source_id, external_user_id, status, last_activity_at, created_at, updated_at) VALUES (1, 'c1', 'new', $1, $1, $1) RETURNING id", [now]);
      const chatId = Number(chat.rows[0]?.id);
      await client.query("INSERT INTO messages (chat_id, sender_type, text, created_at, updated_at) VALUES ($1, 'client', 'hi', $2, $2)", [chatId, now]);
      assert.equal(await migratePostgres(client, MIGRATIONS), MIGRATIONS.length);
      assert.deepEqual((await client.query('SELECT contact_id FROM chats WHERE id = $1', [chatId])).rows, [{ contact_id: null }]);
      assert.deepEqual((await client.query('SELECT edited_at FROM messages')).rows, [{ edited_at: null }]);
      const contact = await client.query<{ id: string }>("INSERT INTO contacts (name, email, created_at, updated_at) VALUES ('Anna', 'Anna@Example.com', $1, $1) RETURNING id", [now]);
      const contactId = Number(contact.rows[0]?.id);
      assert.equal((await client.query('SELECT id FROM contacts WHERE lower(email) = lower($1)', ['anna@example.COM'])).rowCount, 1);
      await client.query('UPDATE chats SET contact_id = $1 WHERE id = $2', [contactId, chatId]);
      await assert.rejects(client.query('UPDATE chats SET contact_id = 999 WHERE id = $1', [chatId]), /foreign key/);
      await client.query('DELETE FROM contacts WHERE id = $1', [contactId]);
      assert.deepEqual((await client.query('SELECT contact_id FROM chats WHERE id = $1', [chatId])).rows, [{ contact_id: null }]);
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('007 keeps visitor uploads and read marks with their space, and one visitor message per client_message_id in a space', () => {
    const db = open();
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 6);
      const now = Date.now();
      db.prepare("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', ?, ?)").run(now, now);
      const newChat = db.prepare("INSERT INTO chats (source_id, external_user_id, status, token, last_activity_at, created_at, updated_at) VALUES (1, ?, 'new', ?, ?, ?, ?)");
      const chatId = Number(newChat.run('v1', 'space-1', now, now, now).lastInsertRowid);
      const otherId = Number(newChat.run('v2', 'space-2', now, now, now).lastInsertRowid);
      const visitorMessage = db.prepare("INSERT INTO messages (chat_id, sender_type, text, client_message_id, created_at, updated_at) VALUES (?, 'client', 'hi', ?, ?, ?)");
      visitorMessage.run(chatId, 'same-id', now, now);
      migrate(db, 7);
      assert.throws(() => visitorMessage.run(chatId, 'same-id', now, now), /UNIQUE/, 'a second visitor message with the id in the same space');
      assert.doesNotThrow(() => visitorMessage.run(otherId, 'same-id', now, now), 'another space may use the same id');
      assert.doesNotThrow(() => visitorMessage.run(chatId, null, now, now), 'messages without an id are many');
      db.prepare("INSERT INTO visitor_uploads (id, chat_id, path, original_name, mime_type, size, created_at, expires_at) VALUES ('u1', ?, 'uploads/spaces/1/a.png', 'a.png', 'image/png', 3, ?, ?)").run(chatId, now, now + 1000);
      db.prepare('INSERT INTO space_reads (chat_id, up_to_id, updated_at) VALUES (?, 5, ?)').run(chatId, now);
      assert.throws(() => db.prepare("INSERT INTO visitor_uploads (id, chat_id, path, original_name, mime_type, size, created_at, expires_at) VALUES ('u2', 999, 'p', 'a', 'image/png', 1, 0, 0)").run(), /FOREIGN KEY/);
      db.prepare('DELETE FROM chats WHERE id = ?').run(chatId);
      assert.equal(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM visitor_uploads').get()?.n, 0, 'uploads go with their space');
      assert.equal(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM space_reads').get()?.n, 0, 'and so does the read mark');
    } finally {
      db.close();
    }
  });

  it('008 keeps the logins made before it as sessions and tells personal API tokens apart', () => {
    const db = open();
    try {
      migrate(db, 7);
      const now = Date.now();
      db.prepare("INSERT INTO users (id, name, email, password_hash, created_at, updated_at) VALUES (1, 'A', 'a@example.com', 'x', ?, ?)").run(now, now);
      const insert = db.prepare("INSERT INTO access_tokens (user_id, name, token_hash, created_at, updated_at) VALUES (1, ?, ?, ?, ?)");
      insert.run('laptop', 'h1', now, now);
      migrate(db, 8);
      assert.deepEqual(db.prepare('SELECT name, kind FROM access_tokens').all(), [{ name: 'laptop', kind: 'session' }]);
      db.prepare("INSERT INTO access_tokens (user_id, name, token_hash, kind, created_at, updated_at) VALUES (1, 'crm', 'h2', 'personal', ?, ?)").run(now, now);
      assert.throws(() => db.prepare("INSERT INTO access_tokens (user_id, name, token_hash, kind, created_at, updated_at) VALUES (1, 'x', 'h3', 'other', ?, ?)").run(now, now), /CHECK/);
    } finally {
      db.close();
    }
  });

  it('008 on PostgreSQL makes the same column and check', { skip: testBackend() !== 'postgres' && 'runs with --backend postgres' }, async () => {
    const database = await createTestDatabase(process.env[POSTGRES_URL_ENV] ?? '');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      assert.equal(await migratePostgres(client, MIGRATIONS.slice(0, 7)), 7);
      const now = Date.now();
      await client.query("INSERT INTO users (id, name, email, password_hash, created_at, updated_at) VALUES (1, 'A', 'a@example.com', 'x', $1, $1)", [now]);
      await client.query("INSERT INTO access_tokens (user_id, name, token_hash, created_at, updated_at) VALUES (1, 'laptop', 'h1', $1, $1)", [now]);
      assert.equal(await migratePostgres(client, MIGRATIONS), MIGRATIONS.length);
      assert.deepEqual((await client.query('SELECT name, kind FROM access_tokens')).rows, [{ name: 'laptop', kind: 'session' }]);
      await client.query("INSERT INTO access_tokens (user_id, name, token_hash, kind, created_at, updated_at) VALUES (1, 'crm', 'h2', 'personal', $1, $1)", [now]);
      await assert.rejects(client.query("INSERT INTO access_tokens (user_id, name, token_hash, kind, created_at, updated_at) VALUES (1, 'x', 'h3', 'other', $1, $1)", [now]), /check constraint/);
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('007 on PostgreSQL makes the same tables and index', { skip: testBackend() !== 'postgres' && 'runs with --backend postgres' }, async () => {
    const database = await createTestDatabase(process.env[POSTGRES_URL_ENV] ?? '');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      assert.equal(await migratePostgres(client, MIGRATIONS.slice(0, 7)), 7);
      const now = Date.now();
      await client.query("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', $1, $1)", [now]);
      const chat = await client.query<{ id: string }>("INSERT INTO chats (source_id, external_user_id, status, token, last_activity_at, created_at, updated_at) VALUES (1, 'v1', 'new', 'space-1', $1, $1, $1) RETURNING id", [now]);
      const chatId = Number(chat.rows[0]?.id);
      const insert = "INSERT INTO messages (chat_id, sender_type, text, client_message_id, created_at, updated_at) VALUES ($1, 'client', 'hi', 'same-id', $2, $2)";
      await client.query(insert, [chatId, now]);
      await assert.rejects(client.query(insert, [chatId, now]), /unique/);
      const upsert = await client.query(
        `INSERT INTO messages (chat_id, sender_type, text, client_message_id, created_at, updated_at) VALUES ($1, 'client', 'again', 'same-id', $2, $2)
         ON CONFLICT (chat_id, client_message_id) WHERE sender_id IS NULL AND client_message_id IS NOT NULL DO NOTHING RETURNING id`,
        [chatId, now],
      );
      assert.equal(upsert.rowCount, 0, 'the visitor insert finds the index as its conflict target');
      await client.query("INSERT INTO visitor_uploads (id, chat_id, path, original_name, mime_type, size, created_at, expires_at) VALUES ('u1', $1, 'p', 'a.png', 'image/png', 3, $2, $2)", [chatId, now]);
      await client.query('INSERT INTO space_reads (chat_id, up_to_id, updated_at) VALUES ($1, 5, $2)', [chatId, now]);
      await client.query('DELETE FROM chats WHERE id = $1', [chatId]);
      assert.equal((await client.query('SELECT 1 FROM visitor_uploads')).rowCount, 0);
      assert.equal((await client.query('SELECT 1 FROM space_reads')).rowCount, 0);
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('004 on PostgreSQL fills the same columns from the same texts', { skip: testBackend() !== 'postgres' && 'runs with --backend postgres' }, async () => {
    const database = await createTestDatabase(process.env[POSTGRES_URL_ENV] ?? '');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      assert.equal(await migratePostgres(client, MIGRATIONS.slice(0, 3)), 3);
      const now = Date.now();
      await client.query("INSERT INTO sources (id, name, type, webhook_secret, created_at, updated_at) VALUES (1, 'Website', 'widget', 's', $1, $1)", [now]);
      const ids: number[] = [];
      for (const [i, [text]] of LEGACY_METADATA.entries()) {
        const { rows } = await client.query<{ id: string }>(
          "INSERT INTO chats (source_id, external_user_id, user_metadata, status, last_activity_at, created_at, updated_at) VALUES (1, $1, $2, 'new', $3, $3, $3) RETURNING id",
          [`c${i}`, text, now],
        );
        ids.push(Number(rows[0]?.id));
      }
      assert.equal(await migratePostgres(client, MIGRATIONS), MIGRATIONS.length);
      for (const [i, [text, expected]] of LEGACY_METADATA.entries()) {
        const { rows } = await client.query<{ contact_name: string | null; contact_email: string | null; contact_phone: string | null }>(
          'SELECT contact_name, contact_email, contact_phone FROM chats WHERE id = $1',
          [ids[i]],
        );
        const row = rows[0];
        assert.deepEqual([row?.contact_name, row?.contact_email, row?.contact_phone], expected, text.slice(0, 60));
      }
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('009 gives every change a chat\'s list row shows a key past earlier horizons, and records who saw a chat that left', async () => {
    const db = open();
    try {
      migrate(db, 8);
      const run: Run = async (text, params = []) => {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all(...params) as Rows;
        statement.run(...params);
        return [];
      };
      await checkChatSync(run, 'SELECT value + 1 AS horizon FROM sync_clock WHERE id = 1', async () => {
        migrate(db, 9);
      });
    } finally {
      db.close();
    }
  });

  it('009 on PostgreSQL keys changes by transaction and keeps the same exits', { skip: testBackend() !== 'postgres' && 'runs with --backend postgres' }, async () => {
    const database = await createTestDatabase(process.env[POSTGRES_URL_ENV] ?? '');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      assert.equal(await migratePostgres(client, MIGRATIONS.slice(0, 8)), 8);
      const run: Run = async (text, params = []) => {
        let n = 0;
        const result = await client.query<Rows[number]>(text.replace(/\?/g, () => `$${++n}`), params);
        return result.rows;
      };
      await checkChatSync(run, 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon', async () => {
        assert.equal(await migratePostgres(client, MIGRATIONS), MIGRATIONS.length);
      });
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it('run each migration in a transaction: a failing one leaves the previous version intact', () => {
    const db = open();
    try {
      const failing: Migration = {
        version: MIGRATIONS.length + 1,
        name: 'broken',
        up(target) {
          target.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)');
          target.exec("ALTER TABLE chats ADD COLUMN half_done TEXT");
          target.exec('INSERT INTO no_such_table VALUES (1)');
        },
      };
      assert.throws(() => migrate(db, failing.version, [...MIGRATIONS, failing]), /no such table/);
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      assert.ok(!tables(db).includes('half_done'));
      const columns = db.prepare<[], { name: string }>('PRAGMA table_info(chats)').all().map((c) => c.name);
      assert.ok(!columns.includes('half_done'));
      // The database is still usable and can move on once the migration is fixed.
      const fixed: Migration = { ...failing, up: (target) => target.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)') };
      assert.equal(migrate(db, fixed.version, [...MIGRATIONS, fixed]), fixed.version);
      assert.ok(tables(db).includes('half_done'));
    } finally {
      db.close();
    }
  });

  it('a failure in the first migration leaves an empty version-0 database', () => {
    const db = open();
    try {
      const broken: Migration = {
        version: 1,
        name: 'core-broken',
        up(target) {
          MIGRATIONS[0]?.up(target);
          throw new Error('disk full');
        },
      };
      assert.throws(() => migrate(db, 1, [broken]), /disk full/);
      assert.equal(schemaVersion(db), 0);
      assert.deepEqual(tables(db), []);
    } finally {
      db.close();
    }
  });

  it('refuse a migration that does not follow the current version, applying nothing after it', () => {
    const db = open();
    try {
      const gap: Migration = { version: MIGRATIONS.length + 2, name: 'gap', up: (target) => target.exec('CREATE TABLE gap (id INTEGER)') };
      assert.throws(() => migrate(db, gap.version, [...MIGRATIONS, gap]), new RegExp(`does not follow version ${MIGRATIONS.length}`));
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      assert.ok(!tables(db).includes('gap'));
    } finally {
      db.close();
    }
  });

  it('refuse a database written by a newer server, changing nothing', () => {
    const path = file();
    openDatabase(path).close();
    const newer = new BetterSqlite3(path);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    assert.throws(() => openDatabase(path), /the server database has schema version \d+, newer than this server knows/);
    const reopened = new BetterSqlite3(path);
    try {
      assert.equal(schemaVersion(reopened), MIGRATIONS.length + 1);
    } finally {
      reopened.close();
    }
  });

  it('keep data across reopening the same file', () => {
    const path = file();
    const first = openDatabase(path);
    first.prepare("INSERT INTO departments (name, created_at, updated_at) VALUES ('Support', 0, 0)").run();
    first.close();
    const second = openDatabase(path);
    try {
      assert.equal(schemaVersion(second), MIGRATIONS.length);
      assert.equal(second.prepare<[], { name: string }>('SELECT name FROM departments').get()?.name, 'Support');
    } finally {
      second.close();
    }
  });
});
