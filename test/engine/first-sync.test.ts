// The first sync of a server holding more than a page of chats with long histories: the list is
// read a few pages at a time, the newest pages come in batches sized to their messages, and the
// cache ends up holding every chat with exactly its newest page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { accountPaths } from '../../main/engine/paths';
import type { TestServer } from '../helpers/server';
import { FAST_TIMING, signedInDesk, startServerBehindRelay } from './helpers';
import type { HttpProxy } from './proxies';

const CHATS = 230;
const PER_CHAT = 120;

describe('desk engine: the first sync of many chats with long histories', () => {
  let server: TestServer;
  let relay: HttpProxy;
  let close: () => Promise<void>;
  before(async () => {
    ({ server, relay, close } = await startServerBehindRelay());
    const start = server.clock.now() - CHATS * PER_CHAT * 1000;
    await server.server.store.transaction(async (tx) => {
      for (let c = 0; c < CHATS; c++) {
        const at = start + c * PER_CHAT * 1000;
        const chatId = await tx.chats.create({ sourceId: 1 + (c % 3), externalUserId: `first-sync-${c}`, userMetadata: { name: `Customer ${c}` } }, at);
        assert.ok(chatId !== undefined);
        for (let m = 0; m < PER_CHAT; m++) {
          const id = await tx.messages.insert({ chatId, senderId: null, senderType: 'client', text: `chat ${c} message ${m}`, isRead: true }, at + m * 1000);
          assert.ok(id !== undefined);
          await tx.chats.recordMessage(chatId, { id, sender_type: 'client', created_at: at + m * 1000, is_read: true });
        }
      }
    });
  });
  after(() => close());

  it('reads each list page once, asks for long histories a few dozen chats at a time, and holds every chat with its newest page', async () => {
    const from = relay.log.length;
    const desk = await signedInDesk(relay, 'admin@example.com', { realtime: false, timing: { ...FAST_TIMING, pollIntervalMs: 3_600_000 } });
    try {
      await desk.engine.settled();
      const session = (await desk.client.invoke('session.get', {})).session;
      assert.ok(session);
      const requests = relay.log.slice(from).map((request) => new URL(request.path, 'http://relay'));
      const listPages = requests.filter((url) => url.pathname === '/api/v1/chats' && !url.searchParams.has('updated_since')).map((url) => Number(url.searchParams.get('page')));
      const total = (await desk.client.invoke('chats.list', { tab: 'all', limit: 50 })).counts.all;
      assert.ok(total > CHATS, `the demo chats and ours: ${total}`);
      const pages = Math.ceil(total / 100);
      assert.deepEqual([...listPages].sort((a, b) => a - b), Array.from({ length: pages }, (_, i) => i + 1), 'every page once, none twice');
      const batches = requests.filter((url) => url.pathname === '/api/v1/chats/messages').map((url) => (url.searchParams.get('ids') ?? '').split(',').length);
      // Our chats are the newest, so they come first: a hundred messages each, about 25 chats a
      // request (the demo chats' short histories among them nudge it up a little).
      assert.equal(batches[0], 25, `batches: ${JSON.stringify(batches)}`);
      assert.ok(batches.slice(0, 8).every((chats) => chats >= 20 && chats <= 30), `batches: ${JSON.stringify(batches)}`);
      assert.ok(!requests.some((url) => /^\/api\/v1\/chats\/\d+\/messages$/.test(url.pathname)), 'no request per chat');

      await desk.close();
      const cache = new BetterSqlite3(accountPaths(desk.dataDir, session.serverUrl, session.user.id).database, { readonly: true });
      try {
        const held = cache
          .prepare<[string], { chat_id: number; n: number; low: number; high: number }>(
            `SELECT m.chat_id, COUNT(*) AS n, MIN(m.id) AS low, MAX(m.id) AS high FROM messages m JOIN chats c ON c.id = m.chat_id
             WHERE c.external_user_id LIKE ? GROUP BY m.chat_id`,
          )
          .all('first-sync-%');
        assert.equal(held.length, CHATS, 'every chat of ours is in the cache with messages');
        const token = await server.login('admin@example.com');
        for (const chat of held) {
          assert.equal(chat.n, 100, `chat ${chat.chat_id} holds its newest page`);
          const newest = await server.request<{ data: { id: number }[] }>('GET', `/api/v1/chats/${chat.chat_id}/messages?limit=100`, { token });
          assert.deepEqual([chat.low, chat.high], [newest.body.data.at(-1)?.id, newest.body.data[0]?.id], `chat ${chat.chat_id}: the server's newest 100`);
        }
      } finally {
        cache.close();
      }
    } finally {
      await desk.destroy();
    }
  });
});
