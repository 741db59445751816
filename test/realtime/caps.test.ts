import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configFromEnv, resolveConfig } from '../../server/config';
import { startServer, type TestServer } from '../helpers/server';
import { RawPusherClient, type Frame } from './raw-client';
import { connectEcho, isRecord, publishSigned } from './support';

// What one client may hold of the realtime server: channels per connection, connections per address,
// and a place without a subscription. Each cap answers with the protocol's codes, and a well-behaved
// client next to the greedy one keeps working.

async function serverCount(s: TestServer, path: string, field: 'connections' | 'channels'): Promise<number> {
  const res = await publishSigned(s, path, undefined, { method: 'GET' });
  assert.ok(isRecord(res.body));
  const value = res.body[field];
  if (typeof value === 'number') return value;
  assert.ok(isRecord(value));
  return Object.keys(value).length;
}

const connections = (s: TestServer) => serverCount(s, '/connections', 'connections');
const channels = (s: TestServer) => serverCount(s, '/channels', 'channels');

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function errorCode(frame: Frame): unknown {
  return isRecord(frame.data) ? frame.data.code : undefined;
}

describe('realtime: caps configuration', () => {
  it('reads the caps from REVERB_APP_* variables and has sane defaults', () => {
    const defaults = resolveConfig().realtime;
    assert.deepEqual(
      [defaults.maxSubscriptionsPerConnection, defaults.maxConnectionsPerIp, defaults.subscribeTimeout],
      [100, 50, 30],
    );
    const env = resolveConfig(
      configFromEnv({ REVERB_APP_MAX_SUBSCRIPTIONS: '7', REVERB_APP_MAX_CONNECTIONS_PER_IP: '0', REVERB_APP_SUBSCRIBE_TIMEOUT: '12' }),
    ).realtime;
    assert.deepEqual([env.maxSubscriptionsPerConnection, env.maxConnectionsPerIp, env.subscribeTimeout], [7, 0, 12]);
  });
});

describe('realtime: subscriptions per connection', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ realtime: { maxSubscriptionsPerConnection: 5 } });
  });
  after(() => s.close());

  it('refuses the channel over the cap on that channel, keeps the connection, and holds no more than the cap however many are asked for', async () => {
    const greedy = await RawPusherClient.connect(s);
    const normal = await connectEcho(s, { label: 'normal' });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await greedy.subscribe(`room-${i}`)).event, 'pusher_internal:subscription_succeeded');
      const over = await greedy.subscribe('room-5');
      assert.equal(over.event, 'pusher:subscription_error');
      assert.ok(isRecord(over.data));
      assert.equal(over.data.type, 'LimitReached');
      assert.equal(over.data.status, 429);
      assert.equal(over.data.code, 4100);
      // Subscribing again to a channel it holds is no new channel.
      greedy.frames.length = 0;
      assert.equal((await greedy.subscribe('room-0')).event, 'pusher_internal:subscription_succeeded');

      // A flood of subscriptions: the server holds five channels of this socket, not thousands.
      for (let i = 0; i < 5000; i++) greedy.send({ event: 'pusher:subscribe', data: { channel: `flood-${i}` } });
      await greedy.next((f) => f.channel === 'flood-4999', 'the last refusal');
      assert.equal(greedy.frames.filter((f) => f.event === 'pusher:subscription_error').length, 5000);
      assert.equal(await channels(s), 6, 'five rooms and the normal client’s barrier channel');

      // Leaving one makes room; the connection is alive throughout.
      greedy.send({ event: 'pusher:unsubscribe', data: { channel: 'room-4' } });
      assert.equal((await greedy.subscribe('room-new')).event, 'pusher_internal:subscription_succeeded');
      greedy.send({ event: 'pusher:ping', data: {} });
      await greedy.next((f) => f.event === 'pusher:pong', 'a pong');

      // The client next door subscribes as usual.
      await normal.channel('news');
      assert.equal(normal.state, 'connected');
    } finally {
      greedy.close();
      normal.close();
    }
  });
});

describe('realtime: connections per address', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ realtime: { maxConnectionsPerIp: 3 } });
  });
  after(() => s.close());

  it('refuses connections over the cap with 4100; a pusher-js client refused so retries and gets in once a place frees', async () => {
    const held = await Promise.all([RawPusherClient.connect(s), RawPusherClient.connect(s), RawPusherClient.connect(s)]);
    const refused = await RawPusherClient.connect(s, { expectHandshake: false });
    const error = await refused.next((f) => f.event === 'pusher:error', 'the refusal');
    assert.equal(errorCode(error), 4100);
    assert.equal(await refused.closeCode(), 4100);
    assert.equal(await connections(s), 3);

    // A desk behind the same NAT: pusher-js treats 4100 as "try again shortly", not as a final refusal.
    let refusals = 0;
    let wake = () => undefined as void;
    const refusedOnce = new Promise<void>((resolve) => (wake = resolve));
    const desk = connectEcho(s, {
      label: 'desk behind the NAT',
      onCreated: (client) =>
        // pusher-js reports a refused handshake as a WebSocketError wrapping the server's pusher:error.
        client.pusher.connection.bind('error', (event: { error?: { data?: { code?: unknown } } }) => {
          if (event.error?.data?.code !== 4100) return;
          refusals++;
          wake();
        }),
    });
    await refusedOnce;
    held[0]?.close();
    const connected = await desk;
    assert.ok(refusals >= 1);
    assert.equal(connected.state, 'connected');
    connected.close();
    for (const client of held) client.close();
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    await until(async () => (await connections(s)) === 0, 'an idle server');
    const spoofing = await Promise.all([1, 2, 3].map((i) => RawPusherClient.connect(s, { headers: { 'X-Forwarded-For': `203.0.113.${i}` } })));
    const fourth = await RawPusherClient.connect(s, { expectHandshake: false, headers: { 'X-Forwarded-For': '203.0.113.4' } });
    assert.equal(await fourth.closeCode(), 4100, 'the headers count as 127.0.0.1');
    for (const client of spoofing) client.close();
  });
});

describe('realtime: connections per address behind a trusted proxy', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ trustProxy: true, realtime: { maxConnectionsPerIp: 2 } });
  });
  after(() => s.close());

  it('counts the address the proxy saw (the last X-Forwarded-For entry), whatever the client put before it', async () => {
    const via = (chain: string) => ({ headers: { 'X-Forwarded-For': chain } });
    const first = await RawPusherClient.connect(s, via('198.51.100.7'));
    const second = await RawPusherClient.connect(s, via('10.1.1.1, 198.51.100.7'));
    const third = await RawPusherClient.connect(s, { expectHandshake: false, ...via('10.9.9.9, 198.51.100.7') });
    assert.equal(await third.closeCode(), 4100, 'a forged first entry is not a new address');
    const elsewhere = await RawPusherClient.connect(s, via('198.51.100.8'));
    assert.match(elsewhere.socketId, /^\d+\.\d+$/);
    for (const client of [first, second, elsewhere]) client.close();
  });
});

describe('realtime: connections without a subscription', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ realtime: { subscribeTimeout: 1 } });
  });
  after(() => s.close());

  it('closes a connection that subscribes to nothing in time with 4202, and one whose last channel ended; subscribed ones stay', async () => {
    const subscribed = await RawPusherClient.connect(s);
    await subscribed.subscribe('lobby');
    const idle = await RawPusherClient.connect(s);
    const leaver = await RawPusherClient.connect(s);
    await leaver.subscribe('lobby');
    leaver.send({ event: 'pusher:unsubscribe', data: { channel: 'lobby' } });
    const echo = await connectEcho(s, { label: 'echo' });
    try {
      const error = await idle.next((f) => f.event === 'pusher:error', 'the 4202 error');
      assert.equal(errorCode(error), 4202);
      assert.equal(await idle.closeCode(), 4202);
      assert.equal(await leaver.closeCode(), 4202);

      // Both subscribed clients outlived the idle ones and still talk.
      subscribed.send({ event: 'pusher:ping', data: {} });
      await subscribed.next((f) => f.event === 'pusher:pong', 'a pong from the subscribed client');
      const res = await publishSigned(s, '/events', { name: 'StillHere', channel: 'lobby', data: '{}' });
      assert.equal(res.status, 200);
      await subscribed.next((f) => f.event === 'StillHere', 'an event on the subscribed client');
      assert.equal(echo.state, 'connected');
    } finally {
      subscribed.close();
      echo.close();
    }
  });
});
