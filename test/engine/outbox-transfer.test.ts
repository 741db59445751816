import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, signedInDesk, waitFor } from './helpers';
import { startHttpProxy, type HttpProxy } from './proxies';

// Found by `npm run soak`: the outbox's "did it already happen?" check before repeating a transfer
// read the attempt count from before the current attempt was counted, so it ran only from the third
// try. A transfer whose answer was lost (or that was in flight at a crash) went again as a plain POST,
// the server said "already assigned to this operator" (422), and the desk showed a transfer that had
// in fact succeeded as failed.

describe('desk engine: a repeated transfer', () => {
  let server: TestServer;
  let proxy: HttpProxy;
  before(async () => {
    server = await startServer();
    proxy = await startHttpProxy(server.url);
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('a transfer whose answer was lost is found done on the second attempt, not refused', async () => {
    const desk = await signedInDesk(proxy, 'admin@example.com', { realtime: false });
    try {
      const { chat_id: chatId } = await postWebhook(server, 2, { external_user_id: 'transfer-answer-lost', text: 'please pass me on' });
      await desk.engine.settled();
      await waitFor('the chat is on the desk', async () => (await desk.client.invoke('chats.get', { chatId })).chat !== null);
      // The server transfers the chat; the answer never reaches the desk.
      let dropped = 0;
      proxy.rule = ({ method, path }) => (method === 'POST' && path === `/api/v1/chats/${chatId}/transfer` && dropped++ === 0 ? 'drop-response' : 'pass');
      await desk.client.invoke('chat.transfer', { chatId, assignedTo: 2, note: 'over to you' });
      await waitFor('the outbox is done with it', async () => (await desk.client.invoke('outbox.list', {})).entries.every((entry) => entry.state === 'failed'));

      assert.deepEqual((await desk.client.invoke('outbox.list', {})).entries, [], 'no failed transfer left behind');
      const transfers = proxy.log.filter((request) => request.method === 'POST' && request.path === `/api/v1/chats/${chatId}/transfer`);
      assert.equal(transfers.length, 1, 'the second attempt asked the chat first instead of transferring again');
      assert.equal((await desk.client.invoke('chats.get', { chatId })).chat?.assignee?.id, 2);
      const token = await server.login('admin@example.com');
      const messages = await server.request<{ data: { text: string | null }[] }>('GET', `/api/v1/chats/${chatId}/messages`, { token });
      assert.equal(messages.body.data.filter((message) => message.text?.includes('transferred the chat')).length, 1, 'transferred once');
    } finally {
      proxy.rule = () => 'pass';
      await desk.destroy();
    }
  });
});
