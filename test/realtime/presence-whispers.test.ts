import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { RawPusherClient } from './raw-client';
import { ADMIN_ID, barrier, closeAll, connectEcho, isRecord, MOD_ID, publishSigned, untilSubscriptions } from './support';

// presence-operators (who is online) and client events (Echo's whisper), with real Echo clients.

interface Member {
  id: number;
  name: string;
}

function isMember(value: unknown): value is Member {
  return isRecord(value) && typeof value.id === 'number' && typeof value.name === 'string';
}

async function onlineUsers(s: TestServer): Promise<string[]> {
  const res = await publishSigned(s, '/channels/presence-operators/users', undefined, { method: 'GET' });
  assert.equal(res.status, 200);
  const body = res.body;
  assert.ok(isRecord(body) && Array.isArray(body.users));
  return body.users.map((user: unknown) => (isRecord(user) ? String(user.id) : '')).sort();
}

describe('realtime: presence and whispers', () => {
  let s: TestServer;
  let adminToken: string;
  let modToken: string;
  let mod2Token: string;

  before(async () => {
    s = await startServer();
    [adminToken, modToken, mod2Token] = [await s.login('admin@example.com'), await s.login('mod@example.com'), await s.login('mod2@example.com')];
  });
  after(() => s.close());

  it('shows who is online: here, joining and leaving, one member per user however many sockets', async () => {
    const admin = await connectEcho(s, { label: 'admin', token: adminToken });
    const mod = await connectEcho(s, { label: 'mod', token: modToken });
    const modSecondTab = await connectEcho(s, { label: 'mod-tab-2', token: modToken });
    try {
      const adminHere: Member[][] = [];
      const joined: Member[] = [];
      const left: Member[] = [];
      admin.echo
        .join('operators')
        .here((members: unknown[]) => adminHere.push(members.filter(isMember)))
        .joining((member: unknown) => isMember(member) && joined.push(member))
        .leaving((member: unknown) => isMember(member) && left.push(member));
      await admin.presence('operators');
      assert.deepEqual(adminHere, [[{ id: ADMIN_ID, name: 'Admin' }]]);

      const modHere: Member[][] = [];
      mod.echo.join('operators').here((members: unknown[]) => modHere.push(members.filter(isMember)));
      await mod.presence('operators');
      await admin.until(() => joined.length === 1, 'mod joining');
      assert.deepEqual(joined, [{ id: MOD_ID, name: 'Maria Moderator' }]);
      assert.deepEqual(
        modHere[0]?.map((m) => m.id).sort(),
        [ADMIN_ID, MOD_ID],
      );

      // The same user in a second tab is not a new member, and closing that tab does not make them leave.
      await modSecondTab.presence('operators');
      assert.deepEqual(await onlineUsers(s), [String(ADMIN_ID), String(MOD_ID)]);
      modSecondTab.close();
      await untilSubscriptions(s, 'presence-operators', 2);
      await barrier(s, [admin]);
      assert.equal(joined.length, 1);
      assert.deepEqual(left, []);
      assert.deepEqual(await onlineUsers(s), [String(ADMIN_ID), String(MOD_ID)]);

      mod.close();
      await admin.until(() => left.length === 1, 'mod leaving');
      assert.deepEqual(left, [{ id: MOD_ID, name: 'Maria Moderator' }]);
      assert.deepEqual(await onlineUsers(s), [String(ADMIN_ID)]);
    } finally {
      closeAll([admin, mod, modSecondTab]);
    }
  });

  it('removes a member whose socket vanishes without a goodbye', async () => {
    const admin = await connectEcho(s, { label: 'admin', token: adminToken });
    const left: Member[] = [];
    try {
      admin.echo.join('operators').leaving((member: unknown) => isMember(member) && left.push(member));
      await admin.presence('operators');
      const raw = await RawPusherClient.connect(s);
      const answer = await raw.authorizeAndSubscribe(s, mod2Token, 'presence-operators');
      assert.equal(answer.event, 'pusher_internal:subscription_succeeded');
      assert.ok(isRecord(answer.data) && isRecord(answer.data.presence));
      assert.ok(Array.isArray(answer.data.presence.ids) && answer.data.presence.ids.includes('3'));
      raw.terminate();
      await admin.until(() => left.length === 1, 'the vanished member leaving');
      assert.equal(left[0]?.name, 'Wojtek Moderator');
    } finally {
      admin.close();
    }
  });

  it('relays a whisper to the other members of a private channel, never back to the sender', async () => {
    const admin = await connectEcho(s, { label: 'admin', token: adminToken });
    const mod = await connectEcho(s, { label: 'mod', token: modToken });
    const mod2 = await connectEcho(s, { label: 'mod2', token: mod2Token });
    try {
      const adminChat = await admin.private('chat.1');
      await mod.private('chat.1');
      await mod2.private('chat.8');
      adminChat.whisper('typing', { name: 'Admin', typing: true });
      const heard = await mod.next('private-chat.1', '.client-typing');
      assert.deepEqual(heard, { name: 'Admin', typing: true });
      await barrier(s, [admin, mod, mod2]);
      assert.deepEqual(admin.events('private-chat.1', '.client-typing'), [], 'not echoed to the sender');
      assert.deepEqual(mod2.received.filter((r) => r.event === '.client-typing'), [], 'not to a member of another channel');
    } finally {
      closeAll([admin, mod, mod2]);
    }
  });

  it('tells presence members who whispered (user_id), as Pusher does', async () => {
    const admin = await connectEcho(s, { label: 'admin', token: adminToken });
    const mod = await connectEcho(s, { label: 'mod', token: modToken });
    try {
      await admin.presence('operators');
      const modOperators = await mod.presence('operators');
      const heard: { data: unknown; userId: unknown }[] = [];
      admin.pusher.channel('presence-operators').bind('client-status', (data: unknown, metadata: { user_id?: unknown }) => {
        heard.push({ data, userId: metadata.user_id });
      });
      modOperators.whisper('status', { away: true });
      await admin.until(() => heard.length === 1, 'the whisper');
      assert.deepEqual(heard, [{ data: { away: true }, userId: MOD_ID }]);
    } finally {
      closeAll([admin, mod]);
    }
  });

  it('refuses client events from non-members and on public channels', async () => {
    const admin = await connectEcho(s, { label: 'admin', token: adminToken });
    try {
      await admin.private('chat.1');
      const intruder = await RawPusherClient.connect(s);
      intruder.send({ event: 'client-typing', channel: 'private-chat.1', data: { forged: true } });
      const refused = await intruder.next((f) => f.event === 'pusher:error', 'the refusal');
      assert.ok(isRecord(refused.data));
      assert.equal(refused.data.code, 4009);

      const publicMember = await RawPusherClient.connect(s);
      const listener = await RawPusherClient.connect(s);
      await publicMember.subscribe('lobby');
      await listener.subscribe('lobby');
      publicMember.send({ event: 'client-hello', channel: 'lobby', data: {} });
      const publicRefused = await publicMember.next((f) => f.event === 'pusher:error', 'the refusal on a public channel');
      assert.ok(isRecord(publicRefused.data));
      assert.equal(publicRefused.data.code, 4009);

      await barrier(s, [admin]);
      assert.deepEqual(admin.events('private-chat.1', '.client-typing'), [], 'a non-member’s client event goes nowhere');
      await publishSigned(s, '/events', { name: 'marker', channel: 'lobby', data: '{}' });
      await listener.next((f) => f.event === 'marker', 'the marker');
      assert.equal(listener.frames.some((f) => f.event === 'client-hello'), false);
      for (const client of [intruder, publicMember, listener]) client.close();
    } finally {
      admin.close();
    }
  });
});
