import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { FAST_TIMING, postWebhook, signedInDesk, waitFor } from './helpers';
import { startHttpProxy, type HttpProxy } from './proxies';

// A socket that is up is not yet realtime: until the user channel is subscribed nothing arrives over
// it, so the desk must keep polling. (The 1,000-cycle soak found desks that neither polled nor
// heard anything for over 10 s after a server restart, their channel's authorisation still pending.)

describe('desk engine: a socket whose user channel is not subscribed yet', () => {
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

  it('polls while the channel authorisation hangs, so a new customer message still arrives', async () => {
    // Channel authorisation through the relay is held; a request timeout far beyond the wait below,
    // so only polling can bring the message in.
    proxy.rule = ({ method, path }) => (method === 'POST' && path.includes('/broadcasting/auth') ? 'hold' : 'pass');
    const desk = await signedInDesk(proxy, 'mod@example.com', { timing: { ...FAST_TIMING, requestTimeoutMs: 120_000 } });
    try {
      await desk.engine.settled();
      await waitFor('the socket is up, its channel authorisation held', () => proxy.held() >= 1);
      const sent = await postWebhook(server, 1, { external_user_id: 'pending-auth-1', text: 'Anyone there?', user_metadata: { name: 'Waiting Customer' } });
      const row = await waitFor('the new chat reaches the desk', async () => (await desk.client.invoke('chats.get', { chatId: sent.chat_id })).chat ?? undefined);
      assert.equal(row.lastMessage?.text, 'Anyone there?');
    } finally {
      proxy.rule = () => 'pass';
      proxy.releaseAll();
      await desk.destroy();
    }
  });
});
