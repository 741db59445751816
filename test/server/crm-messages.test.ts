import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MESSAGE_MAX_LENGTH } from '../../common/api';
import type { CrmMessage, CrmSpace } from '../../server/dialects/crm/presenters';
import { startServer, type TestServer } from '../helpers/server';
import { assertCrmError, assertCrmInvalid, assertMessageShape, createSpace, crm } from './crm-support';
import { ADMIN_ID, MOD_ID, chatIdOf, countRows, loginAll, recordBroadcasts, webhook, type Tokens } from './support';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function files(...entries: [name: string, bytes: Uint8Array, type: string][]): FormData {
  const form = new FormData();
  for (const [name, bytes, type] of entries) form.append('attachments[]', new Blob([bytes], { type }), name);
  return form;
}

describe('CRM messages (/chat/messages…)', () => {
  let s: TestServer;
  let t: Tokens;
  let space: CrmSpace;

  before(async () => {
    s = await startServer({ sendPerMinute: 1000, uploadMaxBytes: 4096 });
    t = await loginAll(s);
    space = await createSpace(s, t.mod, { responsible_id: MOD_ID });
  });
  after(() => s.close());

  const send = (token: string, body: unknown) => crm<CrmMessage>(s, 'POST', '/chat/messages.json', { token, body });

  it('sends as the caller through the domain: 201, the operator message, realtime to the desks', async () => {
    const events = recordBroadcasts(s);
    const res = await send(t.mod, { message: { space_token: space.token, message: 'Witamy, jak możemy pomóc?' } });
    events.stop();
    assert.equal(res.status, 201);
    assertMessageShape(res.body);
    assert.deepEqual(
      [res.body.space_id, res.body.space_token, res.body.widget_id, res.body.user_id, res.body.kind, res.body.message],
      [space.id, space.token, 1, MOD_ID, 'operator', 'Witamy, jak możemy pomóc?'],
    );
    assert.ok(events.events.some((e) => e.event === 'NewChatMessage' && e.channels.includes(`private-chat.${space.id}`)));
    // Bare body with space_id; the same client_message_id again is the same message, 200.
    const id = '6f1c2b0e-1d2c-4c4b-9a0e-1f2e3d4c5b6a';
    const first = await send(t.mod, { space_id: space.id, message: 'Raz', client_message_id: id });
    const again = await send(t.mod, { space_id: space.id, message: 'Dwa', client_message_id: id });
    assert.deepEqual([first.status, again.status, again.body.id, again.body.message], [201, 200, first.body.id, 'Raz']);
  });

  it('user_id may name only the caller; an admin may write as another operator who sees the space', async () => {
    assertCrmError(await send(t.mod, { space_id: space.id, message: 'Jako admin', user_id: ADMIN_ID }), 403);
    assert.equal((await send(t.mod, { space_id: space.id, message: 'Jako ja', user_id: MOD_ID })).status, 201);
    const asMod = await send(t.admin, { space_id: space.id, message: 'Od Marii', user_id: MOD_ID });
    assert.equal(asMod.status, 201);
    assert.equal(asMod.body.user_id, MOD_ID);
    assertCrmInvalid(await send(t.admin, { space_id: space.id, message: 'x', user_id: 3 }), ['user_id']);
    const texts = (await crm<CrmMessage[]>(s, 'GET', `/chat/messages.json?space_id=${space.id}&per_page=100`, { token: t.admin })).body.map((m) => m.message);
    assert.ok(!texts.includes('Jako admin') && !texts.includes('x'), 'refused sends stored nothing');
  });

  it('refuses bad sends with field errors and stores nothing', async () => {
    const before = await countRows(s, 'messages');
    assertCrmInvalid(await send(t.mod, { message: { message: 'Bez przestrzeni' } }), ['space_token']);
    assertCrmInvalid(await send(t.mod, { space_id: space.id }), ['message']);
    assertCrmInvalid(await send(t.mod, { space_id: space.id, message: '   ' }), ['message']);
    assertCrmInvalid(await send(t.mod, { space_id: space.id, message: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) }), ['message']);
    assertCrmInvalid(await send(t.mod, { space_id: space.id, message: 'hi', widget_id: 2 }), ['widget_id']);
    assertCrmError(await send(t.mod, { space_token: 'no-such-token', message: 'hi' }), 404, 'Space not found.');
    assertCrmError(await send(t.mod2, { space_id: space.id, message: 'hi' }), 404);
    assert.equal(await countRows(s, 'messages'), before);
    // Emoji count as one character each, as everywhere.
    assert.equal((await send(t.mod, { space_id: space.id, message: '😀'.repeat(MESSAGE_MAX_LENGTH) })).status, 201);
  });

  it('lists a space’s messages oldest first, by space_token or space_id, paged', async () => {
    const chatId = await chatIdOf(s, 'web-a01b');
    const byId = await crm<CrmMessage[]>(s, 'GET', `/chat/messages.json?space_id=${chatId}`, { token: t.admin });
    assert.equal(byId.status, 200);
    byId.body.forEach(assertMessageShape);
    assert.deepEqual(byId.body.map((m) => m.kind), ['client', 'operator', 'client', 'operator']);
    const ids = byId.body.map((m) => m.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(byId.body[0]?.user_id, null, 'the customer has no user id');
    const token = byId.body[0]?.space_token ?? '';
    const byToken = await crm<CrmMessage[]>(s, 'GET', `/chat/messages.json?space_token=${encodeURIComponent(token)}&per_page=2&page=2`, { token: t.admin });
    assert.deepEqual(byToken.body.map((m) => m.id), ids.slice(2, 4));
    assert.equal(byToken.headers.get('x-total-count'), '4');
    assert.match(byToken.headers.get('link') ?? '', /rel="prev"/);
    assertCrmInvalid(await crm(s, 'GET', '/chat/messages.json', { token: t.admin }), ['space_token']);
    assertCrmError(await crm(s, 'GET', `/chat/messages.json?space_id=${chatId}`, { token: t.mod2 }), 404);
  });

  it('shows one message; another team’s is not found', async () => {
    const sent = await send(t.mod, { space_id: space.id, message: 'Pokaż mnie' });
    const res = await crm<CrmMessage>(s, 'GET', `/chat/messages/${sent.body.id}.json`, { token: t.mod });
    assert.deepEqual(res.body, sent.body);
    assertCrmError(await crm(s, 'GET', `/chat/messages/${sent.body.id}.json`, { token: t.mod2 }), 404, 'Message not found.');
    assertCrmError(await crm(s, 'GET', '/chat/messages/99999999.json', { token: t.mod }), 404);
  });

  it('marks a message an operator hid, keeping its text for operators (regression: is_hidden was missing)', async () => {
    const sent = await send(t.mod, { space_id: space.id, message: 'Do ukrycia' });
    assert.equal(sent.body.is_hidden, false);
    assert.equal((await s.request('POST', `/api/v1/messages/${sent.body.id}/hide`, { token: t.admin })).status, 200);
    const res = await crm<CrmMessage>(s, 'GET', `/chat/messages/${sent.body.id}.json`, { token: t.mod });
    assertMessageShape(res.body);
    assert.deepEqual([res.body.is_hidden, res.body.message], [true, 'Do ukrycia']);
  });

  it('PATCH edits the caller’s own text (others 403) and tells the desks', async () => {
    const sent = await send(t.mod, { space_id: space.id, message: 'Literówka' });
    const events = recordBroadcasts(s);
    const res = await crm<CrmMessage>(s, 'PATCH', `/chat/messages/${sent.body.id}.json`, { token: t.mod, body: { message: { message: 'Poprawione' } } });
    events.stop();
    assert.equal(res.status, 200);
    assert.equal(res.body.message, 'Poprawione');
    assert.ok(res.body.edited_at);
    const updated = events.events.find((e) => e.event === 'MessageUpdated');
    assert.ok(updated?.channels.includes(`private-chat.${space.id}`));
    assert.equal((updated?.data as { message: { text: string } }).message.text, 'Poprawione');

    assertCrmError(await crm(s, 'PATCH', `/chat/messages/${sent.body.id}.json`, { token: t.admin, body: { message: 'Admin' } }), 403, 'You may only edit your own messages.');
    const customer = (await webhook(s, 1, { external_user_id: 'web-edit', text: 'Klient' })).body.data.message.id;
    assertCrmError(await crm(s, 'PATCH', `/chat/messages/${customer}.json`, { token: t.admin, body: { message: 'x' } }), 403);
    assertCrmInvalid(await crm(s, 'PATCH', `/chat/messages/${sent.body.id}.json`, { token: t.mod, body: { message: '' } }), ['message']);
    assert.equal((await crm<CrmMessage>(s, 'GET', `/chat/messages/${sent.body.id}.json`, { token: t.mod })).body.message, 'Poprawione');
  });

  it('DELETE removes the caller’s own message or, for admins, any; others 403; 204', async () => {
    const own = await send(t.mod, { space_id: space.id, message: 'Do usunięcia' });
    const events = recordBroadcasts(s);
    const res = await crm(s, 'DELETE', `/chat/messages/${own.body.id}.json`, { token: t.mod });
    events.stop();
    assert.equal(res.status, 204);
    assertCrmError(await crm(s, 'GET', `/chat/messages/${own.body.id}.json`, { token: t.mod }), 404);
    assert.ok(events.events.some((e) => e.event === 'MessageDeleted' && e.channels.includes(`private-user.${MOD_ID}`)));

    const adminsMessage = await send(t.admin, { space_id: space.id, message: 'Od admina' });
    assertCrmError(await crm(s, 'DELETE', `/chat/messages/${adminsMessage.body.id}.json`, { token: t.mod }), 403);
    assert.equal((await crm(s, 'GET', `/chat/messages/${adminsMessage.body.id}.json`, { token: t.mod })).status, 200);
    const modsMessage = await send(t.mod, { space_id: space.id, message: 'Od Marii' });
    assert.equal((await crm(s, 'DELETE', `/chat/messages/${modsMessage.body.id}.json`, { token: t.admin })).status, 204);
    // The space's latest message is the one before, as if the deleted one had never been.
    const shown = await crm<CrmSpace>(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.mod });
    assert.equal(shown.body.last_message_at, adminsMessage.body.created_at);
  });

  it('attach keeps the files in the order they were sent, whichever is written to disk first', async () => {
    // Ten files, larger and smaller by turns: the parser finishes writing them out of order.
    const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')]);
    const names = Array.from({ length: 10 }, (_, i) => `plik-${i}.pdf`);
    const sent = await send(t.mod, { space_id: space.id, message: 'Dokumenty' });
    const res = await crm<CrmMessage>(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, {
      token: t.mod,
      body: files(...names.map((name, i): [string, Uint8Array, string] => [name, pdf(i % 2 === 0 ? 4000 : 10), 'application/pdf'])),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.attachments.map((a) => a.name), names);
  });

  it('attach adds multipart attachments[] checked like uploads (type from content, size limit)', async () => {
    const sent = await send(t.mod, { space_id: space.id, message: 'Zrzut ekranu' });
    const res = await crm<CrmMessage>(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, { token: t.mod, body: files(['a.png', PNG, 'image/png'], ['b.png', PNG, 'image/png']) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.attachments.map((a) => [a.name, a.mime_type, a.size]), [['a.png', 'image/png', PNG.length], ['b.png', 'image/png', PNG.length]]);
    const url = new URL(res.body.attachments[0]?.url ?? '');
    assert.match(url.pathname, /^\/chat\/attachments\/\d+$/);
    const download = await crm(s, 'GET', url.pathname, { token: t.mod });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'image/png');
    assertCrmError(await crm(s, 'GET', url.pathname, { token: t.mod2 }), 404);

    const before = await countRows(s, 'attachments');
    const script = new TextEncoder().encode('#!/bin/sh\nrm -rf /\n');
    assertCrmInvalid(await crm(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, { token: t.mod, body: files(['fake.png', script, 'image/png']) }), ['attachments.0']);
    assertCrmError(await crm(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, { token: t.mod, body: files(['big.png', new Uint8Array(5000), 'image/png']) }), 413);
    assertCrmInvalid(await crm(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, { token: t.mod, body: { attachments: [] } }), ['attachments']);
    assertCrmInvalid(await crm(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, { token: t.mod, body: new FormData() }), ['attachments']);
    const adminsMessage = await send(t.admin, { space_id: space.id, message: 'Admin' });
    assertCrmError(await crm(s, 'POST', `/chat/messages/${adminsMessage.body.id}/attach.json`, { token: t.mod, body: files(['a.png', PNG, 'image/png']) }), 403);
    assert.equal(await countRows(s, 'attachments'), before, 'refused attaches kept nothing');
  });
});

describe('CRM send quota', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ sendPerMinute: 2 });
  });
  after(() => s.close());

  it('is the one send quota per user of every dialect: 429 with Retry-After', async () => {
    const t = await loginAll(s);
    const space = await createSpace(s, t.mod);
    for (let i = 0; i < 2; i++) assert.equal((await crm(s, 'POST', '/chat/messages.json', { token: t.mod, body: { space_id: space.id, message: `m${i}` } })).status, 201);
    const refused = await crm(s, 'POST', '/chat/messages.json', { token: t.mod, body: { space_id: space.id, message: 'too many' } });
    assertCrmError(refused, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
    s.clock.advance(61_000);
    assert.equal((await crm(s, 'POST', '/chat/messages.json', { token: t.mod, body: { space_id: space.id, message: 'later' } })).status, 201);
  });
});
