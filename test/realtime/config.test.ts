import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import type { ApiConfig } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { customerWrites, EchoClient, isRecord, MOD_ID } from './support';

// A desk knows only the server URL: GET /api/v1/config must be enough to configure Echo.

/** The mapping the README documents: config fields → Echo options. */
function echoFromConfig(realtime: ApiConfig['realtime'], token: string): Echo<'reverb'> {
  return new Echo({
    broadcaster: realtime.broadcaster,
    key: realtime.key,
    wsHost: realtime.host,
    wsPort: realtime.port,
    wssPort: realtime.port,
    forceTLS: realtime.scheme === 'https',
    enabledTransports: ['ws', 'wss'],
    activityTimeout: realtime.activity_timeout * 1000,
    authEndpoint: realtime.auth_endpoint,
    auth: { headers: { Authorization: `Bearer ${token}` } },
    Pusher,
  });
}

describe('realtime: GET /api/v1/config is enough to connect Echo', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('connects an Echo client configured only from the config endpoint and receives events', async () => {
    const res = await s.request<{ data: ApiConfig }>('GET', '/api/v1/config');
    assert.equal(res.status, 200);
    const { realtime } = res.body.data;
    const url = new URL(s.url);
    assert.equal(realtime.broadcaster, 'reverb');
    assert.equal(realtime.host, url.hostname);
    assert.equal(realtime.port, Number(url.port));
    assert.equal(realtime.scheme, 'http');
    assert.equal(realtime.auth_endpoint, `${s.url}/api/v1/broadcasting/auth`);

    const token = await s.login('mod@example.com');
    const echo = echoFromConfig(realtime, token);
    const client = new EchoClient(echo, 'from-config');
    try {
      await client.private(`user.${MOD_ID}`);
      const { message } = await customerWrites(s, 2, 'tg-55012', 'Через конфиг');
      await client.next(`private-user.${MOD_ID}`, 'NewChatMessage', (d) => isRecord(d) && isRecord(d.message) && d.message.id === message.id);
    } finally {
      client.close();
    }
  });

  it('describes the public address when the server sits behind a proxy', async () => {
    const proxied = await startServer({ publicUrl: 'https://chat.example.com/support', realtime: { publicPort: 8443 } });
    try {
      const res = await proxied.request<{ data: ApiConfig }>('GET', '/api/v1/config');
      assert.deepEqual(
        res.body.data.realtime,
        {
          broadcaster: 'reverb',
          app_id: 'switchboard',
          key: 'switchboard-key',
          host: 'chat.example.com',
          port: 8443,
          scheme: 'https',
          path: '/support/app/switchboard-key',
          auth_endpoint: 'https://chat.example.com/support/api/v1/broadcasting/auth',
          activity_timeout: 30,
        },
      );
    } finally {
      await proxied.close();
    }
  });
});
