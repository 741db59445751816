import assert from 'node:assert/strict';
import { parseTimestamp } from '../../common/time';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiErrorBody, ApiMessage, ChatListResponse } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { chatIdOf,
  ADMIN_ID,
  EMPLOYEE_ID,
  MOD2_ID,
  MOD_ID,
  assertChatShape,
  assertError,
  assertInvalid,
  assertMessageShape,
  createUser,
  getChat,
  loginAll,
  recordBroadcasts,
  webhook,
  type Tokens,
} from './support';

type ChatBody = { data: ApiChat } & Partial<ApiErrorBody>;

describe('chat actions', () => {
  let s: TestServer;
  let t: Tokens;
  const chatOf = (external: string) => chatIdOf(s, external);
  const post = (token: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    s.request<ChatBody>('POST', `/api/v1${path}`, { token, body, headers });
  const patch = (token: string, id: number, body: unknown) => s.request<ChatBody>('PATCH', `/api/v1/chats/${id}`, { token, body });
  const messages = (token: string, id: number) => s.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${id}/messages`, { token });

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  describe('GET /chats/{id}', () => {
    it('answers the same representation as the list', async () => {
      const id = await chatOf('web-19c2');
      const res = await getChat(s, t.mod, id);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['data']);
      assertChatShape(res.body.data);
      const listed = await s.request<ChatListResponse>('GET', '/api/v1/chats?per_page=100', { token: t.mod });
      assert.deepEqual(
        res.body.data,
        listed.body.data.find((c) => c.id === id),
      );
    });

    it('is 404 for a chat that does not exist, an id that is not one, and a chat of another source', async () => {
      for (const path of ['/api/v1/chats/99999', '/api/v1/chats/abc', '/api/v1/chats/0', '/api/v1/chats/-1', '/api/v1/chats/1.5']) {
        assertError(await s.request('GET', path, { token: t.admin }), 404, 'NOT_FOUND', 'Resource not found.');
      }
      assertError(await getChat(s, t.mod2, (await chatOf('web-19c2'))), 404, 'NOT_FOUND');
    });
  });

  describe('PATCH /chats/{id}', () => {
    it('marks a chat urgent and moves it to another department, broadcasting the change', async () => {
      const id = await chatOf('web-0a0b');
      const recorder = recordBroadcasts(s);
      const urgent = await patch(t.mod, id, { is_urgent: true });
      assert.equal(urgent.status, 200);
      assert.equal(urgent.body.data.is_urgent, true);
      const moved = await patch(t.mod, id, { department_id: 2 });
      assert.deepEqual(moved.body.data.department, { id: 2, name: 'Sales' });
      assert.equal(moved.body.data.is_urgent, true);
      const cleared = await patch(t.mod, id, { department_id: null, is_urgent: false });
      assert.equal(cleared.body.data.department, null);
      assert.equal(cleared.body.data.department_id, null);
      assert.equal(cleared.body.data.is_urgent, false);
      assert.deepEqual((await getChat(s, t.mod, id)).body.data, cleared.body.data);
      recorder.stop();
      const updates = recorder.events.filter((e) => e.event === 'ChatUpdated');
      assert.equal(updates.length, 3);
      assert.ok(updates.every((e) => e.channels.includes(`private-chat.${id}`)));
    });

    it('changes nothing and broadcasts nothing when the values are already so', async () => {
      const id = await chatOf('web-0a0b');
      const before = (await getChat(s, t.mod, id)).body.data;
      const recorder = recordBroadcasts(s);
      const same = await patch(t.mod, id, { is_urgent: before.is_urgent });
      recorder.stop();
      assert.equal(same.status, 200);
      assert.deepEqual(same.body.data, before);
      assert.equal(recorder.events.length, 0);
    });

    it('validates the body', async () => {
      const id = await chatOf('web-0a0b');
      const before = (await getChat(s, t.mod, id)).body.data;
      assertInvalid(await patch(t.mod, id, {}), ['is_urgent']);
      assert.deepEqual(assertInvalid(await patch(t.mod, id, { is_urgent: 'yes' }), ['is_urgent']).is_urgent, ['The is urgent field must be true or false.']);
      assert.deepEqual(assertInvalid(await patch(t.mod, id, { department_id: 99 }), ['department_id']).department_id, [
        'The selected department id is invalid.',
      ]);
      assertInvalid(await patch(t.mod, id, { department_id: 'sales' }), ['department_id']);
      assertInvalid(await patch(t.mod, id, { is_urgent: true, department_id: 99 }), ['department_id']);
      assert.deepEqual((await getChat(s, t.mod, id)).body.data, before, 'a refused patch changes nothing');
    });

    it('is 403 on a chat assigned to someone else and 404 on a chat the user cannot see', async () => {
      assertError(await patch(t.mod, (await chatOf('web-a01b')), { is_urgent: true }), 403, 'FORBIDDEN');
      assertError(await patch(t.mod2, (await chatOf('web-a01b')), { is_urgent: true }), 404, 'NOT_FOUND');
      assert.equal((await getChat(s, t.admin, (await chatOf('web-a01b')))).body.data.is_urgent, false);
      // The 404 comes before validation: an invisible chat says nothing about the body.
      assertError(await patch(t.mod2, (await chatOf('web-a01b')), { is_urgent: 'x' }), 404, 'NOT_FOUND');
    });
  });

  describe('POST /chats/{id}/assign-me', () => {
    it('assigns an unassigned chat to the caller and makes it active', async () => {
      const id = await chatOf('web-7788');
      const before = (await getChat(s, t.mod, id)).body.data;
      assert.equal(before.assigned_to, null);
      assert.equal(before.status, 'new');
      const res = await post(t.mod, `/chats/${id}/assign-me`);
      assert.equal(res.status, 200);
      assertChatShape(res.body.data);
      assert.equal(res.body.data.assigned_to, MOD_ID);
      assert.deepEqual(res.body.data.assignee, { id: MOD_ID, name: 'Maria Moderator' });
      assert.equal(res.body.data.status, 'active');
      const mine = await s.request<ChatListResponse>('GET', '/api/v1/chats?tab=my&per_page=100', { token: t.mod });
      assert.ok(mine.body.data.some((c) => c.id === id));
      // Again: nothing changes, same answer.
      const again = await post(t.mod, `/chats/${id}/assign-me`);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.data, res.body.data);
    });

    it('gives a chat to exactly one of two operators who take it at the same moment', async () => {
      const id = await chatOf('vk_4410');
      const rival = await createUser(s, { roles: ['moderator'], sourceIds: [3] });
      const [first, second] = await Promise.all([post(t.mod2, `/chats/${id}/assign-me`), post(rival.token, `/chats/${id}/assign-me`)]);
      assert.deepEqual([first.status, second.status].sort(), [200, 403]);
      const winner = first.status === 200 ? MOD2_ID : rival.id;
      assert.equal((await getChat(s, t.admin, id)).body.data.assigned_to, winner);
    });

    it('refuses a moderator a chat taken by someone else (403), but lets an admin take it', async () => {
      const id = await chatOf('web-7788');
      assertError(await post(t.mod2, `/chats/${id}/assign-me`), 404, 'NOT_FOUND');
      const other = await createUser(s, { roles: ['moderator'], sourceIds: [1] });
      assertError(await post(other.token, `/chats/${id}/assign-me`), 403, 'FORBIDDEN');
      assert.equal((await getChat(s, t.admin, id)).body.data.assigned_to, MOD_ID);
      const taken = await post(t.admin, `/chats/${id}/assign-me`);
      assert.equal(taken.status, 200);
      assert.equal(taken.body.data.assigned_to, ADMIN_ID);
      assertError(await post(t.mod, `/chats/${id}/assign-me`), 403, 'FORBIDDEN');
    });
  });

  describe('POST /chats/{id}/close', () => {
    it('closes a chat, and closing it again changes nothing', async () => {
      const id = await chatOf('tg-64646');
      const res = await post(t.mod, `/chats/${id}/close`);
      assert.equal(res.status, 200);
      assertChatShape(res.body.data);
      assert.equal(res.body.data.status, 'closed');
      assert.ok(res.body.data.closed_at);
      const open = await s.request<ChatListResponse>('GET', '/api/v1/chats?status=open&per_page=100', { token: t.mod });
      assert.ok(!open.body.data.some((c) => c.id === id));
      const again = await post(t.mod, `/chats/${id}/close`);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.data, res.body.data);
    });

    it('is 403 on a chat assigned to someone else and 404 on an invisible or missing one', async () => {
      const id = await chatOf('web-a01b');
      assertError(await post(t.mod, `/chats/${id}/close`), 403, 'FORBIDDEN');
      assertError(await post(t.mod2, `/chats/${id}/close`), 404, 'NOT_FOUND');
      assertError(await post(t.admin, '/chats/99999/close'), 404, 'NOT_FOUND');
      assert.equal((await getChat(s, t.admin, id)).body.data.status, 'active');
    });

    it('a closed chat comes back when the customer writes again: as a new chat, the closed one stays closed', async () => {
      const id = await chatOf('tg-64646');
      const res = await webhook(s, 2, { external_user_id: 'tg-64646', text: 'Sorry, one more question.' });
      assert.equal(res.status, 201);
      assert.notEqual(res.body.data.chat_id, id);
      assert.equal((await getChat(s, t.mod, id)).body.data.status, 'closed');
      const fresh = (await getChat(s, t.mod, res.body.data.chat_id)).body.data;
      assert.equal(fresh.status, 'new');
      assert.equal(fresh.external_user_id, 'tg-64646');
      assert.equal(fresh.assigned_to, null);
      assert.equal(fresh.unread_count, 1);
    });
  });

  describe('POST /chats/{id}/transfer', () => {
    it('hands the chat to another operator with a system message', async () => {
      const id = await chatOf('tg-77431');
      const recorder = recordBroadcasts(s);
      const res = await post(t.mod, `/chats/${id}/transfer`, { assigned_to: ADMIN_ID, note: 'Needs a refund' });
      recorder.stop();
      assert.equal(res.status, 200);
      assertChatShape(res.body.data);
      assert.equal(res.body.data.assigned_to, ADMIN_ID);
      assert.equal(res.body.data.status, 'transferred');
      const [latest] = (await messages(t.admin, id)).body.data;
      assert.ok(latest);
      assertMessageShape(latest);
      assert.equal(latest.sender_type, 'system');
      assert.equal(latest.text, 'Maria Moderator transferred the chat to Admin: Needs a refund');
      assert.deepEqual(latest.payload, { type: 'transfer', from_user_id: MOD_ID, to_user_id: ADMIN_ID, previous_assignee_id: MOD_ID, note: 'Needs a refund' });
      assert.equal(res.body.data.latest_message?.id, latest.id);
      assert.ok(recorder.events.some((e) => e.event === 'NewChatMessage'));
      assert.ok(recorder.events.some((e) => e.event === 'ChatUpdated'));
      // The former assignee may no longer act on it.
      assertError(await post(t.mod, `/chats/${id}/close`), 403, 'FORBIDDEN');
    });

    it('refuses a target who does not exist, cannot use the desk, is inactive or cannot see the chat', async () => {
      const id = await chatOf('web-9999');
      const inactive = await createUser(s, { roles: ['moderator'], sourceIds: [1], isActive: false });
      const otherDepartment = await createUser(s, { roles: ['moderator'], sourceIds: [1], departmentIds: [2] });
      const countBefore = (await messages(t.admin, id)).body.data.length;
      for (const target of [99999, EMPLOYEE_ID, inactive.id, MOD2_ID]) {
        const errors = assertInvalid(await post(t.admin, `/chats/${id}/transfer`, { assigned_to: target }), ['assigned_to']);
        assert.deepEqual(errors.assigned_to, ['The selected assigned to is invalid.'], `target ${target}`);
      }
      assertInvalid(await post(t.admin, `/chats/${id}/transfer`, {}), ['assigned_to']);
      assertInvalid(await post(t.admin, `/chats/${id}/transfer`, { assigned_to: 'mod' }), ['assigned_to']);
      assertInvalid(await post(t.admin, `/chats/${id}/transfer`, { assigned_to: MOD_ID, note: 'x'.repeat(1001) }), ['note']);
      const unchanged = (await getChat(s, t.admin, id)).body.data;
      assert.equal(unchanged.assigned_to, null);
      assert.equal((await messages(t.admin, id)).body.data.length, countBefore, 'no system message for a refused transfer');
      // A department moderator sees a chat without department, so may receive it.
      const ok = await post(t.admin, `/chats/${id}/transfer`, { assigned_to: otherDepartment.id });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.data.assigned_to, otherDepartment.id);
      // Transferring to the current assignee is refused.
      assertInvalid(await post(t.admin, `/chats/${id}/transfer`, { assigned_to: otherDepartment.id }), ['assigned_to']);
    });

    it('is 403 on a chat assigned to someone else and 404 on an invisible one', async () => {
      assertError(await post(t.mod, `/chats/${(await chatOf('web-a01b'))}/transfer`, { assigned_to: MOD_ID }), 403, 'FORBIDDEN');
      assertError(await post(t.mod2, `/chats/${(await chatOf('web-a01b'))}/transfer`, { assigned_to: MOD2_ID }), 404, 'NOT_FOUND');
      assert.equal((await getChat(s, t.admin, (await chatOf('web-a01b')))).body.data.assigned_to, ADMIN_ID);
    });
  });

  describe('POST /chats/{id}/read', () => {
    it('marks client messages read up to an id, then all of them', async () => {
      const res = await webhook(s, 1, { external_user_id: 'reader-1', text: 'first' });
      const id = res.body.data.chat_id;
      const first = res.body.data.message.id;
      await webhook(s, 1, { external_user_id: 'reader-1', text: 'second' });
      await webhook(s, 1, { external_user_id: 'reader-1', text: 'third' });
      assert.equal((await getChat(s, t.mod, id)).body.data.unread_count, 3);

      const partial = await post(t.mod, `/chats/${id}/read`, { up_to_id: first });
      assert.equal(partial.status, 200);
      assertChatShape(partial.body.data);
      assert.equal(partial.body.data.unread_count, 2);
      const listed = (await messages(t.mod, id)).body.data;
      assert.deepEqual(
        listed.map((m) => [m.text, m.is_read]),
        [
          ['third', false],
          ['second', false],
          ['first', true],
        ],
      );
      const partlyRead = partial.body.data;
      const all = await post(t.mod, `/chats/${id}/read`);
      assert.equal(all.body.data.unread_count, 0);
      // Reading changes the chat (a client comparing copies sees it) but is not activity: the list order stays.
      assert.equal(all.body.data.last_activity_at, partlyRead.last_activity_at);
      assert.ok(parseTimestamp(all.body.data.updated_at) >= parseTimestamp(partlyRead.updated_at));
      assert.ok((await messages(t.mod, id)).body.data.every((m) => m.is_read));
      // Reading is viewing: allowed on a chat assigned to someone else.
      const others = await post(t.mod, `/chats/${(await chatOf('tg-20202'))}/read`);
      assert.equal(others.status, 200);
      assertInvalid(await post(t.mod, `/chats/${id}/read`, { up_to_id: 'all' }), ['up_to_id']);
      assertError(await post(t.mod2, `/chats/${id}/read`), 404, 'NOT_FOUND');
    });
  });

  describe('POST /chats/{id}/typing', () => {
    it('answers OK and broadcasts UserTyping on the chat channel to everyone but the sender socket', async () => {
      const id = await chatOf('tg-20202');
      const recorder = recordBroadcasts(s);
      const res = await s.request<{ data: { message: string } }>('POST', `/api/v1/chats/${id}/typing`, {
        token: t.mod,
        headers: { 'X-Socket-ID': '123.456' },
      });
      const stopped = await s.request('POST', `/api/v1/chats/${id}/typing`, { token: t.mod, body: { typing: false } });
      recorder.stop();
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { data: { message: 'OK' } });
      assert.equal(stopped.status, 200);
      assert.deepEqual(
        recorder.events.map((e) => ({ ...e })),
        [
          { channels: [`private-chat.${id}`], event: 'UserTyping', data: { chat_id: id, user: { id: MOD_ID, name: 'Maria Moderator' }, typing: true }, exceptSocketId: '123.456' },
          { channels: [`private-chat.${id}`], event: 'UserTyping', data: { chat_id: id, user: { id: MOD_ID, name: 'Maria Moderator' }, typing: false }, exceptSocketId: null },
        ],
      );
    });

    it('validates typing and is 404 on an invisible chat', async () => {
      const id = await chatOf('tg-20202');
      assertInvalid(await post(t.mod, `/chats/${id}/typing`, { typing: 'yes' }), ['typing']);
      const recorder = recordBroadcasts(s);
      assertError(await post(t.mod2, `/chats/${id}/typing`), 404, 'NOT_FOUND');
      recorder.stop();
      assert.equal(recorder.events.length, 0);
    });
  });
});
