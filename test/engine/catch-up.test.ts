import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiMessage } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { deskHistory, openDesk, postWebhook, serverHistory, signedInDesk, waitFor } from './helpers';

/** The desk's history matches the server's exactly: every message once, in server-id order. */
async function assertSameHistory(server: TestServer, token: string, desk: Awaited<ReturnType<typeof signedInDesk>>, chatId: number): Promise<ApiMessage[]> {
  const expected = await serverHistory(server, token, chatId);
  const shown = await deskHistory(desk.client, chatId);
  assert.deepEqual(
    shown.map((message) => message.id),
    expected.map((message) => message.id),
  );
  assert.deepEqual(
    shown.map((message) => message.text),
    expected.map((message) => message.text),
  );
  return expected;
}

describe('desk engine: start from cache, history, catch-up', () => {
  let server: TestServer;
  let adminToken: string;
  before(async () => {
    server = await startServer();
    adminToken = await server.login('admin@example.com');
  });
  after(() => server.close());

  it('boots and reads chats and messages from the cache with the server down, and sends once it is back', async () => {
    const first = await signedInDesk(server);
    await first.engine.settled();
    const { rows } = await first.client.invoke('chats.list', { tab: 'all', status: 'open' });
    const chat = rows[0];
    assert.ok(chat);
    const before = await first.client.invoke('chat.open', { chatId: chat.id });
    assert.ok(before.messages.length > 0);
    await first.close();

    await server.stop();
    const desk = openDesk({ dataDir: first.dataDir });
    try {
      const list = await desk.client.invoke('chats.list', { tab: 'all', status: 'open' });
      assert.deepEqual(
        list.rows.map((row) => row.id),
        rows.map((row) => row.id),
      );
      const opened = await desk.client.invoke('chat.open', { chatId: chat.id });
      assert.deepEqual(
        opened.messages.map((message) => message.text),
        before.messages.map((message) => message.text),
      );
      await waitFor('offline', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'offline');
      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'written offline' });
      assert.equal(message.state, 'pending');
      assert.ok(message.id < 0);
      const pendingView = await desk.client.invoke('chat.open', { chatId: chat.id });
      assert.equal(pendingView.messages.at(-1)?.text, 'written offline');

      await server.restart();
      await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      await desk.engine.settled();
      const onServer = (await serverHistory(server, adminToken, chat.id)).filter((m) => m.text === 'written offline');
      assert.equal(onServer.length, 1);
      assert.equal(onServer[0]?.client_message_id, message.clientMessageId);
      const after = await desk.client.invoke('chat.open', { chatId: chat.id });
      const mine = after.messages.filter((m) => m.text === 'written offline');
      assert.equal(mine.length, 1);
      assert.equal(mine[0]?.state, 'sent');
      assert.equal(mine[0]?.id, onServer[0]?.id);
      assert.equal(mine[0]?.key, message.key);
      const states = desk.eventsOf('connection').map((state) => state.kind);
      assert.ok(states.indexOf('offline') < states.lastIndexOf('syncing') && states.lastIndexOf('syncing') < states.lastIndexOf('online'), states.join(' → '));
    } finally {
      await desk.destroy();
      if (!server.url) await server.restart();
    }
  });

  it('loads older pages of the largest size the bridge allows (200) although the server pages by 100', async () => {
    let chatId = 0;
    for (let i = 1; i <= 160; i++) {
      chatId = (await postWebhook(server, 2, { external_user_id: 'history-wide', text: `wide ${i}`, user_metadata: { name: 'Wide Pages' } })).chat_id;
    }
    const desk = await signedInDesk(server, 'admin@example.com');
    try {
      await desk.engine.settled();
      const history = await deskHistory(desk.client, chatId, 200);
      assert.equal(history.length, 160);
      assert.equal(history[0]?.text, 'wide 1');
      assert.equal(history.at(-1)?.text, 'wide 160');
    } finally {
      await desk.destroy();
    }
  });

  it('pages a long history to its start, storing each page, oldest first and complete', async () => {
    let chatId = 0;
    for (let i = 1; i <= 237; i++) {
      chatId = (await postWebhook(server, 1, { external_user_id: 'history-long', text: `line ${i}`, user_metadata: { name: 'Long History' } })).chat_id;
    }
    const desk = await signedInDesk(server, 'admin@example.com');
    try {
      await desk.engine.settled();
      const opened = await desk.client.invoke('chat.open', { chatId, limit: 50 });
      assert.equal(opened.messages.length, 50);
      assert.equal(opened.hasOlder, true);
      const history = await assertSameHistory(server, adminToken, desk, chatId);
      assert.equal(history.length, 237);
      assert.equal(history[0]?.text, 'line 1');
      // Everything is cached now: the whole history reads back with the server down.
      await server.stop();
      const offline = await deskHistory(desk.client, chatId);
      assert.equal(offline.length, 237);
      assert.equal(offline[0]?.text, 'line 1');
      assert.equal(offline.at(-1)?.text, 'line 237');
    } finally {
      await server.restart();
      await desk.destroy();
    }
  });

  it('after an outage, shows every message posted meanwhile once, in order (also those arriving during the catch-up)', async () => {
    const desk = await signedInDesk(server, 'admin@example.com');
    try {
      const seed = await postWebhook(server, 2, { external_user_id: 'outage-1', text: 'before the outage', user_metadata: { name: 'Outage One' } });
      await desk.engine.settled();
      await waitFor('seed message cached', async () => (await desk.client.invoke('chat.open', { chatId: seed.chat_id })).messages.some((m) => m.text === 'before the outage'));

      await server.stop();
      await waitFor('offline', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'offline');
      await server.restart();
      // Posted while the desk is still offline (its next probe is pending) and while it catches up.
      const posting: Promise<unknown>[] = [];
      for (let i = 1; i <= 120; i++) {
        posting.push(postWebhook(server, 2, { external_user_id: 'outage-1', text: `missed ${i}` }));
        if (i % 10 === 0) await Promise.all(posting.splice(0));
      }
      await Promise.all(posting);
      const other = await postWebhook(server, 3, { external_user_id: 'outage-new-chat', text: 'a new chat during the outage', user_metadata: { name: 'New During Outage' } });
      await waitFor('online again', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      await desk.engine.settled();

      const history = await assertSameHistory(server, adminToken, desk, seed.chat_id);
      assert.equal(history.filter((m) => m.text?.startsWith('missed ')).length, 120);
      // A chat nobody has open gets no message events (the list row is enough); opening reads the cache.
      assert.ok(!desk.eventsOf('messages.changed').some((event) => event.chatId === other.chat_id));
      assert.ok(desk.eventsOf('chats.changed').some((event) => event.chats.some((row) => row.id === other.chat_id)));
      const list = await desk.client.invoke('chats.list', { tab: 'all', search: 'New During Outage' });
      assert.deepEqual(
        list.rows.map((row) => row.id),
        [other.chat_id],
      );
      await assertSameHistory(server, adminToken, desk, other.chat_id);
    } finally {
      await desk.destroy();
    }
  });

  it('after the desk was closed, catches up on start; a catch-up that stops early leaves a gap that history fills', async () => {
    const desk = await signedInDesk(server, 'admin@example.com', { timing: { catchUpMaxPages: 1, pageSize: 20 } });
    const { chat_id: chatId } = await postWebhook(server, 1, { external_user_id: 'gap-chat', text: 'gap 0', user_metadata: { name: 'Gap Chat' } });
    await desk.engine.settled();
    await desk.close();
    for (let i = 1; i <= 75; i++) await postWebhook(server, 1, { external_user_id: 'gap-chat', text: `gap ${i}` });

    const again = openDesk({ dataDir: desk.dataDir, timing: { catchUpMaxPages: 1, pageSize: 20 } });
    try {
      await again.engine.ready;
      await again.engine.settled();
      // Only the newest page came in; the list already shows the newest message.
      const row = (await again.client.invoke('chats.get', { chatId })).chat;
      assert.equal(row?.lastMessage?.text, 'gap 75');
      const history = await assertSameHistory(server, adminToken, again, chatId);
      assert.equal(history.length, 76);
    } finally {
      await again.destroy();
    }
  });
});
