// A desk restored from its cache shows the list before it syncs: the first page is served from the
// cache with nothing sent to the server, and the sync starts right after it (or a little later when
// no window asks). The filters' catalog (sources, departments, operators) is a request of its own,
// answered from the cache, offline too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { openDesk, postWebhook, signedInDesk, waitFor } from './helpers';
import { startHttpProxy, type HttpProxy } from './proxies';

describe('starting from the cache', () => {
  let server: TestServer;
  let proxy: HttpProxy;
  let dataDir: string;
  let chatId: number;

  before(async () => {
    server = await startServer();
    proxy = await startHttpProxy(server.url);
    chatId = (await postWebhook(server, 1, { external_user_id: 'start-cache', text: 'first', user_metadata: { name: 'Start Customer' } })).chat_id;
    const desk = await signedInDesk({ url: proxy.url }, 'admin@example.com');
    await desk.engine.settled();
    // Seen once online, so it is there offline.
    const { operators } = await desk.client.invoke('catalog.get', {});
    assert.ok(operators.some((operator) => operator.name === 'Maria Moderator'));
    dataDir = desk.dataDir;
    await desk.close();
  });

  after(async () => {
    await proxy.close();
    await server.close();
  });

  const chatRequests = (from: number) => proxy.log.slice(from).filter((request) => request.path.startsWith('/api/v1/chats'));

  it('serves the first page from the cache before asking the server anything, then syncs', async () => {
    await postWebhook(server, 1, { external_user_id: 'start-cache', text: 'written while the desk was closed' });
    const from = proxy.log.length;
    // A long fallback: what starts the sync here is the page being served.
    const desk = openDesk({ dataDir, timing: { syncStartDelayMs: 60_000 } });
    try {
      await desk.engine.ready;
      const { rows } = await desk.client.invoke('chats.list', { tab: 'all' });
      assert.equal(rows.find((row) => row.id === chatId)?.lastMessage?.text, 'first', 'the cached page');
      assert.deepEqual(chatRequests(from), [], 'nothing was asked of the server before the page was served');
      await waitFor('the sync after the first page', async () => {
        const { chat } = await desk.client.invoke('chats.get', { chatId });
        return chat?.lastMessage?.text === 'written while the desk was closed';
      });
      assert.ok(chatRequests(from).length > 0);
    } finally {
      await desk.close();
    }
  });

  it('starts the sync by itself when no window asks for a page', async () => {
    await postWebhook(server, 1, { external_user_id: 'start-cache', text: 'nobody is looking' });
    const desk = openDesk({ dataDir, timing: { syncStartDelayMs: 200 } });
    try {
      await waitFor('the sync without a page', async () => {
        const { chat } = await desk.client.invoke('chats.get', { chatId });
        return chat?.lastMessage?.text === 'nobody is looking';
      });
    } finally {
      await desk.close();
    }
  });

  it('answers the catalog from the cache, offline too', async () => {
    proxy.cut();
    const desk = openDesk({ dataDir });
    try {
      await desk.engine.ready;
      const catalog = await desk.client.invoke('catalog.get', {});
      assert.ok(catalog.sources.some((source) => source.id === 1 && source.name !== ''), JSON.stringify(catalog.sources));
      assert.ok(catalog.operators.some((operator) => operator.name === 'Maria Moderator'));
      for (const department of catalog.departments) assert.equal(typeof department.name, 'string');
    } finally {
      await desk.close();
      proxy.heal();
    }
  });
});
