import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiConfig } from '../../common/api';
import type { WidgetDataResponse } from '../../common/widget-api';
import { listenToSpace } from '../../widget/app/realtime';
import { startPrefixProxy, type PrefixProxy } from '../helpers/prefix-proxy';
import { startServer, type TestServer } from '../helpers/server';
import { DEMO_WIDGET_TOKEN, startSpace } from '../server/visitor-support';
import { postWebhook, signedInDesk, waitFor } from './helpers';

// A server published under a path behind a reverse proxy (SWITCHBOARD_PUBLIC_URL=https://host/switchboard/):
// the desk's engine and the widget open their WebSockets under that path too. Regression: both
// dropped the path and knocked on the proxy's root, so realtime never connected there.

describe('a server under a path prefix behind a reverse proxy', () => {
  let proxy: PrefixProxy;
  let server: TestServer;
  let viaProxy: { url: string; clock: TestServer['clock'] };

  before(async () => {
    proxy = await startPrefixProxy('/switchboard');
    const publicUrl = `http://127.0.0.1:${proxy.port}/switchboard`;
    server = await startServer({ publicUrl: `${publicUrl}/`, visitorLimits: { spacesPerIp: 1000 } });
    proxy.target(Number(new URL(server.url).port));
    viaProxy = { url: publicUrl, clock: server.clock };
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('the desk’s realtime connects through the prefix: a customer’s message arrives without polling', async () => {
    const config = ((await (await fetch(`${viaProxy.url}/api/v1/config`)).json()) as { data: ApiConfig }).data;
    assert.equal(config.realtime.path, `/switchboard/app/${config.realtime.key}`);
    // A poll interval of ten minutes: whatever arrives within the test arrives over the socket.
    const desk = await signedInDesk(viaProxy, 'mod@example.com', { timing: { pollIntervalMs: 600_000 } });
    try {
      await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      await desk.engine.settled();
      const sent = await postWebhook(viaProxy, 1, { external_user_id: 'prefix-1', text: 'Through the proxy', user_metadata: { name: 'Prefix One' } });
      await waitFor('the message over realtime', async () => (await desk.client.invoke('chats.get', { chatId: sent.chat_id })).chat?.lastMessage?.text === 'Through the proxy');
    } finally {
      await desk.close();
    }
  });

  it('the widget’s realtime connects through the prefix and hears an operator’s answer', async () => {
    const visitor = await startSpace(server);
    const answer = await fetch(`${viaProxy.url}/chat/widget_data.json?token=${DEMO_WIDGET_TOKEN}`, { headers: { 'X-Space-Token': visitor.spaceToken } });
    const data = (await answer.json()) as WidgetDataResponse;
    assert.equal(data.realtime.path, `/switchboard/app/${data.realtime.key}`);
    const heard: string[] = [];
    let subscribed = false;
    const disconnect = listenToSpace(data.realtime, visitor.widgetToken, visitor.spaceId, visitor.spaceToken, {
      event: (event) => {
        if (event.name === 'NewChatMessage' && event.data.message.message !== null) heard.push(event.data.message.message);
      },
      subscribed: () => {
        subscribed = true;
      },
      socketId: () => undefined,
    });
    try {
      await waitFor('subscribed to the space', () => subscribed);
      const mod = await server.login('mod@example.com');
      assert.equal((await server.request('POST', `/api/v1/chats/${visitor.spaceId}/send`, { token: mod, body: { text: 'Hello from the desk' } })).status, 201);
      await waitFor('the answer over realtime', () => heard.includes('Hello from the desk'));
    } finally {
      disconnect();
    }
  });
});
