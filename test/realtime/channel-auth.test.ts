import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import type { ApiErrorBody } from '../../common/api';
import { DEMO_REALTIME } from '../../server/config';
import { channelAuthToken } from '../../server/realtime/signatures';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, BARRIER_CHANNEL, barrier, customerWrites, EchoClient, isRecord, MOD_ID, SubscriptionRefused } from './support';

// POST /broadcasting/auth (and /api/v1/broadcasting/auth) as Laravel's Broadcast::routes() answers it,
// and the server's own check of the signature when a client subscribes.

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

describe('realtime: channel authorisation', () => {
  let s: TestServer;
  let admin: string;
  let mod: string;
  let mod2: string;

  before(async () => {
    s = await startServer();
    [admin, mod, mod2] = [await s.login('admin@example.com'), await s.login('mod@example.com'), await s.login('mod2@example.com')];
  });
  after(() => s.close());

  for (const path of ['/broadcasting/auth', '/api/v1/broadcasting/auth']) {
    it(`${path} signs a private channel the user may see, form-encoded or JSON`, async () => {
      const expected = { auth: channelAuthToken(DEMO_REALTIME.key, DEMO_REALTIME.secret, '123.456', 'private-chat.1') };
      const asForm = await s.request('POST', path, { token: mod, ...form({ socket_id: '123.456', channel_name: 'private-chat.1' }) });
      assert.equal(asForm.status, 200);
      assert.deepEqual(asForm.body, expected);
      const asJson = await s.request('POST', path, { token: mod, body: { socket_id: '123.456', channel_name: 'private-chat.1' } });
      assert.equal(asJson.status, 200);
      assert.deepEqual(asJson.body, expected);
    });
  }

  it('answers presence-operators with channel_data {user_id, user_info {id, name}} covered by the signature', async () => {
    const res = await s.request<{ auth: string; channel_data: string }>('POST', '/broadcasting/auth', {
      token: mod,
      body: { socket_id: '1.2', channel_name: 'presence-operators' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.channel_data), { user_id: MOD_ID, user_info: { id: MOD_ID, name: 'Maria Moderator' } });
    assert.equal(res.body.auth, channelAuthToken(DEMO_REALTIME.key, DEMO_REALTIME.secret, '1.2', 'presence-operators', res.body.channel_data));
  });

  it('refuses with 403 FORBIDDEN what the user may not see', async () => {
    const cases: [string, string][] = [
      [mod2, 'private-chat.1'], // a chat of another source
      [mod, 'private-chat.424242'], // a chat that does not exist
      [mod, `private-user.${ADMIN_ID}`], // someone else's user channel
      [admin, 'private-anything'], // a channel nobody defined
      [admin, 'presence-chat.1'],
    ];
    for (const [token, channel] of cases) {
      const res = await s.request<ApiErrorBody>('POST', '/broadcasting/auth', { token, body: { socket_id: '1.2', channel_name: channel } });
      assert.equal(res.status, 403, channel);
      assert.equal(res.body.code, 'FORBIDDEN', channel);
      assert.equal(typeof res.body.message, 'string');
      assert.equal(JSON.stringify(res.body).includes('auth"'), false);
    }
  });

  it('refuses with 401 without a token or with a bad one', async () => {
    for (const token of [undefined, 'nonsense', `${admin.split('|')[0]}|${'a'.repeat(48)}`]) {
      const res = await s.request<ApiErrorBody>('POST', '/broadcasting/auth', { token, body: { socket_id: '1.2', channel_name: 'private-chat.1' } });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' });
    }
  });

  it('validates socket_id and channel_name like Laravel', async () => {
    const res = await s.request<ApiErrorBody>('POST', '/broadcasting/auth', { token: admin, body: { socket_id: 'abc', channel_name: '' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'VALIDATION_ERROR');
    assert.deepEqual(Object.keys(res.body.errors ?? {}).sort(), ['channel_name', 'socket_id']);
  });

  it('answers a forged signature on subscribe with pusher:subscription_error naming the channel, so Echo’s .error() fires', async () => {
    const port = Number(new URL(s.url).port);
    // Echo's `authorizer` option: the client signs nothing itself and hands over whatever auth it was given.
    const echo = new Echo({
      broadcaster: 'reverb',
      key: DEMO_REALTIME.key,
      wsHost: '127.0.0.1',
      wsPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      authorizer: (channel: { name: string }) => ({
        authorize: (socketId: string, callback: (error: Error | null, data: { auth: string } | null) => void) =>
          callback(null, { auth: channelAuthToken(DEMO_REALTIME.key, 'not-the-secret', socketId, channel.name) }),
      }),
      Pusher,
    });
    const client = new EchoClient(echo, 'forger');
    try {
      await client.until(() => client.state === 'connected', 'the connection');
      const refused = await client.private('chat.1').then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(refused instanceof SubscriptionRefused);
      assert.equal(refused.channel, 'private-chat.1');
      assert.ok(isRecord(refused.status));
      assert.equal(refused.status.type, 'AuthError');
      assert.equal(refused.status.status, 401);

      await client.channel(BARRIER_CHANNEL);
      await customerWrites(s, 1, 'web-7f3a', 'Are you there?');
      await barrier(s, [client]);
      assert.deepEqual(client.events('private-chat.1'), [], 'nothing reaches the refused socket');
    } finally {
      client.close();
    }
  });
});
