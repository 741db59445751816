import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';

interface ErrorBody {
  message: string;
  errors?: Record<string, string[]>;
}

describe('a user’s own profile and password (/api/v1/profile)', () => {
  let s: TestServer;

  before(async () => {
    s = await startServer({ loginPerMinute: 100 });
  });
  after(() => s.close());

  it('changes the own name, and refuses a blank one without changing anything', async () => {
    const token = await s.login('mod@example.com');
    const refused = await s.request<ErrorBody>('PATCH', '/api/v1/profile', { token, body: { name: '   ' } });
    assert.equal(refused.status, 422);
    assert.deepEqual(Object.keys(refused.body.errors ?? {}), ['name']);
    assert.equal((await s.request<{ data: { name: string } }>('GET', '/api/v1/auth/me', { token })).body.data.name, 'Maria Moderator');

    const changed = await s.request<{ data: { name: string; email: string; roles: string[] } }>('PATCH', '/api/v1/profile', { token, body: { name: 'Maria Example', roles: ['admin'] } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.data.name, 'Maria Example');
    assert.deepEqual(changed.body.data.roles, ['moderator'], 'a user cannot raise their own role');
  });

  it('changes the password with the current one: other devices are signed out, this one and personal tokens stay', async () => {
    const here = await s.login('mod2@example.com');
    const elsewhere = await s.login('mod2@example.com');
    const personal = await s.request<{ data: { token: string } }>('POST', '/api/v1/tokens', { token: here, body: { name: 'script' } });
    const change = (body: unknown) => s.request<ErrorBody & { data?: { signed_out: number } }>('POST', '/api/v1/profile/password', { token: here, body });

    const wrong = await change({ current_password: 'not-it', password: 'violet-harbour-42' });
    assert.equal(wrong.status, 422);
    assert.deepEqual(wrong.body.errors, { current_password: ['The current password is not correct.'] });
    const common = await change({ current_password: 'password', password: 'qwerty123' });
    assert.equal(common.status, 422);
    assert.deepEqual(Object.keys(common.body.errors ?? {}), ['password']);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: elsewhere })).status, 200, 'a refused change changes nothing');

    const done = await change({ current_password: 'password', password: 'violet-harbour-42' });
    assert.equal(done.status, 200);
    assert.equal(done.body.data?.signed_out, 1);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: here })).status, 200);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: elsewhere })).status, 401);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: personal.body.data.token })).status, 200);

    const oldLogin = await s.request('POST', '/api/v1/auth/login', { body: { email: 'mod2@example.com', password: 'password' } });
    assert.equal(oldLogin.status, 422);
    await s.login('mod2@example.com', 'violet-harbour-42');
  });

  it('guessing the current password is limited as logins are: 429 with Retry-After, the password unchanged (regression: the limit was not awaited)', async () => {
    const limited = await startServer({ loginPerMinute: 3 });
    try {
      const token = await limited.login('admin@example.com');
      const guess = (current: string) => limited.request<ErrorBody>('POST', '/api/v1/profile/password', { token, body: { current_password: current, password: 'violet-harbour-42' } });
      for (let i = 0; i < 3; i++) assert.equal((await guess(`guess-${i}`)).status, 422);
      const refused = await guess('password');
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await limited.request('GET', '/api/v1/auth/me', { token })).status, 200, 'the server is still up');
      limited.clock.advance(61_000);
      assert.equal((await limited.request('POST', '/api/v1/auth/login', { body: { email: 'admin@example.com', password: 'password' } })).status, 200, 'the old password still works');
    } finally {
      await limited.close();
    }
  });

  it('needs a session', async () => {
    assert.equal((await s.request('POST', '/api/v1/profile/password', { body: { current_password: 'password', password: 'violet-harbour-42' } })).status, 401);
  });
});
