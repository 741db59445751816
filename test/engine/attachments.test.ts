import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiMessage, ChatListResponse } from '../../common/api';
import { BridgeError } from '../../common/bridge';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, serverHistory, signedInDesk, tempDir, waitFor } from './helpers';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function download(server: TestServer, token: string, attachmentId: number): Promise<Buffer> {
  const response = await fetch(`${server.url}/api/v1/attachments/${attachmentId}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

describe('desk engine: attachments', () => {
  let server: TestServer;
  let adminToken: string;
  let chat: ApiChat;
  before(async () => {
    server = await startServer();
    adminToken = await server.login('admin@example.com');
    const modToken = await server.login('mod@example.com');
    const mine = (await server.request<ChatListResponse>('GET', '/api/v1/chats?tab=my&status=open', { token: modToken })).body.data[0];
    assert.ok(mine);
    chat = mine;
  });
  after(() => server.close());

  it('uploads with progress, sends, and the sent file opens from the cache (name kept, also non-ASCII)', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const { upload } = await desk.client.invoke('uploads.add', { name: 'снимок экрана.png', bytes: new Uint8Array(PNG) });
      assert.equal(upload.size, PNG.length);
      await waitFor('uploaded', () => desk.eventsOf('upload.progress').some((event) => event.uploadId === upload.uploadId && event.state === 'uploaded'));
      const states = desk.eventsOf('upload.progress').filter((event) => event.uploadId === upload.uploadId).map((event) => event.state);
      assert.deepEqual([...new Set(states)], ['queued', 'uploading', 'uploaded']);
      assert.equal(desk.eventsOf('upload.progress').filter((event) => event.uploadId === upload.uploadId).at(-1)?.sent, PNG.length);

      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'see the screenshot', uploadIds: [upload.uploadId] });
      assert.equal(message.attachments[0]?.uploadId, upload.uploadId);
      await waitFor('sent', async () => (await desk.client.invoke('outbox.list', {})).entries.length === 0);
      const sent = (await desk.client.invoke('chat.open', { chatId: chat.id })).messages.find((view) => view.key === message.key);
      const attachment = sent?.attachments[0];
      assert.ok(attachment?.id);
      assert.equal(attachment.name, 'снимок экрана.png');
      assert.equal(attachment.cached, true);

      const onServer = (await serverHistory(server, adminToken, chat.id)).find((m: ApiMessage) => m.client_message_id === message.clientMessageId);
      assert.equal(onServer?.attachments[0]?.name, 'снимок экрана.png');
      assert.deepEqual(await download(server, adminToken, attachment.id), PNG);

      await server.stop();
      const opened = await desk.client.invoke('attachments.open', { attachmentId: attachment.id });
      assert.equal(opened.name, 'снимок экрана.png');
      assert.equal(opened.mimeType, 'image/png');
      assert.deepEqual(readFileSync(opened.path), PNG);
      assert.ok(opened.path.startsWith(desk.dataDir));
    } finally {
      await server.restart();
      await desk.destroy();
    }
  });

  it('a file attached while offline is kept by the desk and goes with its message once the server is back', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    const source = join(tempDir(), 'notes.txt');
    writeFileSync(source, 'order 1234: the customer wants a refund\n');
    try {
      await desk.engine.settled();
      await server.stop();
      await waitFor('offline', async () => {
        await desk.client.invoke('chat.typing', { chatId: chat.id, typing: false });
        return (await desk.client.invoke('desk.status', {})).connection.kind === 'offline';
      });
      const { upload } = await desk.client.invoke('uploads.add', { name: 'notes.txt', path: source });
      assert.equal(upload.state, 'queued');
      // The desk copied it: the original may go away.
      writeFileSync(source, 'changed after attaching');
      const { message } = await desk.client.invoke('chat.send', { chatId: chat.id, uploadIds: [upload.uploadId] });
      assert.equal(message.state, 'pending');
      assert.equal(message.attachments[0]?.name, 'notes.txt');

      await server.restart();
      await waitFor('sent', async () => (await desk.client.invoke('outbox.list', {})).entries.length === 0);
      const onServer = (await serverHistory(server, adminToken, chat.id)).filter((m) => m.client_message_id === message.clientMessageId);
      assert.equal(onServer.length, 1);
      const attachmentId = onServer[0]?.attachments[0]?.id ?? 0;
      assert.equal((await download(server, adminToken, attachmentId)).toString(), 'order 1234: the customer wants a refund\n');
    } finally {
      await desk.destroy();
    }
  });

  it("a customer's attachment is downloaded with the history and opens with the server down", async () => {
    const desk = await signedInDesk(server, 'admin@example.com', { realtime: false });
    try {
      const { chat_id: chatId, message } = await postWebhook(server, 2, {
        external_user_id: 'attachment-customer',
        text: 'my receipt',
        attachments: [{ name: 'receipt.png', mime_type: 'image/png', content_base64: PNG.toString('base64') }],
      });
      await desk.engine.settled();
      const attachmentId = message.attachments[0]?.id ?? 0;
      await waitFor('prefetched', async () => {
        const opened = await desk.client.invoke('chat.open', { chatId });
        return opened.messages.find((view) => view.id === message.id)?.attachments[0]?.cached === true;
      });
      await server.stop();
      const opened = await desk.client.invoke('attachments.open', { attachmentId });
      assert.deepEqual(readFileSync(opened.path), PNG);
      assert.equal(opened.name, 'receipt.png');
    } finally {
      await server.restart();
      await desk.destroy();
    }
  });

  it('a file the server refuses fails with its reason, and a message cannot carry it', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { realtime: false });
    try {
      await desk.engine.settled();
      const { upload } = await desk.client.invoke('uploads.add', { name: 'page.html', bytes: new TextEncoder().encode('<html><script>alert(1)</script></html>') });
      const failed = await waitFor('refused', () => desk.eventsOf('upload.progress').find((event) => event.uploadId === upload.uploadId && event.state === 'failed'));
      assert.match(failed.error ?? '', /allowed type/);
      const refused = await desk.client.invoke('chat.send', { chatId: chat.id, text: 'see attached', uploadIds: [upload.uploadId] }).catch((error: unknown) => error);
      assert.ok(refused instanceof BridgeError);
      assert.equal(refused.code, 'validation');
      assert.match(refused.message, /allowed type/);
      assert.equal((await desk.client.invoke('outbox.list', {})).entries.length, 0);
      const missing = await desk.client.invoke('uploads.add', { name: 'x.png', path: join(tempDir(), 'nope.png') }).catch((error: unknown) => error);
      assert.ok(missing instanceof BridgeError && missing.code === 'validation');
    } finally {
      await desk.destroy();
    }
  });
});
