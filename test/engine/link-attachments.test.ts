import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BridgeError } from '../../common/bridge';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, signedInDesk, startServerBehindRelay, waitFor } from './helpers';
import type { HttpProxy } from './proxies';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * Stands for an address only the operator's machine reaches (an intranet admin page, a router):
 * it answers anything and counts every request it gets. Another port is another origin.
 */
async function startBystander(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'Content-Type': 'image/png' });
    response.end(PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function openRefusal(promise: Promise<unknown>): Promise<BridgeError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof BridgeError, `expected a refusal, got ${String(error)}`);
  return error;
}

describe('desk engine: link attachments are never fetched', () => {
  let server: TestServer;
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  before(async () => {
    server = await startServer();
    bystander = await startBystander();
  });
  after(async () => {
    await bystander.close();
    await server.close();
  });

  it("a customer's link is shown as a link with its host and never downloaded; a file beside it still opens offline", async () => {
    const desk = await signedInDesk(server, 'admin@example.com', { realtime: false });
    try {
      const linkUrl = `${bystander.url}/internal-admin?action=reboot`;
      const { chat_id: chatId, message } = await postWebhook(server, 2, {
        external_user_id: 'link-customer',
        text: 'see my screenshot',
        attachments: [
          // An image type: a desk that showed it inline would fetch it without anyone clicking.
          { url: linkUrl, name: 'screenshot.png', mime_type: 'image/png' },
          { name: 'receipt.png', mime_type: 'image/png', content_base64: PNG.toString('base64') },
        ],
      });
      const [link, file] = message.attachments;
      assert.ok(link && file);
      assert.equal(link.url, linkUrl, 'the v1 representation keeps the link as the url');
      await desk.engine.settled();
      // The server's own file is prefetched with the history, so prefetching has run over this message.
      const shown = await waitFor('the file is prefetched', async () => {
        const opened = await desk.client.invoke('chat.open', { chatId });
        const view = opened.messages.find((candidate) => candidate.id === message.id);
        return view?.attachments[1]?.cached === true ? view : undefined;
      });
      assert.deepEqual(shown.attachments[0], {
        id: link.id,
        name: 'screenshot.png',
        mimeType: 'image/png',
        size: 0,
        cached: false,
        link: { url: linkUrl, host: new URL(bystander.url).host },
      });
      assert.equal(shown.attachments[1]?.link, undefined, 'a file on the server is no link');

      // Asking the engine to open the link itself (as an <img src> or a click on a file would) is refused.
      const refused = await openRefusal(desk.client.invoke('attachments.open', { attachmentId: link.id }));
      assert.equal(refused.code, 'not_found');
      assert.match(refused.message, /link to another site/);
      await desk.engine.settled();
      assert.deepEqual(bystander.requests, [], 'nothing reached the address the customer chose');

      // The server itself does not redirect to the link either: a 404 in the v1 format.
      const token = await server.login('admin@example.com');
      const direct = await server.request<{ code: string }>('GET', `/api/v1/attachments/${link.id}`, { token });
      assert.equal(direct.status, 404);
      assert.equal(direct.body.code, 'NOT_FOUND');
      assert.deepEqual(bystander.requests, []);

      await server.stop();
      const opened = await desk.client.invoke('attachments.open', { attachmentId: file.id });
      assert.deepEqual(readFileSync(opened.path), PNG);
      assert.equal(opened.name, 'receipt.png');
    } finally {
      await server.restart();
      await desk.destroy();
    }
  });

  it('a link carrying credentials is shown with its host but not offered for opening', async () => {
    const desk = await signedInDesk(server, 'admin@example.com', { realtime: false });
    try {
      // The OS browser gets only http(s) links without credentials (Electron's openExternal guard, the same rule).
      const { chat_id: chatId, message } = await postWebhook(server, 2, {
        external_user_id: 'link-customer-2',
        attachments: [{ url: 'https://user:secret@files.example.com/file.pdf', name: 'file.pdf', mime_type: 'application/pdf' }],
      });
      await desk.engine.settled();
      const view = await waitFor('the message is cached', async () =>
        (await desk.client.invoke('chat.open', { chatId })).messages.find((candidate) => candidate.id === message.id),
      );
      assert.deepEqual(view.attachments[0]?.link, { url: null, host: 'files.example.com' });
      assert.equal(view.attachments[0]?.cached, false);
    } finally {
      await desk.destroy();
    }
  });
});

describe('desk engine: a redirected download is not followed', () => {
  let server: TestServer;
  let relay: HttpProxy;
  let close: () => Promise<void>;
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  before(async () => {
    bystander = await startBystander();
    // The desk reaches the server through a relay that is also the server's public URL, so the
    // server's files are on the desk's origin; the relay then answers their downloads with a
    // redirect elsewhere, as a server of an older version (or anything on the path) might.
    ({ server, relay, close } = await startServerBehindRelay());
  });
  after(async () => {
    await close();
    await bystander.close();
  });

  it('a 302 on an attachment download leaves the file uncached and the other address untouched', async () => {
    relay.rule = ({ method, path }) =>
      method === 'GET' && path.startsWith('/api/v1/attachments/') ? { answer: 302, headers: { Location: `${bystander.url}/internal-admin` } } : 'pass';
    const desk = await signedInDesk(relay, 'admin@example.com', { realtime: false });
    try {
      const { chat_id: chatId, message } = await postWebhook(server, 2, {
        external_user_id: 'redirect-customer',
        attachments: [{ name: 'receipt.png', mime_type: 'image/png', content_base64: PNG.toString('base64') }],
      });
      const file = message.attachments[0];
      assert.ok(file);
      assert.ok(file.url.startsWith(relay.url), 'the file is on the origin the desk signed in to');
      await desk.engine.settled();
      await waitFor('the prefetch was answered', () => relay.log.some((request) => request.path === `/api/v1/attachments/${file.id}` && request.status === 302));
      const refused = await openRefusal(desk.client.invoke('attachments.open', { attachmentId: file.id }));
      assert.equal(refused.code, 'not_found');
      const view = (await desk.client.invoke('chat.open', { chatId })).messages.find((candidate) => candidate.id === message.id);
      assert.equal(view?.attachments[0]?.cached, false);
      assert.equal(view?.attachments[0]?.link, undefined);
      assert.deepEqual(bystander.requests, [], 'the redirect was not followed');
    } finally {
      relay.rule = () => 'pass';
      await desk.destroy();
    }
  });
});
