import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody, ApiUser } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';

describe('v1 auth', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('logs a moderator in with a Sanctum-style token and returns the profile', async () => {
    const res = await s.request<{ data: { token: string; user: ApiUser } }>('POST', '/api/v1/auth/login', {
      body: { email: 'mod@example.com', password: 'password', device_name: 'desk' },
    });
    assert.equal(res.status, 200);
    assert.match(res.body.data.token, /^\d+\|[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    assert.deepEqual(res.body.data.user, {
      id: 2,
      name: 'Maria Moderator',
      email: 'mod@example.com',
      roles: ['moderator'],
      source_ids: [1, 2],
      department_ids: [],
    });
    const me = await s.request<{ data: ApiUser }>('GET', '/api/v1/auth/me', { token: res.body.data.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.data.email, 'mod@example.com');
  });

  it('stores only a hash of the token', async () => {
    const token = await s.login('admin@example.com');
    const secret = token.split('|')[1] ?? '';
    const rows = await s.server.store.testing.tokenHashes();
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(secret));
  });

  for (const [label, email, password] of [
    ['a wrong password', 'mod@example.com', 'nope'],
    ['an unknown email', 'ghost@example.com', 'password'],
    ['an employee (wrong role)', 'employee@example.com', 'password'],
  ] as const) {
    it(`refuses ${label} with 422 on email`, async () => {
      const res = await s.request<ApiErrorBody>('POST', '/api/v1/auth/login', { body: { email, password } });
      assert.equal(res.status, 422);
      assert.equal(res.body.code, 'VALIDATION_ERROR');
      assert.deepEqual(Object.keys(res.body.errors ?? {}), ['email']);
    });
  }

  it('validates the body like Laravel', async () => {
    const res = await s.request<ApiErrorBody>('POST', '/api/v1/auth/login', { body: { email: 'not-an-email' } });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.errors, {
      email: ['The email field must be a valid email address.'],
      password: ['The password field is required.'],
    });
    assert.equal(res.body.message, 'The email field must be a valid email address. (and 1 more error)');
  });

  it('records when a token was last used', async () => {
    const token = await s.login('mod@example.com');
    const id = Number(token.split('|')[0]);
    const lastUsed = () => s.server.store.testing.tokenLastUsedAt(id);
    assert.equal(await lastUsed(), null);
    const before = Date.now();
    assert.equal((await s.request('GET', '/api/v1/chats', { token })).status, 200);
    assert.ok(((await lastUsed()) ?? 0) >= before);
  });

  it('logout revokes the token', async () => {
    const token = await s.login('admin@example.com');
    const out = await s.request<{ data: { message: string } }>('POST', '/api/v1/auth/logout', { token });
    assert.equal(out.status, 200);
    assert.equal(out.body.data.message, 'Logged out successfully.');
    const me = await s.request<ApiErrorBody>('GET', '/api/v1/auth/me', { token });
    assert.equal(me.status, 401);
    assert.deepEqual(me.body, { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' });
  });

  it('refuses missing, malformed and forged tokens with 401', async () => {
    const token = await s.login('admin@example.com');
    const forged = token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    for (const bearer of [undefined, 'garbage', forged, '999|' + token.split('|')[1]]) {
      const res = await s.request<ApiErrorBody>('GET', '/api/v1/chats', { token: bearer });
      assert.equal(res.status, 401, `token ${bearer}`);
      assert.equal(res.body.code, 'UNAUTHENTICATED');
    }
  });

  it('throttles login attempts to 5 a minute per email and IP', async () => {
    const attempts = [];
    for (let i = 0; i < 6; i++) {
      attempts.push(await s.request<ApiErrorBody>('POST', '/api/v1/auth/login', { body: { email: 'mod2@example.com', password: 'wrong' } }));
    }
    assert.deepEqual(
      attempts.map((r) => r.status),
      [422, 422, 422, 422, 422, 429],
    );
    const limited = attempts[5];
    assert.ok(limited);
    assert.deepEqual(limited.body, { message: 'Too Many Attempts.', code: 'TOO_MANY_REQUESTS' });
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(limited.headers.get('x-ratelimit-limit'), '5');
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(attempts[0]?.headers.get('x-ratelimit-remaining'), '4');
  });
});
