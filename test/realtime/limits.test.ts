import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEMO_REALTIME } from '../../server/config';
import { startServer, type TestServer } from '../helpers/server';
import { RawPusherClient } from './raw-client';
import { closeAll, connectEcho, isRecord, publishSigned } from './support';

// Limits and hostile input: every one is answered with the protocol's codes, and the server keeps serving.

async function connectionCount(s: TestServer): Promise<number> {
  const res = await publishSigned(s, '/connections', undefined, { method: 'GET' });
  assert.ok(isRecord(res.body) && typeof res.body.connections === 'number');
  return res.body.connections;
}

async function occupiedChannels(s: TestServer): Promise<string[]> {
  const res = await publishSigned(s, '/channels', undefined, { method: 'GET' });
  assert.ok(isRecord(res.body) && isRecord(res.body.channels));
  return Object.keys(res.body.channels).sort();
}

/** Polls until the server agrees (closes are processed asynchronously); the timeout only reports a hang. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function stillServes(s: TestServer): Promise<void> {
  const probe = await RawPusherClient.connect(s);
  probe.send({ event: 'pusher:ping', data: {} });
  await probe.next((f) => f.event === 'pusher:pong', 'a pong');
  probe.close();
}

describe('realtime: limits and hostile input', () => {
  let s: TestServer;
  let mod: string;

  before(async () => {
    s = await startServer({ realtime: { maxMessageBytes: 2000, clientEventsPerSecond: 3, activityTimeout: 1, pongTimeout: 1 } });
    mod = await s.login('mod@example.com');
  });
  after(() => s.close());

  it('closes a connection to an unknown app key with 4001', async () => {
    const client = await RawPusherClient.connect(s, { key: 'not-our-key', expectHandshake: false });
    const error = await client.next((f) => f.event === 'pusher:error', 'the error');
    assert.ok(isRecord(error.data));
    assert.equal(error.data.code, 4001);
    assert.equal((await client.closed).code, 4001);
    assert.equal(client.frames.some((f) => f.event === 'pusher:connection_established'), false);
  });

  it('answers malformed frames with pusher:error, refuses bad channel names with the channel named, and keeps the connection', async () => {
    const client = await RawPusherClient.connect(s);
    for (const frame of ['not json', '[]', '42', '{"event":5}', '{"data":{}}', '{"event":"pusher:unknown"}', '{"event":"something-else"}', '{"event":"pusher:subscribe","data":"nope"}']) {
      client.sendRaw(frame);
    }
    client.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    await until(async () => client.errors().length === 9, 'nine errors');
    for (const error of client.errors()) {
      assert.ok(isRecord(error.data));
      assert.equal(error.data.code, 4200);
    }

    const spaced = await client.subscribe('has spaces');
    assert.equal(spaced.event, 'pusher:subscription_error');
    assert.ok(isRecord(spaced.data));
    assert.equal(spaced.data.code, 4009);
    const long = await client.subscribe(`c${'x'.repeat(200)}`);
    assert.equal(long.event, 'pusher:subscription_error');
    assert.ok(isRecord(long.data) && typeof long.data.error === 'string' && long.data.error.includes('200'));
    const unsigned = await client.subscribe('private-chat.1');
    assert.equal(unsigned.event, 'pusher:subscription_error');
    const noChannelData = await client.subscribe('presence-operators', 'switchboard-key:00');
    assert.equal(noChannelData.event, 'pusher:subscription_error');

    client.send({ event: 'pusher:ping', data: {} });
    await client.next((f) => f.event === 'pusher:pong', 'a pong on the same connection');
    assert.deepEqual(await occupiedChannels(s), [], 'nothing was joined');
    client.close();
  });

  it('closes a connection that sends a frame over maxMessageBytes with 1009; a huge one is never read', async () => {
    const echo = await connectEcho(s, { label: 'bystander', token: mod });
    try {
      await echo.private('chat.1');
      const oversized = await RawPusherClient.connect(s);
      oversized.send({ event: 'pusher:ping', data: { padding: 'x'.repeat(3000) } });
      assert.equal((await oversized.closed).code, 1009);

      const huge = await RawPusherClient.connect(s);
      huge.sendRaw(Buffer.alloc(8 * 1024 * 1024, 0x61));
      assert.equal((await huge.closed).code, 1009);

      await stillServes(s);
      const res = await publishSigned(s, '/events', { name: 'After', channel: 'private-chat.1', data: '{}' });
      assert.equal(res.status, 200);
      await echo.next('private-chat.1', '.After');
      assert.equal(echo.state, 'connected');
    } finally {
      echo.close();
    }
  });

  it('drops client events over clientEventsPerSecond with pusher:error 4301; the others arrive', async () => {
    const sender = await connectEcho(s, { label: 'sender', token: mod });
    const peer = await connectEcho(s, { label: 'peer', token: mod });
    try {
      const rateErrors: unknown[] = [];
      sender.pusher.connection.bind('error', (error: { data?: { code?: unknown } }) => {
        if (error.data?.code === 4301) rateErrors.push(error);
      });
      const channel = await sender.private('chat.1');
      await peer.private('chat.1');
      const sent = 10;
      for (let i = 0; i < sent; i++) channel.whisper('typing', { i });
      await sender.until(() => rateErrors.length > 0 && rateErrors.length + peer.events('private-chat.1', '.client-typing').length === sent, 'every whisper accounted for');
      // However the burst fell across one-second windows, no more than two windows' worth passed.
      assert.ok(peer.events('private-chat.1', '.client-typing').length <= 6);
      assert.equal(sender.state, 'connected', 'the sender is throttled, not disconnected');
    } finally {
      closeAll([sender, peer]);
    }
  });

  it('pings a silent connection and closes it with 4201 when nothing answers; live clients stay', async () => {
    const echo = await connectEcho(s, { label: 'live', token: mod });
    try {
      await echo.private('chat.1');
      const answersControlFrames = await RawPusherClient.connect(s, { autoPong: true });
      const silent = await RawPusherClient.connect(s, { autoPong: false });
      await silent.next((f) => f.event === 'pusher:ping', 'the server’s ping');
      const error = await silent.next((f) => f.event === 'pusher:error', 'the 4201 error');
      assert.ok(isRecord(error.data));
      assert.equal(error.data.code, 4201);
      assert.equal((await silent.closed).code, 4201);

      // A bare client that answers the WebSocket ping survives the same silence (its pong is a sign of life).
      await answersControlFrames.next((f) => f.event === 'pusher:ping', 'a ping to the other raw client');
      const res = await publishSigned(s, '/events', { name: 'StillHere', channel: 'private-chat.1', data: '{}' });
      assert.equal(res.status, 200);
      await echo.next('private-chat.1', '.StillHere');
      assert.equal(echo.state, 'connected');
      assert.equal(answersControlFrames.ws.readyState, answersControlFrames.ws.OPEN);
      answersControlFrames.close();
    } finally {
      echo.close();
    }
  });

  it('forgets sockets that vanish: channels and presence empty, connection count back where it was', async () => {
    await until(async () => (await connectionCount(s)) === 0, 'an idle server');
    const clients = await Promise.all(Array.from({ length: 30 }, () => RawPusherClient.connect(s)));
    await Promise.all(clients.map((client) => client.subscribe('lobby')));
    await Promise.all(clients.slice(0, 10).map((client) => client.authorizeAndSubscribe(s, mod, 'presence-operators')));
    assert.equal(await connectionCount(s), 30);
    assert.deepEqual(await occupiedChannels(s), ['lobby', 'presence-operators']);
    for (const client of clients) client.terminate();
    await until(async () => (await connectionCount(s)) === 0, 'every vanished socket forgotten');
    assert.deepEqual(await occupiedChannels(s), []);
  });
});

/** A WebSocket client by hand over TCP that subscribes to a channel and then stops reading, like a frozen tab. */
async function stalledSubscriber(s: TestServer, channel: string): Promise<Socket> {
  const port = Number(new URL(s.url).port);
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET /app/${DEMO_REALTIME.key}?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  // One masked text frame (clients must mask), payload under 126 bytes.
  const payload = Buffer.from(JSON.stringify({ event: 'pusher:subscribe', data: { channel } }));
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
  socket.pause();
  return socket;
}

describe('realtime: a subscriber that stops reading', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ realtime: { maxMessageBytes: 100_000, maxBufferedBytes: 256 * 1024 } });
  });
  after(() => s.close());

  it('is dropped once too much is queued for it, and the others get every event', async () => {
    const healthy = await connectEcho(s, { label: 'healthy' });
    const stalled = await stalledSubscriber(s, 'news');
    try {
      await healthy.channel('news');
      await until(async () => (await connectionCount(s)) === 2, 'both subscribed');
      const data = JSON.stringify({ text: 'x'.repeat(90_000) });
      const events = 250; // ~22 MB: more than loopback's socket buffers can absorb for the stalled reader.
      for (let i = 0; i < events; i++) {
        const res = await publishSigned(s, '/events', { name: 'Bulk', channel: 'news', data });
        assert.equal(res.status, 200);
      }
      await until(async () => (await connectionCount(s)) === 1, 'the stalled reader dropped');
      await healthy.until(() => healthy.events('news', '.Bulk').length === events, 'every event at the healthy client');
      assert.equal(healthy.state, 'connected');
    } finally {
      healthy.close();
      stalled.destroy();
    }
  });
});

describe('realtime: connection limit', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ realtime: { maxConnections: 2 } });
  });
  after(() => s.close());

  it('refuses connections over maxConnections with 4100, and accepts again once one leaves', async () => {
    const first = await RawPusherClient.connect(s);
    const second = await connectEcho(s, { label: 'second' });
    const third = await RawPusherClient.connect(s, { expectHandshake: false });
    const error = await third.next((f) => f.event === 'pusher:error', 'the refusal');
    assert.ok(isRecord(error.data));
    assert.equal(error.data.code, 4100);
    assert.equal((await third.closed).code, 4100);

    first.close();
    await first.closed;
    await until(async () => (await connectionCount(s)) === 1, 'the freed place');
    const fourth = await RawPusherClient.connect(s);
    assert.match(fourth.socketId, /^\d+\.\d+$/);
    fourth.close();
    second.close();
  });
});
