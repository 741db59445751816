import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, assertError, countRows, EMPLOYEE_ID, issueToken, MOD_ID } from './support';

// Who may use the Admin API: administrators only. A moderator or an employee is refused (403) on
// every route, before their body is looked at, and nothing changes: asserted by reading everything
// back, secrets and password hashes included.

const MOVES: [method: string, path: string, body?: unknown][] = [
  ['GET', '/users'],
  ['GET', `/users/${MOD_ID}`],
  ['POST', '/users', { name: 'Sneaky', email: 'sneaky@example.com', role: 'admin', password: 'a long enough secret' }],
  ['POST', '/users', {}],
  ['PATCH', `/users/${MOD_ID}`, { role: 'admin', source_ids: [1, 2, 3] }],
  ['PATCH', `/users/${ADMIN_ID}`, { is_active: false }],
  ['PUT', `/users/${ADMIN_ID}/password`, { password: 'taken over now' }],
  ['POST', `/users/${ADMIN_ID}/password`, { password: 'taken over now' }],
  ['POST', `/users/${ADMIN_ID}/deactivate`],
  ['POST', `/users/${EMPLOYEE_ID}/activate`],
  ['POST', '/users/99999/deactivate'],
  ['GET', '/sources'],
  ['GET', '/sources/2'],
  ['POST', '/sources', { name: 'Mine', type: 'api' }],
  ['PATCH', '/sources/2', { name: 'Renamed' }],
  ['POST', '/sources/2/secret'],
  ['GET', '/departments'],
  ['GET', '/departments/1'],
  ['POST', '/departments', { name: 'Mine' }],
  ['PATCH', '/departments/1', { name: 'Renamed' }],
  ['DELETE', '/departments/2'],
  ['GET', '/widgets'],
  ['GET', '/widgets/1'],
  ['POST', '/widgets', { name: 'Mine' }],
  ['PATCH', '/widgets/1', { settings: { allowed_domains: ['evil.example'] } }],
  ['POST', '/widgets/1/token'],
  ['DELETE', '/widgets/1'],
];

describe('admin API: administrators only', () => {
  let s: TestServer;
  let admin: string;

  before(async () => {
    s = await startServer();
    admin = await issueToken(s, ADMIN_ID);
  });
  after(() => s.close());

  /** Everything the moves above could change, as stored. */
  const everything = async () => {
    const users = await Promise.all([1, 2, 3, 4].map((id) => s.server.store.users.byId(id)));
    return {
      users,
      sources: await s.server.store.catalog.sources(),
      departments: await s.server.store.catalog.departments(),
      widgets: await s.server.store.widgets.list('all', 1, 100),
      counts: [await countRows(s, 'users'), await countRows(s, 'access_tokens')],
    };
  };

  for (const role of ['moderator', 'employee'] as const) {
    it(`${role === 'employee' ? 'an' : 'a'} ${role} gets 403 on every admin route and nothing changes`, async () => {
      const token = await issueToken(s, role === 'moderator' ? MOD_ID : EMPLOYEE_ID);
      const before = await everything();
      for (const [method, path, body] of MOVES) {
        const res = await s.request(method, `/api/v1/admin${path}`, { token, body });
        assertError(res, 403, 'FORBIDDEN');
        assert.doesNotMatch(JSON.stringify(res.body), /secret|password/i, `${method} ${path}`);
      }
      assert.deepEqual(await everything(), before);
      assert.equal((await s.request('GET', '/api/v1/auth/me', { token: admin })).status, 200);
    });
  }

  it('without a token: 401; with an unknown method: 405; an admin is let in', async () => {
    assertError(await s.request('GET', '/api/v1/admin/users'), 401, 'UNAUTHENTICATED');
    assertError(await s.request('POST', '/api/v1/admin/sources/2/secret'), 401, 'UNAUTHENTICATED');
    assertError(await s.request('DELETE', '/api/v1/admin/users', { token: admin }), 405, 'METHOD_NOT_ALLOWED');
    assert.equal((await s.request('GET', '/api/v1/admin/users', { token: admin })).status, 200);
  });
});
