import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CrmMessage, CrmSpace } from '../../server/dialects/crm/presenters';
import { startServer, type TestServer } from '../helpers/server';
import { assertCrmError, assertCrmInvalid, assertSpaceShape, createSpace, crm } from './crm-support';
import { ADMIN_ID, EMPLOYEE_ID, MOD2_ID, MOD_ID, chatIdOf, countRows, issueToken, loginAll, recordBroadcasts, webhook, type Tokens } from './support';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('CRM spaces (/chat/spaces…)', () => {
  let s: TestServer;
  let t: Tokens;

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  describe('auth', () => {
    it('takes the token as ?api_token= or as a Bearer header', async () => {
      const query = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json', { token: t.admin });
      const bearer = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json', { token: t.admin, auth: 'bearer' });
      assert.equal(query.status, 200);
      assert.equal(bearer.status, 200);
      assert.deepEqual(query.body.map((x) => x.id), bearer.body.map((x) => x.id));
    });

    it('refuses a missing, wrong or employee token with 401 {"error":"Unauthorized"}', async () => {
      const employee = await issueToken(s, EMPLOYEE_ID);
      for (const token of [undefined, 'nonsense', '1|wrongwrongwrongwrongwrongwrongwrongwrong', employee]) {
        assertCrmError(await crm(s, 'GET', '/chat/spaces.json', { token }), 401, 'Unauthorized');
        assertCrmError(await crm(s, 'POST', '/chat/spaces.json', { token, body: { widget_id: 1 } }), 401, 'Unauthorized');
      }
      assertCrmError(await crm(s, 'GET', '/chat/spaces.json', { token: employee, auth: 'bearer' }), 401, 'Unauthorized');
    });
  });

  it('lists spaces as a bare array, newest activity first, paged with X-Total-Count and Link', async () => {
    const all = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json?per_page=100', { token: t.admin });
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.body));
    all.body.forEach(assertSpaceShape);
    const total = Number(all.headers.get('x-total-count'));
    assert.equal(total, all.body.length);
    assert.ok(all.body.every((space) => space.widget_id === 1), 'only chats of widgets are spaces');

    const page = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json?per_page=2&page=2', { token: t.admin });
    assert.deepEqual(page.body.map((x) => x.id), all.body.slice(2, 4).map((x) => x.id));
    const link = page.headers.get('link') ?? '';
    assert.match(link, /<http:\/\/127\.0\.0\.1:\d+\/chat\/spaces\.json\?page=3&per_page=2>; rel="next"/);
    assert.match(link, /page=1&per_page=2>; rel="prev"/);
    assert.match(link, new RegExp(`page=${Math.ceil(total / 2)}&per_page=2>; rel="last"`));
    assert.doesNotMatch(link, /api_token/, 'the token stays out of the links');

    const defaults = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json', { token: t.admin });
    assert.equal(defaults.body.length, Math.min(25, total));
    assertCrmInvalid(await crm(s, 'GET', '/chat/spaces.json?per_page=101', { token: t.admin }), ['per_page']);
    assertCrmInvalid(await crm(s, 'GET', '/chat/spaces.json?page=0', { token: t.admin }), ['page']);

    const closed = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json?status=closed&per_page=100', { token: t.admin });
    assert.ok(closed.body.length > 0 && closed.body.every((x) => x.status === 'closed'));
    const none = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces.json?widget_id=2', { token: t.admin });
    assert.deepEqual(none.body, [], 'a Telegram source has no spaces');
  });

  it('shows a space with its customer, status and responsible operator', async () => {
    const chatId = await chatIdOf(s, 'web-19c2');
    const res = await crm<CrmSpace>(s, 'GET', `/chat/spaces/${chatId}.json`, { token: t.mod });
    assert.equal(res.status, 200);
    assertSpaceShape(res.body);
    assert.equal(res.body.name, 'Tomasz Nowak');
    assert.equal(res.body.phone, '+48 601 234 567');
    assert.equal(res.body.responsible_id, MOD_ID);
    assert.equal(res.body.status, 'open');
    assert.equal(res.body.messages_count, 3);
    assert.match(res.body.token ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.equal(typeof res.body.client_id, 'number', 'the demo links Tomasz to his contact');
    // A Telegram chat is no space; a widget chat of another team's source does not exist for mod2.
    assertCrmError(await crm(s, 'GET', `/chat/spaces/${await chatIdOf(s, 'tg-55012')}.json`, { token: t.admin }), 404, 'Space not found.');
    assertCrmError(await crm(s, 'GET', `/chat/spaces/${chatId}.json`, { token: t.mod2 }), 404);
    assertCrmError(await crm(s, 'GET', '/chat/spaces/999999.json', { token: t.admin }), 404);
    assertCrmError(await crm(s, 'GET', '/chat/spaces/abc.json', { token: t.admin }), 404);
  });

  it('creates a space on a widget the caller sees, with a space token, root key or bare; 201', async () => {
    const events = recordBroadcasts(s);
    const wrapped = await crm<CrmSpace>(s, 'POST', '/chat/spaces.json', { token: t.mod, body: { space: { widget_id: 1, name: 'Jan Kowalski', email: 'jan@example.pl' } } });
    events.stop();
    assert.equal(wrapped.status, 201);
    assertSpaceShape(wrapped.body);
    assert.deepEqual([wrapped.body.name, wrapped.body.email, wrapped.body.status, wrapped.body.messages_count], ['Jan Kowalski', 'jan@example.pl', 'open', 0]);
    assert.match(wrapped.body.token ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.ok(events.events.some((e) => e.event === 'ChatCreated' && e.channels.includes(`private-user.${MOD_ID}`)), 'desks hear of it');

    const bare = await crm<CrmSpace>(s, 'POST', '/chat/spaces.json', { token: t.admin, body: { widget_id: '1', phone: '+48 601-234-567', responsible_id: MOD_ID } });
    assert.equal(bare.status, 201);
    assert.equal(bare.body.responsible_id, MOD_ID);
    assert.equal(typeof bare.body.client_id, 'number', 'matched to the contact with that phone');
    assert.notEqual(bare.body.token, wrapped.body.token);

    const before = await countRows(s, 'chats');
    assertCrmInvalid(await crm(s, 'POST', '/chat/spaces.json', { token: t.admin, body: { space: { name: 'No widget' } } }), ['widget_id']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/spaces.json', { token: t.admin, body: { widget_id: 2 } }), ['widget_id']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/spaces.json', { token: t.mod2, body: { widget_id: 1 } }), ['widget_id']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/spaces.json', { token: t.admin, body: { widget_id: 1, client_id: 99999 } }), ['client_id']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/spaces.json', { token: t.admin, body: { widget_id: 1, responsible_id: MOD2_ID } }), ['responsible_id']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/spaces.json', { token: t.admin, body: { widget_id: 1, email: 'not-an-email' } }), ['email']);
    const broken = await s.request('POST', `/chat/spaces.json?api_token=${encodeURIComponent(t.admin)}`, { body: '{"widget_id": 1,', headers: { 'Content-Type': 'application/json' } });
    assertCrmInvalid(broken, ['body']);
    assert.equal(await countRows(s, 'chats'), before, 'nothing was created');
  });

  it('updates the customer and the linked client; 200', async () => {
    const space = await createSpace(s, t.mod);
    const res = await crm<CrmSpace>(s, 'PATCH', `/chat/spaces/${space.id}.json`, { token: t.mod, body: { space: { name: 'Renamed', phone: '+48 500 100 200' } } });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.name, res.body.phone, res.body.email], ['Renamed', '+48 500 100 200', null]);
    const cleared = await crm<CrmSpace>(s, 'PATCH', `/chat/spaces/${space.id}.json`, { token: t.mod, body: { phone: null } });
    assert.equal(cleared.body.phone, null);
    assertCrmInvalid(await crm(s, 'PATCH', `/chat/spaces/${space.id}.json`, { token: t.mod, body: { client_id: 424242 } }), ['client_id']);
    const shown = await crm<CrmSpace>(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.mod });
    assert.deepEqual([shown.body.name, shown.body.client_id], ['Renamed', null], 'the refused change changed nothing');
  });

  it('my_spaces lists the spaces the caller is responsible for', async () => {
    const res = await crm<CrmSpace[]>(s, 'GET', '/chat/spaces/my_spaces.json?per_page=100', { token: t.mod });
    assert.equal(res.status, 200);
    assert.ok(res.body.length > 0);
    assert.ok(res.body.every((space) => space.responsible_id === MOD_ID));
    assert.equal(Number(res.headers.get('x-total-count')), res.body.length);
  });

  it('close and open change the status and tell the desks', async () => {
    const space = await createSpace(s, t.mod, { responsible_id: MOD_ID });
    const events = recordBroadcasts(s);
    const closed = await crm<CrmSpace>(s, 'POST', `/chat/spaces/${space.id}/close.json`, { token: t.mod });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.status, 'closed');
    const opened = await crm<CrmSpace>(s, 'POST', `/chat/spaces/${space.id}/open.json`, { token: t.mod });
    assert.equal(opened.body.status, 'open');
    events.stop();
    assert.equal(events.events.filter((e) => e.event === 'ChatUpdated' && e.channels.includes(`private-chat.${space.id}`)).length, 2);
    const again = await crm<CrmSpace>(s, 'POST', `/chat/spaces/${space.id}/open.json`, { token: t.mod });
    assert.equal(again.body.status, 'open', 'opening an open space is a no-op');
    // Someone else's space: the update right is the domain's.
    const theirs = await createSpace(s, t.admin, { responsible_id: ADMIN_ID });
    assertCrmError(await crm(s, 'POST', `/chat/spaces/${theirs.id}/close.json`, { token: t.mod }), 403);
    assert.equal((await crm<CrmSpace>(s, 'GET', `/chat/spaces/${theirs.id}.json`, { token: t.mod })).body.status, 'open');
  });

  it('add_client links an existing client (422 otherwise), remove_client unlinks', async () => {
    const space = await createSpace(s, t.mod);
    const client = await crm<{ id: number }>(s, 'POST', '/chat/clients.json', { token: t.mod, body: { client: { name: 'Acme' } } });
    const linked = await crm<CrmSpace>(s, 'POST', `/chat/spaces/${space.id}/add_client.json`, { token: t.mod, body: { client_id: client.body.id } });
    assert.equal(linked.status, 200);
    assert.equal(linked.body.client_id, client.body.id);
    assertCrmInvalid(await crm(s, 'POST', `/chat/spaces/${space.id}/add_client.json`, { token: t.mod, body: { client_id: 987654 } }), ['client_id']);
    assertCrmInvalid(await crm(s, 'POST', `/chat/spaces/${space.id}/add_client.json`, { token: t.mod, body: {} }), ['client_id']);
    assert.equal((await crm<CrmSpace>(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.mod })).body.client_id, client.body.id);
    const unlinked = await crm<CrmSpace>(s, 'POST', `/chat/spaces/${space.id}/remove_client.json`, { token: t.mod });
    assert.equal(unlinked.body.client_id, null);
  });

  it('editing or deleting a client tells the desks showing its chats at once (regression: they kept the old details)', async () => {
    const space = await createSpace(s, t.mod);
    const client = await crm<{ id: number }>(s, 'POST', '/chat/clients.json', { token: t.mod, body: { client: { name: 'Old Name Ltd' } } });
    await crm(s, 'POST', `/chat/spaces/${space.id}/add_client.json`, { token: t.mod, body: { client_id: client.body.id } });
    const contactOf = (data: unknown) => JSON.stringify(data).match(/"contact":(null|\{[^}]*\})/)?.[1];
    const updates = (events: ReturnType<typeof recordBroadcasts>) =>
      events.events.filter((e) => e.event === 'ChatUpdated' && e.channels.some((c) => c.startsWith('private-user.'))).map((e) => contactOf(e.data));
    const edited = recordBroadcasts(s);
    assert.equal((await crm(s, 'PATCH', `/chat/clients/${client.body.id}.json`, { token: t.mod, body: { client: { name: 'New Name Ltd' } } })).status, 200);
    edited.stop();
    assert.ok(updates(edited).some((contact) => contact?.includes('"name":"New Name Ltd"')), JSON.stringify(edited.events.map((e) => e.event)));
    const deleted = recordBroadcasts(s);
    assert.equal((await crm(s, 'DELETE', `/chat/clients/${client.body.id}.json`, { token: t.admin })).status, 204);
    deleted.stop();
    assert.ok(updates(deleted).includes('null'), 'the chat now shows no client');
  });

  it('change_responsible is a transfer: a system message and realtime events', async () => {
    const space = await createSpace(s, t.admin, { responsible_id: ADMIN_ID });
    const events = recordBroadcasts(s);
    const res = await crm<CrmSpace>(s, 'POST', `/chat/spaces/${space.id}/change_responsible.json`, { token: t.admin, body: { space: { responsible_id: MOD_ID, note: 'Polish speaker' } } });
    events.stop();
    assert.equal(res.status, 200);
    assert.equal(res.body.responsible_id, MOD_ID);
    const messages = await crm<CrmMessage[]>(s, 'GET', `/chat/messages.json?space_id=${space.id}`, { token: t.admin });
    const note = messages.body.at(-1);
    assert.equal(note?.kind, 'system');
    assert.match(note?.message ?? '', /transferred the chat to Maria Moderator: Polish speaker/);
    assert.ok(events.events.some((e) => e.event === 'NewChatMessage'));
    assert.ok(events.events.some((e) => e.event === 'ChatUpdated' && e.channels.includes(`private-user.${MOD_ID}`)));
    assertCrmInvalid(await crm(s, 'POST', `/chat/spaces/${space.id}/change_responsible.json`, { token: t.admin, body: { responsible_id: MOD2_ID } }), ['responsible_id']);
    assertCrmInvalid(await crm(s, 'POST', `/chat/spaces/${space.id}/change_responsible.json`, { token: t.admin, body: { responsible_id: MOD_ID } }), ['responsible_id']);
    assert.equal((await crm<CrmSpace>(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.admin })).body.responsible_id, MOD_ID);
  });

  it('delete is for admins (others 403) and removes the messages and their files; 204', async () => {
    const space = await createSpace(s, t.mod);
    const sent = await crm<CrmMessage>(s, 'POST', '/chat/messages.json', { token: t.mod, body: { space_id: space.id, message: 'Plik w załączniku' } });
    const form = new FormData();
    form.append('attachments[]', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
    const attached = await crm<CrmMessage>(s, 'POST', `/chat/messages/${sent.body.id}/attach.json`, { token: t.mod, body: form });
    assert.equal(attached.status, 200, JSON.stringify(attached.body));
    const attachmentId = attached.body.attachments[0]?.id ?? 0;
    const path = await s.server.store.testing.attachmentStoragePath(attachmentId);
    assert.ok(path && existsSync(join(s.server.config.uploadsDir, path)));

    assertCrmError(await crm(s, 'DELETE', `/chat/spaces/${space.id}.json`, { token: t.mod }), 403, 'Only administrators may delete spaces.');
    assert.equal((await crm(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.mod })).status, 200, 'still there');

    const events = recordBroadcasts(s);
    const res = await crm(s, 'DELETE', `/chat/spaces/${space.id}.json`, { token: t.admin });
    events.stop();
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    assertCrmError(await crm(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.admin }), 404);
    assertCrmError(await crm(s, 'GET', `/chat/messages/${sent.body.id}.json`, { token: t.admin }), 404, 'Message not found.');
    assert.equal(existsSync(join(s.server.config.uploadsDir, path)), false, 'its files are gone');
    assert.ok(events.events.some((e) => e.event === 'ChatDeleted' && e.channels.includes(`private-user.${MOD_ID}`)));
  });

  it('a visitor writing in after the CRM links a contact keeps that link (webhook customers are matched too)', async () => {
    const res = await webhook(s, 1, { external_user_id: 'web-crm-match', user_metadata: { email: 'TOMASZ.NOWAK@example.pl' }, text: 'Dzień dobry' });
    assert.equal(res.status, 201);
    const shown = await crm<CrmSpace>(s, 'GET', `/chat/spaces/${res.body.data.chat_id}.json`, { token: t.admin });
    assert.equal(shown.body.client_id, 1);
  });
});

describe('CRM auth on every form of a path (fuzz finding)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('a trailing slash reaches the same route behind the same token check', async () => {
    const t = await loginAll(s);
    for (const path of ['/chat/clients.json/', '/chat/spaces.json/', '/chat/widgets/1.json/', '/chat/templates.json/', '/chat/spaces/my_spaces.json/']) {
      assertCrmError(await crm(s, 'GET', path), 401, 'Unauthorized');
      assert.equal((await crm(s, 'GET', path, { token: t.admin })).status, 200, path);
    }
  });

  it('list links carry only the list’s own filters, however many parameters the request had', async () => {
    const t = await loginAll(s);
    const junk = Array.from({ length: 900 }, (_, i) => `p${i}=${i}`).join('&');
    const res = await crm(s, 'GET', `/chat/spaces.json?status=open&${junk}`, { token: t.admin });
    assert.equal(res.status, 200);
    const link = res.headers.get('link') ?? '';
    assert.ok(link.length < 1000, `Link is ${link.length} characters`);
    assert.match(link, /status=open&page=1&per_page=25>; rel="first"/);
    assert.doesNotMatch(link, /p0=/);
  });
});

describe('the linked CRM client in v1 and on the desks', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('a v1 chat carries its contact ({id,name,email,phone,company} or null), and a link made in the CRM is broadcast with it', async () => {
    const t = await loginAll(s);
    const tomasz = await chatIdOf(s, 'web-19c2');
    const shown = await s.request<{ data: { contact: unknown } }>('GET', `/api/v1/chats/${tomasz}`, { token: t.mod });
    assert.deepEqual(shown.body.data.contact, { id: 1, name: 'Tomasz Nowak', email: 'tomasz.nowak@example.pl', phone: '+48 601 234 567', company: 'Nowak Logistyka sp. z o.o.' });
    const space = await createSpace(s, t.mod);
    const unlinked = await s.request<{ data: { contact: unknown } }>('GET', `/api/v1/chats/${space.id}`, { token: t.mod });
    assert.equal(unlinked.body.data.contact, null);

    const events = recordBroadcasts(s);
    await crm(s, 'POST', `/chat/spaces/${space.id}/add_client.json`, { token: t.mod, body: { client_id: 2 } });
    events.stop();
    const update = events.events.find((e) => e.event === 'ChatUpdated' && e.channels.includes(`private-chat.${space.id}`));
    assert.equal((update?.data as { chat: { contact: { name: string } | null } }).chat.contact?.name, 'Emily Carter');
    const list = await s.request<{ data: { id: number; contact: { id: number } | null }[] }>('GET', '/api/v1/chats?per_page=100', { token: t.mod });
    assert.equal(list.body.data.find((chat) => chat.id === space.id)?.contact?.id, 2);
  });
});
