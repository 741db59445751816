import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AdminDepartment, AdminList, AdminSource, AdminSourceWithSecret, AdminWidget } from '../../common/admin-api';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, assertError, assertInvalid, createUser, DEMO_SECRET, issueToken, TIMESTAMP, webhook } from './support';

// `/api/v1/admin/sources`, `/admin/departments` and `/admin/widgets` through the real server: a
// webhook secret is shown once and the rotated one is what webhooks verify against at once.

const SOURCE_KEYS = ['created_at', 'id', 'name', 'type', 'updated_at', 'webhook_url'];

describe('admin API: sources, departments, widgets', () => {
  let s: TestServer;
  let admin: string;

  before(async () => {
    s = await startServer();
    admin = await issueToken(s, ADMIN_ID);
  });
  after(() => s.close());

  const call = <T = unknown>(method: string, path: string, body?: unknown) => s.request<T>(method, `/api/v1/admin${path}`, { token: admin, body });
  const customer = (sourceId: number, secret: string, text: string) => webhook(s, sourceId, { external_user_id: `admin-test-${text}`, text }, secret);

  describe('sources', () => {
    it('lists every source without its secret', async () => {
      const res = await call<AdminList<AdminSource>>('GET', '/sources');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.slice(0, 4).map((source) => [source.id, source.type]), [[1, 'widget'], [2, 'telegram'], [3, 'vk'], [4, 'api']]);
      for (const source of res.body.data) {
        assert.deepEqual(Object.keys(source).sort(), SOURCE_KEYS);
        assert.equal(source.webhook_url, `${s.url}/api/v1/webhooks/sources/${source.id}`);
        assert.match(source.updated_at, TIMESTAMP);
      }
      assert.ok(!JSON.stringify(res.body).includes(DEMO_SECRET));
      const one = await call<{ data: AdminSource }>('GET', '/sources/2');
      assert.deepEqual(Object.keys(one.body.data).sort(), SOURCE_KEYS);
      assertError(await call('GET', '/sources/9999'), 404, 'NOT_FOUND');
    });

    it('creates a source whose secret is shown once and signs its webhooks', async () => {
      const res = await call<{ data: AdminSourceWithSecret }>('POST', '/sources', { name: 'WhatsApp shop', type: 'whatsapp' });
      assert.equal(res.status, 201);
      const { webhook_secret: secret, ...shown } = res.body.data;
      assert.match(secret, /^[0-9a-f]{64}$/);
      assert.deepEqual([shown.name, shown.type], ['WhatsApp shop', 'whatsapp']);
      const again = await call<{ data: AdminSource }>('GET', `/sources/${shown.id}`);
      assert.deepEqual(again.body.data, shown, 'never shown again');
      assert.ok(!JSON.stringify((await call('GET', '/sources')).body).includes(secret));

      assert.equal((await customer(shown.id, secret, 'hello')).status, 201);
      assert.equal((await customer(shown.id, DEMO_SECRET, 'forged')).status, 401);
    });

    it('rotates a secret: the new one works at once, the old one never again', async () => {
      assert.equal((await customer(3, DEMO_SECRET, 'before')).status, 201);
      const res = await call<{ data: AdminSourceWithSecret }>('POST', '/sources/3/secret');
      assert.equal(res.status, 200);
      const secret = res.body.data.webhook_secret;
      assert.notEqual(secret, DEMO_SECRET);
      assertError(await customer(3, DEMO_SECRET, 'old'), 401, 'UNAUTHENTICATED');
      assert.equal((await customer(3, secret, 'new')).status, 201);
      const rotated = await call<{ data: AdminSourceWithSecret }>('POST', '/sources/3/secret');
      assert.notEqual(rotated.body.data.webhook_secret, secret);
      assert.equal((await customer(3, secret, 'older')).status, 401);
      assertError(await call('POST', '/sources/9999/secret'), 404, 'NOT_FOUND');
    });

    it('renames; refuses bad input with a 422 and changes nothing', async () => {
      const renamed = await call<{ data: AdminSource }>('PATCH', '/sources/2', { name: 'Telegram bot' });
      assert.deepEqual([renamed.status, renamed.body.data.name, renamed.body.data.type], [200, 'Telegram bot', 'telegram']);
      const before = (await call<AdminList<AdminSource>>('GET', '/sources')).body.data;
      assertInvalid(await call('POST', '/sources', {}), ['name', 'type']);
      assertInvalid(await call('POST', '/sources', { name: 'W', type: 'widget' }), ['type']);
      assertInvalid(await call('POST', '/sources', { name: 'x'.repeat(256), type: 'fax' }), ['name', 'type']);
      assertInvalid(await call('PATCH', '/sources/2', { name: '  ' }), ['name']);
      assertError(await call('PATCH', '/sources/9999', { name: 'Nobody' }), 404, 'NOT_FOUND');
      assert.deepEqual((await call<AdminList<AdminSource>>('GET', '/sources')).body.data, before);
    });
  });

  describe('departments', () => {
    it('lists with what uses each, creates, renames, deletes one nobody uses', async () => {
      const list = await call<AdminList<AdminDepartment>>('GET', '/departments');
      const support = list.body.data.find((department) => department.id === 1);
      assert.equal(support?.name, 'Support');
      assert.ok((support?.chats_count ?? 0) > 0);

      const created = await call<{ data: AdminDepartment }>('POST', '/departments', { name: 'Billing' });
      assert.equal(created.status, 201);
      assert.deepEqual([created.body.data.name, created.body.data.users_count, created.body.data.chats_count], ['Billing', 0, 0]);
      const renamed = await call<{ data: AdminDepartment }>('PATCH', `/departments/${created.body.data.id}`, { name: 'Invoices' });
      assert.equal(renamed.body.data.name, 'Invoices');
      assert.equal((await call('DELETE', `/departments/${created.body.data.id}`)).status, 204);
      assertError(await call('GET', `/departments/${created.body.data.id}`), 404, 'NOT_FOUND');
      assertError(await call('DELETE', `/departments/${created.body.data.id}`), 404, 'NOT_FOUND');
    });

    it('refuses to delete a department chats or users still name (422), so nobody sees more than before', async () => {
      assertInvalid(await call('DELETE', '/departments/1'), ['department']);
      const limited = await call<{ data: AdminDepartment }>('POST', '/departments', { name: 'Night shift' });
      await createUser(s, { roles: ['moderator'], sourceIds: [1], departmentIds: [limited.body.data.id] });
      const refused = assertInvalid(await call('DELETE', `/departments/${limited.body.data.id}`), ['department']);
      assert.match(refused.department?.[0] ?? '', /1 user/);
      assert.equal((await call('GET', `/departments/${limited.body.data.id}`)).status, 200, 'still there');
      assertInvalid(await call('POST', '/departments', { name: '' }), ['name']);
      assertInvalid(await call('PATCH', '/departments/1', {}), ['name']);
      assert.equal((await call<{ data: AdminDepartment }>('GET', '/departments/1')).body.data.name, 'Support');
    });
  });

  describe('widgets', () => {
    it('creates, reads, updates settings and regenerates the token, by the same rules as the CRM', async () => {
      const created = await call<{ data: AdminWidget }>('POST', '/widgets', { name: 'Shop', settings: { title: 'Hi', color: '#112233', allowed_domains: ['Shop.Example.com'] } });
      assert.equal(created.status, 201);
      const widget = created.body.data;
      assert.deepEqual([widget.settings.title, widget.settings.color, widget.settings.allowed_domains, widget.settings.theme], ['Hi', '#112233', ['shop.example.com'], 'auto']);
      assert.match(widget.token ?? '', /.{16,}/);
      assert.equal((await s.request('GET', `/chat/widget_data.json?token=${widget.token}`)).status, 200);
      const listed = await call<AdminList<AdminWidget>>('GET', '/widgets');
      assert.ok(listed.body.data.some((row) => row.id === widget.id));
      assert.ok(listed.body.data.every((row) => typeof row.settings.title === 'string'));

      const updated = await call<{ data: AdminWidget }>('PATCH', `/widgets/${widget.id}`, { name: 'Shop 2', settings: { theme: 'dark' } });
      assert.deepEqual([updated.body.data.name, updated.body.data.settings.theme, updated.body.data.settings.title, updated.body.data.token], ['Shop 2', 'dark', 'Hi', widget.token]);
      // The CRM sees the same widget.
      const crm = await s.request<{ theme: string }>('GET', `/chat/widgets/${widget.id}.json?api_token=${encodeURIComponent(admin)}`);
      assert.equal(crm.body.theme, 'dark');

      const regenerated = await call<{ data: AdminWidget }>('POST', `/widgets/${widget.id}/token`);
      assert.notEqual(regenerated.body.data.token, widget.token);
      assert.equal((await s.request('GET', `/chat/widget_data.json?token=${widget.token}`)).status, 404, 'the old snippet is retired');
      assert.equal((await s.request('GET', `/chat/widget_data.json?token=${regenerated.body.data.token}`)).status, 200);

      assert.equal((await call('DELETE', `/widgets/${widget.id}`)).status, 204);
      assertError(await call('GET', `/widgets/${widget.id}`), 404, 'NOT_FOUND');
    });

    it('refuses bad settings with a 422 per field and changes nothing; a widget with spaces is kept', async () => {
      const before = (await call<{ data: AdminWidget }>('GET', '/widgets/1')).body.data;
      assertInvalid(await call('PATCH', '/widgets/1', { settings: { color: 'red', theme: 'pink' } }), ['settings.color', 'settings.theme']);
      assertInvalid(await call('PATCH', '/widgets/1', { settings: { unknown_key: 1 } }), ['settings']);
      assertInvalid(await call('PATCH', '/widgets/1', { settings: { responsible_id: 9999 } }), ['responsible_id']);
      assertInvalid(await call('POST', '/widgets', { settings: {} }), ['name']);
      assertInvalid(await call('DELETE', '/widgets/1'), ['widget']);
      assert.deepEqual((await call<{ data: AdminWidget }>('GET', '/widgets/1')).body.data, before);
      assertError(await call('GET', '/widgets/2'), 404, 'NOT_FOUND', undefined);
    });
  });
});
