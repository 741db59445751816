import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiMessage } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { signWebhook, TIMESTAMP_HEADER, SIGNATURE_HEADER } from '../../server/dialects/v1/webhook-signature';
import { DEMO_SECRET, assertChatShape, assertError, assertInvalid, assertMessageShape, countRows, getChat, loginAll, recordBroadcasts, signedHeaders, webhook, type Tokens } from './support';

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
  /** The server's time in Unix seconds, as a sender with a correct clock would sign it. */
  const now = () => Math.floor(s.clock.now() / 1000);
  /** A body signed with `secret` at `timestamp`: both headers. */
  const signed = (body: string, secret = DEMO_SECRET, timestamp = now()) => ({ [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body) });

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
    // A link is not a file the server keeps: no redirect to it (desks would follow it), a 404 in the format.
    assertError(await s.request('GET', `/api/v1/attachments/${link.id}`, { token: t.mod }), 404, 'NOT_FOUND');
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
    const good = signed(body)[SIGNATURE_HEADER] ?? '';
    const signatures: Record<string, string>[] = [
      { [TIMESTAMP_HEADER]: String(now()) },
      { [TIMESTAMP_HEADER]: String(now()), [SIGNATURE_HEADER]: '' },
      signed(body, 'wrong-secret'),
      { ...signed(tampered), [TIMESTAMP_HEADER]: String(now()) },
      { [TIMESTAMP_HEADER]: String(now()), [SIGNATURE_HEADER]: good.replace('sha256=', '') },
      { [TIMESTAMP_HEADER]: String(now()), [SIGNATURE_HEADER]: good.replace('sha256=', 'sha1=') },
      { [TIMESTAMP_HEADER]: String(now()), [SIGNATURE_HEADER]: `${good}00` },
      { [TIMESTAMP_HEADER]: String(now()), [SIGNATURE_HEADER]: good.slice(0, -2) },
      // The signature covers the timestamp: moving it by a second breaks it.
      { ...signed(body), [TIMESTAMP_HEADER]: String(now() - 1) },
    ];
    for (const headers of signatures) {
      const res = await raw(2, body, headers);
      assertError(res, 401, 'UNAUTHENTICATED', 'Invalid signature.');
    }
    assert.deepEqual(await snapshot(), before);
    // Broken JSON with a forged signature is still a 401: the signature is checked before the syntax.
    const broken = '{"external_user_id": "intruder", "text": ';
    assertError(await raw(2, broken, signed(broken, 'wrong-secret')), 401, 'UNAUTHENTICATED', 'Invalid signature.');
    assertError(await raw(2, broken, { [TIMESTAMP_HEADER]: String(now()) }), 401, 'UNAUTHENTICATED', 'Invalid signature.');
    assert.deepEqual(await snapshot(), before);
    // The genuine one goes through.
    assert.equal((await raw(2, body, signed(body))).status, 201);
  });

  it('checks the signature against the exact bytes sent, whitespace and all', async () => {
    const body = '{\n  "external_user_id": "tg-spaced",\n  "text": "Zażółć gęślą jaźń"\n}';
    const res = await raw(2, body, signed(body));
    assert.equal(res.status, 201);
    const reformatted = JSON.stringify(JSON.parse(body));
    assertError(await raw(2, body, signed(reformatted)), 401, 'UNAUTHENTICATED');
  });

  describe('replays', () => {
    const stale = `The ${TIMESTAMP_HEADER} header must be the Unix time in seconds, within 5 minutes of the server's clock.`;

    it('refuses a captured request once it is older than 5 minutes, and stores nothing', async () => {
      // No external_message_id: nothing but the timestamp tells a replay from a new message.
      const body = JSON.stringify({ external_user_id: 'tg-replayed', text: 'Proszę o zwrot 100 zł' });
      const headers = signed(body);
      assert.equal((await raw(2, body, headers)).status, 201);
      const before = await snapshot();
      // Within the window a resend is accepted: a channel retrying after a timeout must get through.
      s.clock.advance(4 * 60 * 1000);
      assert.equal((await raw(2, body, headers)).status, 201);
      const afterRetry = await snapshot();
      assert.equal(afterRetry.messages, before.messages + 1);
      s.clock.advance(2 * 60 * 1000);
      for (let i = 0; i < 3; i++) assertError(await raw(2, body, headers), 401, 'UNAUTHENTICATED', stale);
      assert.deepEqual(await snapshot(), afterRetry);
      // The same body signed now is a new message again.
      assert.equal((await raw(2, body, signed(body))).status, 201);
    });

    it('refuses a timestamp 6 minutes ahead of the server, and one that is missing or not Unix seconds', async () => {
      const before = await snapshot();
      const body = JSON.stringify({ external_user_id: 'tg-future', text: 'from the future' });
      assertError(await raw(2, body, signed(body, DEMO_SECRET, now() + 6 * 60)), 401, 'UNAUTHENTICATED', stale);
      const { [SIGNATURE_HEADER]: signature = '' } = signed(body);
      assertError(await raw(2, body, { [SIGNATURE_HEADER]: signature }), 401, 'UNAUTHENTICATED', stale);
      for (const timestamp of ['', 'now', String(s.clock.now()), `${now()}.5`, `-${now()}`, '1e9', `0x${now().toString(16)}`]) {
        const res = await raw(2, body, { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signWebhook(DEMO_SECRET, timestamp, body) });
        assertError(res, 401, 'UNAUTHENTICATED', stale);
      }
      assert.deepEqual(await snapshot(), before);
      // 4 minutes ahead (a sender's clock running fast) is inside the window.
      assert.equal((await raw(2, body, signed(body, DEMO_SECRET, now() + 4 * 60))).status, 201);
    });
  });

  it('answers an unknown source exactly as a known one with a bad signature: 401, the same body', async () => {
    const before = await snapshot();
    const body = JSON.stringify({ external_user_id: 'x', text: 'hello' });
    const answer = async (source: string, headers: Record<string, string>) => {
      const res = await fetch(`${s.url}/api/v1/webhooks/sources/${source}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
    const known = await answer('2', signed(body, 'a-guessed-secret'));
    assert.equal(known.status, 401);
    assert.deepEqual(JSON.parse(known.body), { message: 'Invalid signature.', code: 'UNAUTHENTICATED' });
    for (const source of ['99', '123456789012345', 'abc', '0', '-1']) {
      // Signed with the demo secret, which signs for the sources that exist: still nothing to learn.
      assert.deepEqual(await answer(source, signed(body)), known, source);
      assert.deepEqual(await answer(source, signed(body, 'a-guessed-secret')), known, source);
      assert.deepEqual(await answer(source, { [TIMESTAMP_HEADER]: String(now()) }), known, source);
    }
    // Without a fresh timestamp, every source id, real or not, gets the same other sentence.
    const staleKnown = await answer('2', {});
    assert.equal(staleKnown.status, 401);
    assert.deepEqual(await answer('99', {}), staleKnown);
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
    assertInvalid(await raw(1, broken, signed(broken)), ['body']);
    assert.deepEqual(await snapshot(), before);
  });

  describe('free-form metadata', () => {
    /** `levels` objects, one inside the other, as raw JSON (too deep for JSON.stringify to build). */
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;
    const withMetadata = (external: string, metadata: string) => `{"external_user_id":"${external}","text":"hi","user_metadata":${metadata}}`;
    const tooDeep = 'The user metadata field must not be nested more than 10 levels.';

    it('refuses user_metadata nested 1,001 deep with a 422 and stores nothing, so searches keep working', async () => {
      const before = await snapshot();
      const body = withMetadata('tg-deep', `{"name":"Deep Anna","nest":${nested(1000)}}`);
      const errors = assertInvalid(await raw(2, body, signed(body)), ['user_metadata']);
      assert.deepEqual(errors.user_metadata, [tooDeep]);
      assert.deepEqual(await snapshot(), before);
      assert.equal(await s.server.store.testing.chatIdByExternalUser('tg-deep'), undefined);
      for (const token of [t.admin, t.mod]) {
        for (const needle of ['anna', 'deep', 'zz', 'hi', '1']) {
          assert.equal((await s.request('GET', `/api/v1/chats?search=${needle}`, { token })).status, 200, needle);
        }
      }
    });

    it('answers a body nested 4,000 and 100,000 deep with a 422, not a 500', async () => {
      const before = await snapshot();
      for (const levels of [4000, 100_000]) {
        const body = withMetadata('tg-deeper', nested(levels));
        assert.deepEqual(assertInvalid(await raw(2, body, signed(body)), ['user_metadata']).user_metadata, [tooDeep], String(levels));
      }
      // Deep JSON outside the metadata is not kept at all (unknown keys are dropped), so it harms nothing either.
      const elsewhere = `{"external_user_id":"tg-deeper","text":"hi","extra":${nested(100_000)}}`;
      assert.equal((await raw(2, elsewhere, signed(elsewhere))).status, 201);
      assert.equal((await snapshot()).messages, before.messages + 1);
    });

    it('takes 10 levels, refuses 11, and refuses more than 16 KiB', async () => {
      const before = await snapshot();
      const eleven = withMetadata('tg-levels', nested(11));
      assertInvalid(await raw(2, eleven, signed(eleven)), ['user_metadata']);
      const arrays = withMetadata('tg-levels', `{"list":${'['.repeat(10)}1${']'.repeat(10)}}`);
      assertInvalid(await raw(2, arrays, signed(arrays)), ['user_metadata']);
      const big = await webhook(s, 2, { external_user_id: 'tg-levels', text: 'hi', user_metadata: { note: 'ż'.repeat(8200) } });
      assert.deepEqual(assertInvalid(big, ['user_metadata']).user_metadata, ['The user metadata field must not be greater than 16 kilobytes.']);
      assert.deepEqual(await snapshot(), before);
      const ten = withMetadata('tg-levels', nested(10));
      assert.equal((await raw(2, ten, signed(ten))).status, 201);
      assert.equal((await webhook(s, 2, { external_user_id: 'tg-levels-2', text: 'hi', user_metadata: { note: 'z'.repeat(16_000) } })).status, 201);
    });

    it('bounds what the merged metadata of one customer adds up to', async () => {
      const chunk = (key: string) => ({ [key]: 'm'.repeat(6000) });
      assert.equal((await webhook(s, 3, { external_user_id: 'vk-growing', text: '1', user_metadata: chunk('a') })).status, 201);
      assert.equal((await webhook(s, 3, { external_user_id: 'vk-growing', text: '2', user_metadata: chunk('b') })).status, 201);
      const before = await snapshot();
      const third = await webhook(s, 3, { external_user_id: 'vk-growing', text: '3', user_metadata: chunk('c') });
      assert.deepEqual(assertInvalid(third, ['user_metadata']).user_metadata, ['The user metadata field must not be greater than 16 kilobytes.']);
      assert.deepEqual(await snapshot(), before);
      // Replacing a key keeps the size, so it is taken.
      assert.equal((await webhook(s, 3, { external_user_id: 'vk-growing', text: '4', user_metadata: chunk('a') })).status, 201);
    });
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
        headers: { 'Content-Type': 'application/json', ...signedHeaders(small, body) },
      });
      assertError(res, 413, 'PAYLOAD_TOO_LARGE');
      const huge = JSON.stringify({ external_user_id: 'huge', text: 'x', user_metadata: { note: 'y'.repeat(20 * 1024) } });
      const tooBig = await small.request('POST', '/api/v1/webhooks/sources/1', {
        body: huge,
        headers: { 'Content-Type': 'application/json', ...signedHeaders(small, huge) },
      });
      assertError(tooBig, 413, 'PAYLOAD_TOO_LARGE');
      assert.equal(await count(), before);
    });
  });
});
