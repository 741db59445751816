import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openCacheDatabase } from '../../main/engine/cache/database';
import { migrate, MIGRATIONS, schemaVersion, type Migration } from '../../main/engine/cache/migrate';
import { tempDir } from './helpers';

function tables(db: BetterSqlite3.Database): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all()
    .map((row) => row.name);
}

describe('desk cache migrations', () => {
  it('numbers migrations 1..n without holes', () => {
    assert.deepEqual(
      MIGRATIONS.map((migration) => migration.version),
      MIGRATIONS.map((_, index) => index + 1),
    );
  });

  it('001 creates chats, messages, sync state and gaps', () => {
    const db = new BetterSqlite3(':memory:');
    assert.equal(migrate(db, 1), 1);
    assert.deepEqual(tables(db), ['chat_sync', 'chats', 'gaps', 'messages', 'meta']);
    // A pending message (negative id) and its server copy cannot both keep one client_message_id.
    db.prepare(`INSERT INTO messages (id, chat_id, sender_type, client_message_id, created_at, updated_at) VALUES (-1, 1, 'operator', 'c1', 1, 1)`).run();
    assert.throws(
      () => db.prepare(`INSERT INTO messages (id, chat_id, sender_type, client_message_id, created_at, updated_at) VALUES (5, 1, 'operator', 'c1', 1, 1)`).run(),
      /UNIQUE/,
    );
  });

  it('002 adds the outbox and uploads, keeping cached messages', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, 1);
    db.prepare(`INSERT INTO messages (id, chat_id, sender_type, text, created_at, updated_at) VALUES (7, 1, 'client', 'kept', 1, 1)`).run();
    assert.equal(migrate(db, 2), 2);
    assert.ok(tables(db).includes('outbox') && tables(db).includes('uploads'));
    assert.equal(db.prepare<[], { text: string }>('SELECT text FROM messages WHERE id = 7').get()?.text, 'kept');
    assert.throws(
      () => db.prepare(`INSERT INTO outbox (id, chat_id, kind, payload, state, created_at, updated_at) VALUES ('x', 1, 'dance', '{}', 'pending', 1, 1)`).run(),
      /CHECK/,
    );
  });

  it('003 adds canned responses, operator lists and attachments, keeping the outbox', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, 2);
    db.prepare(`INSERT INTO outbox (id, chat_id, kind, payload, state, created_at, updated_at) VALUES ('e1', 3, 'close', '{}', 'pending', 1, 1)`).run();
    assert.equal(migrate(db, 3), 3);
    for (const table of ['canned_responses', 'operator_lists', 'attachments']) assert.ok(tables(db).includes(table), table);
    assert.equal(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox').get()?.n, 1);
  });

  it('004 marks messages hidden and lets the outbox hold hides, keeping its entries and their order', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, 3);
    db.prepare(`INSERT INTO messages (id, chat_id, sender_type, text, created_at, updated_at) VALUES (7, 1, 'client', 'kept', 1, 1)`).run();
    for (const id of ['e1', 'e2']) {
      db.prepare(`INSERT INTO outbox (id, chat_id, kind, payload, state, created_at, updated_at) VALUES (?, 3, 'close', '{}', 'pending', 1, 1)`).run(id);
    }
    const seqs = db.prepare<[], { seq: number; id: string }>('SELECT seq, id FROM outbox ORDER BY seq').all();
    assert.equal(migrate(db, 4), 4);
    assert.deepEqual(db.prepare<[], { text: string; is_hidden: number; hidden_by_name: string | null }>('SELECT text, is_hidden, hidden_by_name FROM messages WHERE id = 7').get(), {
      text: 'kept',
      is_hidden: 0,
      hidden_by_name: null,
    });
    assert.deepEqual(db.prepare<[], { seq: number; id: string }>('SELECT seq, id FROM outbox ORDER BY seq').all(), seqs);
    db.prepare(`INSERT INTO outbox (id, chat_id, kind, payload, state, created_at, updated_at) VALUES ('h1', 3, 'hide', '{"messageId":7}', 'pending', 1, 1)`).run();
    // New entries still come after the old ones (AUTOINCREMENT kept its counter).
    assert.ok((db.prepare<[], { seq: number }>(`SELECT seq FROM outbox WHERE id = 'h1'`).get()?.seq ?? 0) > (seqs.at(-1)?.seq ?? 0));
    assert.throws(
      () => db.prepare(`INSERT INTO outbox (id, chat_id, kind, payload, state, created_at, updated_at) VALUES ('x', 1, 'dance', '{}', 'pending', 1, 1)`).run(),
      /CHECK/,
    );
  });

  it('005 gives cached chats a contact, none for the chats cached before it', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, 4);
    db.prepare(
      `INSERT INTO chats (id, source_id, source_name, source_type, external_user_id, user_metadata, title, search_text, status, is_urgent, unread_count, activity_at, created_at, updated_at)
       VALUES (1, 1, 'Website', 'widget', 'web-1', '{}', 'Anna', 'anna', 'new', 0, 0, 1, 1, 1)`,
    ).run();
    assert.equal(migrate(db, 5), 5);
    assert.deepEqual(db.prepare<[], { title: string; contact: string | null }>('SELECT title, contact FROM chats WHERE id = 1').get(), { title: 'Anna', contact: null });
  });

  it('006 indexes the cached message text for search, and keeps the index in step', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, 5);
    const insert = db.prepare(`INSERT INTO messages (id, chat_id, sender_type, text, created_at, updated_at) VALUES (?, ?, 'client', ?, 1, 1)`);
    insert.run(7, 1, 'Где мой заказ?');
    insert.run(8, 2, null);
    assert.equal(migrate(db, 6), 6);
    const chatsMatching = (needle: string) =>
      db
        .prepare<[string], { chat_id: number }>('SELECT DISTINCT m.chat_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ? ORDER BY m.chat_id')
        .all(`"${needle}"`)
        .map((row) => row.chat_id);
    // Messages cached before the step are found, case-insensitively, in any script, inside words.
    assert.deepEqual(chatsMatching('ЗАКАЗ'), [1]);
    assert.deepEqual(chatsMatching('аказ'), [1]);
    // New, changed and deleted messages follow.
    insert.run(9, 3, 'refund please');
    db.prepare('UPDATE messages SET text = ? WHERE id = 8').run('also a refund');
    assert.deepEqual(chatsMatching('refund'), [2, 3]);
    db.prepare('UPDATE messages SET text = ? WHERE id = 9').run('never mind');
    db.prepare('DELETE FROM messages WHERE id = 7').run();
    assert.deepEqual(chatsMatching('refund'), [2]);
    assert.deepEqual(chatsMatching('заказ'), []);
    assert.deepEqual(chatsMatching('never'), [3]);
  });

  it('007 defers indexing new messages to a backlog, keeping the index right for indexed and backlog rows', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, 6);
    const insert = db.prepare(`INSERT INTO messages (id, chat_id, sender_type, text, created_at, updated_at) VALUES (?, ?, 'client', ?, 1, 1)`);
    insert.run(7, 1, 'Где мой заказ?');
    assert.equal(migrate(db, 7), 7);
    const indexed = (needle: string) =>
      db
        .prepare<[string], { rowid: number }>('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid')
        .all(`"${needle}"`)
        .map((row) => row.rowid);
    const backlog = () => db.prepare<[], { id: number }>('SELECT id FROM messages_fts_backlog ORDER BY id').all().map((row) => row.id);
    const consistent = () => assert.doesNotThrow(() => db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"));
    // What 006 indexed stays indexed; new messages with text wait in the backlog, not in the index.
    assert.deepEqual(indexed('заказ'), [7]);
    insert.run(8, 2, 'refund please');
    insert.run(9, 3, null);
    insert.run(10, 4, 'refund too');
    assert.deepEqual(backlog(), [8, 10]);
    assert.deepEqual(indexed('refund'), []);
    // Edits and deletes of backlog rows leave the index alone (and keep it consistent).
    db.prepare('UPDATE messages SET text = ? WHERE id = 8').run('never mind');
    db.prepare('DELETE FROM messages WHERE id = 10').run();
    assert.deepEqual(backlog(), [8]);
    consistent();
    // Indexed rows follow edits and deletes as before.
    db.prepare('UPDATE messages SET text = ? WHERE id = 7').run('заказ пришёл');
    assert.deepEqual(indexed('пришёл'), [7]);
    db.prepare('UPDATE messages SET text = ? WHERE id = 9').run('late text');
    assert.deepEqual(indexed('late'), [9]);
    db.prepare('DELETE FROM messages WHERE id = 7').run();
    assert.deepEqual(indexed('заказ'), []);
    consistent();
  });

  it('a failing migration leaves the previous version and schema intact', () => {
    const db = new BetterSqlite3(':memory:');
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(target) {
        target.exec('CREATE TABLE half_done (id INTEGER)');
        throw new Error('boom');
      },
    };
    migrate(db);
    assert.throws(() => migrate(db, broken.version, [...MIGRATIONS, broken]), /boom/);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    assert.ok(!tables(db).includes('half_done'));
  });

  it('refuses a cache written by a newer desk instead of guessing', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    assert.throws(() => migrate(db), /newer than this desk knows/);
  });

  it('opens a file in WAL mode at the newest version, and reopens it unchanged', () => {
    const dir = tempDir();
    const file = join(dir, 'nested', 'cache.sqlite');
    const db = openCacheDatabase(file);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('probe', 'v')`).run();
    db.close();
    const again = openCacheDatabase(file);
    assert.equal(again.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'probe'`).get()?.value, 'v');
    again.close();
    assert.ok(statSync(file).size > 0);
  });
});
