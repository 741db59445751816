import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AdminUser, AdminUserListResponse } from '../../common/admin-api';
import type { ApiChat, Paginated } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, assertError, assertInvalid, countRows, EMPLOYEE_ID, issueToken, MOD2_ID, MOD_ID, TIMESTAMP } from './support';

// `/api/v1/admin/users`: operator accounts as administrators manage them, through the real server.

const USER_KEYS = ['created_at', 'department_ids', 'email', 'id', 'is_active', 'name', 'roles', 'source_ids', 'updated_at'];

type One = { data: AdminUser };

describe('admin API: users', () => {
  let s: TestServer;
  let admin: string;

  before(async () => {
    s = await startServer({ loginPerMinute: 1000 });
    admin = await issueToken(s, ADMIN_ID);
  });
  after(() => s.close());

  const call = <T = unknown>(method: string, path: string, body?: unknown, token = admin) => s.request<T>(method, `/api/v1/admin${path}`, { token, body });
  const loginStatus = async (email: string, password: string) => (await s.request('POST', '/api/v1/auth/login', { body: { email, password } })).status;
  let serial = 0;
  const newUser = async (extra: Record<string, unknown> = {}) => {
    serial++;
    const res = await call<One>('POST', '/users', { name: `Person ${serial}`, email: `person${serial}@example.com`, role: 'moderator', password: 'a long enough secret', ...extra });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.data;
  };

  it('lists every account, a page at a time, without any password or hash', async () => {
    const res = await call<AdminUserListResponse>('GET', '/users?per_page=2');
    assert.equal(res.status, 200);
    assert.equal(res.body.data.length, 2);
    assert.equal(res.body.meta.per_page, 2);
    assert.ok(res.body.meta.total >= 4);
    assert.match(res.body.links.next ?? '', /\/api\/v1\/admin\/users\?per_page=2&page=2$/);
    for (const user of res.body.data) {
      assert.deepEqual(Object.keys(user).sort(), USER_KEYS);
      assert.match(user.created_at, TIMESTAMP);
    }
    const everyone = await call<AdminUserListResponse>('GET', '/users?per_page=100');
    const hash = (await s.server.store.users.byId(ADMIN_ID))?.password_hash ?? 'missing';
    assert.ok(!JSON.stringify(everyone.body).includes(hash), 'no password hash');
    assert.doesNotMatch(JSON.stringify(everyone.body), /password/i);
    const emails = everyone.body.data.map((user) => user.email);
    for (const email of ['admin@example.com', 'mod@example.com', 'mod2@example.com', 'employee@example.com']) assert.ok(emails.includes(email), email);

    const search = await call<AdminUserListResponse>('GET', '/users?search=MOD2');
    assert.deepEqual(search.body.data.map((user) => user.id), [MOD2_ID]);
    const employees = await call<AdminUserListResponse>('GET', '/users?role=employee&is_active=true');
    assert.ok(employees.body.data.every((user) => user.roles.includes('employee') && user.is_active));
    assert.ok(employees.body.data.some((user) => user.id === EMPLOYEE_ID));
    assertInvalid(await call('GET', '/users?per_page=0'), ['per_page']);
    assertInvalid(await call('GET', '/users?role=owner'), ['role']);
  });

  it('shows one account; an unknown or malformed id is a 404', async () => {
    const res = await call<One>('GET', `/users/${MOD_ID}`);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.data.email, res.body.data.roles, res.body.data.source_ids], ['mod@example.com', ['moderator'], [1, 2]]);
    assertError(await call('GET', '/users/99999'), 404, 'NOT_FOUND');
    assertError(await call('GET', '/users/abc'), 404, 'NOT_FOUND');
  });

  it('creates an account that can sign in, with its sources and departments', async () => {
    const created = await newUser({ email: 'Created.Mod@example.com', source_ids: [3, 1], department_ids: [2] });
    assert.deepEqual(Object.keys(created).sort(), USER_KEYS);
    assert.deepEqual([created.roles, created.source_ids, created.department_ids, created.is_active], [['moderator'], [1, 3], [2], true]);
    assert.equal(await loginStatus('created.mod@example.com', 'a long enough secret'), 200);
    assert.deepEqual((await call<One>('GET', `/users/${created.id}`)).body.data, created);
  });

  it('refuses a bad account with a 422 per field and creates nothing', async () => {
    const users = await countRows(s, 'users');
    const cases: [unknown, string[]][] = [
      [{}, ['email', 'name', 'password', 'role']],
      [{ name: ' ', email: 'not-an-email', role: 'owner', password: 'short' }, ['email', 'name', 'password', 'role']],
      [{ name: 'A', email: 'a1@example.com', role: 'moderator', password: 'password123' }, ['password']],
      [{ name: 'A', email: 'MOD@example.com', role: 'moderator', password: 'a long enough secret' }, ['email']],
      [{ name: 'A', email: 'a2@example.com', role: 'moderator', password: 'a long enough secret', source_ids: [1, 999] }, ['source_ids']],
      [{ name: 'A', email: 'a3@example.com', role: 'moderator', password: 'a long enough secret', department_ids: [999] }, ['department_ids']],
      [{ name: 'A', email: 'a4@example.com', role: 'moderator', password: 'a long enough secret', source_ids: [1, 1] }, ['source_ids']],
      [{ name: 'A', email: 'a5@example.com', role: 'moderator', password: 'a long enough secret', source_ids: 'all' }, ['source_ids']],
    ];
    for (const [body, fields] of cases) assertInvalid(await call('POST', '/users', body), fields);
    const common = assertInvalid(await call('POST', '/users', { name: 'A', email: 'a6@example.com', role: 'admin', password: 'Password123' }), ['password']);
    assert.match(common.password?.[0] ?? '', /most common/);
    const short = assertInvalid(await call('POST', '/users', { name: 'A', email: 'a7@example.com', role: 'admin', password: 'short' }), ['password']);
    assert.equal(short.password?.[0], 'The password must be at least 8 characters.');
    const taken = assertInvalid(await call('POST', '/users', { name: 'A', email: 'MOD@example.com', role: 'moderator', password: 'a long enough secret' }), ['email']);
    assert.deepEqual(taken.email, ['The email has already been taken.']);
    assert.equal(await countRows(s, 'users'), users, 'nothing was created');
  });

  it('updates name, e-mail, role, sources and departments; what the user sees follows', async () => {
    const person = await newUser({ source_ids: [1] });
    const token = await issueToken(s, person.id);
    const chats = async () => (await s.request<Paginated<ApiChat>>('GET', '/api/v1/chats?per_page=100', { token })).body.data.map((chat) => chat.source.id);
    assert.ok((await chats()).every((source) => source === 1));
    assert.ok((await chats()).length > 0);

    const res = await call<One>('PATCH', `/users/${person.id}`, { name: 'Renamed', email: 'renamed@example.com', source_ids: [3] });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.data.name, res.body.data.email, res.body.data.source_ids], ['Renamed', 'renamed@example.com', [3]]);
    const seen = await chats();
    assert.ok(seen.length > 0 && seen.every((source) => source === 3), `sees only source 3 now: ${JSON.stringify(seen)}`);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 200, 'a scope change keeps the sessions');

    const promoted = await call<One>('PATCH', `/users/${person.id}`, { role: 'admin' });
    assert.deepEqual(promoted.body.data.roles, ['admin']);
    assert.ok(new Set(await chats()).size > 1, 'an admin sees every source');
    const demoted = await call<One>('PATCH', `/users/${person.id}`, { role: 'employee' });
    assert.deepEqual(demoted.body.data.roles, ['employee']);
    assertError(await s.request('GET', '/api/v1/chats', { token }), 403, 'FORBIDDEN');
  });

  it('refuses a bad change with a 422 and changes nothing', async () => {
    const person = await newUser({ source_ids: [1] });
    for (const [body, fields] of [
      [{ email: 'admin@example.com', name: 'Taken' }, ['email']],
      [{ name: 'x'.repeat(256) }, ['name']],
      [{ role: 'owner' }, ['role']],
      [{ source_ids: [999], name: 'Never' }, ['source_ids']],
      [{ department_ids: [0] }, ['department_ids.0']],
      [{ is_active: 'no' }, ['is_active']],
    ] as const) {
      assertInvalid(await call('PATCH', `/users/${person.id}`, body), [...fields]);
    }
    assert.deepEqual((await call<One>('GET', `/users/${person.id}`)).body.data, person);
    assertError(await call('PATCH', '/users/99999', { name: 'Nobody' }), 404, 'NOT_FOUND');
  });

  it('sets a password (PUT or POST): the old one and its logins stop, personal tokens stay', async () => {
    const person = await newUser({ email: 'pw@example.com' });
    const session = await s.login('pw@example.com', 'a long enough secret');
    const personal = (await s.request<{ data: { token: string } }>('POST', '/api/v1/tokens', { token: session, body: { name: 'integration' } })).body.data.token;

    assertInvalid(await call('PUT', `/users/${person.id}/password`, { password: 'qwerty123' }), ['password']);
    assertInvalid(await call('PUT', `/users/${person.id}/password`, {}), ['password']);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: session })).status, 200, 'a refused password changes nothing');

    const set = await call<One>('PUT', `/users/${person.id}/password`, { password: 'the second secret' });
    assert.equal(set.status, 200);
    assert.doesNotMatch(JSON.stringify(set.body), /second secret|password/);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: session })).status, 401);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: personal })).status, 200);
    assert.equal(await loginStatus('pw@example.com', 'a long enough secret'), 422);
    assert.equal(await loginStatus('pw@example.com', 'the second secret'), 200);

    assert.equal((await call('POST', `/users/${person.id}/password`, { password: 'the third secret' })).status, 200);
    assert.equal(await loginStatus('pw@example.com', 'the third secret'), 200);
    assertError(await call('PUT', '/users/99999/password', { password: 'the third secret' }), 404, 'NOT_FOUND');
  });

  it('deactivates: every token stops at once (v1 and the CRM api_token), sign-in is refused; activating brings none back', async () => {
    const person = await newUser({ email: 'leaving@example.com', source_ids: [1] });
    const session = await s.login('leaving@example.com', 'a long enough secret');
    const personal = (await s.request<{ data: { token: string } }>('POST', '/api/v1/tokens', { token: session, body: { name: 'crm' } })).body.data.token;
    assert.equal((await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(personal)}`)).status, 200);

    const res = await call<One>('POST', `/users/${person.id}/deactivate`);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.is_active, false);
    assertError(await s.request('GET', '/api/v1/auth/me', { token: session }), 401, 'UNAUTHENTICATED');
    assertError(await s.request('GET', '/api/v1/auth/me', { token: personal }), 401, 'UNAUTHENTICATED');
    assert.equal((await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(personal)}`)).status, 401);
    assert.equal(await loginStatus('leaving@example.com', 'a long enough secret'), 422);
    assert.deepEqual(await s.server.store.tokens.idsOf(person.id), []);

    const back = await call<One>('POST', `/users/${person.id}/activate`);
    assert.equal(back.body.data.is_active, true);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: personal })).status, 401, 'no old token comes back');
    assert.equal(await loginStatus('leaving@example.com', 'a long enough secret'), 200);

    // The same through PATCH.
    const again = await call<One>('PATCH', `/users/${person.id}`, { is_active: false });
    assert.equal(again.body.data.is_active, false);
    assert.equal(await loginStatus('leaving@example.com', 'a long enough secret'), 422);
    assert.equal((await call<One>('PATCH', `/users/${person.id}`, { is_active: true })).body.data.is_active, true);
    assertError(await call('POST', '/users/99999/deactivate'), 404, 'NOT_FOUND');
  });

  it('the last active administrator cannot deactivate or demote themselves (422, nothing changes); with another admin they can', async () => {
    const adminsBefore = (await call<AdminUserListResponse>('GET', '/users?role=admin&is_active=true&per_page=100')).body.data.map((user) => user.id);
    // Earlier cases may have made admins: leave only the demo admin active.
    for (const id of adminsBefore.filter((id) => id !== ADMIN_ID)) await call('PATCH', `/users/${id}`, { role: 'moderator' });
    const me = (await call<One>('GET', `/users/${ADMIN_ID}`)).body.data;

    assertInvalid(await call('POST', `/users/${ADMIN_ID}/deactivate`), ['is_active']);
    assertInvalid(await call('PATCH', `/users/${ADMIN_ID}`, { is_active: false, name: 'Gone' }), ['is_active']);
    assertInvalid(await call('PATCH', `/users/${ADMIN_ID}`, { role: 'moderator', name: 'Demoted' }), ['role']);
    assert.deepEqual((await call<One>('GET', `/users/${ADMIN_ID}`)).body.data, me, 'nothing changed');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: admin })).status, 200);

    const second = await newUser({ role: 'admin' });
    const secondToken = await issueToken(s, second.id);
    const demoted = await call<One>('PATCH', `/users/${ADMIN_ID}`, { role: 'moderator' }, secondToken);
    assert.deepEqual(demoted.body.data.roles, ['moderator']);
    // Now `second` is the last one.
    assertInvalid(await call('POST', `/users/${second.id}/deactivate`, undefined, secondToken), ['is_active']);
    assert.equal((await call<One>('PATCH', `/users/${ADMIN_ID}`, { role: 'admin' }, secondToken)).status, 200);
    assert.equal((await call<One>('POST', `/users/${second.id}/deactivate`)).body.data.is_active, false);
  });
  it('two administrators demoting each other at the same moment: one wins, an active admin stays', async () => {
    const a = await newUser({ role: 'admin' });
    const b = await newUser({ role: 'admin' });
    const [tokenA, tokenB] = [await issueToken(s, a.id), await issueToken(s, b.id)];
    const others = (await call<AdminUserListResponse>('GET', '/users?role=admin&is_active=true&per_page=100')).body.data.filter((user) => user.id !== a.id && user.id !== b.id);
    for (const user of others) assert.equal((await call('PATCH', `/users/${user.id}`, { role: 'moderator' }, tokenA)).status, 200);

    const answers = await Promise.all([
      call('PATCH', `/users/${b.id}`, { role: 'moderator' }, tokenA),
      call('PATCH', `/users/${a.id}`, { role: 'moderator' }, tokenB),
    ]);
    // The loser is refused: 422 when both ran at once, 403 when it was authenticated after the winner demoted it.
    const statuses = answers.map((answer) => answer.status).sort();
    assert.equal(statuses[0], 200, JSON.stringify(statuses));
    assert.ok(statuses[1] === 403 || statuses[1] === 422, JSON.stringify(statuses));
    const left = await s.server.store.users.activeAdminCount();
    assert.equal(left, 1);
    const winner = answers[0]?.status === 200 ? tokenA : tokenB;
    assert.equal((await call('PATCH', `/users/${ADMIN_ID}`, { role: 'admin' }, winner)).status, 200);
  });
});
