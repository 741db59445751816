import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MESSAGE_MAX_LENGTH, type ApiChat, type ApiMessage, type ChatListResponse } from '../../common/api';
import { BridgeError, type OutboxEntryView } from '../../common/bridge';
import { parseTimestamp } from '../../common/time';
import { startServer, type TestServer } from '../helpers/server';
import { serverHistory, signedInDesk, waitFor, type Desk } from './helpers';
import { startHttpProxy, startTcpProxy, type HttpProxy, type TcpProxy } from './proxies';

async function chatsOf(server: TestServer, token: string, query: string): Promise<ApiChat[]> {
  const response = await server.request<ChatListResponse>('GET', `/api/v1/chats?per_page=100&${query}`, { token });
  return response.body.data;
}

async function outboxEmpty(desk: Desk): Promise<boolean> {
  return (await desk.client.invoke('outbox.list', {})).entries.length === 0;
}

async function entry(desk: Desk, id: string): Promise<OutboxEntryView | undefined> {
  return (await desk.client.invoke('outbox.list', {})).entries.find((candidate) => candidate.id === id);
}

describe('desk engine: outbox', () => {
  let server: TestServer;
  let proxy: HttpProxy;
  let adminToken: string;
  let modToken: string;
  before(async () => {
    server = await startServer();
    proxy = await startHttpProxy(server.url);
    adminToken = await server.login('admin@example.com');
    modToken = await server.login('mod@example.com');
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('an optimistic send whose realtime echo beats the REST answer ends as one row', async () => {
    const desk = await signedInDesk(proxy, 'mod@example.com');
    try {
      await desk.engine.settled();
      const chat = (await chatsOf(server, modToken, 'tab=my&status=open'))[0];
      assert.ok(chat);
      await waitFor('realtime subscribed', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      // The echo reaches our own socket (no X-Socket-ID) while the REST answer waits in the proxy.
      proxy.stripSocketId = true;
      proxy.rule = ({ method, path }) => (method === 'POST' && path.endsWith('/send') ? 'hold' : 'pass');
      await desk.client.invoke('chat.open', { chatId: chat.id });
      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'race: echo first' });
      assert.equal(message.state, 'pending');
      const echoed = await waitFor('the echo replaced the pending row', () =>
        desk.eventsOf('messages.changed').flatMap((event) => event.upserted).find((view) => view.key === message.key && view.state === 'sent'),
      );
      assert.equal(proxy.held(), 1, 'the REST answer is still held');
      proxy.releaseAll();
      await waitFor('outbox empty', () => outboxEmpty(desk));
      const shown = (await desk.client.invoke('chat.open', { chatId: chat.id })).messages.filter((view) => view.text === 'race: echo first');
      assert.equal(shown.length, 1);
      assert.equal(shown[0]?.id, echoed.id);
      assert.equal(shown[0]?.key, message.key);
      assert.ok(!(await desk.client.invoke('chat.open', { chatId: chat.id })).messages.some((view) => view.id < 0));
      assert.equal((await serverHistory(server, adminToken, chat.id)).filter((m) => m.client_message_id === message.clientMessageId).length, 1);
    } finally {
      proxy.rule = () => 'pass';
      proxy.stripSocketId = false;
      proxy.releaseAll();
      await desk.destroy();
    }
  });

  it('takes a text as long as the server does, counted in characters: 4,000 emoji go, 4,001 are refused here', async () => {
    // The admin's desk: the moderator's sign-ins of this suite already use the login limit's minute.
    const desk = await signedInDesk(server, 'admin@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const chat = (await chatsOf(server, modToken, 'tab=my&status=open'))[0];
      assert.ok(chat);
      // 8,000 UTF-16 units, 4,000 characters: the server's limit, which the desk refused before.
      const longest = '😀'.repeat(MESSAGE_MAX_LENGTH);
      await desk.client.invoke('chat.send', { chatId: chat.id, text: longest });
      await waitFor('outbox empty', () => outboxEmpty(desk));
      assert.equal((await serverHistory(server, adminToken, chat.id)).filter((m) => m.text === longest).length, 1);
      await assert.rejects(
        desk.client.invoke('chat.send', { chatId: chat.id, text: `${longest}😀` }),
        (error: unknown) => error instanceof BridgeError && error.code === 'validation',
      );
      assert.ok(await outboxEmpty(desk), 'nothing was queued');
    } finally {
      await desk.destroy();
    }
  });

  it('a send whose answer is lost on the way back goes again with the same client_message_id and exists once', async () => {
    const desk = await signedInDesk(proxy, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const chat = (await chatsOf(server, modToken, 'tab=my&status=open'))[0];
      assert.ok(chat);
      let dropped = 0;
      proxy.rule = ({ method, path }) => (method === 'POST' && path.endsWith('/send') && dropped++ === 0 ? 'drop-response' : 'pass');
      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'answer lost once' });
      await waitFor('outbox empty', () => outboxEmpty(desk));
      const sends = proxy.log.filter((request) => request.path === `/api/v1/chats/${chat.id}/send`);
      assert.deepEqual(
        sends.slice(-2).map((request) => request.status),
        [201, 200],
        'the repeat is answered 200 with the original',
      );
      const onServer = (await serverHistory(server, adminToken, chat.id)).filter((m) => m.text === 'answer lost once');
      assert.equal(onServer.length, 1);
      const shown = (await desk.client.invoke('chat.open', { chatId: chat.id })).messages.filter((view) => view.key === message.key);
      assert.deepEqual(
        shown.map((view) => [view.id, view.state]),
        [[onServer[0]?.id, 'sent']],
      );
    } finally {
      proxy.rule = () => 'pass';
      await desk.destroy();
    }
  });

  it('a refused send (403: someone else has the chat) is failed with the reason; retry fails again, discard removes it', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const chat = (await chatsOf(server, modToken, 'tab=unassigned&status=open'))[0];
      assert.ok(chat);
      await server.request('POST', `/api/v1/chats/${chat.id}/assign-me`, { token: adminToken });
      await desk.client.invoke('chat.open', { chatId: chat.id });
      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'too late' });
      const failed = await waitFor('failed', async () => {
        const found = await entry(desk, message.key);
        return found?.state === 'failed' ? found : undefined;
      });
      assert.equal(failed.errorStatus, 403);
      assert.equal(failed.error, 'This chat is assigned to another operator.');
      const view = (await desk.client.invoke('chat.open', { chatId: chat.id })).messages.find((candidate) => candidate.key === message.key);
      assert.equal(view?.state, 'failed');
      assert.equal(view?.error, 'This chat is assigned to another operator.');
      // The chat row learns who has it.
      await waitFor('assignee refreshed', async () => (await desk.client.invoke('chats.get', { chatId: chat.id })).chat?.assignee?.id === 1);

      await desk.client.invoke('outbox.retry', { id: message.key });
      await waitFor('failed again', async () => {
        const found = await entry(desk, message.key);
        return found?.state === 'failed' && found.attempts === 1;
      });
      assert.deepEqual(await desk.client.invoke('outbox.discard', { id: message.key }), { ok: true });
      assert.ok(!(await desk.client.invoke('chat.open', { chatId: chat.id })).messages.some((candidate) => candidate.key === message.key));
      await waitFor('the UI is told the row is gone', () => desk.eventsOf('messages.changed').some((event) => event.removedKeys.includes(message.key)));
      assert.equal((await serverHistory(server, adminToken, chat.id)).filter((m) => m.text === 'too late').length, 0);
    } finally {
      await desk.destroy();
    }
  });

  it('a refused action (422) is failed with the server reason; later messages of the chat still go', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const chat = (await chatsOf(server, modToken, 'tab=my&status=open'))[0];
      assert.ok(chat);
      // mod2 only sees source 3: not a valid target for a chat of source 1 or 2.
      const { entry: transfer } = await desk.client.invoke('chat.transfer', { chatId: chat.id, assignedTo: 3 });
      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'after a refused transfer' });
      const failed = await waitFor('transfer failed', async () => {
        const found = await entry(desk, transfer.id);
        return found?.state === 'failed' ? found : undefined;
      });
      assert.equal(failed.errorStatus, 422);
      assert.equal(failed.error, 'The selected assigned to is invalid.');
      assert.equal((await desk.client.invoke('chats.get', { chatId: chat.id })).chat?.pendingActions[0]?.error, 'The selected assigned to is invalid.');
      await waitFor('message sent', async () => (await entry(desk, message.key)) === undefined);
      assert.equal((await serverHistory(server, adminToken, chat.id)).filter((m) => m.text === 'after a refused transfer').length, 1);
    } finally {
      await desk.destroy();
    }
  });
});

describe('desk engine: offline triage over a network partition', () => {
  let tcp: TcpProxy;
  let server: TestServer;
  let adminToken: string;
  let modToken: string;
  before(async () => {
    tcp = await startTcpProxy();
    // The server tells desks to reach it (REST and WebSocket) through the relay.
    server = await startServer({ publicUrl: tcp.url, realtime: { publicPort: tcp.port } });
    tcp.target = Number(new URL(server.url).port);
    adminToken = await server.login('admin@example.com');
    modToken = await server.login('mod@example.com');
  });
  after(async () => {
    await tcp.close();
    await server.close();
  });

  it('queued assign-me, close, transfer and mark-read apply after the reconnect; a chat taken meanwhile is reported', async () => {
    const desk = await signedInDesk(tcp, 'mod@example.com');
    try {
      await desk.engine.settled();
      const mine = await chatsOf(server, modToken, 'tab=my&status=open');
      const unassigned = await chatsOf(server, modToken, 'tab=unassigned&status=open');
      const [toClose, toTransfer] = mine;
      const [toTake, contested] = unassigned;
      assert.ok(toClose && toTransfer && toTake && contested);
      const unread = [...mine, ...unassigned].find((chat) => chat.unread_count > 0 && chat.id !== toClose.id && chat.id !== toTransfer.id);
      assert.ok(unread, 'the demo data has an unread chat');

      tcp.cut();
      await waitFor('offline', async () => {
        await desk.client.invoke('chat.typing', { chatId: toClose.id, typing: true });
        return (await desk.client.invoke('desk.status', {})).connection.kind === 'offline';
      });
      const queued = {
        take: (await desk.client.invoke('chat.assignMe', { chatId: toTake.id })).entry,
        contested: (await desk.client.invoke('chat.assignMe', { chatId: contested.id })).entry,
        close: (await desk.client.invoke('chat.close', { chatId: toClose.id })).entry,
        transfer: (await desk.client.invoke('chat.transfer', { chatId: toTransfer.id, assignedTo: 1, note: 'billing question' })).entry,
        read: (await desk.client.invoke('chat.markRead', { chatId: unread.id })).entry,
      };
      assert.ok(queued.read);
      // Shown as pending on the rows; the badge clears at once for the read chat.
      assert.equal((await desk.client.invoke('chats.get', { chatId: toClose.id })).chat?.pendingActions[0]?.kind, 'close');
      assert.equal((await desk.client.invoke('chats.get', { chatId: unread.id })).chat?.unreadCount, 0);
      assert.equal((await desk.client.invoke('outbox.list', {})).entries.length, 5);

      // Meanwhile another operator takes one of them.
      assert.equal((await server.request('POST', `/api/v1/chats/${contested.id}/assign-me`, { token: adminToken })).status, 200);
      tcp.heal();

      const failed = await waitFor('all settled', async () => {
        const { entries } = await desk.client.invoke('outbox.list', {});
        return entries.length === 1 && entries[0]?.state === 'failed' ? entries[0] : undefined;
      });
      assert.equal(failed.id, queued.contested.id);
      assert.equal(failed.errorStatus, 403);
      assert.equal(failed.error, 'This chat is assigned to another operator.');
      await waitFor('the contested chat shows its new assignee', async () => (await desk.client.invoke('chats.get', { chatId: contested.id })).chat?.assignee?.id === 1);

      const serverChat = async (id: number) => (await server.request<{ data: ApiChat }>('GET', `/api/v1/chats/${id}`, { token: adminToken })).body.data;
      assert.equal((await serverChat(toTake.id)).assigned_to, 2);
      assert.equal((await serverChat(toClose.id)).status, 'closed');
      assert.equal((await serverChat(toTransfer.id)).assigned_to, 1);
      assert.equal((await serverChat(unread.id)).unread_count, 0);
      const transferNote: ApiMessage | undefined = (await serverHistory(server, adminToken, toTransfer.id)).find((m) => m.sender_type === 'system');
      assert.match(transferNote?.text ?? '', /billing question/);
      // The desk's rows agree with the server.
      assert.equal((await desk.client.invoke('chats.get', { chatId: toClose.id })).chat?.status, 'closed');
      assert.equal((await desk.client.invoke('chats.get', { chatId: toTake.id })).chat?.assignedToMe, true);
    } finally {
      tcp.heal();
      await desk.destroy();
    }
  });
});

describe('desk engine: rate limits', () => {
  let server: TestServer;
  let proxy: HttpProxy;
  before(async () => {
    server = await startServer({ sendPerMinute: 3 });
    proxy = await startHttpProxy(server.url);
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('429 waits for Retry-After (no retries before it), then sends the rest in order', async () => {
    const desk = await signedInDesk(proxy, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const token = await server.login('mod@example.com');
      const chat = (await chatsOf(server, token, 'tab=my&status=open'))[0];
      assert.ok(chat);
      const texts = ['rl 1', 'rl 2', 'rl 3', 'rl 4', 'rl 5'];
      for (const text of texts) await desk.client.invoke('chat.send', { chatId: chat.id, text });
      const limited = await waitFor('rate limited', () =>
        desk
          .eventsOf('outbox.changed')
          .flatMap((event) => event.entries)
          .find((candidate) => candidate.errorStatus === 429 && candidate.state === 'pending' && candidate.nextAttemptAt !== null),
      );
      const refusal = proxy.log.find((request) => request.status === 429);
      assert.ok(refusal?.retryAfter && refusal.answeredAt);
      // The entry waits at least as long as the server said.
      assert.ok((limited.nextAttemptAt ?? 0) >= refusal.answeredAt + Number(refusal.retryAfter) * 1000);
      await waitFor('all sent', () => outboxEmpty(desk), 90_000);

      const history = (await serverHistory(server, token, chat.id)).filter((m) => m.text?.startsWith('rl '));
      assert.deepEqual(
        history.map((m) => m.text),
        texts,
      );
      // Nothing went before the time the server named, and the waiting did not hammer it.
      for (const message of history.slice(3)) assert.ok(parseTimestamp(message.created_at) >= (limited.nextAttemptAt ?? 0) - 5);
      const sends = proxy.log.filter((request) => request.method === 'POST' && request.path.endsWith('/send'));
      assert.deepEqual(
        sends.map((request) => request.status),
        [201, 201, 201, 429, 201, 201],
      );
    } finally {
      await desk.destroy();
    }
  });
});
