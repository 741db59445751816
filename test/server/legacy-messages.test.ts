import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiMessage } from '../../common/api';
import type { LaravelPaginator } from '../../server/dialects/legacy/pagination';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, EMPLOYEE_ID, MOD_ID, assertMessageShape, chatIdOf, countRows, createUser, recordBroadcasts, send, webhook } from './support';
import {
  EMPLOYEE_ASSIGNED,
  assertChat,
  assertChatMessage,
  assertLegacyError,
  assertLegacyInvalid,
  assertMessage,
  call,
  customerChat,
  envelope,
  legacyTokens,
  stored,
  type Envelope,
  type LegacyChat,
  type LegacyChatMessage,
  type LegacyMessage,
  type LegacyTokens,
  type Pagination,
  type ShownChat,
} from './legacy-support';

// The legacy document's messages: the chats family (`/api/chats/{id}/messages`, `/send`, JSON or
// multipart) and the messages family (`/api/messages…`: Laravel's paginator, content + metadata,
// hide, system messages), written over the same chats v1 reads, with one send quota for both.

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<!DOCTYPE html>\n<html><body><script>fetch("/api/auth/me")</script></body></html>\n');

type ChatMessages = Envelope<{ messages: LegacyChatMessage[]; pagination: Pagination }>;
type Sent = Envelope<{ message: LegacyChatMessage }>;
type AltSent = { message: LegacyMessage; status: string };

function form(fields: Record<string, string>, file?: { content: Buffer; name: string; type?: string }): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  if (file) data.append('file', new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }), file.name);
  return data;
}

describe('legacy messages', () => {
  let s: TestServer;
  let t: LegacyTokens;
  /** An admin of its own, so its sends do not count against another test's quota. */
  const freshAdmin = async () => (await createUser(s, { roles: ['admin'] })).token;
  const chatSend = (token: string, chatId: number, body: object | FormData) => call<Sent>(s, 'POST', `/api/chats/${chatId}/send`, token, body);
  const altSend = (token: string, chatId: number, body: object | FormData) => call<AltSent>(s, 'POST', `/api/messages/chats/${chatId}`, token, body);
  const v1Messages = (chatId: number) => s.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${chatId}/messages`, { token: t.admin });
  const pendingUploads = () => {
    const dir = join(s.dataDir, 'files', 'uploads', 'pending');
    return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((entry) => String(entry).includes('.')) : [];
  };

  before(async () => {
    s = await startServer();
    t = await legacyTokens(s);
  });
  after(() => s.close());

  describe('GET /api/chats/{id}/messages', () => {
    it('lists the messages oldest first in the envelope, 50 a page, with the pagination block', async () => {
      const { chatId } = await customerChat(s, 2, 'message 0');
      const external = (await s.server.store.chats.byId(chatId))?.external_user_id ?? '';
      for (let i = 1; i < 55; i++) assert.equal((await webhook(s, 2, { external_user_id: external, text: `message ${i}` })).status, 201);
      const page = (query: string) => call<ChatMessages>(s, 'GET', `/api/chats/${chatId}/messages${query}`, t.admin);
      const first = envelope(await page(''), 200, 'Messages retrieved successfully');
      assert.deepEqual(first.pagination, { current_page: 1, last_page: 2, per_page: 50, total: 55 });
      assert.deepEqual(
        first.messages.map((m) => m.message),
        Array.from({ length: 50 }, (_, i) => `message ${i}`),
      );
      for (const message of first.messages) assertChatMessage(message);
      const second = envelope(await page('?page=2'), 200, 'Messages retrieved successfully');
      assert.deepEqual(
        second.messages.map((m) => m.message),
        ['message 50', 'message 51', 'message 52', 'message 53', 'message 54'],
      );
      const small = envelope(await page('?per_page=10&page=3'), 200, 'Messages retrieved successfully');
      assert.equal(small.messages[0]?.message, 'message 20');
      assert.deepEqual(small.pagination, { current_page: 3, last_page: 6, per_page: 10, total: 55 });
      assertLegacyInvalid(await page('?per_page=101'), ['per_page']);
      assertLegacyError(await call(s, 'GET', `/api/chats/${chatId}/messages`, t.mod2), 404, 'Chat not found.');
    });
  });

  describe('POST /api/chats/{id}/send', () => {
    it('sends a text message: 201 in the envelope, the sender as user; v1 and realtime see the same message', async () => {
      const { chatId } = await customerChat(s);
      const token = await freshAdmin();
      const broadcasts = recordBroadcasts(s);
      const res = await chatSend(token, chatId, { message: 'Спасибо за обращение! Мы решим ваш вопрос', type: 'text' });
      broadcasts.stop();
      const { message } = envelope(res, 201, 'Message sent successfully');
      assertChatMessage(message);
      assert.equal(message.message, 'Спасибо за обращение! Мы решим ваш вопрос');
      assert.equal(message.type, 'text');
      assert.equal(message.is_from_client, false);
      assert.equal(message.file_path, null);
      assert.equal(message.user?.role, 'admin');
      const [newest] = (await v1Messages(chatId)).body.data;
      assert.ok(newest);
      assertMessageShape(newest);
      assert.equal(newest.id, message.id);
      assert.equal(newest.text, message.message);
      assert.equal(newest.sender_type, 'operator');
      const pushed = broadcasts.events.find((b) => b.event === 'NewChatMessage' && b.channels.includes(`private-chat.${chatId}`));
      assert.ok(pushed, 'realtime subscribers of every dialect hear of it');
      assert.ok(res.headers.get('x-ratelimit-remaining'));
    });

    it('validates message (≤ 1000 characters) and type in Laravel sentences, storing nothing', async () => {
      const { chatId } = await customerChat(s);
      const before = await stored(s, chatId);
      assert.deepEqual(assertLegacyInvalid(await chatSend(t.admin, chatId, {}), ['message']).message, ['The message field is required.']);
      assert.deepEqual(assertLegacyInvalid(await chatSend(t.admin, chatId, { message: 'я'.repeat(1001) }), ['message']).message, [
        'The message field must not be greater than 1000 characters.',
      ]);
      assert.deepEqual(assertLegacyInvalid(await chatSend(t.admin, chatId, { message: 'x', type: 'video' }), ['type']).type, ['The selected type is invalid.']);
      assert.deepEqual(assertLegacyInvalid(await chatSend(t.admin, chatId, { message: 'x', type: 'file' }), ['file']).file, [
        'The file field is required when type is file.',
      ]);
      assert.deepEqual(await stored(s, chatId), before);
      assert.equal((await chatSend(await freshAdmin(), chatId, { message: '😀'.repeat(1000) })).status, 201, '1000 characters, not UTF-16 units');
    });

    it('takes a multipart image, typed from its content, and serves it at file_path with the same auth', async () => {
      const chatId = await chatIdOf(s, EMPLOYEE_ASSIGNED);
      const res = await chatSend(t.employee, chatId, form({ message: 'Скриншот ошибки', type: 'image' }, { content: PNG, name: 'screen.png', type: 'image/png' }));
      const { message } = envelope(res, 201, 'Message sent successfully');
      assertChatMessage(message);
      assert.equal(message.type, 'image');
      assert.equal(message.file_name, 'screen.png');
      assert.equal(message.file_size, PNG.length);
      assert.equal(message.user?.id, EMPLOYEE_ID);
      assert.match(message.file_path ?? '', new RegExp(`^${s.url}/api/attachments/\\d+$`));
      const download = (token: string) => fetch(message.file_path ?? '', { headers: { Authorization: `Bearer ${token}` } });
      const file = await download(t.employee);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
      assert.equal((await download(t.mod2)).status, 404, 'not for someone who cannot see the chat');
      const v1 = (await v1Messages(chatId)).body.data[0];
      assert.equal(v1?.attachments[0]?.mime_type, 'image/png');
      assert.deepEqual(pendingUploads(), [], 'the upload became the attachment');
    });

    it('takes a multipart document as a file message, and infers the type when none is given', async () => {
      const { chatId } = await customerChat(s);
      const admin = await freshAdmin();
      const pdf = envelope(await chatSend(admin, chatId, form({ message: 'Договор', type: 'file' }, { content: PDF, name: 'contract.pdf' })), 201, 'Message sent successfully');
      assert.equal(pdf.message.type, 'file');
      assert.equal(pdf.message.file_name, 'contract.pdf');
      const inferred = envelope(await chatSend(admin, chatId, form({ message: 'Фото' }, { content: PNG, name: 'photo.png' })), 201, 'Message sent successfully');
      assert.equal(inferred.message.type, 'image');
    });

    it('refuses a file by its content, whatever its name: an HTML page named .png, a PDF sent as an image; keeps nothing', async () => {
      const { chatId } = await customerChat(s);
      const before = await stored(s, chatId);
      const [uploads, attachments] = [await countRows(s, 'uploads'), await countRows(s, 'attachments')];
      const html = await chatSend(t.admin, chatId, form({ message: 'look', type: 'image' }, { content: HTML, name: 'cat.png', type: 'image/png' }));
      assert.deepEqual(assertLegacyInvalid(html, ['file']).file, ['The file field must be a file of an allowed type (images, PDF, text, office documents, zip).']);
      const notImage = await chatSend(t.admin, chatId, form({ message: 'look', type: 'image' }, { content: PDF, name: 'scan.png' }));
      assert.deepEqual(assertLegacyInvalid(notImage, ['file']).file, ['The file field must be an image.']);
      const asText = await chatSend(t.admin, chatId, form({ message: 'look', type: 'text' }, { content: PNG, name: 'a.png' }));
      assert.deepEqual(assertLegacyInvalid(asText, ['file']).file, ['The file field is prohibited unless type is in file, image.']);
      assertLegacyInvalid(await chatSend(t.admin, chatId, form({ type: 'image' }, { content: PNG, name: 'a.png' })), ['message']);
      assert.deepEqual(await stored(s, chatId), before);
      assert.equal(await countRows(s, 'uploads'), uploads);
      assert.equal(await countRows(s, 'attachments'), attachments);
      assert.deepEqual(pendingUploads(), []);
    });

    it('keeps nothing of a file whose send is refused (the chat is someone else\'s)', async () => {
      const taken = await chatIdOf(s, 'tg-20202'); // the admin's
      const uploads = await countRows(s, 'uploads');
      const res = await chatSend(t.mod, taken, form({ message: 'mine now', type: 'image' }, { content: PNG, name: 'a.png' }));
      assertLegacyError(res, 403, 'This chat is assigned to another operator.');
      assert.equal(await countRows(s, 'uploads'), uploads);
      assert.deepEqual(pendingUploads(), []);
    });

    it('answers 413 in the legacy format for a file over the upload limit', async () => {
      const small = await startServer({ uploadMaxBytes: 1024 });
      try {
        const token = (await legacyTokens(small)).admin;
        const chatId = await chatIdOf(small, 'web-7f3a');
        const big = Buffer.concat([PNG, Buffer.alloc(2048, 0x41)]);
        const res = await call(small, 'POST', `/api/chats/${chatId}/send`, token, form({ message: 'big', type: 'image' }, { content: big, name: 'big.png' }));
        assertLegacyError(res, 413);
        assert.equal(await countRows(small, 'uploads'), 0);
      } finally {
        await small.close();
      }
    });
  });

  describe('GET /api/messages/chats/{chat}', () => {
    it("answers Laravel's paginator of the messages family: direction, status, the channel's message id as wazzup_message_id", async () => {
      const external = `wazzup-${Date.now()}`;
      const first = await webhook(s, 2, { external_user_id: external, text: 'Здравствуйте! У меня вопрос по заказу', external_message_id: 'wz-1001' });
      const chatId = first.body.data.chat_id;
      const admin = await freshAdmin();
      assert.equal((await send(s, admin, chatId, { text: 'Слушаю вас' })).status, 201);
      const res = await call<{ messages: LaravelPaginator<LegacyMessage> }>(s, 'GET', `/api/messages/chats/${chatId}`, t.admin);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['messages']);
      const page = res.body.messages;
      assert.deepEqual(Object.keys(page).sort(), [
        'current_page', 'data', 'first_page_url', 'from', 'last_page', 'last_page_url', 'links', 'next_page_url', 'path', 'per_page', 'prev_page_url', 'to', 'total',
      ]);
      assert.equal(page.current_page, 1);
      assert.equal(page.per_page, 50);
      assert.equal(page.total, 2);
      assert.equal(page.path, `${s.url}/api/messages/chats/${chatId}`);
      for (const message of page.data) assertMessage(message);
      const [incoming, outgoing] = page.data;
      assert.equal(incoming?.direction, 'in');
      assert.equal(incoming?.status, 'delivered');
      assert.equal(incoming?.user, null);
      assert.equal(incoming?.wazzup_message_id, 'wz-1001');
      assert.equal(incoming?.content, 'Здравствуйте! У меня вопрос по заказу');
      assert.equal(outgoing?.direction, 'out');
      assert.equal(outgoing?.status, 'sent');
      assert.equal(outgoing?.type, 'text');
      assert.equal(outgoing?.metadata, null);
    });

    it('pages with per_page and page, its links keeping per_page', async () => {
      const { chatId } = await customerChat(s);
      const external = (await s.server.store.chats.byId(chatId))?.external_user_id ?? '';
      for (let i = 0; i < 4; i++) await webhook(s, 1, { external_user_id: external, text: `more ${i}` });
      const res = await call<{ messages: LaravelPaginator<LegacyMessage> }>(s, 'GET', `/api/messages/chats/${chatId}?per_page=2&page=2`, t.admin);
      const page = res.body.messages;
      assert.deepEqual(
        page.data.map((m) => m.content),
        ['more 1', 'more 2'],
      );
      assert.equal(page.from, 3);
      assert.equal(page.to, 4);
      assert.equal(page.last_page, 3);
      const base = `${s.url}/api/messages/chats/${chatId}`;
      assert.equal(page.prev_page_url, `${base}?per_page=2&page=1`);
      assert.equal(page.next_page_url, `${base}?per_page=2&page=3`);
      assert.deepEqual(
        page.links.map((l) => [l.label, l.active]),
        [['&laquo; Previous', false], ['1', false], ['2', true], ['3', false], ['Next &raquo;', false]],
      );
      assertLegacyInvalid(await call(s, 'GET', `/api/messages/chats/${chatId}?per_page=0`, t.admin), ['per_page']);
      assertLegacyError(await call(s, 'GET', `/api/messages/chats/${chatId}`, t.employee), 404, 'Chat not found.');
    });
  });

  describe('POST /api/messages/chats/{chat}', () => {
    it('sends content with metadata, returned as given, and stored in the message payload', async () => {
      const { chatId } = await customerChat(s);
      const res = await altSend(await freshAdmin(), chatId, { content: 'Понял, спасибо за информацию', type: 'text', metadata: { priority: 'normal', tags: ['vip'] } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['message', 'status']);
      assert.equal(res.body.status, 'Message sent successfully');
      assertMessage(res.body.message);
      assert.deepEqual(res.body.message.metadata, { priority: 'normal', tags: ['vip'] });
      assert.equal(res.body.message.direction, 'out');
      assert.equal(res.body.message.user_id, res.body.message.user?.id);
      const v1 = (await v1Messages(chatId)).body.data[0];
      assert.deepEqual(v1?.payload, { metadata: { priority: 'normal', tags: ['vip'] } });
    });

    it('validates content (≤ 1000), type and metadata (an object, bounded), storing nothing', async () => {
      const { chatId } = await customerChat(s);
      const before = await stored(s, chatId);
      assert.deepEqual(assertLegacyInvalid(await altSend(t.admin, chatId, {}), ['content']).content, ['The content field is required.']);
      assertLegacyInvalid(await altSend(t.admin, chatId, { content: 'я'.repeat(1001) }), ['content']);
      assertLegacyInvalid(await altSend(t.admin, chatId, { content: 'x', type: 'sticker' }), ['type']);
      assert.deepEqual(assertLegacyInvalid(await altSend(t.admin, chatId, { content: 'x', metadata: 'high' }), ['metadata']).metadata, ['The metadata field must be an array.']);
      const deep = JSON.parse(`${'{"a":'.repeat(11)}1${'}'.repeat(11)}`);
      assertLegacyInvalid(await altSend(t.admin, chatId, { content: 'x', metadata: deep }), ['metadata']);
      assert.deepEqual(await stored(s, chatId), before);
    });
  });

  describe('POST /api/messages/chats/{chat}/system-message', () => {
    it('writes a system message (201), which v1 and the chats family show as one', async () => {
      const { chatId } = await customerChat(s);
      const res = await call<AltSent>(s, 'POST', `/api/messages/chats/${chatId}/system-message`, await freshAdmin(), { content: 'Чат передан другому специалисту' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, 'System message sent successfully');
      assertMessage(res.body.message);
      assert.equal(res.body.message.type, 'system');
      assert.equal(res.body.message.direction, 'out');
      const v1 = (await v1Messages(chatId)).body.data[0];
      assert.equal(v1?.sender_type, 'system');
      assert.equal(v1?.text, 'Чат передан другому специалисту');
      const shown = envelope(await call<Envelope<{ chat: ShownChat }>>(s, 'GET', `/api/chats/${chatId}`, t.admin), 200, 'Chat retrieved successfully');
      assert.equal(shown.chat.messages.at(-1)?.type, 'system');
    });

    it('takes at most 500 characters and requires content', async () => {
      const { chatId } = await customerChat(s);
      const before = await stored(s, chatId);
      const path = `/api/messages/chats/${chatId}/system-message`;
      assert.deepEqual(assertLegacyInvalid(await call(s, 'POST', path, t.admin, { content: 'я'.repeat(501) }), ['content']).content, [
        'The content field must not be greater than 500 characters.',
      ]);
      assertLegacyInvalid(await call(s, 'POST', path, t.admin, {}), ['content']);
      assert.deepEqual(await stored(s, chatId), before);
      assert.equal((await call(s, 'POST', path, await freshAdmin(), { content: 'я'.repeat(500) })).status, 201);
    });
  });

  describe('POST /api/messages/{message}/hide', () => {
    it('hides a message: it stays, marked, in every dialect, and MessageHidden reaches its viewers; hiding again is a 200', async () => {
      const { chatId, messageId } = await customerChat(s, 1, 'BUY CHEAP WATCHES');
      const broadcasts = recordBroadcasts(s);
      const res = await call(s, 'POST', `/api/messages/${messageId}/hide`, t.mod);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { message: 'Message hidden successfully' });
      const again = await call(s, 'POST', `/api/messages/${messageId}/hide`, t.admin);
      assert.deepEqual(again.body, { message: 'Message hidden successfully' });
      broadcasts.stop();

      const v1 = (await v1Messages(chatId)).body.data.find((m) => m.id === messageId);
      assert.equal(v1?.is_hidden, true);
      assert.deepEqual(v1?.hidden_by, { id: MOD_ID, name: 'Maria Moderator' }, 'the first hide is kept');
      assert.ok(v1?.hidden_at);
      assert.equal(v1?.text, 'BUY CHEAP WATCHES', 'hidden, not deleted');
      const legacy = (await call<{ messages: LaravelPaginator<LegacyMessage> }>(s, 'GET', `/api/messages/chats/${chatId}`, t.admin)).body.messages.data[0];
      assert.equal(legacy?.is_hidden, true);
      assert.equal(legacy?.hidden_by, MOD_ID);
      assert.equal(legacy?.hidden_at, v1?.hidden_at);
      const shown = envelope(await call<Envelope<{ chat: ShownChat }>>(s, 'GET', `/api/chats/${chatId}`, t.admin), 200, 'Chat retrieved successfully');
      assert.equal(shown.chat.messages[0]?.is_hidden, true);

      const hidden = broadcasts.events.filter((b) => b.event === 'MessageHidden');
      assert.equal(hidden.length, 1, 'once: the second hide changed nothing');
      assert.ok(hidden[0]?.channels.includes(`private-chat.${chatId}`));
      assert.ok(hidden[0]?.channels.includes(`private-user.${MOD_ID}`));
      assert.ok(hidden[0]?.channels.includes(`private-user.${ADMIN_ID}`));
      const data = hidden[0]?.data as { message_id: number; chat_id: number; message: ApiMessage };
      assert.equal(data.message_id, messageId);
      assert.equal(data.chat_id, chatId);
      assert.equal(data.message.is_hidden, true);
    });

    it('is a 404 for a message that does not exist, or that the caller cannot see', async () => {
      assertLegacyError(await call(s, 'POST', '/api/messages/99999999/hide', t.admin), 404, 'Message not found.');
      assertLegacyError(await call(s, 'POST', '/api/messages/abc/hide', t.admin), 404, 'Message not found.');
      const { messageId } = await customerChat(s, 1, 'not yours');
      assertLegacyError(await call(s, 'POST', `/api/messages/${messageId}/hide`, t.mod2), 404, 'Message not found.');
    });
  });

  describe('POST /api/v1/messages/{id}/hide (what the desk calls)', () => {
    it('answers the hidden message in v1\'s shape, refuses in v1\'s format, and is the same rule', async () => {
      const { chatId, messageId } = await customerChat(s, 1, 'spam for v1');
      const hide = (token: string, id: number | string) => s.request<{ data: ApiMessage; code?: string; message?: string }>('POST', `/api/v1/messages/${id}/hide`, { token });
      const res = await hide(t.mod, messageId);
      assert.equal(res.status, 200);
      assertMessageShape(res.body.data);
      assert.equal(res.body.data.is_hidden, true);
      assert.deepEqual(res.body.data.hidden_by, { id: MOD_ID, name: 'Maria Moderator' });
      const reply = await send(s, await freshAdmin(), chatId, { text: 'an admin writes' });
      const before = await stored(s, chatId);
      const refused = await hide(t.mod, reply.body.data.id);
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body, { message: 'Only someone who outranks its author may hide this message.', code: 'FORBIDDEN' });
      assert.equal((await hide(t.mod2, messageId)).body.code, 'NOT_FOUND');
      assert.equal((await hide(t.mod, 'abc')).status, 404);
      assert.equal((await hide(t.employee, messageId)).status, 403, 'v1 is for operators');
      assert.deepEqual(await stored(s, chatId), before);
    });
  });

  describe('one chat, every dialect', () => {
    it('reads back through v1 what was written through legacy', async () => {
      const created = envelope(await call<Envelope<{ chat: LegacyChat }>>(s, 'POST', '/api/chats', t.employee, { title: 'Legacy → v1', type: 'support' }), 201, 'Chat created successfully');
      const chatId = created.chat.id;
      const sent = envelope(await chatSend(t.employee, chatId, { message: 'Первое сообщение' }), 201, 'Message sent successfully');
      const alt = await altSend(t.employee, chatId, { content: 'Второе', metadata: { source: 'crm' } });
      assert.equal(alt.status, 201);
      const v1Chat = (await s.request<{ data: ApiChat }>('GET', `/api/v1/chats/${chatId}`, { token: t.admin })).body.data;
      assert.equal(v1Chat.user_metadata.name, 'Legacy → v1');
      assert.equal(v1Chat.assigned_to, EMPLOYEE_ID, 'answering took the chat, as it does in v1');
      assert.equal(v1Chat.latest_message?.text, 'Второе');
      const messages = (await v1Messages(chatId)).body.data;
      assert.deepEqual(
        messages.map((m) => [m.id, m.text, m.sender_type, m.sender?.id]),
        [
          [alt.body.message.id, 'Второе', 'operator', EMPLOYEE_ID],
          [sent.message.id, 'Первое сообщение', 'operator', EMPLOYEE_ID],
        ],
      );
      for (const message of messages) assertMessageShape(message);
    });

    it('reads back through legacy what was written through v1 and the webhook', async () => {
      const { chatId } = await customerChat(s, 1, 'Нужна помощь с заказом', 'Иван Иванов');
      const admin = await freshAdmin();
      const reply = await send(s, admin, chatId, { text: 'Здравствуйте! Слушаю вас' });
      assert.equal(reply.status, 201);
      const { chat } = envelope(await call<Envelope<{ chat: ShownChat }>>(s, 'GET', `/api/chats/${chatId}`, t.admin), 200, 'Chat retrieved successfully');
      assertChat(chat, ['messages']);
      assert.equal(chat.client_name, 'Иван Иванов');
      assert.equal(chat.client_phone, '+7 777 123 45 67');
      assert.equal(chat.status, 'active');
      assert.deepEqual(
        chat.messages.map((m) => [m.message, m.is_from_client, m.user?.role ?? null]),
        [
          ['Нужна помощь с заказом', true, null],
          ['Здравствуйте! Слушаю вас', false, 'admin'],
        ],
      );
      assert.equal(chat.messages[1]?.id, reply.body.data.id);
    });
  });

  describe('the send quota', () => {
    it('is one quota of 30 a minute per user across v1 and legacy, both sends and system messages', async () => {
      const admin = await createUser(s, { roles: ['admin'] });
      const { chatId } = await customerChat(s);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await send(s, admin.token, chatId, { text: `v1 ${i}` })).status);
      for (let i = 0; i < 10; i++) statuses.push((await chatSend(admin.token, chatId, { message: `legacy ${i}` })).status);
      for (let i = 0; i < 5; i++) statuses.push((await altSend(admin.token, chatId, { content: `alt ${i}` })).status);
      for (let i = 0; i < 4; i++) statuses.push((await call(s, 'POST', `/api/messages/chats/${chatId}/system-message`, admin.token, { content: `note ${i}` })).status);
      const last = await chatSend(admin.token, chatId, { message: 'the 30th' });
      statuses.push(last.status);
      assert.deepEqual(statuses, [...Array(10).fill(201), ...Array(10).fill(201), ...Array(5).fill(201), ...Array(4).fill(201), 201]);
      assert.equal(last.headers.get('x-ratelimit-limit'), '30');
      assert.equal(last.headers.get('x-ratelimit-remaining'), '0');
      const messages = await countRows(s, 'messages');

      const refusedLegacy = await chatSend(admin.token, chatId, { message: 'one too many' });
      assertLegacyError(refusedLegacy, 429, 'Too Many Attempts.');
      assert.ok(Number(refusedLegacy.headers.get('retry-after')) > 0);
      assertLegacyError(await altSend(admin.token, chatId, { content: 'one too many' }), 429);
      const refusedV1 = await send(s, admin.token, chatId, { text: 'one too many' });
      assert.equal(refusedV1.status, 429);
      assert.equal(refusedV1.body.code, 'TOO_MANY_REQUESTS');
      assert.equal(await countRows(s, 'messages'), messages, 'nothing refused was stored');
      // Another user's quota is their own.
      assert.equal((await chatSend(await freshAdmin(), chatId, { message: 'someone else' })).status, 201);

      s.clock.advance(61_000);
      assert.equal((await chatSend(admin.token, chatId, { message: 'a minute later' })).status, 201);
    });
  });
});
