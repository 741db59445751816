import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiMessage } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { DEMO_SECRET, assertChatShape, assertError, assertInvalid, assertMessageShape, countRows, getChat, loginAll, recordBroadcasts, sign, webhook, type Tokens } from './support';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

describe('POST /api/v1/webhooks/sources/{sourceId}', () => {
  let s: TestServer;
  let t: Tokens;
  /** Everything a webhook could write, to prove a refused one wrote nothing. */
  const snapshot = async () => ({
    chats: await countRows(s, 'chats'),
    messages: await countRows(s, 'messages'),
    attachments: await countRows(s, 'attachments'),
    receipts: await countRows(s, 'source_receipts'),
    files: filesUnder(join(s.dataDir, 'files', 'attachments')).length,
  });
  const raw = (sourceId: number | string, body: string, headers: Record<string, string>) =>
    s.request<{ message: string; code: string }>('POST', `/api/v1/webhooks/sources/${sourceId}`, { body, headers: { 'Content-Type': 'application/json', ...headers } });

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  it('creates a chat and its first message for a new customer, and tells the operators', async () => {
    const recorder = recordBroadcasts(s);
    const res = await webhook(s, 2, {
      external_user_id: 'tg-100200',
      user_metadata: { name: 'Paweł Kamiński', phone: '+48 500 100 200', language: 'pl' },
      text: 'Dzień dobry, mam pytanie o fakturę.',
      external_message_id: 'tg-msg-1',
    });
    recorder.stop();
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body.data).sort(), ['chat_id', 'message']);
    assertMessageShape(res.body.data.message);
    assert.equal(res.body.data.message.sender_type, 'client');
    assert.equal(res.body.data.message.text, 'Dzień dobry, mam pytanie o fakturę.');
    assert.equal(res.body.data.message.is_read, false);
    const chat = (await getChat(s, t.mod, res.body.data.chat_id)).body.data;
    assertChatShape(chat);
    assert.equal(chat.source_id, 2);
    assert.equal(chat.status, 'new');
    assert.equal(chat.assigned_to, null);
    assert.equal(chat.external_user_id, 'tg-100200');
    assert.deepEqual(chat.user_metadata, { name: 'Paweł Kamiński', phone: '+48 500 100 200', language: 'pl' });
    assert.equal(chat.unread_count, 1);
    assert.equal(chat.waiting_since, res.body.data.message.created_at);
    assert.deepEqual(
      recorder.events.map((e) => e.event),
      ['ChatCreated', 'NewChatMessage', 'NewChatMessage'],
    );
    const created = recorder.events[0];
    assert.ok(created?.channels.includes('private-user.2'), 'the moderator of Telegram hears of it');
    assert.ok(!created?.channels.includes('private-user.3'), 'the VK moderator does not');
    // mod2 cannot see it at all.
    assertError(await getChat(s, t.mod2, res.body.data.chat_id), 404, 'NOT_FOUND');
  });

  it('adds later messages to the open chat and merges new metadata', async () => {
    const first = await webhook(s, 2, { external_user_id: 'tg-100200', text: 'Numer faktury FV/2026/02/117.', user_metadata: { email: 'pawel@example.pl' } });
    assert.equal(first.status, 201);
    const chat = (await getChat(s, t.mod, first.body.data.chat_id)).body.data;
    assert.equal(chat.external_user_id, 'tg-100200');
    assert.equal(chat.unread_count, 2);
    assert.deepEqual(chat.user_metadata, { name: 'Paweł Kamiński', phone: '+48 500 100 200', language: 'pl', email: 'pawel@example.pl' });
    // The same customer id on another source is another customer.
    const elsewhere = await webhook(s, 3, { external_user_id: 'tg-100200', text: 'Привет' });
    assert.notEqual(elsewhere.body.data.chat_id, first.body.data.chat_id);
  });

  it('stores a repeated external_message_id once and answers the original with 200', async () => {
    const before = await snapshot();
    const body = { external_user_id: 'tg-100200', text: 'Retry me', external_message_id: 'tg-msg-2' };
    const first = await webhook(s, 2, body);
    assert.equal(first.status, 201);
    const again = await webhook(s, 2, { ...body, text: 'the channel re-sent it with other text' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.data, first.body.data);
    const burst = await Promise.all(Array.from({ length: 10 }, () => webhook(s, 2, { ...body, external_message_id: 'tg-msg-3' })));
    assert.equal(new Set(burst.map((r) => r.body.data.message.id)).size, 1);
    assert.deepEqual(burst.map((r) => r.status).sort((a, b) => a - b), [...Array<number>(9).fill(200), 201]);
    assert.deepEqual(await snapshot(), { ...before, messages: before.messages + 2, receipts: before.receipts + 2 });
    // The same external id from another source is another message.
    const other = await webhook(s, 3, { ...body, external_message_id: 'tg-msg-2' });
    assert.equal(other.status, 201);
  });

  it('takes attachments as base64 content (typed from the bytes) and as links', async () => {
    const res = await webhook(s, 1, {
      external_user_id: 'web-attach',
      attachments: [
        { name: 'zrzut.png', mime_type: 'application/x-msdownload', content_base64: PNG.toString('base64') },
        { url: 'https://cdn.example.com/files/Umowa%202026.pdf', mime_type: 'application/pdf' },
      ],
    });
    assert.equal(res.status, 201);
    const message: ApiMessage = res.body.data.message;
    assert.equal(message.text, null);
    const [png, link] = message.attachments;
    assert.ok(png && link);
    assert.deepEqual({ ...png, id: 0 }, { id: 0, name: 'zrzut.png', mime_type: 'image/png', size: PNG.length, url: `${s.url}/api/v1/attachments/${png.id}` });
    assert.deepEqual({ ...link, id: 0 }, { id: 0, name: 'Umowa 2026.pdf', mime_type: 'application/pdf', size: 0, url: 'https://cdn.example.com/files/Umowa%202026.pdf' });
    const download = await fetch(png.url, { headers: { Authorization: `Bearer ${t.mod}` } });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);
    const redirect = await fetch(`${s.url}/api/v1/attachments/${link.id}`, { headers: { Authorization: `Bearer ${t.mod}` }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), link.url);
    // A link whose name is not valid percent-encoding keeps it as sent (no 500).
    const odd = await webhook(s, 1, { external_user_id: 'web-attach', attachments: [{ url: 'https://cdn.example.com/f/raport%E0%A4%A.pdf' }] });
    assert.equal(odd.status, 201);
    assert.equal(odd.body.data.message.attachments[0]?.name, 'raport%E0%A4%A.pdf');
  });

  it('refuses attachments it must not keep, and then stores nothing of the message', async () => {
    const before = await snapshot();
    const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
    const cases: [object, string][] = [
      [{ external_user_id: 'web-bad', text: 'see file', attachments: [{ name: 'x.png', content_base64: html }] }, 'attachments.0'],
      [{ external_user_id: 'web-bad', text: 'see file', attachments: [{ name: 'x.png', content_base64: PNG.toString('base64') }, { name: 'y.exe', content_base64: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]).toString('base64') }] }, 'attachments.1'],
      [{ external_user_id: 'web-bad', text: 'see link', attachments: [{ url: 'javascript:alert(document.cookie)' }] }, 'attachments.0.url'],
      [{ external_user_id: 'web-bad', text: 'see link', attachments: [{ url: 'file:///etc/passwd' }] }, 'attachments.0.url'],
      [{ external_user_id: 'web-bad', text: 'see link', attachments: [{ url: 'data:text/html,<script>alert(1)</script>' }] }, 'attachments.0.url'],
      [{ external_user_id: 'web-bad', text: 'see link', attachments: [{ name: 'no-content.png' }] }, 'attachments.0.url'],
    ];
    for (const [body, field] of cases) {
      const res = await webhook(s, 1, body);
      assertInvalid(res, [field]);
    }
    assert.deepEqual(await snapshot(), before);
    assert.equal(await s.server.store.testing.chatIdByExternalUser('web-bad'), undefined);
  });

  it('refuses a forged, missing or malformed signature with 401 and stores nothing', async () => {
    const before = await snapshot();
    const body = JSON.stringify({ external_user_id: 'intruder', text: 'Click https://evil.example/login', external_message_id: 'forged-1' });
    const tampered = JSON.stringify({ external_user_id: 'intruder', text: 'Click https://evil.example/login!', external_message_id: 'forged-1' });
    const signatures: Record<string, string>[] = [
      {},
      { 'X-Switchboard-Signature': '' },
      { 'X-Switchboard-Signature': sign('wrong-secret', body) },
      { 'X-Switchboard-Signature': sign(DEMO_SECRET, tampered) },
      { 'X-Switchboard-Signature': sign(DEMO_SECRET, body).replace('sha256=', '') },
      { 'X-Switchboard-Signature': sign(DEMO_SECRET, body).replace('sha256=', 'sha1=') },
      { 'X-Switchboard-Signature': `${sign(DEMO_SECRET, body)}00` },
      { 'X-Switchboard-Signature': sign(DEMO_SECRET, body).slice(0, -2) },
    ];
    for (const headers of signatures) {
      const res = await raw(2, body, headers);
      assertError(res, 401, 'UNAUTHENTICATED', 'Invalid signature.');
    }
    assert.deepEqual(await snapshot(), before);
    // Broken JSON with a forged signature is still a 401: the signature is checked before the syntax.
    const broken = '{"external_user_id": "intruder", "text": ';
    assertError(await raw(2, broken, { 'X-Switchboard-Signature': sign('wrong-secret', broken) }), 401, 'UNAUTHENTICATED', 'Invalid signature.');
    assertError(await raw(2, broken, {}), 401, 'UNAUTHENTICATED', 'Invalid signature.');
    assert.deepEqual(await snapshot(), before);
    // The genuine one goes through.
    assert.equal((await raw(2, body, { 'X-Switchboard-Signature': sign(DEMO_SECRET, body) })).status, 201);
  });

  it('checks the signature against the exact bytes sent, whitespace and all', async () => {
    const body = '{\n  "external_user_id": "tg-spaced",\n  "text": "Zażółć gęślą jaźń"\n}';
    const res = await raw(2, body, { 'X-Switchboard-Signature': sign(DEMO_SECRET, body) });
    assert.equal(res.status, 201);
    const reformatted = JSON.stringify(JSON.parse(body));
    assertError(await raw(2, body, { 'X-Switchboard-Signature': sign(DEMO_SECRET, reformatted) }), 401, 'UNAUTHENTICATED');
  });

  it('is 404 for a source that does not exist, signed or not', async () => {
    const before = await snapshot();
    const body = JSON.stringify({ external_user_id: 'x', text: 'hello' });
    for (const source of ['99', 'abc', '0']) {
      assertError(await raw(source, body, { 'X-Switchboard-Signature': sign(DEMO_SECRET, body) }), 404, 'NOT_FOUND');
      assertError(await raw(source, body, {}), 404, 'NOT_FOUND');
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('validates a signed body and stores nothing when it is wrong', async () => {
    const before = await snapshot();
    assertInvalid(await webhook(s, 1, {}), ['external_user_id']);
    assertInvalid(await webhook(s, 1, { external_user_id: 'web-v', text: '  ' }), ['text']);
    assertInvalid(await webhook(s, 1, { external_user_id: 'web-v', text: 'x'.repeat(4001) }), ['text']);
    assertInvalid(await webhook(s, 1, { external_user_id: 42, text: 'hi' }), ['external_user_id']);
    assertInvalid(await webhook(s, 1, { external_user_id: 'web-v', text: 'hi', user_metadata: 'Anna' }), ['user_metadata']);
    const broken = '{"external_user_id": "web-v", "text": ';
    assertInvalid(await raw(1, broken, { 'X-Switchboard-Signature': sign(DEMO_SECRET, broken) }), ['body']);
    assert.deepEqual(await snapshot(), before);
  });

  describe('with small limits', () => {
    let small: TestServer;
    before(async () => {
      small = await startServer({ uploadMaxBytes: 1024, jsonBodyMaxBytes: 16 * 1024 });
    });
    after(() => small.close());

    it('answers 413 for an attachment over the upload limit or a body over the JSON limit, storing nothing', async () => {
      const count = () => small.server.store.testing.count('messages');
      const before = await count();
      const big = Buffer.concat([PNG, Buffer.alloc(2000)]).toString('base64');
      const body = JSON.stringify({ external_user_id: 'big', text: 'file', attachments: [{ name: 'big.png', content_base64: big }] });
      const res = await small.request('POST', '/api/v1/webhooks/sources/1', {
        body,
        headers: { 'Content-Type': 'application/json', 'X-Switchboard-Signature': sign(DEMO_SECRET, body) },
      });
      assertError(res, 413, 'PAYLOAD_TOO_LARGE');
      const huge = JSON.stringify({ external_user_id: 'huge', text: 'x', user_metadata: { note: 'y'.repeat(20 * 1024) } });
      const tooBig = await small.request('POST', '/api/v1/webhooks/sources/1', {
        body: huge,
        headers: { 'Content-Type': 'application/json', 'X-Switchboard-Signature': sign(DEMO_SECRET, huge) },
      });
      assertError(tooBig, 413, 'PAYLOAD_TOO_LARGE');
      assert.equal(await count(), before);
    });
  });
});
