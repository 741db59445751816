import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_REALTIME } from '../../server/config';
import { channelAuthToken } from '../../server/realtime/signatures';
import { startServer, type TestServer } from '../helpers/server';
import { createUser, issueToken } from '../server/support';
import { RawPusherClient } from './raw-client';
import { ADMIN_ID, barrier, closeAll, connectEcho, customerWrites, isRecord, MOD_ID, type EchoClient } from './support';

// Subscriptions end with the access that authorised them: logout (token revoked), deactivation, and a
// chat leaving someone's view. The client is told on that channel, so Echo's `.error()` fires, and
// nothing said afterwards reaches it.

const CHAT_1 = 'private-chat.1'; // web-7f3a: source web, department Support, unassigned
const MOD_USER = `private-user.${MOD_ID}`;

function messageIdOf(data: unknown): unknown {
  return isRecord(data) && isRecord(data.message) ? data.message.id : undefined;
}

function ended(status: unknown): boolean {
  return isRecord(status) && status.type === 'AuthError' && status.status === 403;
}

async function waitForEnded(client: EchoClient, channel: string): Promise<void> {
  await client.until(() => client.errorsOf(channel).some(ended), `the end of ${channel}`);
}

function logout(s: TestServer, token: string) {
  return s.request('POST', '/api/v1/auth/logout', { token });
}

/** Joins presence-operators and records who leaves it, as Echo's `.leaving()` reports them. */
async function watchLeaving(client: EchoClient): Promise<number[]> {
  const left: number[] = [];
  client.echo.join('operators').leaving((member: unknown) => {
    if (isRecord(member) && typeof member.id === 'number') left.push(member.id);
  });
  await client.presence('operators');
  return left;
}

describe('realtime: subscriptions end with the access that authorised them', () => {
  let s: TestServer;

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('after logout the socket is told on every channel that token opened and hears nothing more; the same user’s other token keeps listening', async () => {
    const desk = await issueToken(s, MOD_ID);
    const phone = await issueToken(s, MOD_ID);
    const admin = await connectEcho(s, { label: 'admin', token: await issueToken(s, ADMIN_ID) });
    const loggedOut = await connectEcho(s, { label: 'mod desk', token: desk });
    const stillIn = await connectEcho(s, { label: 'mod phone', token: phone });
    try {
      for (const client of [loggedOut, stillIn]) {
        await client.private(`user.${MOD_ID}`);
        await client.private('chat.1');
      }
      const left = await watchLeaving(admin);
      await loggedOut.presence('operators');
      const before = await customerWrites(s, 1, 'web-7f3a', 'before logout');
      await loggedOut.next(CHAT_1, 'NewChatMessage', (d) => messageIdOf(d) === before.message.id);
      await loggedOut.next(MOD_USER, 'NewChatMessage', (d) => messageIdOf(d) === before.message.id);

      assert.equal((await logout(s, desk)).status, 200);
      await waitForEnded(loggedOut, CHAT_1);
      await waitForEnded(loggedOut, MOD_USER);
      await waitForEnded(loggedOut, 'presence-operators');
      await admin.until(() => left.includes(MOD_ID), 'the logged-out moderator leaving presence');

      const afterwards = await customerWrites(s, 1, 'web-7f3a', 'after logout');
      await stillIn.next(CHAT_1, 'NewChatMessage', (d) => messageIdOf(d) === afterwards.message.id);
      await stillIn.next(MOD_USER, 'NewChatMessage', (d) => messageIdOf(d) === afterwards.message.id);
      await barrier(s, [loggedOut]);
      for (const channel of [CHAT_1, MOD_USER]) {
        assert.deepEqual(loggedOut.events(channel, 'NewChatMessage').map(messageIdOf), [before.message.id], channel);
      }
      assert.deepEqual(stillIn.errors, [], 'the other token’s subscriptions are untouched');
      assert.equal(loggedOut.state, 'connected', 'only the subscriptions end, not the connection');
    } finally {
      closeAll([admin, loggedOut, stillIn]);
    }
  });

  it('refuses a signature obtained before logout and used after it; a signature made by the app’s own backend is not ours to end', async () => {
    const token = await issueToken(s, MOD_ID);
    const raw = await RawPusherClient.connect(s);
    const other = await RawPusherClient.connect(s);
    try {
      const res = await s.request<{ auth: string }>('POST', '/broadcasting/auth', { token, body: { socket_id: raw.socketId, channel_name: CHAT_1 } });
      assert.equal(res.status, 200);
      // The app's backend knows the secret and signs for its own reasons; nobody of ours authorised this.
      const backendSigned = await other.subscribe(CHAT_1, channelAuthToken(DEMO_REALTIME.key, DEMO_REALTIME.secret, other.socketId, CHAT_1));
      assert.equal(backendSigned.event, 'pusher_internal:subscription_succeeded');

      assert.equal((await logout(s, token)).status, 200);
      const late = await raw.subscribe(CHAT_1, res.body.auth);
      assert.equal(late.event, 'pusher:subscription_error');
      assert.ok(isRecord(late.data));
      assert.equal(late.data.status, 403);

      const { message } = await customerWrites(s, 1, 'web-7f3a', 'after the late subscribe');
      await other.next((f) => f.channel === CHAT_1 && messageIdOf(f.data) === message.id, 'the message at the backend-signed socket');
      assert.equal(raw.frames.some((f) => f.channel === CHAT_1 && f.event.endsWith('NewChatMessage')), false);

      // Authorised afresh with a valid token, the same socket may subscribe after all.
      void raw.authorizeAndSubscribe(s, await issueToken(s, MOD_ID), CHAT_1);
      await raw.next((f) => f.channel === CHAT_1 && f.event === 'pusher_internal:subscription_succeeded', 'the fresh subscription');
      const next = await customerWrites(s, 1, 'web-7f3a', 'heard again');
      await raw.next((f) => f.channel === CHAT_1 && messageIdOf(f.data) === next.message.id, 'the message after the fresh subscription');
    } finally {
      raw.close();
      other.close();
    }
  });

  it('after a move out of the moderator’s departments, their chat subscription ends and the next message reaches the admin only', async () => {
    const support = await createUser(s, { roles: ['moderator'], sourceIds: [1], departmentIds: [1] });
    const adminToken = await issueToken(s, ADMIN_ID);
    const { chat_id: chatId } = await customerWrites(s, 1, 'dept-move', 'which department handles this?');
    const channel = `private-chat.${chatId}`;
    const moderator = await connectEcho(s, { label: 'support moderator', token: support.token });
    const admin = await connectEcho(s, { label: 'admin', token: adminToken });
    try {
      await moderator.private(`chat.${chatId}`);
      await moderator.private(`user.${support.id}`);
      await admin.private(`chat.${chatId}`);
      const moved = await s.request('PATCH', `/api/v1/chats/${chatId}`, { token: adminToken, body: { department_id: 2 } });
      assert.equal(moved.status, 200);
      // The move has answered only once the subscription is gone: nothing can slip through in between.
      await waitForEnded(moderator, channel);

      const next = await customerWrites(s, 1, 'dept-move', 'hello again');
      await admin.next(channel, 'NewChatMessage', (d) => messageIdOf(d) === next.message.id);
      await barrier(s, [moderator]);
      assert.deepEqual(moderator.events(channel, 'NewChatMessage'), []);
      assert.deepEqual(moderator.events(`private-user.${support.id}`, 'NewChatMessage'), []);
      assert.deepEqual(moderator.errorsOf(`private-user.${support.id}`), [], 'their own channel stays: it depends on the user alone');
      assert.deepEqual(admin.errors, []);

      // Moved back, the chat is theirs to see again: authorised afresh, the same socket hears it.
      await s.request('PATCH', `/api/v1/chats/${chatId}`, { token: adminToken, body: { department_id: 1 } });
      moderator.echo.leave(`chat.${chatId}`);
      await moderator.private(`chat.${chatId}`);
      const back = await customerWrites(s, 1, 'dept-move', 'and back');
      await moderator.next(channel, 'NewChatMessage', (d) => messageIdOf(d) === back.message.id);
    } finally {
      closeAll([moderator, admin]);
    }
  });

  it('a transfer that keeps the chat in view ends nothing', async () => {
    const adminToken = await issueToken(s, ADMIN_ID);
    const modToken = await issueToken(s, MOD_ID);
    const { chat_id: chatId } = await customerWrites(s, 1, 'transfer-keeps', 'transfer me');
    const mod = await connectEcho(s, { label: 'mod', token: modToken });
    try {
      await mod.private(`chat.${chatId}`);
      const res = await s.request('POST', `/api/v1/chats/${chatId}/transfer`, { token: adminToken, body: { assigned_to: MOD_ID } });
      assert.equal(res.status, 200);
      const next = await customerWrites(s, 1, 'transfer-keeps', 'still here?');
      await mod.next(`private-chat.${chatId}`, 'NewChatMessage', (d) => messageIdOf(d) === next.message.id);
      assert.deepEqual(mod.errors, []);
    } finally {
      mod.close();
    }
  });

  it('deactivation closes every socket of that user (4009, no reconnect), on every token, and nothing reaches them', async () => {
    const leaving = await createUser(s, { roles: ['moderator'], sourceIds: [1] });
    const secondToken = await issueToken(s, leaving.id);
    const admin = await connectEcho(s, { label: 'admin', token: await issueToken(s, ADMIN_ID) });
    const tabs = [await connectEcho(s, { label: 'tab 1', token: leaving.token }), await connectEcho(s, { label: 'tab 2', token: secondToken })];
    try {
      const left = await watchLeaving(admin);
      const closeCodes = tabs.map(() => [] as unknown[]);
      for (const [index, tab] of tabs.entries()) {
        await tab.private('chat.1');
        await tab.private(`user.${leaving.id}`);
        await tab.presence('operators');
        tab.pusher.connection.bind('error', (error: unknown) => {
          if (isRecord(error) && isRecord(error.data)) closeCodes[index]?.push(error.data.code);
        });
      }
      await s.server.deps.users.deactivate(leaving.id);
      for (const [index, tab] of tabs.entries()) {
        await tab.until(() => tab.state === 'disconnected' && (closeCodes[index] ?? []).includes(4009), 'the socket closed with 4009');
      }
      await admin.until(() => left.includes(leaving.id), 'the deactivated user leaving presence');
      assert.deepEqual(left, [leaving.id], 'one member, however many sockets');

      const { message } = await customerWrites(s, 1, 'web-7f3a', 'after deactivation');
      await barrier(s, [admin]);
      for (const tab of tabs) {
        assert.equal(
          tab.received.some((r) => r.event === 'NewChatMessage' && messageIdOf(r.data) === message.id),
          false,
          tab.label,
        );
      }
      // Their tokens no longer authorise anything either.
      const again = await s.request('POST', '/broadcasting/auth', { token: leaving.token, body: { socket_id: admin.socketId, channel_name: 'private-chat.1' } });
      assert.equal(again.status, 401);
    } finally {
      closeAll([admin, ...tabs]);
    }
  });
});
