import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiCannedResponse, ApiConfig, ApiDevice, ApiErrorBody } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, EMPLOYEE_ID, MOD2_ID, MOD_ID, assertError, assertInvalid, chatIdOf, createUser, issueToken, loginAll, type Tokens } from './support';

type CannedList = { data: ApiCannedResponse[] } & Partial<ApiErrorBody>;
type CannedOne = { data: ApiCannedResponse } & Partial<ApiErrorBody>;

describe('devices, canned responses, config and operators', () => {
  let s: TestServer;
  let t: Tokens;
  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  describe('devices', () => {
    const register = (token: string, body: unknown) =>
      s.request<{ data: ApiDevice } & Partial<ApiErrorBody>>('POST', '/api/v1/devices/register-token', { token, body });
    const owner = (token: string) => s.server.store.testing.deviceOwner(token);

    it('registers an FCM token, and registering it again updates the same row', async () => {
      const fcm = `fcm:APA91b${'x'.repeat(140)}`;
      const res = await register(t.mod, { token: fcm, platform: 'android' });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body, { data: { id: res.body.data.id, token: fcm, platform: 'android' } });
      const again = await register(t.mod, { token: fcm, platform: 'ios' });
      assert.equal(again.status, 201);
      assert.equal(again.body.data.id, res.body.data.id);
      assert.equal(again.body.data.platform, 'ios');
      assert.deepEqual(await owner(fcm), { user_id: MOD_ID, platform: 'ios' });
    });

    describe('a token another account registered', () => {
      const taken = { message: 'The token has already been registered by another account.', code: 'VALIDATION_ERROR', errors: { token: ['The token has already been registered by another account.'] } };
      const moderator = () => createUser(s, { roles: ['moderator'], sourceIds: [1] });
      let serial = 0;
      const fcmToken = () => `fcm:shared-device-${++serial}`;

      it("is refused while that account's session is live, and can be registered by anyone once it logs out", async () => {
        const [a, b] = [await moderator(), await moderator()];
        const fcm = fcmToken();
        const mine = await register(a.token, { token: fcm, platform: 'android' });
        assert.equal(mine.status, 201);
        const refused = await register(b.token, { token: fcm, platform: 'android' });
        assert.equal(refused.status, 422);
        assert.deepEqual(refused.body, taken);
        assert.deepEqual(await owner(fcm), { user_id: a.id, platform: 'android' }, 'A still receives its pushes');
        // Registering your own again keeps working, from the same session or another one of yours.
        assert.equal((await register(a.token, { token: fcm, platform: 'android' })).body.data.id, mine.body.data.id);
        const aElsewhere = await issueToken(s, a.id);
        assert.equal((await register(aElsewhere, { token: fcm, platform: 'ios' })).status, 201);
        assert.equal((await register(b.token, { token: fcm, platform: 'ios' })).status, 422);
        // A's registering session logs out: the registration goes with it, and B signs in on the device.
        assert.equal((await s.request('POST', '/api/v1/auth/logout', { token: aElsewhere })).status, 200);
        assert.equal(await owner(fcm), undefined, 'no pushes for A on a device A signed out of');
        const taken2 = await register(b.token, { token: fcm, platform: 'ios' });
        assert.equal(taken2.status, 201);
        assert.deepEqual(await owner(fcm), { user_id: b.id, platform: 'ios' });
        assert.equal((await register(a.token, { token: fcm, platform: 'ios' })).status, 422, 'and now A cannot take it from B');
      });

      it('can be registered once the session that holds it has expired', async () => {
        const short = await startServer({ tokenTtlMinutes: 60 });
        try {
          const [a, b] = [await createUser(short, { roles: ['moderator'] }), await createUser(short, { roles: ['moderator'] })];
          const fcm = fcmToken();
          const post = (token: string) => short.request('POST', '/api/v1/devices/register-token', { token, body: { token: fcm, platform: 'web' } });
          assert.equal((await post(a.token)).status, 201);
          assert.equal((await post(b.token)).status, 422);
          short.clock.advance(61 * 60_000);
          const bAgain = await issueToken(short, b.id);
          assert.equal((await post(bAgain)).status, 201);
          assert.deepEqual(await short.server.store.testing.deviceOwner(fcm), { user_id: b.id, platform: 'web' });
        } finally {
          await short.close();
        }
      });

      it('can be registered once the user who holds it was deactivated', async () => {
        const [a, b] = [await moderator(), await moderator()];
        const deactivated = fcmToken();
        assert.equal((await register(a.token, { token: deactivated, platform: 'web' })).status, 201);
        assert.equal((await register(b.token, { token: deactivated, platform: 'web' })).status, 422);
        await s.server.store.users.setActive(a.id, false, Date.now());
        assert.equal((await register(b.token, { token: deactivated, platform: 'web' })).status, 201);
        assert.deepEqual(await owner(deactivated), { user_id: b.id, platform: 'web' });
      });

      it('registered before sessions were recorded is held while its user has any live session', async () => {
        const [a, b] = [await moderator(), await moderator()];
        const legacy = fcmToken();
        assert.equal((await register(a.token, { token: legacy, platform: 'android' })).status, 201);
        await s.server.store.testing.forgetDeviceSession(legacy);
        assert.equal((await register(b.token, { token: legacy, platform: 'android' })).status, 422);
        assert.equal((await s.request('POST', '/api/v1/auth/logout', { token: a.token })).status, 200);
        assert.deepEqual(await owner(legacy), { user_id: a.id, platform: 'android' }, 'no session to cascade from');
        assert.equal((await register(b.token, { token: legacy, platform: 'android' })).status, 201);
        assert.deepEqual(await owner(legacy), { user_id: b.id, platform: 'android' });
      });
    });

    it('validates token and platform', async () => {
      assert.deepEqual(assertInvalid(await register(t.mod, {}), ['platform', 'token']), {
        token: ['The token field is required.'],
        platform: ['The platform field is required.'],
      });
      assert.deepEqual(assertInvalid(await register(t.mod, { token: 'x'.repeat(501), platform: 'web' }), ['token']).token, [
        'The token field must not be greater than 500 characters.',
      ]);
      assert.equal((await register(t.mod, { token: 'y'.repeat(500), platform: 'web' })).status, 201);
      assert.deepEqual(assertInvalid(await register(t.mod, { token: 'abc', platform: 'symbian' }), ['platform']).platform, ['The selected platform is invalid.']);
      assertInvalid(await register(t.mod, { token: 123, platform: 'web' }), ['token']);
    });

    it("removes the caller's own token and never someone else's", async () => {
      const mine = 'fcm:mine-1';
      const theirs = 'fcm:theirs-1';
      await register(t.mod, { token: mine, platform: 'web' });
      await register(t.admin, { token: theirs, platform: 'web' });
      const res = await s.request('DELETE', `/api/v1/devices/${encodeURIComponent(mine)}`, { token: t.mod });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { data: { message: 'Device token removed.' } });
      assert.equal(await owner(mine), undefined);
      const foreign = await s.request('DELETE', `/api/v1/devices/${encodeURIComponent(theirs)}`, { token: t.mod });
      assert.equal(foreign.status, 200);
      assert.deepEqual(await owner(theirs), { user_id: ADMIN_ID, platform: 'web' });
      assertError(await s.request('DELETE', `/api/v1/devices/${encodeURIComponent(theirs)}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('canned responses', () => {
    const list = (token: string, query = '') => s.request<CannedList>('GET', `/api/v1/canned-responses${query}`, { token });
    const codes = async (token: string, query = '') => {
      const res = await list(token, query);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((c) => c.code).sort();
    };

    it('lists the active templates a user may use, in the documented shape', async () => {
      const res = await list(t.admin);
      assert.deepEqual(Object.keys(res.body), ['data']);
      for (const canned of res.body.data) {
        assert.deepEqual(Object.keys(canned).sort(), ['code', 'id', 'is_active', 'source_id', 'text', 'title']);
        assert.equal(canned.is_active, true);
      }
      const greet = res.body.data.find((c) => c.code === 'greet');
      assert.deepEqual(greet, { id: greet?.id, source_id: null, code: 'greet', title: 'Приветствие', text: 'Здравствуйте! Чем могу помочь?', is_active: true });
      assert.deepEqual(await codes(t.admin), ['greet', 'hours', 'thanks', 'vk-promo', 'wait']);
      assert.deepEqual(await codes(t.mod), ['greet', 'hours', 'thanks', 'wait']);
      assert.deepEqual(await codes(t.mod2), ['greet', 'thanks', 'vk-promo']);
    });

    it('filters by source (that source plus the shared ones) and by q over code, title and text', async () => {
      assert.deepEqual(await codes(t.mod, '?source_id=1'), ['greet', 'hours', 'thanks']);
      assert.deepEqual(await codes(t.mod, '?source_id=3'), ['greet', 'thanks']);
      assert.deepEqual(await codes(t.admin, '?source_id=3'), ['greet', 'thanks', 'vk-promo']);
      assert.deepEqual(await codes(t.admin, '?q=wait'), ['wait']);
      assert.deepEqual(await codes(t.admin, '?q=THANK'), ['thanks']);
      assert.deepEqual(await codes(t.admin, `?q=${encodeURIComponent('приветствие')}`), ['greet']);
      assert.deepEqual(await codes(t.admin, `?q=${encodeURIComponent('PONIEDZIAŁKU')}`), ['hours']);
      assert.deepEqual(await codes(t.mod, `?q=${encodeURIComponent('ВКонтакте')}`), []);
      assert.deepEqual(await codes(t.mod2, `?q=${encodeURIComponent('вконтакте')}`), ['vk-promo']);
      // `%` is a literal: only the template that says "10%".
      assert.deepEqual(await codes(t.admin, '?q=%25'), ['vk-promo']);
      assert.deepEqual(await codes(t.admin, '?q=_'), []);
      assertInvalid(await list(t.admin, '?source_id=abc'), ['source_id']);
    });

    it('lets an admin create, read, update and delete templates', async () => {
      const created = await s.request<CannedOne>('POST', '/api/v1/canned-responses', {
        token: t.admin,
        body: { source_id: 2, code: 'refund', title: 'Zwrot', text: 'Zwrot pieniędzy nastąpi w ciągu 14 dni.' },
      });
      assert.equal(created.status, 201);
      const id = created.body.data.id;
      assert.deepEqual(created.body.data, { id, source_id: 2, code: 'refund', title: 'Zwrot', text: 'Zwrot pieniędzy nastąpi w ciągu 14 dni.', is_active: true });
      assert.ok((await codes(t.mod)).includes('refund'));
      assert.deepEqual((await s.request<CannedOne>('GET', `/api/v1/canned-responses/${id}`, { token: t.mod })).body.data, created.body.data);

      const patched = await s.request<CannedOne>('PATCH', `/api/v1/canned-responses/${id}`, { token: t.admin, body: { title: 'Zwrot środków', is_active: false } });
      assert.equal(patched.status, 200);
      assert.deepEqual(patched.body.data, { ...created.body.data, title: 'Zwrot środków', is_active: false });
      assert.ok(!(await codes(t.mod)).includes('refund'), 'inactive templates are not offered');
      assertError(await s.request('GET', `/api/v1/canned-responses/${id}`, { token: t.mod }), 404, 'NOT_FOUND');
      assert.ok((await codes(t.admin, '?include_inactive=true')).includes('refund'));
      assert.ok(!(await codes(t.admin)).includes('refund'));

      const moved = await s.request<CannedOne>('PATCH', `/api/v1/canned-responses/${id}`, { token: t.admin, body: { source_id: null, is_active: true } });
      assert.equal(moved.body.data.source_id, null);
      assert.ok((await codes(t.mod2)).includes('refund'));

      const deleted = await s.request('DELETE', `/api/v1/canned-responses/${id}`, { token: t.admin });
      assert.equal(deleted.status, 200);
      assert.deepEqual(deleted.body, { data: { message: 'Canned response deleted.' } });
      assertError(await s.request('GET', `/api/v1/canned-responses/${id}`, { token: t.admin }), 404, 'NOT_FOUND');
      assertError(await s.request('DELETE', `/api/v1/canned-responses/${id}`, { token: t.admin }), 404, 'NOT_FOUND');
      assertError(await s.request('PATCH', `/api/v1/canned-responses/${id}`, { token: t.admin, body: { title: 'x' } }), 404, 'NOT_FOUND');
    });

    it('validates what an admin writes', async () => {
      const post = (body: unknown) => s.request('POST', '/api/v1/canned-responses', { token: t.admin, body });
      assert.deepEqual(assertInvalid(await post({}), ['code', 'text', 'title']).code, ['The code field is required.']);
      assert.deepEqual(assertInvalid(await post({ source_id: 99, code: 'x', title: 'x', text: 'x' }), ['source_id']).source_id, [
        'The selected source id is invalid.',
      ]);
      assertInvalid(await post({ code: 'x'.repeat(65), title: 'x', text: 'x' }), ['code']);
      assertInvalid(await post({ code: 'x', title: 'x', text: 'x', is_active: 'yes' }), ['is_active']);
      const greet = (await list(t.admin)).body.data.find((c) => c.code === 'greet');
      assertInvalid(await s.request('PATCH', `/api/v1/canned-responses/${greet?.id}`, { token: t.admin, body: { source_id: 99 } }), ['source_id']);
      assertInvalid(await s.request('PATCH', `/api/v1/canned-responses/${greet?.id}`, { token: t.admin, body: { code: '' } }), ['code']);
      assert.deepEqual(await codes(t.admin), ['greet', 'hours', 'thanks', 'vk-promo', 'wait'], 'nothing was written');
    });

    it('refuses moderators every write with 403, whatever the body, and hides other sources\' templates (404)', async () => {
      const all = (await list(t.admin)).body.data;
      const greet = all.find((c) => c.code === 'greet');
      const promo = all.find((c) => c.code === 'vk-promo');
      assert.ok(greet && promo);
      for (const body of [{ code: 'mine', title: 'Mine', text: 'Mine' }, {}, { code: 5 }]) {
        assertError(await s.request('POST', '/api/v1/canned-responses', { token: t.mod, body }), 403, 'FORBIDDEN');
      }
      assertError(await s.request('PATCH', `/api/v1/canned-responses/${greet.id}`, { token: t.mod, body: { title: 'Hi' } }), 403, 'FORBIDDEN');
      assertError(await s.request('PATCH', `/api/v1/canned-responses/${greet.id}`, { token: t.mod, body: { title: '' } }), 403, 'FORBIDDEN');
      assertError(await s.request('DELETE', `/api/v1/canned-responses/${greet.id}`, { token: t.mod }), 403, 'FORBIDDEN');
      assertError(await s.request('GET', `/api/v1/canned-responses/${promo.id}`, { token: t.mod }), 404, 'NOT_FOUND');
      assert.equal((await s.request('GET', `/api/v1/canned-responses/${promo.id}`, { token: t.mod2 })).status, 200);
      assert.deepEqual((await list(t.admin)).body.data, all, 'nothing changed');
    });
  });

  describe('GET /config', () => {
    it('tells a desk, without auth, how to connect Echo and what the limits are', async () => {
      const res = await s.request<{ data: ApiConfig }>('GET', '/api/v1/config');
      assert.equal(res.status, 200);
      const port = Number(new URL(s.url).port);
      const { version, realtime, limits, ...rest } = res.body.data;
      assert.deepEqual(rest, { name: 'Switchboard' });
      assert.match(version, /^\d+\.\d+\.\d+/);
      assert.deepEqual(realtime, {
        broadcaster: 'reverb',
        app_id: 'switchboard',
        key: 'switchboard-key',
        host: '127.0.0.1',
        port,
        scheme: 'http',
        path: '/app/switchboard-key',
        auth_endpoint: `${s.url}/api/v1/broadcasting/auth`,
        activity_timeout: 30,
      });
      const { upload_mime_types: mimeTypes, ...numbers } = limits;
      assert.deepEqual(numbers, {
        message_max_length: 4000,
        upload_max_bytes: 20 * 1024 * 1024,
        messages_per_minute: 30,
        messages_page_max: 100,
        chats_page_max: 100,
      });
      for (const mime of ['image/png', 'image/jpeg', 'application/pdf', 'text/plain', 'application/zip']) assert.ok(mimeTypes.includes(mime), mime);
      assert.ok(!mimeTypes.includes('text/html'));
      assert.ok(!mimeTypes.includes('image/svg+xml'));
    });

    it('follows the public URL when one is configured', async () => {
      const behindProxy = await startServer({ publicUrl: 'https://desk.example.com/', sendPerMinute: 12 });
      try {
        const res = await behindProxy.request<{ data: ApiConfig }>('GET', '/api/v1/config');
        assert.equal(res.body.data.realtime.host, 'desk.example.com');
        assert.equal(res.body.data.realtime.port, 443);
        assert.equal(res.body.data.realtime.scheme, 'https');
        assert.equal(res.body.data.realtime.auth_endpoint, 'https://desk.example.com/api/v1/broadcasting/auth');
        assert.equal(res.body.data.limits.messages_per_minute, 12);
        const token = await behindProxy.login('admin@example.com');
        const chats = await behindProxy.request<{ links: { first: string }; meta: { path: string } }>('GET', '/api/v1/chats', { token });
        assert.equal(chats.body.meta.path, 'https://desk.example.com/api/v1/chats');
        assert.equal(chats.body.links.first, 'https://desk.example.com/api/v1/chats?page=1');
      } finally {
        await behindProxy.close();
      }
    });
  });

  describe('GET /operators', () => {
    type Operators = { data: { id: number; name: string; roles: string[] }[] } & Partial<ApiErrorBody>;
    const operators = (token: string, query = '') => s.request<Operators>('GET', `/api/v1/operators${query}`, { token });

    it('lists active admins and moderators for the transfer picker', async () => {
      const inactive = await createUser(s, { name: 'Zed Inactive', roles: ['moderator'], sourceIds: [1], isActive: false });
      const res = await operators(t.mod);
      assert.equal(res.status, 200);
      const ids = res.body.data.map((o) => o.id);
      for (const id of [ADMIN_ID, MOD_ID, MOD2_ID]) assert.ok(ids.includes(id), String(id));
      assert.ok(!ids.includes(EMPLOYEE_ID));
      assert.ok(!ids.includes(inactive.id));
      assert.deepEqual(res.body.data.find((o) => o.id === MOD_ID), { id: MOD_ID, name: 'Maria Moderator', roles: ['moderator'] });
      const names = res.body.data.map((o) => o.name);
      assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('narrows to those who can see a chat, and is 404 for a chat the caller cannot see', async () => {
      const chat = { id: await chatIdOf(s, 'vk_123') };
      const res = await operators(t.mod2, `?chat_id=${chat.id}`);
      assert.deepEqual(
        res.body.data.map((o) => o.id).sort(),
        [ADMIN_ID, MOD2_ID],
      );
      assertError(await operators(t.mod, `?chat_id=${chat.id}`), 404, 'NOT_FOUND');
      assertInvalid(await operators(t.mod, '?chat_id=abc'), ['chat_id']);
    });
  });
});
