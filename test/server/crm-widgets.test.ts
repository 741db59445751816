import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CrmClient, CrmTemplate, CrmWidget } from '../../server/dialects/crm/presenters';
import { startServer, type TestServer } from '../helpers/server';
import { assertCrmError, assertCrmInvalid, createSpace, crm } from './crm-support';
import { ADMIN_ID, MOD2_ID, MOD_ID, loginAll, type Tokens } from './support';

const SETTING_KEYS = [
  'title', 'description', 'kind', 'responsible_id', 'active', 'theme', 'color', 'locale', 'use_opening_hours', 'opening_hours', 'time_zone',
  'messages_after_hours', 'require_client_data', 'client_data_fields', 'allow_client_attachments', 'allowed_domains', 'welcome_message', 'offline_message',
];

describe('CRM widgets (/chat/widgets…)', () => {
  let s: TestServer;
  let t: Tokens;

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  it('lists and shows widgets with every setting; moderators only their sources’ widgets', async () => {
    const admin = await crm<CrmWidget[]>(s, 'GET', '/chat/widgets.json', { token: t.admin });
    assert.equal(admin.status, 200);
    const demo = admin.body.find((w) => w.id === 1);
    assert.ok(demo);
    assert.deepEqual(Object.keys(demo).sort(), ['created_at', 'id', 'name', 'token', 'updated_at', ...SETTING_KEYS].sort());
    assert.deepEqual([demo.token, demo.title, demo.use_opening_hours, demo.allow_client_attachments], ['demo-widget-token', 'Pomoc', false, true]);
    assert.equal((await crm<CrmWidget[]>(s, 'GET', '/chat/widgets.json', { token: t.mod })).body.length, 1);
    assert.deepEqual((await crm<CrmWidget[]>(s, 'GET', '/chat/widgets.json', { token: t.mod2 })).body, []);
    assert.equal((await crm<CrmWidget>(s, 'GET', '/chat/widgets/1.json', { token: t.mod })).body.title, 'Pomoc');
    assertCrmError(await crm(s, 'GET', '/chat/widgets/1.json', { token: t.mod2 }), 404);
    assertCrmError(await crm(s, 'GET', '/chat/widgets/2.json', { token: t.admin }), 404, 'Not found.');
  });

  it('creates a widget with a generated token and defaults, root key or bare; admins only', async () => {
    const res = await crm<CrmWidget>(s, 'POST', '/chat/widgets.json', {
      token: t.admin,
      body: {
        widget: {
          name: 'Sklep',
          title: 'Pomoc w sklepie',
          theme: 'dark',
          locale: 'pl',
          use_opening_hours: true,
          time_zone: 'Europe/Warsaw',
          opening_hours: { monday: [{ from: '08:00', to: '16:00' }], saturday: [{ from: '10:00', to: '14:00' }] },
          allowed_domains: ['Sklep.Example.pl', '*.example.pl'],
          responsible_id: ADMIN_ID,
        },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.token ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.deepEqual([res.body.name, res.body.title, res.body.theme, res.body.time_zone], ['Sklep', 'Pomoc w sklepie', 'dark', 'Europe/Warsaw']);
    assert.deepEqual(res.body.opening_hours.monday, [{ from: '08:00', to: '16:00' }]);
    assert.deepEqual(res.body.opening_hours.friday, []);
    assert.deepEqual(res.body.allowed_domains, ['sklep.example.pl', '*.example.pl']);
    assert.equal(res.body.messages_after_hours, true, 'a default');
    const bare = await crm<CrmWidget>(s, 'POST', '/chat/widgets.json', { token: t.admin, body: { name: 'Bare' } });
    assert.equal(bare.status, 201);
    assert.equal(bare.body.theme, 'auto');
    assertCrmError(await crm(s, 'POST', '/chat/widgets.json', { token: t.mod, body: { name: 'Mine' } }), 403);
  });

  it('validates every setting with field errors and changes nothing', async () => {
    const before = await crm<CrmWidget[]>(s, 'GET', '/chat/widgets.json?per_page=100', { token: t.admin });
    const errors = assertCrmInvalid(
      await crm(s, 'POST', '/chat/widgets.json', {
        token: t.admin,
        body: {
          widget: {
            name: '',
            theme: 'neon',
            locale: 'de',
            color: 'red',
            time_zone: 'Mars/Olympus',
            opening_hours: { monday: [{ from: '9:00', to: '17:00' }] },
            client_data_fields: ['name', 'age'],
            allowed_domains: ['https://example.com/path'],
            active: 'yes',
            title: 'x'.repeat(121),
          },
        },
      }),
      ['name', 'theme', 'locale', 'color', 'time_zone', 'opening_hours.monday.0.from', 'client_data_fields.1', 'allowed_domains.0', 'active', 'title'],
    );
    assert.deepEqual(errors.theme, ['The selected theme is invalid.']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/widgets.json', { token: t.admin, body: { name: 'R', responsible_id: MOD2_ID } }), ['responsible_id']);
    assertCrmInvalid(await crm(s, 'PATCH', '/chat/widgets/1.json', { token: t.admin, body: { widget: { responsible_id: MOD2_ID } } }), ['responsible_id']);
    assertCrmInvalid(await crm(s, 'PATCH', '/chat/widgets/1.json', { token: t.admin, body: { widget: { token: 'chosen' } } }), ['token']);
    const afterwards = await crm<CrmWidget[]>(s, 'GET', '/chat/widgets.json?per_page=100', { token: t.admin });
    assert.deepEqual(afterwards.body, before.body);
  });

  it('updates settings (200) and regenerates the token with {"widget":{"token":null}}', async () => {
    const created = await crm<CrmWidget>(s, 'POST', '/chat/widgets.json', { token: t.admin, body: { name: 'Token test' } });
    const id = created.body.id;
    const patched = await crm<CrmWidget>(s, 'PATCH', `/chat/widgets/${id}.json`, { token: t.admin, body: { widget: { title: 'Nowy', offline_message: 'Wrócimy o 9', name: 'Renamed' } } });
    assert.equal(patched.status, 200);
    assert.deepEqual([patched.body.title, patched.body.offline_message, patched.body.name, patched.body.token], ['Nowy', 'Wrócimy o 9', 'Renamed', created.body.token]);
    const regenerated = await crm<CrmWidget>(s, 'PATCH', `/chat/widgets/${id}.json`, { token: t.admin, body: { widget: { token: null } } });
    assert.notEqual(regenerated.body.token, created.body.token);
    assert.match(regenerated.body.token ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.equal(regenerated.body.title, 'Nowy', 'other settings stay');
    assert.equal(await s.server.store.widgets.byToken(created.body.token ?? ''), undefined, 'the old token no longer names the widget');
    assertCrmError(await crm(s, 'PATCH', '/chat/widgets/1.json', { token: t.mod, body: { title: 'Hijack' } }), 403);
    assert.equal((await crm<CrmWidget>(s, 'GET', '/chat/widgets/1.json', { token: t.mod })).body.title, 'Pomoc');
  });

  it('deletes a widget without spaces (204); one with spaces is kept (422); admins only', async () => {
    const empty = await crm<CrmWidget>(s, 'POST', '/chat/widgets.json', { token: t.admin, body: { name: 'Empty' } });
    assertCrmError(await crm(s, 'DELETE', '/chat/widgets/1.json', { token: t.mod }), 403);
    const res = await crm(s, 'DELETE', `/chat/widgets/${empty.body.id}.json`, { token: t.admin });
    assert.equal(res.status, 204);
    assertCrmError(await crm(s, 'GET', `/chat/widgets/${empty.body.id}.json`, { token: t.admin }), 404);
    assertCrmInvalid(await crm(s, 'DELETE', '/chat/widgets/1.json', { token: t.admin }), ['widget']);
    assert.equal((await crm(s, 'GET', '/chat/widgets/1.json', { token: t.admin })).status, 200);
  });

  it('a new space takes the widget’s responsible operator', async () => {
    await crm(s, 'PATCH', '/chat/widgets/1.json', { token: t.admin, body: { responsible_id: MOD_ID } });
    const space = await createSpace(s, t.admin);
    assert.equal(space.responsible_id, MOD_ID);
    await crm(s, 'PATCH', '/chat/widgets/1.json', { token: t.admin, body: { responsible_id: null } });
  });
});

describe('CRM templates (/chat/templates…)', () => {
  let s: TestServer;
  let t: Tokens;
  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  it('operators read the templates of their sources and the shared ones', async () => {
    const mod = await crm<CrmTemplate[]>(s, 'GET', '/chat/templates.json', { token: t.mod });
    assert.equal(mod.status, 200);
    assert.deepEqual(Object.keys(mod.body[0] ?? {}).sort(), ['active', 'code', 'content', 'created_at', 'id', 'name', 'updated_at', 'widget_id']);
    assert.ok(mod.body.every((x) => x.widget_id === null || x.widget_id === 1 || x.widget_id === 2));
    assert.ok(mod.body.some((x) => x.code === 'hours' && x.name === 'Godziny pracy'));
    const vk = (await crm<CrmTemplate[]>(s, 'GET', '/chat/templates.json', { token: t.admin })).body.find((x) => x.code === 'vk-promo');
    assert.ok(vk);
    assertCrmError(await crm(s, 'GET', `/chat/templates/${vk.id}.json`, { token: t.mod }), 404);
    assert.equal((await crm(s, 'GET', `/chat/templates/${vk.id}.json`, { token: t.mod2 })).status, 200);
    const page = await crm<CrmTemplate[]>(s, 'GET', '/chat/templates.json?per_page=2', { token: t.admin });
    assert.equal(page.body.length, 2);
    assert.equal(page.headers.get('x-total-count'), '5');
  });

  it('admins create (201), update (200) and delete (204); moderators get 403 and change nothing', async () => {
    const created = await crm<CrmTemplate>(s, 'POST', '/chat/templates.json', { token: t.admin, body: { template: { name: 'Pożegnanie', code: 'bye', content: 'Do usłyszenia!', widget_id: 1 } } });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.name, created.body.code, created.body.content, created.body.widget_id, created.body.active], ['Pożegnanie', 'bye', 'Do usłyszenia!', 1, true]);
    const updated = await crm<CrmTemplate>(s, 'PATCH', `/chat/templates/${created.body.id}.json`, { token: t.admin, body: { content: 'Miłego dnia!', active: false } });
    assert.deepEqual([updated.status, updated.body.content, updated.body.active], [200, 'Miłego dnia!', false]);
    assertCrmError(await crm(s, 'GET', `/chat/templates/${created.body.id}.json`, { token: t.mod }), 404, 'Not found.');
    assertCrmError(await crm(s, 'POST', '/chat/templates.json', { token: t.mod, body: { name: 'x', code: 'x', content: 'x' } }), 403);
    const shared = (await crm<CrmTemplate[]>(s, 'GET', '/chat/templates.json', { token: t.mod })).body.find((x) => x.code === 'greet');
    assertCrmError(await crm(s, 'PATCH', `/chat/templates/${shared?.id}.json`, { token: t.mod, body: { content: 'Hacked' } }), 403);
    assertCrmError(await crm(s, 'DELETE', `/chat/templates/${shared?.id}.json`, { token: t.mod }), 403);
    assert.equal((await crm<CrmTemplate>(s, 'GET', `/chat/templates/${shared?.id}.json`, { token: t.mod })).body.content, 'Здравствуйте! Чем могу помочь?');
    assertCrmInvalid(await crm(s, 'POST', '/chat/templates.json', { token: t.admin, body: { name: 'x', code: 'x', content: 'x', widget_id: 2 } }), ['widget_id']);
    assertCrmInvalid(await crm(s, 'POST', '/chat/templates.json', { token: t.admin, body: {} }), ['name', 'code', 'content']);
    assert.equal((await crm(s, 'DELETE', `/chat/templates/${created.body.id}.json`, { token: t.admin })).status, 204);
    assertCrmError(await crm(s, 'GET', `/chat/templates/${created.body.id}.json`, { token: t.admin }), 404);
  });
});

describe('CRM clients (/chat/clients…)', () => {
  let s: TestServer;
  let t: Tokens;
  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  it('admins and moderators list, create, show and update clients; search matches name, e-mail, phone, company', async () => {
    const created = await crm<CrmClient>(s, 'POST', '/chat/clients.json', { token: t.mod2, body: { client: { name: 'Ольга Смирнова', email: 'olga@example.ru', company: 'Ромашка' } } });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['company', 'created_at', 'email', 'id', 'name', 'notes', 'phone', 'updated_at']);
    const found = await crm<CrmClient[]>(s, 'GET', `/chat/clients.json?search=${encodeURIComponent('ромашка')}`, { token: t.mod });
    assert.deepEqual(found.body.map((c) => c.id), [created.body.id]);
    const updated = await crm<CrmClient>(s, 'PATCH', `/chat/clients/${created.body.id}.json`, { token: t.mod, body: { phone: '+7 916 000 00 00', notes: 'VIP' } });
    assert.deepEqual([updated.status, updated.body.phone, updated.body.notes, updated.body.company], [200, '+7 916 000 00 00', 'VIP', 'Ромашка']);
    assert.equal((await crm<CrmClient>(s, 'GET', `/chat/clients/${created.body.id}.json`, { token: t.admin })).body.notes, 'VIP');
    const all = await crm<CrmClient[]>(s, 'GET', '/chat/clients.json', { token: t.admin });
    assert.equal(all.headers.get('x-total-count'), String(all.body.length));
    assertCrmInvalid(await crm(s, 'POST', '/chat/clients.json', { token: t.admin, body: { email: 'bad' } }), ['name', 'email']);
    assertCrmError(await crm(s, 'GET', '/chat/clients/999999.json', { token: t.admin }), 404);
  });

  it('only admins delete a client (204), which unlinks its spaces', async () => {
    const client = await crm<CrmClient>(s, 'POST', '/chat/clients.json', { token: t.admin, body: { name: 'Do usunięcia', email: 'gone@example.com' } });
    const space = await createSpace(s, t.mod, { email: 'gone@example.com' });
    assert.equal(space.client_id, client.body.id);
    assertCrmError(await crm(s, 'DELETE', `/chat/clients/${client.body.id}.json`, { token: t.mod }), 403);
    assert.equal((await crm(s, 'GET', `/chat/clients/${client.body.id}.json`, { token: t.mod })).status, 200);
    assert.equal((await crm(s, 'DELETE', `/chat/clients/${client.body.id}.json`, { token: t.admin })).status, 204);
    assert.equal((await crm<{ client_id: number | null }>(s, 'GET', `/chat/spaces/${space.id}.json`, { token: t.mod })).body.client_id, null);
  });
});
