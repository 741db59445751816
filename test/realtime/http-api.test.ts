import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_REALTIME } from '../../server/config';
import { signHttpApiRequest } from '../../server/realtime/signatures';
import { startServer, type TestServer } from '../helpers/server';
import { barrier, closeAll, connectEcho, isRecord, publishSigned, untilSubscriptions, type EchoClient } from './support';

// The signed Pusher HTTP API, as a Laravel backend's `reverb`/`pusher` broadcast driver calls it.

describe('realtime: Pusher HTTP API', () => {
  let s: TestServer;
  let admin: EchoClient;
  let mod: EchoClient;

  before(async () => {
    s = await startServer();
    const [adminToken, modToken] = [await s.login('admin@example.com'), await s.login('mod@example.com')];
    [admin, mod] = await Promise.all([connectEcho(s, { label: 'admin', token: adminToken }), connectEcho(s, { label: 'mod', token: modToken })]);
    await Promise.all([admin.private('chat.1'), mod.private('chat.1'), admin.presence('operators'), mod.presence('operators')]);
  });
  after(async () => {
    closeAll([admin, mod]);
    await s.close();
  });

  it('delivers a signed publish to the channel’s subscribers with its name and data', async () => {
    const res = await publishSigned(s, '/events', {
      name: 'App\\Events\\Announcement',
      channels: ['private-chat.1', 'presence-operators'],
      data: JSON.stringify({ text: 'Maintenance at 22:00' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {});
    for (const client of [admin, mod]) {
      assert.deepEqual(await client.next('private-chat.1', 'Announcement'), { text: 'Maintenance at 22:00' });
      assert.deepEqual(await client.next('presence-operators', 'Announcement'), { text: 'Maintenance at 22:00' });
    }
  });

  it('leaves out the socket named in socket_id, and reports channel info when asked', async () => {
    const res = await publishSigned(s, '/events', {
      name: 'Ping',
      channel: 'private-chat.1',
      data: '{"n":1}',
      socket_id: admin.socketId,
      info: 'subscription_count,user_count',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { channels: { 'private-chat.1': { subscription_count: 2 } } });
    await mod.next('private-chat.1', '.Ping');
    await barrier(s, [admin, mod]);
    assert.deepEqual(admin.events('private-chat.1', '.Ping'), []);
  });

  it('delivers batch_events, each to its own channel', async () => {
    const res = await publishSigned(s, '/batch_events', {
      batch: [
        { name: 'First', channel: 'private-chat.1', data: '{"n":1}' },
        { name: 'Second', channel: 'presence-operators', data: '{"n":2}', info: 'user_count' },
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { batch: [{}, { user_count: 2 }] });
    assert.deepEqual(await mod.next('private-chat.1', '.First'), { n: 1 });
    assert.deepEqual(await mod.next('presence-operators', '.Second'), { n: 2 });
    await barrier(s, [mod]);
    assert.deepEqual(mod.events('presence-operators', '.First'), []);
    assert.deepEqual(mod.events('private-chat.1', '.Second'), []);
  });

  it('refuses unsigned, badly signed, stale and tampered requests with 401, and delivers nothing', async () => {
    const body = JSON.stringify({ name: 'Forged', channel: 'private-chat.1', data: '{}' });
    const post = (query: string, text = body) =>
      s.request('POST', `/apps/${DEMO_REALTIME.appId}/events${query}`, { body: text, headers: { 'Content-Type': 'application/json' } });
    const path = `/apps/${DEMO_REALTIME.appId}/events`;
    const credentials = { key: DEMO_REALTIME.key, secret: DEMO_REALTIME.secret };

    const attempts = [
      await post(''),
      await post(`?${signHttpApiRequest({ key: DEMO_REALTIME.key, secret: 'wrong-secret' }, 'POST', path, body, Date.now())}`),
      await post(`?${signHttpApiRequest(credentials, 'POST', path, body, Date.now() - 601_000)}`),
      await post(`?${signHttpApiRequest(credentials, 'POST', path, body, Date.now())}`, body.replace('Forged', 'Forgex')),
      await post(`?${signHttpApiRequest({ key: 'another-key', secret: DEMO_REALTIME.secret }, 'POST', path, body, Date.now())}`),
    ];
    for (const res of attempts) {
      assert.equal(res.status, 401);
      assert.ok(isRecord(res.body));
      assert.equal(res.body.code, 'UNAUTHENTICATED');
    }
    await barrier(s, [admin, mod]);
    assert.deepEqual([...admin.events('private-chat.1', '.Forged'), ...mod.events('private-chat.1', '.Forged'), ...mod.events('private-chat.1', '.Forgex')], []);

    const unknownApp = await publishSigned(s, '/events', { name: 'X', channel: 'c', data: '{}' }, { appId: 'someone-else' });
    assert.equal(unknownApp.status, 404);
    const unsignedRead = await s.request('GET', `/apps/${DEMO_REALTIME.appId}/channels`);
    assert.equal(unsignedRead.status, 401);
  });

  it('validates events: 422 for a malformed one, 413 for data over the size limit', async () => {
    const missing = await publishSigned(s, '/events', { channel: 'private-chat.1' });
    assert.equal(missing.status, 422);
    assert.ok(isRecord(missing.body) && isRecord(missing.body.errors));
    assert.deepEqual(Object.keys(missing.body.errors).sort(), ['data', 'name']);
    const tooMany = await publishSigned(s, '/events', { name: 'X', data: '{}', channels: Array.from({ length: 101 }, (_, i) => `c${i}`) });
    assert.equal(tooMany.status, 422);
    const badName = await publishSigned(s, '/events', { name: 'X', data: '{}', channel: 'spaces are not allowed' });
    assert.equal(badName.status, 422);
    const huge = await publishSigned(s, '/events', { name: 'X', data: JSON.stringify({ text: 'x'.repeat(20_000) }), channel: 'private-chat.1' });
    assert.equal(huge.status, 413);
  });

  it('lists occupied channels, one channel’s state, presence users and the connection count', async () => {
    const all = await publishSigned(s, '/channels', undefined, { method: 'GET' });
    assert.equal(all.status, 200);
    assert.ok(isRecord(all.body) && isRecord(all.body.channels));
    assert.deepEqual(Object.keys(all.body.channels).sort(), ['presence-operators', 'private-chat.1', 'test-barrier']);

    const presence = await publishSigned(s, '/channels', undefined, { method: 'GET', query: { filter_by_prefix: 'presence-', info: 'user_count' } });
    assert.deepEqual(presence.body, { channels: { 'presence-operators': { user_count: 2 } } });
    const userCountWithoutPrefix = await publishSigned(s, '/channels', undefined, { method: 'GET', query: { info: 'user_count' } });
    assert.equal(userCountWithoutPrefix.status, 422);

    const one = await publishSigned(s, '/channels/private-chat.1', undefined, { method: 'GET', query: { info: 'subscription_count' } });
    assert.deepEqual(one.body, { occupied: true, subscription_count: 2 });
    const empty = await publishSigned(s, '/channels/private-chat.2', undefined, { method: 'GET' });
    assert.deepEqual(empty.body, { occupied: false });

    const users = await publishSigned(s, '/channels/presence-operators/users', undefined, { method: 'GET' });
    assert.deepEqual(users.body, { users: [{ id: '1' }, { id: '2' }] });
    const notPresence = await publishSigned(s, '/channels/private-chat.1/users', undefined, { method: 'GET' });
    assert.equal(notPresence.status, 422);

    const before = await publishSigned(s, '/connections', undefined, { method: 'GET' });
    assert.deepEqual(before.body, { connections: 2 });
    const third = await connectEcho(s, { label: 'third' });
    const during = await publishSigned(s, '/connections', undefined, { method: 'GET' });
    assert.deepEqual(during.body, { connections: 3 });
    third.close();
  });

  it('forgets a channel when its last subscriber leaves', async () => {
    const extra = await connectEcho(s, { label: 'extra', token: await s.login('admin@example.com') });
    await extra.private('chat.5');
    const occupied = await publishSigned(s, '/channels/private-chat.5', undefined, { method: 'GET' });
    assert.deepEqual(occupied.body, { occupied: true });
    extra.echo.leaveChannel('private-chat.5');
    await untilSubscriptions(s, 'private-chat.5', 0);
    const all = await publishSigned(s, '/channels', undefined, { method: 'GET' });
    assert.ok(isRecord(all.body) && isRecord(all.body.channels));
    assert.equal('private-chat.5' in all.body.channels, false);
    extra.close();
  });
});
