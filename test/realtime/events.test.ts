import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiMessage } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import {
  ADMIN_ID,
  barrier,
  closeAll,
  connectEcho,
  customerWrites,
  isRecord,
  MOD2_ID,
  MOD_ID,
  SubscriptionRefused,
  type EchoClient,
} from './support';

// The domain's events reach the right channels, with Laravel's names and the REST payloads, and only those.
// Demo data (server/demo/seed.ts): chat 1 is source 1 (mod sees it), chat 8 is source 3 (only mod2 and the admin).

const messageOf = (data: unknown): Record<string, unknown> | undefined => (isRecord(data) && isRecord(data.message) ? data.message : undefined);
const chatOf = (data: unknown): Record<string, unknown> | undefined => (isRecord(data) && isRecord(data.chat) ? data.chat : undefined);

describe('realtime: domain events over Echo', () => {
  let s: TestServer;
  let tokens: { admin: string; mod: string; mod2: string };
  let admin: EchoClient;
  let mod: EchoClient;
  let mod2: EchoClient;

  before(async () => {
    s = await startServer();
    tokens = {
      admin: await s.login('admin@example.com'),
      mod: await s.login('mod@example.com'),
      mod2: await s.login('mod2@example.com'),
    };
    [admin, mod, mod2] = await Promise.all([
      connectEcho(s, { label: 'admin', token: tokens.admin }),
      connectEcho(s, { label: 'mod', token: tokens.mod }),
      connectEcho(s, { label: 'mod2', token: tokens.mod2 }),
    ]);
    await Promise.all([admin.private(`user.${ADMIN_ID}`), mod.private(`user.${MOD_ID}`), mod2.private(`user.${MOD2_ID}`)]);
    await Promise.all([admin.private('chat.1'), mod.private('chat.1'), mod2.private('chat.8')]);
  });
  after(async () => {
    closeAll([admin, mod, mod2]);
    await s.close();
  });

  it('delivers NewChatMessage from a customer to the chat channel and to every viewer’s user channel, not to others', async () => {
    const { message } = await customerWrites(s, 1, 'web-7f3a', 'Hello from the website');
    assert.equal(message.chat_id, 1);
    for (const client of [admin, mod]) {
      const onChat = messageOf(await client.next('private-chat.1', 'NewChatMessage', (d) => messageOf(d)?.id === message.id));
      assert.deepEqual(onChat, message, `${client.label}: the chat channel carries the REST representation`);
    }
    const rest = await s.request<{ data: ApiMessage[] }>('GET', '/api/v1/chats/1/messages?limit=1', { token: tokens.admin });
    assert.deepEqual(messageOf(await admin.next('private-chat.1', 'NewChatMessage', (d) => messageOf(d)?.id === message.id)), rest.body.data[0]);

    const adminUser = await admin.next(`private-user.${ADMIN_ID}`, 'NewChatMessage', (d) => messageOf(d)?.id === message.id);
    const modUser = await mod.next(`private-user.${MOD_ID}`, 'NewChatMessage', (d) => messageOf(d)?.id === message.id);
    assert.equal(chatOf(adminUser)?.id, 1);
    assert.equal(chatOf(modUser)?.id, 1);
    const chat = await s.request<{ data: ApiChat }>('GET', '/api/v1/chats/1', { token: tokens.admin });
    assert.deepEqual(chatOf(adminUser), chat.body.data, 'the user channel carries the chat as REST shows it');

    await barrier(s, [admin, mod, mod2]);
    assert.deepEqual(mod2.received.filter((r) => r.event === 'NewChatMessage'), [], 'mod2 (source 3 only) hears nothing of a source-1 chat');
  });

  it('delivers a message of a source-3 chat to mod2 and the admin, never to mod', async () => {
    const { message } = await customerWrites(s, 3, 'vk_4410', 'Привет из ВК');
    assert.equal(message.chat_id, 8);
    await mod2.next('private-chat.8', 'NewChatMessage', (d) => messageOf(d)?.id === message.id);
    await mod2.next(`private-user.${MOD2_ID}`, 'NewChatMessage', (d) => messageOf(d)?.id === message.id);
    await admin.next(`private-user.${ADMIN_ID}`, 'NewChatMessage', (d) => messageOf(d)?.id === message.id);
    await barrier(s, [admin, mod, mod2]);
    assert.equal(
      mod.received.some((r) => messageOf(r.data)?.id === message.id),
      false,
    );
    assert.equal(admin.events('private-chat.1').some((d) => messageOf(d)?.id === message.id), false, 'not on another chat’s channel');
  });

  it('sends ChatUpdated after assign-me and after close, to the chat and its viewers', async () => {
    const assigned = await s.request<{ data: ApiChat }>('POST', '/api/v1/chats/1/assign-me', { token: tokens.mod });
    assert.equal(assigned.status, 200);
    const onChat = chatOf(await admin.next('private-chat.1', 'ChatUpdated', (d) => chatOf(d)?.assigned_to === MOD_ID));
    assert.deepEqual(onChat, assigned.body.data);
    await admin.next(`private-user.${ADMIN_ID}`, 'ChatUpdated', (d) => chatOf(d)?.assigned_to === MOD_ID);

    const closed = await s.request<{ data: ApiChat }>('POST', '/api/v1/chats/1/close', { token: tokens.mod });
    assert.equal(closed.status, 200);
    assert.deepEqual(chatOf(await admin.next('private-chat.1', 'ChatUpdated', (d) => chatOf(d)?.status === 'closed')), closed.body.data);
    await mod.next(`private-user.${MOD_ID}`, 'ChatUpdated', (d) => chatOf(d)?.status === 'closed');
    await barrier(s, [admin, mod, mod2]);
    assert.deepEqual(mod2.received.filter((r) => r.event === 'ChatUpdated'), []);
  });

  it('announces ChatCreated when a customer’s first message creates a chat', async () => {
    const { chat_id } = await customerWrites(s, 2, `tg-new-${Date.now()}`, 'Dzień dobry');
    const created = chatOf(await mod.next(`private-user.${MOD_ID}`, 'ChatCreated', (d) => chatOf(d)?.id === chat_id));
    const rest = await s.request<{ data: ApiChat }>('GET', `/api/v1/chats/${chat_id}`, { token: tokens.mod });
    assert.equal(created?.source_id, 2);
    assert.equal(created?.id, rest.body.data.id);
    await admin.next(`private-user.${ADMIN_ID}`, 'ChatCreated', (d) => chatOf(d)?.id === chat_id);
    await barrier(s, [admin, mod, mod2]);
    assert.deepEqual(mod2.received.filter((r) => r.event === 'ChatCreated'), []);
  });

  it('sends UserTyping to the chat channel after POST /chats/{id}/typing', async () => {
    const res = await s.request('POST', '/api/v1/chats/8/typing', { token: tokens.admin, body: { typing: true } });
    assert.equal(res.status, 200);
    const typing = await mod2.next('private-chat.8', 'UserTyping');
    assert.deepEqual(typing, { chat_id: 8, user: { id: ADMIN_ID, name: 'Admin' }, typing: true });
    await barrier(s, [admin, mod, mod2]);
    assert.deepEqual(mod.received.filter((r) => r.event === 'UserTyping'), []);
  });

  it('does not echo an event to the socket named in X-Socket-ID, but does to the user’s other sockets', async () => {
    const second = await connectEcho(s, { label: 'admin-2', token: tokens.admin });
    try {
      await second.private('chat.8');
      const res = await s.request('POST', '/api/v1/chats/8/typing', {
        token: tokens.admin,
        body: { typing: false },
        headers: { 'X-Socket-ID': second.socketId },
      });
      assert.equal(res.status, 200);
      await mod2.next('private-chat.8', 'UserTyping', (d) => isRecord(d) && d.typing === false);
      await barrier(s, [second, mod2]);
      assert.deepEqual(second.events('private-chat.8', 'UserTyping'), [], 'the sender’s own socket is left out');

      const other = await s.request('POST', '/api/v1/chats/8/typing', {
        token: tokens.admin,
        body: { typing: true },
        headers: { 'X-Socket-ID': mod2.socketId },
      });
      assert.equal(other.status, 200);
      await second.next('private-chat.8', 'UserTyping', (d) => isRecord(d) && d.typing === true);
    } finally {
      second.close();
    }
  });

  it('delivers the system message of a transfer to the transferring socket too, but not the chat change it already has', async () => {
    const before = await s.request<{ data: ApiChat }>('GET', '/api/v1/chats/1', { token: tokens.admin });
    const [target, targetName] = before.body.data.assigned_to === MOD_ID ? [ADMIN_ID, 'Admin'] : [MOD_ID, 'Maria Moderator'];
    const res = await s.request<{ data: ApiChat }>('POST', '/api/v1/chats/1/transfer', {
      token: tokens.admin,
      body: { assigned_to: target, note: 'VIP' },
      headers: { 'X-Socket-ID': admin.socketId },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.assigned_to, target);
    const system = messageOf(await admin.next('private-chat.1', 'NewChatMessage', (d) => messageOf(d)?.sender_type === 'system'));
    assert.equal(system?.text, `Admin transferred the chat to ${targetName}: VIP`);
    await mod.next('private-chat.1', 'ChatUpdated', (d) => chatOf(d)?.assigned_to === target && chatOf(d)?.status === 'transferred');
    await barrier(s, [admin, mod]);
    assert.deepEqual(
      admin.events('private-chat.1', 'ChatUpdated').filter((d) => chatOf(d)?.status === 'transferred'),
      [],
      'the transferring socket has the chat from its REST answer',
    );
  });

  it('refuses a moderator of another source (Echo’s .error() fires) and a user channel of someone else', async () => {
    await assert.rejects(mod2.private('chat.1'), (error: unknown) => error instanceof SubscriptionRefused && isRecord(error.status) && error.status.status === 403);
    await assert.rejects(mod.private(`user.${ADMIN_ID}`), SubscriptionRefused);
    await assert.rejects(mod.private('chat.999999'), SubscriptionRefused, 'a chat that does not exist');
  });

  it('refuses private channels to a client with a bad token or none', async () => {
    const anonymous = await connectEcho(s, { label: 'anonymous' });
    const forged = await connectEcho(s, { label: 'forged', token: `${tokens.mod.split('|')[0]}|${'x'.repeat(48)}` });
    try {
      await assert.rejects(anonymous.private('chat.1'), (error: unknown) => error instanceof SubscriptionRefused && isRecord(error.status) && error.status.status === 401);
      await assert.rejects(forged.private(`user.${MOD_ID}`), (error: unknown) => error instanceof SubscriptionRefused && isRecord(error.status) && error.status.status === 401);
      await customerWrites(s, 1, 'web-7f3a', 'Is anyone there?');
      await barrier(s, [anonymous, forged]);
      assert.deepEqual(anonymous.received.filter((r) => r.event === 'NewChatMessage'), []);
      assert.deepEqual(forged.received.filter((r) => r.event === 'NewChatMessage'), []);
    } finally {
      closeAll([anonymous, forged]);
    }
  });
});
