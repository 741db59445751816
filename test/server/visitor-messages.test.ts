import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiMessage } from '../../common/api';
import type { VisitorUpload } from '../../common/visitor-api';
import type { CrmErrorBody, VisitorMessage } from '../../common/widget-api';
import { startServer, type TestServer } from '../helpers/server';
import { loginAll, MOD_ID, recordBroadcasts, type Tokens } from './support';
import {
  asVisitor,
  createWidget,
  DEMO_WIDGET_ID,
  hoursStartingIn,
  pngForm,
  setWidget,
  startSpace,
  visitorReads,
  visitorWrites,
} from './visitor-support';

// The visitor's conversation: writing (idempotent by client_message_id), reading what a visitor may
// see, opening hours, attachments, and the two tokens that must belong together.

describe('visitor API: messages', () => {
  let s: TestServer;
  let tokens: Tokens;

  before(async () => {
    s = await startServer({ visitorLimits: { spacesPerIp: 1000, messagesPerMinute: 1000 } });
    tokens = await loginAll(s);
  });
  after(() => s.close());

  it('writes 201; a repeated client_message_id answers 200 with the same message; operators see it unread, as a webhook message', async () => {
    const visitor = await startSpace(s, { name: 'Repeat Rita' });
    const id = randomUUID();
    const first = await visitorWrites(s, visitor, 'Hello, is my order shipped?', id);
    assert.equal(first.status, 201);
    assert.deepEqual(Object.keys(first.body).sort(), ['attachments', 'author', 'client_message_id', 'created_at', 'id', 'is_read', 'kind', 'message', 'space_id', 'updated_at']);
    assert.equal(first.body.kind, 'client');
    assert.equal(first.body.client_message_id, id);
    const again = await visitorWrites(s, visitor, 'a different body', id);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.message, 'Hello, is my order shipped?');
    // The bare form (no root key) works too.
    const bare = await asVisitor<VisitorMessage>(s, visitor, 'POST', '/chat/widget/messages.json', { body: { message: 'bare', client_message_id: randomUUID() } });
    assert.equal(bare.status, 201);

    const chat = await s.request<{ data: ApiChat }>('GET', `/api/v1/chats/${visitor.spaceId}`, { token: tokens.mod });
    assert.equal(chat.body.data.unread_count, 2);
    assert.equal(chat.body.data.latest_message?.text, 'bare');
    const messages = await s.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${visitor.spaceId}/messages`, { token: tokens.mod });
    assert.deepEqual(messages.body.data.map((m) => [m.sender_type, m.text]), [['client', 'bare'], ['client', 'Hello, is my order shipped?']]);
  });

  it('validates the message: text or attachments required, at most 4000 characters, a UUID client_message_id', async () => {
    const visitor = await startSpace(s);
    const before = await s.server.store.testing.count('messages');
    const empty = await asVisitor<CrmErrorBody>(s, visitor, 'POST', '/chat/widget/messages.json', { body: { message: { message: '  ' } } });
    assert.equal(empty.status, 422);
    assert.ok(empty.body.errors?.message);
    const long = await visitorWrites(s, visitor, 'x'.repeat(4001));
    assert.equal(long.status, 422);
    const badId = await asVisitor<CrmErrorBody>(s, visitor, 'POST', '/chat/widget/messages.json', { body: { message: { message: 'hi', client_message_id: 'nope' } } });
    assert.equal(badId.status, 422);
    assert.deepEqual(Object.keys(badId.body.errors ?? {}), ['client_message_id']);
    assert.equal(await s.server.store.testing.count('messages'), before);
  });

  it('shows the visitor only the conversation: no transfer or staff notes, no hidden messages, operators by first name, no e-mails', async () => {
    const visitor = await startSpace(s, { name: 'Curious Carl' });
    await visitorWrites(s, visitor, 'Question one');
    const spam = await visitorWrites(s, visitor, 'buy cheap pills');
    const answer = await s.request<{ data: ApiMessage }>('POST', `/api/v1/chats/${visitor.spaceId}/send`, { token: tokens.mod, body: { text: 'Hi Carl, Maria here.' } });
    assert.equal(answer.status, 201);
    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/transfer`, { token: tokens.mod, body: { assigned_to: 1, note: 'VIP customer, be nice' } })).status, 200);
    assert.equal((await s.request('POST', `/api/messages/chats/${visitor.spaceId}/system-message`, { token: tokens.admin, body: { content: 'Internal: refund approved' } })).status, 201);
    assert.equal((await s.request('POST', `/api/messages/${spam.body.id}/hide`, { token: tokens.admin })).status, 200);
    const adminAnswer = await s.request('POST', `/api/v1/chats/${visitor.spaceId}/send`, { token: tokens.admin, body: { text: 'Admin here.' } });
    assert.equal(adminAnswer.status, 201);

    const res = await visitorReads(s, visitor);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((m) => [m.kind, m.author, m.message]), [
      ['client', null, 'Question one'],
      ['operator', 'Maria', 'Hi Carl, Maria here.'],
      ['operator', 'Admin', 'Admin here.'],
    ]);
    const text = JSON.stringify(res.body);
    for (const secret of ['@example.com', 'VIP customer', 'transferred', 'refund approved', 'cheap pills', 'Moderator', 'sender_id', 'payload']) {
      assert.ok(!text.includes(secret), `the visitor must not see ${secret}: ${text}`);
    }
    // after_id: only what came since.
    const since = await visitorReads(s, visitor, answer.body.data.id);
    assert.deepEqual(since.body.map((m) => m.message), ['Admin here.']);
  });

  it('read.json marks the operators’ messages read for the visitor, never backwards', async () => {
    const visitor = await startSpace(s);
    await visitorWrites(s, visitor, 'ping');
    const answer = await s.request<{ data: ApiMessage }>('POST', `/api/v1/chats/${visitor.spaceId}/send`, { token: tokens.admin, body: { text: 'pong' } });
    assert.equal((await visitorReads(s, visitor)).body.find((m) => m.kind === 'operator')?.is_read, false);
    const read = await asVisitor<{ up_to_id: number }>(s, visitor, 'POST', '/chat/widget/read.json', { body: { up_to_id: answer.body.data.id } });
    assert.equal(read.status, 200);
    assert.equal(read.body.up_to_id, answer.body.data.id);
    assert.equal((await visitorReads(s, visitor)).body.find((m) => m.kind === 'operator')?.is_read, true);
    const back = await asVisitor<{ up_to_id: number }>(s, visitor, 'POST', '/chat/widget/read.json', { body: { up_to_id: 1 } });
    assert.equal(back.body.up_to_id, answer.body.data.id);
    // And the operator reading the visitor's message shows on the visitor's side.
    await s.request('POST', `/api/v1/chats/${visitor.spaceId}/read`, { token: tokens.admin, body: {} });
    assert.equal((await visitorReads(s, visitor)).body.find((m) => m.kind === 'client')?.is_read, true);
  });

  it('after hours: refused with 403 and next_open_at when the widget takes no messages then, accepted when it does', async () => {
    const widget = await createWidget(s, { ...hoursStartingIn(s, 2 * 3600_000), messages_after_hours: false });
    const visitor = await startSpace(s, {}, widget.token);
    const before = await s.server.store.testing.count('messages');
    const closed = await visitorWrites(s, visitor, 'anyone?');
    assert.equal(closed.status, 403);
    assert.equal(closed.body.error, 'We are closed now; please come back during our opening hours.');
    assert.ok(typeof closed.body.next_open_at === 'string');
    const opensAt = Date.parse(closed.body.next_open_at);
    assert.ok(Math.abs(opensAt - (s.clock.now() + 2 * 3600_000)) < 61_000, `${closed.body.next_open_at}`);
    assert.equal(await s.server.store.testing.count('messages'), before);
    const data = await s.request<{ open: boolean; next_open_at: string | null }>('GET', `/chat/widget_data.json?token=${widget.token}`);
    assert.equal(data.body.open, false);
    assert.equal(data.body.next_open_at, closed.body.next_open_at);

    await setWidget(s, widget.id, { messages_after_hours: true });
    assert.equal((await visitorWrites(s, visitor, 'leaving a message')).status, 201);

    await setWidget(s, widget.id, { messages_after_hours: false });
    s.clock.advance(2 * 3600_000 + 60_000);
    try {
      assert.equal((await visitorWrites(s, visitor, 'now you are open')).status, 201);
      assert.equal((await s.request<{ open: boolean }>('GET', `/chat/widget_data.json?token=${widget.token}`)).body.open, true);
    } finally {
      s.clock.advance(-(2 * 3600_000 + 60_000));
    }
    await setWidget(s, widget.id, { active: false });
    const inactive = await visitorWrites(s, visitor, 'still there?');
    assert.equal(inactive.status, 403);
    assert.equal(inactive.body.error, 'This chat is not available at the moment.');
  });

  it('uploads: refused when the widget takes no attachments; otherwise checked from content and sent with a message the operator sees', async () => {
    const widget = await createWidget(s, { allow_client_attachments: false });
    const visitor = await startSpace(s, {}, widget.token);
    const before = await s.server.store.testing.count('messages');
    const refused = await asVisitor<CrmErrorBody>(s, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm() });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'This chat does not take attachments.');

    await setWidget(s, widget.id, { allow_client_attachments: true });
    const fake = new FormData();
    fake.append('file', new Blob(['<html><script>alert(1)</script></html>'], { type: 'image/png' }), 'cat.png');
    const html = await asVisitor<CrmErrorBody>(s, visitor, 'POST', '/chat/widget/uploads.json', { body: fake });
    assert.equal(html.status, 422);
    const upload = await asVisitor<VisitorUpload>(s, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm('cat.png') });
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    assert.equal(upload.body.mime_type, 'image/png');

    // Another space cannot send this upload.
    const other = await startSpace(s, {}, widget.token);
    const stolen = await visitorWrites(s, other, '', randomUUID(), [upload.body.id]);
    assert.equal(stolen.status, 422);
    assert.equal(await s.server.store.testing.count('messages'), before);

    const sent = await visitorWrites(s, visitor, 'my cat', randomUUID(), [upload.body.id]);
    assert.equal(sent.status, 201);
    const [attachment] = sent.body.attachments;
    assert.ok(attachment);
    assert.equal(attachment.name, 'cat.png');
    const file = await fetch(attachment.url, { headers: { 'X-Space-Token': visitor.spaceToken } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.equal((await fetch(attachment.url, { headers: { 'X-Space-Token': other.spaceToken } })).status, 404);
    assert.equal((await fetch(attachment.url)).status, 404);

    const desk = await s.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${visitor.spaceId}/messages`, { token: tokens.admin });
    assert.equal(desk.body.data[0]?.attachments[0]?.name, 'cat.png');
    // The upload was used: it cannot be sent twice.
    assert.equal((await visitorWrites(s, visitor, 'again', randomUUID(), [upload.body.id])).status, 422);
  });

  it('a visitor’s upload expires unsent after the upload lifetime, as an operator’s does', async () => {
    const visitor = await startSpace(s);
    const upload = await asVisitor<VisitorUpload>(s, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm() });
    assert.equal(upload.status, 201);
    s.clock.advance(24 * 3600_000 + 1000);
    try {
      const late = await visitorWrites(s, visitor, '', randomUUID(), [upload.body.id]);
      assert.equal(late.status, 422);
      assert.deepEqual(Object.keys(late.body.errors ?? {}), ['attachments.0']);
    } finally {
      s.clock.advance(-(24 * 3600_000 + 1000));
    }
    // Attachments alone are a message.
    const fresh = await asVisitor<VisitorUpload>(s, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm('only.png') });
    const sent = await asVisitor<VisitorMessage>(s, visitor, 'POST', '/chat/widget/messages.json', { body: { message: { client_message_id: randomUUID() }, attachments: [fresh.body.id] } });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.message, null);
    assert.equal(sent.body.attachments[0]?.name, 'only.png');
  });

  it('a space token answers only with its widget: another space’s messages and another widget’s token are 404', async () => {
    const mine = await startSpace(s, { name: 'Mine' });
    const theirs = await startSpace(s, { name: 'Theirs' });
    await visitorWrites(s, theirs, 'their secret');
    const other = await createWidget(s);
    const crossed = await asVisitor<CrmErrorBody>(s, { widgetToken: other.token, spaceToken: mine.spaceToken }, 'GET', '/chat/widget/messages.json');
    assert.equal(crossed.status, 404);
    for (const spaceToken of ['', 'nonsense']) {
      assert.equal((await asVisitor(s, { widgetToken: mine.widgetToken, spaceToken }, 'GET', '/chat/widget/messages.json')).status, 404);
      assert.equal((await asVisitor(s, { widgetToken: mine.widgetToken, spaceToken }, 'POST', '/chat/widget/typing.json', { body: { typing: true } })).status, 404);
    }
    const own = await visitorReads(s, mine);
    assert.equal(own.status, 200);
    assert.ok(!JSON.stringify(own.body).includes('their secret'));
  });

  it('tells the desks a visitor’s typing once per burst, however often typing.json is posted (regression: a loop reached every desk)', async () => {
    const visitor = await startSpace(s);
    const events = recordBroadcasts(s);
    const post = (typing: boolean) => asVisitor(s, visitor, 'POST', '/chat/widget/typing.json', { body: { typing } });
    for (let i = 0; i < 20; i++) assert.equal((await post(true)).status, 200);
    const told = () => events.events.filter((e) => e.event === 'UserTyping' && e.channels.includes(`private-chat.${visitor.spaceId}`)).map((e) => e.data);
    assert.equal(told().length, 1, 'twenty starts in a burst are one signal');
    await post(false);
    await post(false);
    assert.equal(told().length, 2, 'a stop after a start is told, once');
    s.clock.advance(3000);
    await post(true);
    assert.equal(told().length, 3, 'a new burst later is told again');
    events.stop();
  });

  it('limits messages per space (429 with a sentence), without touching other spaces', async () => {
    const limited = await startServer({ visitorLimits: { messagesPerMinute: 3 } });
    try {
      const visitor = await startSpace(limited);
      for (let i = 0; i < 3; i++) assert.equal((await visitorWrites(limited, visitor, `m${i}`)).status, 201);
      const refused = await visitorWrites(limited, visitor, 'one too many');
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.match(refused.body.error, /^You are sending messages too quickly\. Please wait \d+ seconds? and try again\.$/);
      assert.equal((await visitorWrites(limited, await startSpace(limited), 'another space')).status, 201);
      limited.clock.advance(61_000);
      assert.equal((await visitorWrites(limited, visitor, 'later')).status, 201);
    } finally {
      await limited.close();
    }
  });

  it('limits uploads per space per hour', async () => {
    const limited = await startServer({ visitorLimits: { uploadsPerHour: 2 } });
    try {
      const visitor = await startSpace(limited);
      for (let i = 0; i < 2; i++) assert.equal((await asVisitor(limited, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm() })).status, 201);
      const refused = await asVisitor<CrmErrorBody>(limited, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm() });
      assert.equal(refused.status, 429);
      assert.match(refused.body.error, /^Too many files were sent in this conversation\. Please try again in \d+ minutes\.$/);
    } finally {
      await limited.close();
    }
  });

  it('lists the space in the desk of the widget’s moderators', async () => {
    const visitor = await startSpace(s);
    await visitorWrites(s, visitor, 'for the moderator');
    const list = await s.request<{ data: ApiChat[] }>('GET', `/api/v1/chats?source_id=${DEMO_WIDGET_ID}&per_page=100`, { token: tokens.mod });
    assert.ok(list.body.data.some((chat) => chat.id === visitor.spaceId), `moderator ${MOD_ID} of source 1 lists the space`);
  });
});
