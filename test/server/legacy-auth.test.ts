import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../server/auth/passwords';
import { startServer, type TestServer } from '../helpers/server';
import { EMPLOYEE_ID, createUser } from './support';
import { assertLegacyError, assertLegacyInvalid, assertUser, call, envelope, type Envelope, type LegacyUser } from './legacy-support';

// The legacy dialect's login, logout and me (DESIGN §8.1): the same Sanctum tokens, the same
// password check and login limits as v1, but any active user, employees included, in the legacy envelope.

type LoginData = { token: string; user: LegacyUser };

describe('legacy auth: /api/auth/*', () => {
  let s: TestServer;
  const login = (email: string, password = 'password', extra: object = {}) =>
    call<Envelope<LoginData>>(s, 'POST', '/api/auth/login', undefined, { email, password, ...extra });
  const me = (token?: string) => call<Envelope<{ user: LegacyUser }>>(s, 'GET', '/api/auth/me', token);
  let users = 0;
  /** An employee who can log in (the suite's users share no login budget). */
  const userWithPassword = async (password: string) => {
    users++;
    const email = `legacy-login-${users}@example.com`;
    const id = await s.server.store.users.create({ name: `Login ${users}`, email, passwordHash: await hashPassword(password), roles: ['employee'] }, Date.now());
    return { id, email };
  };

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('logs an employee in (v1 would not) and answers the token and the user in the legacy envelope', async () => {
    const data = envelope(await login('employee@example.com', 'password', { device_name: 'integration' }), 200, 'Login successful');
    assert.deepEqual(Object.keys(data).sort(), ['token', 'user']);
    assert.match(data.token, /^\d+\|[A-Za-z0-9]{40}[0-9a-f]{8}$/);
    assertUser(data.user);
    assert.equal(data.user.id, EMPLOYEE_ID);
    assert.equal(data.user.role, 'employee');
    assert.equal(data.user.email, 'employee@example.com');
    // The same token is refused by v1, whose audience is operators.
    const v1 = await s.request('GET', '/api/v1/auth/me', { token: data.token });
    assert.equal(v1.status, 403);
  });

  it('shows the highest role and the first department of a user', async () => {
    const data = envelope(await login('admin@example.com'), 200, 'Login successful');
    assert.equal(data.user.role, 'admin');
    const both = await createUser(s, { roles: ['moderator', 'admin'], departmentIds: [2, 1] });
    const shown = envelope(await me(both.token), 200, 'User retrieved successfully');
    assert.equal(shown.user.role, 'admin');
    assert.equal(shown.user.department_id, 1);
  });

  it('answers me, and after logout the token is dead in both dialects', async () => {
    const { token } = envelope(await login('mod@example.com'), 200, 'Login successful');
    const shown = envelope(await me(token), 200, 'User retrieved successfully');
    assertUser(shown.user);
    assert.equal(shown.user.email, 'mod@example.com');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 200, 'a legacy login token is a v1 token too');
    assert.deepEqual(envelope(await call<Envelope<object>>(s, 'POST', '/api/auth/logout', token), 200, 'Logged out successfully'), {});
    assertLegacyError(await me(token), 401, 'Unauthenticated.');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 401);
  });

  it('refuses a wrong password, an unknown email and an inactive user alike: 422 on email', async () => {
    const leaving = await userWithPassword('secret');
    assert.equal((await login(leaving.email, 'secret')).status, 200);
    await s.server.store.users.setActive(leaving.id, false, Date.now());
    for (const [email, password] of [
      ['employee@example.com', 'wrong'],
      ['nobody@example.com', 'password'],
      [leaving.email, 'secret'],
    ] as const) {
      const res = await login(email, password);
      const errors = assertLegacyInvalid(res, ['email']);
      assert.deepEqual(errors.email, ['These credentials do not match our records.']);
      assert.equal(assertLegacyError(res, 422).message, 'These credentials do not match our records.');
    }
  });

  it('validates the body in Laravel sentences, and a malformed body costs no attempt', async () => {
    assert.deepEqual(assertLegacyInvalid(await call(s, 'POST', '/api/auth/login', undefined, {}), ['email', 'password']), {
      email: ['The email field is required.'],
      password: ['The password field is required.'],
    });
    assertLegacyInvalid(await call(s, 'POST', '/api/auth/login', undefined, { email: 'not-an-email', password: 'x' }), ['email']);
    const garbled = await s.request('POST', '/api/auth/login', { body: '{"email":', headers: { 'Content-Type': 'application/json' } });
    assertLegacyInvalid(garbled, ['body']);
    // Ten malformed requests later the email's five attempts are all still there.
    for (let i = 0; i < 10; i++) await call(s, 'POST', '/api/auth/login', undefined, { email: 'mod2@example.com' });
    const ok = await login('mod2@example.com');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-ratelimit-remaining'), '4');
  });

  it('shares the login limit with v1: five attempts a minute per email and address, whichever dialect', async () => {
    const { email } = await userWithPassword('secret');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await s.request('POST', '/api/v1/auth/login', { body: { email, password: 'wrong' } })).status);
    for (let i = 0; i < 2; i++) statuses.push((await login(email, 'wrong')).status);
    const limited = await login(email, 'secret');
    statuses.push(limited.status);
    assert.deepEqual(statuses, [422, 422, 422, 422, 422, 429]);
    assertLegacyError(limited, 429, 'Too Many Attempts.');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const v1 = await s.request<{ code: string }>('POST', '/api/v1/auth/login', { body: { email, password: 'secret' } });
    assert.equal(v1.status, 429);
    assert.equal(v1.body.code, 'TOO_MANY_REQUESTS', 'v1 answers in its own format');
    s.clock.advance(61_000);
    assert.equal((await login(email, 'secret')).status, 200);
  });

  it('is 401 in the legacy format without a token, or with a forged one', async () => {
    assertLegacyError(await me(), 401, 'Unauthenticated.');
    assertLegacyError(await me('1|forgedforgedforgedforgedforgedforgedforgedfo12345678'), 401, 'Unauthenticated.');
    assertLegacyError(await call(s, 'GET', '/api/chats', undefined), 401, 'Unauthenticated.');
  });
});
