import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { WebSocket } from 'ws';
import { accountPaths } from '../../main/engine/paths';
import { DEFAULT_TIMING } from '../../main/engine/timing';
import { ReconnectSchedule } from '../../main/engine/reconnect';
import { hashPassword } from '../../server/auth/passwords';
import { DEMO_REALTIME } from '../../server/config';
import { startServer, type TestServer } from '../helpers/server';
import { FAST_TIMING, deskHistory, openDesk, postWebhook, serverHistory, signedInDesk, startServerBehindRelay, waitFor } from './helpers';
import type { HttpProxy, ProxiedRequest } from './proxies';

/** What a request was for, as the sync's cost is counted: the full list, a delta, one chat's messages, a batch… */
function kindOf(request: Pick<ProxiedRequest, 'method' | 'path'>): string {
  const url = new URL(request.path, 'http://relay');
  if (url.pathname === '/api/v1/chats') return url.searchParams.has('updated_since') ? 'delta' : 'list page';
  if (url.pathname === '/api/v1/chats/messages') return 'messages batch';
  if (/^\/api\/v1\/chats\/\d+\/messages$/.test(url.pathname)) return 'chat messages';
  if (/^\/api\/v1\/chats\/\d+$/.test(url.pathname)) return 'chat';
  return `${request.method} ${url.pathname}`;
}

describe('desk engine: catch-up through the delta', () => {
  let server: TestServer;
  let relay: HttpProxy;
  let close: () => Promise<void>;
  let adminToken: string;
  before(async () => {
    ({ server, relay, close } = await startServerBehindRelay());
    adminToken = await server.login('admin@example.com');
  });
  after(() => close());

  it('a desk started after chats changed while it was closed asks only for what changed: one delta, one batch', async () => {
    // No realtime and no polling: every request the start makes is counted, and nothing else runs.
    const timing = { ...FAST_TIMING, pollIntervalMs: 3_600_000 };
    const first = await signedInDesk(relay, 'admin@example.com', { realtime: false, timing });
    await first.engine.settled();
    const held = (await first.client.invoke('chats.list', { tab: 'all', limit: 200 })).counts.all;
    assert.ok(held >= 20, `the desk holds the demo chats (${held})`);
    await first.close();

    // While the desk is closed: two chats get messages, one is a new chat.
    const changed = [
      await postWebhook(server, 1, { external_user_id: 'web-7f3a', text: 'Jeszcze jedno pytanie' }),
      await postWebhook(server, 2, { external_user_id: 'delta-offline-new', text: 'Новый клиент' }),
      await postWebhook(server, 2, { external_user_id: 'delta-offline-new', text: 'Ещё сообщение' }),
    ];
    const chatIds = [...new Set(changed.map((entry) => entry.chat_id))];
    const from = relay.log.length;
    const desk = openDesk({ dataDir: first.dataDir, realtime: false, timing });
    try {
      for (const chatId of chatIds) {
        await waitFor(`chat ${chatId} is caught up`, async () => (await desk.client.invoke('chats.get', { chatId })).chat?.lastMessage?.id === Math.max(...changed.filter((e) => e.chat_id === chatId).map((e) => e.message.id)));
      }
      await desk.engine.settled();
      // Counted before the histories are read below (opening a chat refreshes it on its own).
      const kinds = relay.log.slice(from).map(kindOf);
      assert.ok(!kinds.includes('list page'), `no full list: ${JSON.stringify(kinds)}`);
      assert.ok(!kinds.includes('chat messages'), `no request per chat: ${JSON.stringify(kinds)}`);
      assert.deepEqual(
        kinds.filter((kind) => kind === 'delta' || kind === 'messages batch'),
        // settled() asks for one more round: a delta that finds nothing new.
        ['delta', 'messages batch', 'delta'],
      );
      assert.ok(kinds.length <= 6, `a handful of requests: ${JSON.stringify(kinds)}`);
      for (const chatId of chatIds) {
        assert.deepEqual(
          (await deskHistory(desk.client, chatId)).map((message) => message.id),
          (await serverHistory(server, adminToken, chatId)).map((message) => message.id),
        );
      }
    } finally {
      await desk.destroy();
    }
  });

  it('signing in pages the list once, whatever asks for a catch-up meanwhile, and fetches newest pages in batches', async () => {
    const from = relay.log.length;
    // With realtime: its subscription asks for a catch-up while the first one still runs.
    const desk = await signedInDesk(relay, 'mod@example.com');
    try {
      await desk.engine.settled();
      await waitFor('realtime is live', () => desk.engine.quiet(Date.now() - 60_000));
      const kinds = relay.log.slice(from).map(kindOf);
      const held = (await desk.client.invoke('chats.list', { tab: 'all', limit: 200 })).counts.all;
      assert.equal(kinds.filter((kind) => kind === 'list page').length, Math.ceil(held / 100), `the list once: ${JSON.stringify(kinds)}`);
      assert.ok(!kinds.includes('chat messages'), `no request per chat: ${JSON.stringify(kinds)}`);
      assert.equal(kinds.filter((kind) => kind === 'messages batch').length, 1, `one batch for ${held} chats: ${JSON.stringify(kinds)}`);
    } finally {
      await desk.destroy();
    }
  });

  it('a cursor the server refuses (its database was replaced) falls back to reading the whole list once', async () => {
    const timing = { ...FAST_TIMING, pollIntervalMs: 3_600_000 };
    const first = await signedInDesk(relay, 'admin@example.com', { realtime: false, timing });
    await first.engine.settled();
    const session = (await first.client.invoke('session.get', {})).session;
    assert.ok(session);
    await first.close();
    const cacheFile = accountPaths(first.dataDir, session.serverUrl, session.user.id).database;
    const readCursor = () => {
      const db = new BetterSqlite3(cacheFile);
      try {
        return db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'chat_sync_cursor'").get()?.value;
      } finally {
        db.close();
      }
    };
    assert.ok(readCursor(), 'the first sync kept a cursor');
    const db = new BetterSqlite3(cacheFile);
    db.prepare("UPDATE meta SET value = 'bm90LWEtY3Vyc29y' WHERE key = 'chat_sync_cursor'").run();
    db.close();
    const sent = await postWebhook(server, 3, { external_user_id: 'delta-bad-cursor', text: 'Здравствуйте' });

    const from = relay.log.length;
    const desk = openDesk({ dataDir: first.dataDir, realtime: false, timing });
    try {
      await waitFor('the new chat arrives', async () => (await desk.client.invoke('chats.get', { chatId: sent.chat_id })).chat?.lastMessage?.id === sent.message.id);
      await desk.engine.settled();
      const kinds = relay.log.slice(from).map(kindOf);
      const refused = relay.log.slice(from).filter((request) => kindOf(request) === 'delta' && request.status === 422);
      assert.equal(refused.length, 1, `asked once with the refused cursor: ${JSON.stringify(kinds)}`);
      assert.ok(kinds.includes('list page'), 'read the whole list instead');
      await desk.close();
      assert.notEqual(readCursor(), 'bm90LWEtY3Vyc29y', 'and kept the new cursor');
    } finally {
      await desk.destroy();
    }
  });

  it('a chat moved out of what the operator sees disappears from the list, and from the cache', async () => {
    const email = `support-${Date.now()}@example.com`;
    await server.server.store.users.create({ name: 'Support One', email, passwordHash: await hashPassword('password'), roles: ['moderator'], sourceIds: [1], departmentIds: [1] }, Date.now());
    const created = await postWebhook(server, 1, { external_user_id: 'delta-moves-away', text: 'Hello from the website' });
    const chatId = created.chat_id;
    const patch = (departmentId: number) =>
      fetch(`${server.url}/api/v1/chats/${chatId}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ department_id: departmentId }),
      });
    assert.equal((await patch(1)).status, 200);
    // Polling, no realtime: the departure can only come from the delta (no last ChatUpdated on a socket).
    const desk = await signedInDesk(relay, email, { realtime: false });
    try {
      await desk.engine.settled();
      const listed = async () => (await desk.client.invoke('chats.list', { tab: 'all', limit: 200 })).rows.map((row) => row.id);
      assert.ok((await listed()).includes(chatId));
      const opened = await desk.client.invoke('chat.open', { chatId });
      assert.ok(opened.messages.some((message) => message.id === created.message.id));
      await desk.client.invoke('chat.leave', { chatId });

      const from = relay.log.length;
      assert.equal((await patch(2)).status, 200);
      await waitFor('the chat leaves the list', async () => !(await listed()).includes(chatId));
      assert.ok(desk.eventsOf('chats.changed').some((event) => event.removedIds.includes(chatId)), 'the list was told');
      assert.equal((await desk.client.invoke('chats.get', { chatId })).chat, null);
      const kinds = relay.log.slice(from).map(kindOf);
      assert.ok(kinds.includes('delta'));
      assert.ok(!kinds.includes('list page') && !kinds.includes('chat'), `learnt from the delta alone: ${JSON.stringify(kinds)}`);
    } finally {
      await desk.destroy();
    }
  });
});

describe('desk engine: reconnects after a server restart are spread', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ realtime: { maxConnectionsPerIp: 1000 } });
  });
  after(() => server.close());

  it('a desk whose socket the restart dropped connects again by itself and is live again', async () => {
    // No polling: after the restart only a new socket (its subscription's catch-up, or its events) brings the message.
    const desk = await signedInDesk(server, 'mod@example.com', { timing: { ...FAST_TIMING, pollIntervalMs: 3_600_000 } });
    try {
      await desk.engine.settled();
      await waitFor('live', () => desk.engine.quiet(Date.now()));
      await server.restart();
      // This test's own keep-alive socket to the old process is dead: its first request may fail.
      const sent = await waitFor('the server takes the webhook', () => postWebhook(server, 1, { external_user_id: 'delta-after-restart', text: 'after the restart' }).catch(() => undefined));
      await waitFor('the message reaches the desk', async () => (await desk.client.invoke('chats.get', { chatId: sent.chat_id })).chat?.lastMessage?.id === sent.message.id, 30_000);
      await waitFor('live again', () => desk.engine.quiet(Date.now()), 30_000);
    } finally {
      await desk.destroy();
    }
  });

  it('200 desks whose sockets the restart dropped do not all come back in the same second', { timeout: 120_000 }, async () => {
    const DESKS = 200;
    const port = new URL(server.url).port;
    let restartedAt = 0;
    const backAt: number[] = [];
    const sockets = new Set<WebSocket>();
    // Each lightweight desk: a real Pusher socket and the engine's reconnect schedule, with the engine's own policy.
    const desks = Array.from({ length: DESKS }, () => {
      const schedule = new ReconnectSchedule(DEFAULT_TIMING.reconnect);
      let stopped = false;
      let connectedOnce = false;
      const connect = () => {
        if (stopped) return;
        const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${DEMO_REALTIME.key}?protocol=7&client=desk&version=1`);
        sockets.add(ws);
        let established = false;
        ws.on('error', () => undefined);
        ws.on('message', (raw) => {
          const frame: unknown = JSON.parse(raw.toString());
          if (established || typeof frame !== 'object' || frame === null || !('event' in frame) || frame.event !== 'pusher:connection_established') return;
          established = true;
          schedule.succeeded();
          if (connectedOnce && restartedAt > 0) backAt.push(Date.now());
          connectedOnce = true;
        });
        ws.on('close', () => {
          sockets.delete(ws);
          if (!stopped) schedule.schedule(connect);
        });
      };
      return {
        connect,
        stop() {
          stopped = true;
          schedule.cancel();
        },
      };
    });
    try {
      // Staggered first connections, as desks start at different times.
      for (const desk of desks) desk.connect();
      await waitFor('every desk is connected', () => sockets.size === DESKS && [...sockets].every((ws) => ws.readyState === WebSocket.OPEN), 30_000);
      await server.restart();
      restartedAt = Date.now();
      await waitFor('every desk is back', () => backAt.length === DESKS, 90_000);

      const times = backAt.map((at) => at - restartedAt).sort((a, b) => a - b);
      // The densest second: how many desks came back within any one-second window.
      let densest = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while ((times[i] ?? 0) - (times[j] ?? 0) >= 1000) j++;
        densest = Math.max(densest, i - j + 1);
      }
      const spreadMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
      assert.ok(densest <= DESKS / 2, `at most half of the desks in any one second (densest second: ${densest} of ${DESKS})`);
      assert.ok(spreadMs >= 2000, `spread over seconds (${spreadMs} ms from first to last)`);
    } finally {
      for (const desk of desks) desk.stop();
      for (const ws of sockets) ws.terminate();
    }
  });
});
