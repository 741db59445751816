import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BridgeError } from '../../common/bridge';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, serverHistory, signedInDesk, waitFor, type Desk } from './helpers';
import { startHttpProxy } from './proxies';

// Hiding a customer's message from the desk (DESIGN §8.1): an outbox action like assign-me and
// close; the message stays, collapsed, with who hid it, on this desk and on every other desk that
// holds it, whether or not that desk has the chat open.

async function online(desk: Desk): Promise<void> {
  await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
  await desk.engine.settled();
}

async function outboxEmpty(desk: Desk): Promise<boolean> {
  return (await desk.client.invoke('outbox.list', {})).entries.length === 0;
}

describe('desk engine: hiding a message', () => {
  let server: TestServer;
  let adminToken: string;
  before(async () => {
    server = await startServer();
    adminToken = await server.login('admin@example.com');
  });
  after(() => server.close());

  it('queues the hide, and the message ends hidden here, on the server, and on another desk that only caches it', async () => {
    const spam = await postWebhook(server, 1, { external_user_id: 'desk-spam-1', text: 'CHEAP WATCHES http://spam.example', user_metadata: { name: 'Spammer' } });
    // The admin's desk reaches the REST API through a relay that will hold its history requests: what
    // it learns of the hide, it learns over realtime.
    const proxy = await startHttpProxy(server.url);
    const mod = await signedInDesk(server, 'mod@example.com');
    const admin = await signedInDesk(proxy, 'admin@example.com');
    try {
      await online(mod);
      await online(admin);
      // The admin's desk has the message in its cache but the chat closed on screen.
      await admin.client.invoke('chat.open', { chatId: spam.chat_id });
      await admin.client.invoke('chat.leave', { chatId: spam.chat_id });
      await admin.engine.settled();
      proxy.rule = ({ method, path }) => (method === 'GET' && path.includes(`/chats/${spam.chat_id}/messages`) ? 'hold' : 'pass');
      const opened = await mod.client.invoke('chat.open', { chatId: spam.chat_id });
      assert.equal(opened.messages.find((view) => view.id === spam.message.id)?.hidden, null);

      const { entry } = await mod.client.invoke('chat.hideMessage', { chatId: spam.chat_id, messageId: spam.message.id });
      assert.equal(entry.kind, 'hide');
      assert.equal(entry.messageId, spam.message.id);
      await waitFor('outbox empty', () => outboxEmpty(mod));

      const hiddenHere = await waitFor('collapsed on this desk', () =>
        mod.eventsOf('messages.changed').flatMap((event) => event.upserted).find((view) => view.id === spam.message.id && view.hidden !== null),
      );
      assert.equal(hiddenHere.hidden?.byName, 'Maria Moderator');
      assert.ok(hiddenHere.hidden?.at);
      assert.equal(hiddenHere.text, 'CHEAP WATCHES http://spam.example', 'hidden, not gone');

      const onServer = (await serverHistory(server, adminToken, spam.chat_id)).find((m) => m.id === spam.message.id);
      assert.equal(onServer?.is_hidden, true);
      assert.equal(onServer?.hidden_by?.name, 'Maria Moderator');

      // chat.open answers from the cache at once (its refresh is held in the relay).
      await waitFor('collapsed on the other desk too', async () => {
        const view = (await admin.client.invoke('chat.open', { chatId: spam.chat_id })).messages.find((candidate) => candidate.id === spam.message.id);
        await admin.client.invoke('chat.leave', { chatId: spam.chat_id });
        return view?.hidden?.byName === 'Maria Moderator';
      });

      // The spam was the chat's last message: no list shows its words any more, on the server or on either desk.
      const listed = await server.request<{ data: { id: number; latest_message: { id: number; text: string | null; is_hidden?: boolean } | null }[] }>('GET', '/api/v1/chats?status=open&per_page=100', { token: adminToken });
      const latest = listed.body.data.find((chat) => chat.id === spam.chat_id)?.latest_message;
      assert.deepEqual(latest, { id: spam.message.id, text: null, sender_type: 'client', created_at: spam.message.created_at, is_hidden: true });
      for (const desk of [mod, admin]) {
        const row = await waitFor('the preview is hidden', async () => {
          const last = (await desk.client.invoke('chats.get', { chatId: spam.chat_id })).chat?.lastMessage;
          return last?.hidden === true ? last : undefined;
        });
        assert.equal(row.text, null);
        assert.equal(row.id, spam.message.id);
      }
    } finally {
      proxy.rule = () => 'pass';
      proxy.releaseAll();
      await mod.destroy();
      await admin.destroy();
      await proxy.close();
    }
  });

  it('a hide queued while offline goes when the server is back, once', async () => {
    const spam = await postWebhook(server, 2, { external_user_id: 'desk-spam-2', text: 'Win a prize!!!', user_metadata: { name: 'Prize Spammer' } });
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      await desk.client.invoke('chat.open', { chatId: spam.chat_id });
      await server.stop();
      const { entry } = await desk.client.invoke('chat.hideMessage', { chatId: spam.chat_id, messageId: spam.message.id });
      await waitFor('offline', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'offline');
      const queued = (await desk.client.invoke('chats.get', { chatId: spam.chat_id })).chat?.pendingActions.find((candidate) => candidate.id === entry.id);
      assert.equal(queued?.kind, 'hide', 'the chat row shows the pending hide');
      await server.restart();
      await waitFor('outbox empty', () => outboxEmpty(desk));
      const view = (await desk.client.invoke('chat.open', { chatId: spam.chat_id })).messages.find((candidate) => candidate.id === spam.message.id);
      assert.equal(view?.hidden?.byName, 'Maria Moderator');
    } finally {
      await desk.destroy();
    }
  });

  it('offers hiding for customer messages only', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const customer = await postWebhook(server, 1, { external_user_id: 'desk-spam-3', text: 'hello', user_metadata: { name: 'Polite' } });
      const reply = await server.request<{ data: { id: number } }>('POST', `/api/v1/chats/${customer.chat_id}/send`, { token: adminToken, body: { text: 'hi there' } });
      await desk.client.invoke('chat.open', { chatId: customer.chat_id });
      await waitFor('reply cached', async () => (await desk.client.invoke('chat.open', { chatId: customer.chat_id })).messages.some((view) => view.id === reply.body.data.id));
      await assert.rejects(
        desk.client.invoke('chat.hideMessage', { chatId: customer.chat_id, messageId: reply.body.data.id }),
        (error: unknown) => error instanceof BridgeError && error.code === 'validation',
      );
      await assert.rejects(
        desk.client.invoke('chat.hideMessage', { chatId: customer.chat_id + 100_000, messageId: customer.message.id }),
        (error: unknown) => error instanceof BridgeError && error.code === 'validation',
      );
      assert.ok(await outboxEmpty(desk), 'nothing was queued');
    } finally {
      await desk.destroy();
    }
  });
});
