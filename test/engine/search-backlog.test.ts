// Messages written into the cache are indexed for search later, in batches (migration 007,
// cache/search-index.ts): until then search scans them. Either way a search finds the current text
// of a message, never an edited-away or deleted one, and the index stays consistent.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { ApiChat, ApiMessage } from '../../common/api';
import { foldForSearch } from '../../common/text-search';
import { formatTimestamp } from '../../common/time';
import { messageRecord, openCache, type Cache } from '../../main/engine/cache';
import { FOLD_FUNCTION } from '../../main/engine/cache/database';
import { startServer } from '../helpers/server';
import { postWebhook, signedInDesk, tempDir } from './helpers';

const AT = Date.parse('2026-01-05T10:00:00Z');

function apiChat(id: number): ApiChat {
  const time = formatTimestamp(AT);
  return {
    id,
    source_id: 1,
    department_id: null,
    external_user_id: `backlog-${id}`,
    user_metadata: { name: `Customer ${id}` },
    status: 'active',
    assigned_to: null,
    source: { id: 1, name: 'Website', type: 'widget' },
    department: null,
    assignee: null,
    latest_message: null,
    is_urgent: false,
    unread_count: 0,
    waiting_since: null,
    last_message_at: null,
    last_activity_at: time,
    closed_at: null,
    created_at: time,
    updated_at: time,
    contact: null,
  };
}

function apiMessage(id: number, chatId: number, text: string, updatedAt = AT): ApiMessage {
  return {
    id,
    chat_id: chatId,
    sender_id: null,
    sender_type: 'client',
    sender: null,
    text,
    payload: {},
    attachments: [],
    is_read: true,
    client_message_id: null,
    is_hidden: false,
    hidden_by: null,
    hidden_at: null,
    created_at: formatTimestamp(AT),
    updated_at: formatTimestamp(updatedAt),
  };
}

describe('messages not indexed yet', () => {
  const cache: Cache = openCache(join(tempDir('switchboard-search-backlog-'), 'cache.sqlite'));
  after(() => cache.close());

  const finds = (search: string): number[] =>
    cache.chats
      .list({ tab: 'all', userId: 1, search }, 100, null)
      .rows.map((row) => row.id)
      .sort((a, b) => a - b);
  const consistent = () => assert.doesNotThrow(() => cache.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"));
  const write = (message: ApiMessage) => cache.transaction(() => cache.messages.upsert(messageRecord(message)));
  const drain = () => {
    while (cache.searchIndex.indexBatch(2) > 0);
  };

  it('finds a message before it is indexed and after', () => {
    for (const id of [1, 2, 3, 4]) cache.chats.upsert(apiChat(id));
    write(apiMessage(11, 1, 'Моя посылка из Кракова'));
    write(apiMessage(12, 2, 'Where is my PARCEL?'));
    assert.ok(cache.searchIndex.pending());
    assert.deepEqual(finds('ПОСЫЛКА'), [1]);
    assert.deepEqual(finds('parcel'), [2]);
    drain();
    assert.equal(cache.searchIndex.pending(), false);
    assert.deepEqual(finds('ПОСЫЛКА'), [1]);
    assert.deepEqual(finds('parcel'), [2]);
    consistent();
  });

  it('an edited or deleted message is found by its current text only, indexed or not', () => {
    // Chat 1 and 2 hold indexed messages (above); chat 3 and 4 get messages that stay in the backlog.
    write(apiMessage(13, 3, 'refund for the blue kettle'));
    write(apiMessage(14, 4, 'refund for the red kettle'));
    write(apiMessage(11, 1, 'never mind the kettle', AT + 1000));
    write(apiMessage(13, 3, 'never mind, the lamp', AT + 1000));
    cache.messages.remove(12);
    cache.messages.remove(14);
    const check = () => {
      assert.deepEqual(finds('посылка'), [], 'the edited-away text of an indexed message');
      assert.deepEqual(finds('blue'), [], 'the edited-away text of a backlog message');
      assert.deepEqual(finds('kettle'), [1]);
      assert.deepEqual(finds('never mind'), [1, 3]);
      assert.deepEqual(finds('lamp'), [3]);
      assert.deepEqual(finds('parcel'), [], 'a deleted indexed message');
      assert.deepEqual(finds('red kettle'), [], 'a deleted backlog message');
      consistent();
    };
    check();
    drain();
    check();
    // Edits after indexing still follow.
    write(apiMessage(13, 3, 'the lamp is fine now', AT + 2000));
    assert.deepEqual(finds('never mind'), [1]);
    assert.deepEqual(finds('fine now'), [3]);
    consistent();
  });
});

describe('searching next to a small backlog', () => {
  it('folds only the backlog messages, not every cached message', () => {
    const cache = openCache(join(tempDir('switchboard-search-backlog-'), 'cache.sqlite'));
    try {
      // Counts the scan's work: each call folds one message's text.
      let folded = 0;
      cache.db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) => {
        folded++;
        return typeof value === 'string' ? foldForSearch(value) : value;
      });
      cache.chats.upsert(apiChat(1));
      cache.transaction(() => {
        for (let id = 1; id <= 500; id++) cache.messages.upsert(messageRecord(apiMessage(id, 1, `old message ${id}`)));
      });
      while (cache.searchIndex.indexBatch(2000) > 0);
      cache.transaction(() => {
        for (let id = 501; id <= 503; id++) cache.messages.upsert(messageRecord(apiMessage(id, 1, `new message ${id}`)));
      });
      folded = 0;
      assert.equal(cache.chats.list({ tab: 'all', userId: 1, search: 'message 502' }, 100, null).rows.length, 1);
      assert.ok(folded <= 3, `folded ${folded} texts`);
    } finally {
      cache.close();
    }
  });
});

describe('the engine indexes what it syncs', () => {
  it('leaves no backlog once settled, so searches do not keep scanning it', async () => {
    const server = await startServer();
    const desk = await signedInDesk(server, 'admin@example.com');
    try {
      await postWebhook(server, 1, { external_user_id: 'backlog-engine', text: 'a teapot with a chipped lid', user_metadata: { name: 'Teapot owner' } });
      await desk.engine.settled();
      const [account] = readdirSync(join(desk.dataDir, 'accounts'));
      assert.ok(account);
      const db = new BetterSqlite3(join(desk.dataDir, 'accounts', account, 'cache.sqlite'), { readonly: true });
      try {
        assert.equal(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM messages_fts_backlog').get()?.n, 0);
        const hits = db.prepare<[string], { rowid: number }>('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?').all('"chipped lid"');
        assert.equal(hits.length, 1);
      } finally {
        db.close();
      }
      const { rows } = await desk.client.invoke('chats.list', { tab: 'all', search: 'chipped' });
      assert.deepEqual(
        rows.map((row) => row.title),
        ['Teapot owner'],
      );
    } finally {
      await desk.destroy();
      await server.close();
    }
  });
});
