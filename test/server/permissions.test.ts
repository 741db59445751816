import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, EMPLOYEE_ID, MOD2_ID, MOD_ID, createUser, issueToken, loginAll, webhook, type Tokens } from './support';

// The permission matrix of DESIGN §2: every chat endpoint, asked by every role about chats it may
// see, may act on, or may not see at all. An invisible chat is 404 on every endpoint, never 403;
// a visible chat assigned to someone else is 403 on every write; nothing refused changes anything.

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

type Endpoint = 'show' | 'messages' | 'operators' | 'attachment' | 'read' | 'typing' | 'patch' | 'assign-me' | 'close' | 'transfer' | 'send';
const VIEW: Endpoint[] = ['show', 'messages', 'operators', 'attachment', 'read', 'typing'];
// Transfer last: it hands the chat away, after which the caller may no longer write to it.
const UPDATE: Endpoint[] = ['patch', 'assign-me', 'close', 'send', 'transfer'];
const ALL: Endpoint[] = [...VIEW, ...UPDATE];

interface Target {
  chatId: number;
  attachmentId: number;
}

describe('permission matrix', () => {
  let s: TestServer;
  let t: Tokens;
  let seq = 0;

  /** A fresh chat with one customer message carrying an attachment; optionally placed and assigned by the admin. */
  async function target(sourceId: number, options: { departmentId?: number; assignTo?: number } = {}): Promise<Target> {
    seq++;
    const res = await webhook(s, sourceId, {
      external_user_id: `perm-${seq}`,
      text: `Permission probe ${seq}`,
      attachments: [{ name: 'probe.png', content_base64: PNG.toString('base64') }],
    });
    assert.equal(res.status, 201);
    const chatId = res.body.data.chat_id;
    const attachmentId = res.body.data.message.attachments[0]?.id ?? 0;
    if (options.departmentId !== undefined) {
      assert.equal((await s.request('PATCH', `/api/v1/chats/${chatId}`, { token: t.admin, body: { department_id: options.departmentId } })).status, 200);
    }
    if (options.assignTo !== undefined) {
      const moved = await s.request('POST', `/api/v1/chats/${chatId}/transfer`, { token: t.admin, body: { assigned_to: options.assignTo } });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
    }
    return { chatId, attachmentId };
  }

  function call(token: string, endpoint: Endpoint, { chatId, attachmentId }: Target, transferTo: number) {
    const chat = `/api/v1/chats/${chatId}`;
    switch (endpoint) {
      case 'show':
        return s.request<ApiErrorBody>('GET', chat, { token });
      case 'messages':
        return s.request<ApiErrorBody>('GET', `${chat}/messages`, { token });
      case 'operators':
        return s.request<ApiErrorBody>('GET', `/api/v1/operators?chat_id=${chatId}`, { token });
      case 'attachment':
        return s.request<ApiErrorBody>('GET', `/api/v1/attachments/${attachmentId}`, { token });
      case 'read':
        return s.request<ApiErrorBody>('POST', `${chat}/read`, { token });
      case 'typing':
        return s.request<ApiErrorBody>('POST', `${chat}/typing`, { token, body: { typing: true } });
      case 'patch':
        return s.request<ApiErrorBody>('PATCH', chat, { token, body: { is_urgent: true } });
      case 'assign-me':
        return s.request<ApiErrorBody>('POST', `${chat}/assign-me`, { token });
      case 'close':
        return s.request<ApiErrorBody>('POST', `${chat}/close`, { token });
      case 'transfer':
        return s.request<ApiErrorBody>('POST', `${chat}/transfer`, { token, body: { assigned_to: transferTo } });
      case 'send':
        return s.request<ApiErrorBody>('POST', `${chat}/send`, { token, body: { text: 'probe', client_message_id: randomUUID() } });
      default: {
        const unreachable: never = endpoint;
        throw new Error(`unknown endpoint ${String(unreachable)}`);
      }
    }
  }

  /** The chat row and everything attached to it, to prove a refusal changed nothing. */
  async function state(chatId: number) {
    return { chat: await s.server.store.chats.byId(chatId), messages: await s.server.store.testing.messageFacts(chatId) };
  }

  async function expectEverywhere(token: string, where: Target, endpoints: Endpoint[], status: number, code: string, transferTo = ADMIN_ID) {
    const before = await state(where.chatId);
    for (const endpoint of endpoints) {
      const res = await call(token, endpoint, where, transferTo);
      assert.equal(res.status, status, `${endpoint}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, endpoint);
    }
    assert.deepEqual(await state(where.chatId), before, 'a refused request changed nothing');
  }

  async function expectAllowed(token: string, where: Target, endpoints: Endpoint[], transferTo: number) {
    for (const endpoint of endpoints) {
      const res = await call(token, endpoint, where, transferTo);
      assert.ok(res.status === 200 || res.status === 201, `${endpoint}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  before(async () => {
    s = await startServer({ sendPerMinute: 1000 });
    t = await loginAll(s);
  });
  after(() => s.close());

  it('a moderator gets 404 on every endpoint for chats of sources that are not theirs', async () => {
    await expectEverywhere(t.mod, await target(3), ALL, 404, 'NOT_FOUND', MOD_ID);
    await expectEverywhere(t.mod2, await target(1), ALL, 404, 'NOT_FOUND', MOD2_ID);
    await expectEverywhere(t.mod2, await target(2, { assignTo: MOD_ID }), ALL, 404, 'NOT_FOUND', MOD2_ID);
  });

  it('a moderator with departments gets 404 for chats of other departments, and sees chats without one', async () => {
    const support = await createUser(s, { roles: ['moderator'], sourceIds: [1, 2], departmentIds: [1] });
    await expectEverywhere(support.token, await target(1, { departmentId: 2 }), ALL, 404, 'NOT_FOUND', support.id);
    const noDepartment = await target(1);
    await expectAllowed(support.token, noDepartment, ALL, MOD_ID);
    const own = await target(2, { departmentId: 1 });
    await expectAllowed(support.token, own, ALL, MOD_ID);
  });

  it('a moderator without sources sees nothing at all', async () => {
    const nobody = await createUser(s, { roles: ['moderator'] });
    await expectEverywhere(nobody.token, await target(1), ALL, 404, 'NOT_FOUND');
    const list = await s.request<{ data: unknown[]; meta: { total: number } }>('GET', '/api/v1/chats', { token: nobody.token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data, []);
    assert.equal(list.body.meta.total, 0);
  });

  it('a moderator may view a chat assigned to someone else but gets 403 on every write', async () => {
    const taken = await target(1, { assignTo: ADMIN_ID });
    await expectEverywhere(t.mod, taken, UPDATE, 403, 'FORBIDDEN', MOD_ID);
    await expectAllowed(t.mod, taken, VIEW, MOD_ID);
    const colleague = await createUser(s, { roles: ['moderator'], sourceIds: [1] });
    const theirs = await target(1, { assignTo: colleague.id });
    await expectEverywhere(t.mod, theirs, UPDATE, 403, 'FORBIDDEN', MOD_ID);
  });

  it('a moderator may do everything on an unassigned chat of their source, and on their own', async () => {
    await expectAllowed(t.mod, await target(2), ALL, ADMIN_ID);
    await expectAllowed(t.mod2, await target(3, { assignTo: MOD2_ID }), ALL, ADMIN_ID);
  });

  it('an admin may do everything on every chat, whoever it is assigned to', async () => {
    await expectAllowed(t.admin, await target(3, { assignTo: MOD2_ID }), ALL, MOD2_ID);
    await expectAllowed(t.admin, await target(1, { departmentId: 2, assignTo: MOD_ID }), ALL, MOD_ID);
  });

  it('an employee token (employees cannot log in) is refused with 403 everywhere', async () => {
    const token = await issueToken(s, EMPLOYEE_ID);
    const where = await target(1);
    await expectEverywhere(token, where, ALL, 403, 'FORBIDDEN');
    for (const [method, path] of [
      ['GET', '/api/v1/chats'],
      ['GET', '/api/v1/auth/me'],
      ['GET', '/api/v1/canned-responses'],
      ['GET', '/api/v1/operators'],
      ['POST', '/api/v1/uploads'],
      ['POST', '/api/v1/devices/register-token'],
      ['POST', '/api/v1/auth/logout'],
    ] as const) {
      const res = await s.request<ApiErrorBody>(method, path, { token, body: method === 'POST' ? {} : undefined });
      assert.equal(res.status, 403, path);
      assert.equal(res.body.code, 'FORBIDDEN');
    }
  });

  it('a deactivated operator\'s token stops working (401)', async () => {
    const leaving = await createUser(s, { roles: ['moderator'], sourceIds: [1] });
    const where = await target(1);
    assert.equal((await call(leaving.token, 'show', where, ADMIN_ID)).status, 200);
    await s.server.store.users.setActive(leaving.id, false, Date.now());
    await expectEverywhere(leaving.token, where, ALL, 401, 'UNAUTHENTICATED');
  });

  it('a token that has expired is refused (401)', async () => {
    const short = await startServer({ tokenTtlMinutes: 1 });
    try {
      const token = await short.login('mod@example.com');
      assert.equal((await short.request('GET', '/api/v1/auth/me', { token })).status, 200);
      short.clock.advance(60_000 + 1);
      const res = await short.request<ApiErrorBody>('GET', '/api/v1/auth/me', { token });
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'UNAUTHENTICATED');
    } finally {
      await short.close();
    }
  });
});
