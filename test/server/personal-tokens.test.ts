import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';

interface ApiToken {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  token?: string;
}

interface ApiSession extends ApiToken {
  current: boolean;
}

describe('personal API tokens and sessions (/api/v1/tokens, /api/v1/sessions)', () => {
  let s: TestServer;
  let mod: string;
  let mod2: string;

  before(async () => {
    s = await startServer({ loginPerMinute: 100 });
    mod = await s.login('mod@example.com');
    mod2 = await s.login('mod2@example.com');
  });
  after(() => s.close());

  const create = (token: string, name: string) => s.request<{ data: ApiToken }>('POST', '/api/v1/tokens', { token, body: { name } });
  const list = (token: string) => s.request<{ data: ApiToken[] }>('GET', '/api/v1/tokens', { token });

  it('creates a token shown once, lists it without its secret, and it works on v1 and as the CRM api_token', async () => {
    const created = await create(mod, 'CRM integration');
    assert.equal(created.status, 201);
    const { token, ...shown } = created.body.data;
    assert.match(token ?? '', /^\d+\|[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    assert.equal(shown.name, 'CRM integration');
    assert.equal(shown.last_used_at, null);

    const listed = await list(mod);
    assert.deepEqual(listed.body.data, [shown], 'the list never holds the secret');
    assert.ok(!JSON.stringify(listed.body).includes(token?.split('|')[1] ?? 'x'));

    const me = await s.request<{ data: { email: string } }>('GET', '/api/v1/auth/me', { token });
    assert.equal(me.body.data.email, 'mod@example.com');
    const spaces = await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(token ?? '')}`);
    assert.equal(spaces.status, 200);
    assert.ok(Array.isArray(spaces.body));
    const used = (await list(mod)).body.data.find((row) => row.id === shown.id);
    assert.notEqual(used?.last_used_at, null, 'using it is recorded');

    assert.deepEqual((await list(mod2)).body.data, [], "another operator does not see mod's tokens");
  });

  it('revokes only your own token: another user gets a 404 and the token keeps working; once revoked it works nowhere', async () => {
    const { token, id } = (await create(mod, 'to revoke')).body.data;
    const foreign = await s.request<{ error?: unknown }>('DELETE', `/api/v1/tokens/${id}`, { token: mod2 });
    assert.equal(foreign.status, 404);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 200);

    // A login session is not a personal token: it cannot be revoked here.
    const sessions = await s.request<{ data: ApiSession[] }>('GET', '/api/v1/sessions', { token: mod });
    const current = sessions.body.data.find((row) => row.current);
    assert.equal((await s.request('DELETE', `/api/v1/tokens/${current?.id}`, { token: mod })).status, 404);

    const revoked = await s.request('DELETE', `/api/v1/tokens/${id}`, { token: mod });
    assert.equal(revoked.status, 204);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 401);
    const crm = await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(token ?? '')}`);
    assert.deepEqual([crm.status, crm.body], [401, { error: 'Unauthorized' }]);
    assert.ok(!(await list(mod)).body.data.some((row) => row.id === id));
    assert.equal((await s.request('DELETE', `/api/v1/tokens/${id}`, { token: mod })).status, 404, 'a second revoke finds nothing');
  });

  it('refuses a token without a name (422) and creates nothing', async () => {
    const before = (await list(mod)).body.data.length;
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(256) }, { name: 5 }]) {
      const answer = await s.request<{ errors?: Record<string, string[]> }>('POST', '/api/v1/tokens', { token: mod, body });
      assert.equal(answer.status, 422, JSON.stringify(body));
      assert.ok(answer.body.errors?.name, JSON.stringify(answer.body));
    }
    assert.equal((await list(mod)).body.data.length, before);
    assert.equal((await s.request('GET', '/api/v1/tokens')).status, 401);
  });

  it('lists the signed-in devices, signs one out, and signs out all others while personal tokens keep working', async () => {
    const laptop = await s.login('mod@example.com');
    const phone = await s.login('mod@example.com');
    const { token: integration } = (await create(mod, 'still here')).body.data;

    const sessions = await s.request<{ data: ApiSession[] }>('GET', '/api/v1/sessions', { token: laptop });
    assert.equal(sessions.status, 200);
    assert.ok(sessions.body.data.length >= 3, 'the first login, the laptop and the phone');
    assert.equal(sessions.body.data.filter((row) => row.current).length, 1);
    assert.ok(!sessions.body.data.some((row) => row.name === 'still here'), 'personal tokens are not devices');
    assert.ok(!JSON.stringify(sessions.body).includes('token_hash'));

    const phoneId = Number(phone.split('|')[0]);
    assert.equal((await s.request('DELETE', `/api/v1/sessions/${phoneId}`, { token: mod2 })).status, 404, "another user's session");
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: phone })).status, 200);
    assert.equal((await s.request('DELETE', `/api/v1/sessions/${phoneId}`, { token: laptop })).status, 204);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: phone })).status, 401);

    const others = await s.request<{ data: { revoked: number } }>('POST', '/api/v1/sessions/others/revoke', { token: laptop });
    assert.equal(others.status, 200);
    assert.ok(others.body.data.revoked >= 1);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: mod })).status, 401, 'the first login is signed out');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: laptop })).status, 200, 'the device that asked stays');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: integration })).status, 200, 'the personal token stays');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: mod2 })).status, 200, 'other users are untouched');
    const left = await s.request<{ data: ApiSession[] }>('GET', '/api/v1/sessions', { token: laptop });
    assert.deepEqual(left.body.data.map((row) => row.current), [true]);
  });

  it('a personal token outlives the login TTL', async () => {
    const t = await startServer({ tokenTtlMinutes: 60 });
    try {
      const login = await t.login('mod@example.com');
      const { token } = (await t.request<{ data: ApiToken }>('POST', '/api/v1/tokens', { token: login, body: { name: 'long-lived' } })).body.data;
      t.clock.advance(61 * 60_000);
      assert.equal((await t.request('GET', '/api/v1/auth/me', { token: login })).status, 401);
      assert.equal((await t.request('GET', '/api/v1/auth/me', { token })).status, 200);
    } finally {
      await t.close();
    }
  });
});
