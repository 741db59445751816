import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_REALTIME } from '../../server/config';
import { startServer, type TestServer } from '../helpers/server';
import { RawPusherClient } from './raw-client';
import { ADMIN_ID, connectEcho, customerWrites, isRecord, MOD_ID, publishSigned, type EchoClient } from './support';

// A server restart (deploy, crash and supervisor restart): clients are told to reconnect (4200),
// pusher-js does so by itself on the same port, re-authorises and resubscribes, and events flow again.

async function occupied(s: TestServer, channel: string): Promise<boolean> {
  try {
    const res = await publishSigned(s, `/channels/${channel}`, undefined, { method: 'GET' });
    return isRecord(res.body) && res.body.occupied === true;
  } catch {
    return false; // the server is between its two lives
  }
}

describe('realtime: reconnecting after a server restart', () => {
  let s: TestServer;
  let admin: EchoClient;
  let mod: EchoClient;

  before(async () => {
    // Explicit: TestServer.restart() restarts without `demo`, and outside the demo an unset secret is random per start.
    s = await startServer({ realtime: { secret: DEMO_REALTIME.secret } });
    const [adminToken, modToken] = [await s.login('admin@example.com'), await s.login('mod@example.com')];
    admin = await connectEcho(s, { label: 'admin', token: adminToken });
    mod = await connectEcho(s, { label: 'mod', token: modToken });
    await Promise.all([admin.private('chat.1'), admin.private(`user.${ADMIN_ID}`), admin.presence('operators'), mod.private(`user.${MOD_ID}`)]);
  });
  after(async () => {
    admin.close();
    mod.close();
    await s.close();
  });

  it('closes sockets with 4200 on shutdown; Echo clients come back, resubscribe and receive new events', async () => {
    const raw = await RawPusherClient.connect(s);
    const socketBefore = admin.socketId;
    let resubscribed = 0;
    admin.pusher.channel('private-chat.1').bind('pusher:subscription_succeeded', () => resubscribed++);

    await s.restart();
    assert.equal((await raw.closed).code, 4200, 'told to reconnect, not just dropped');

    await admin.until(() => admin.state === 'connected' && admin.socketId !== socketBefore && resubscribed > 0, 'the reconnection and resubscription', 30_000);
    await mod.until(() => mod.state === 'connected', 'the second client’s reconnection', 30_000);
    for (const channel of ['private-chat.1', `private-user.${ADMIN_ID}`, `private-user.${MOD_ID}`, 'presence-operators']) {
      const deadline = Date.now() + 30_000;
      while (!(await occupied(s, channel))) {
        if (Date.now() > deadline) throw new Error(`${channel} was never resubscribed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    const { message } = await customerWrites(s, 1, 'web-7f3a', 'Written after the restart');
    const onChat = await admin.next('private-chat.1', 'NewChatMessage', (d) => isRecord(d) && isRecord(d.message) && d.message.id === message.id);
    assert.ok(isRecord(onChat));
    await admin.next(`private-user.${ADMIN_ID}`, 'NewChatMessage', (d) => isRecord(d) && isRecord(d.message) && d.message.id === message.id);
    await mod.next(`private-user.${MOD_ID}`, 'NewChatMessage', (d) => isRecord(d) && isRecord(d.message) && d.message.id === message.id);
  });
});
