import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { closeAll, connectEcho, isRecord, SubscriptionRefused, untilSubscriptions, type EchoClient } from '../realtime/support';
import { runScript } from './run-script';
import { ADMIN_ID, chatIdOf, createUser, issueToken } from './support';

// What an administrator's change does to the live sockets of the user it concerns, seen by real
// laravel-echo/pusher-js clients: deactivation closes them (4009: pusher-js gives up) and nothing can
// subscribe again; a change of scope makes them reconnect (4200) and channel auth decide again.

/** The close codes pusher-js reports on this client, and its state changes, from now on. */
interface ConnectionLog {
  codes: unknown[];
  states: string[];
}

function watchConnection(client: EchoClient): ConnectionLog {
  const seen: ConnectionLog = { codes: [], states: [] };
  client.pusher.connection.bind('error', (error: unknown) => {
    if (isRecord(error) && isRecord(error.data)) seen.codes.push(error.data.code);
  });
  client.pusher.connection.bind('state_change', (change: { current: string }) => seen.states.push(change.current));
  return seen;
}

async function refused(client: EchoClient, name: string): Promise<unknown> {
  try {
    await client.private(name);
  } catch (error) {
    if (error instanceof SubscriptionRefused) return error.status;
    throw error;
  }
  throw new Error(`subscribing to private-${name} was allowed`);
}

describe('admin API: live sockets of the user it changes', () => {
  let s: TestServer;
  let admin: string;
  const clients: EchoClient[] = [];

  before(async () => {
    s = await startServer();
    admin = await issueToken(s, ADMIN_ID);
  });
  after(async () => {
    closeAll(clients);
    await s.close();
  });

  const connect = async (token: string, label: string) => {
    const client = await connectEcho(s, { token, label });
    clients.push(client);
    return client;
  };

  it('deactivating closes the socket at once (4009, no reconnect); the token is dead and nothing subscribes again', async () => {
    const user = await createUser(s, { roles: ['moderator'], sourceIds: [1] });
    const desk = await connect(user.token, 'deactivated desk');
    await desk.private(`user.${user.id}`);
    await desk.private('chat.1');
    await desk.presence('operators');
    const seen = watchConnection(desk);

    const res = await s.request('POST', `/api/v1/admin/users/${user.id}/deactivate`, { token: admin });
    assert.equal(res.status, 200);
    // Closed before the answer: the server holds no subscription of theirs any longer.
    await untilSubscriptions(s, `private-user.${user.id}`, 0);
    await desk.until(() => desk.state === 'disconnected' && seen.codes.includes(4009), 'the close with 4009');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: user.token })).status, 401);

    // A fresh socket with the old token: the connection opens (it carries no credentials), every subscription is refused.
    const again = await connect(user.token, 'after deactivation');
    assert.ok(isRecord(await refused(again, `user.${user.id}`)));
    assert.ok(isRecord(await refused(again, 'chat.1')));
    await untilSubscriptions(s, `private-user.${user.id}`, 0);
    assert.ok(!seen.states.slice(seen.states.indexOf('disconnected')).includes('connected'), 'pusher-js did not reconnect by itself');
  });

  it('a change of sources reconnects the socket (4200): the chat no longer seen is refused, the newly seen one allowed', async () => {
    const user = await createUser(s, { roles: ['moderator'], sourceIds: [1] });
    const desk = await connect(user.token, 'moved desk');
    await desk.private(`user.${user.id}`);
    await desk.private('chat.1');
    const seen = watchConnection(desk);
    const vkChat = await chatIdOf(s, 'vk_123');
    assert.ok(isRecord(await refused(desk, `chat.${vkChat}`)));

    const res = await s.request('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin, body: { source_ids: [3] } });
    assert.equal(res.status, 200);
    await desk.until(() => seen.codes.includes(4200) && seen.states.at(-1) === 'connected', 'the reconnect');
    // pusher-js subscribes again to every channel it had; channel auth decides by the new sources.
    await desk.until(() => desk.errorsOf('private-chat.1').length > 0, 'private-chat.1 refused after the reconnect');
    await untilSubscriptions(s, `private-user.${user.id}`, 1);
    await untilSubscriptions(s, 'private-chat.1', 0);
    const fresh = await connect(user.token, 'same user, new tab');
    await fresh.private(`chat.${vkChat}`);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: user.token })).status, 200, 'the session survives a change of scope');
  });

  it('`npm run admin -- user:deactivate` beside the running server: its sockets close within seconds', async () => {
    const user = await createUser(s, { roles: ['moderator'], sourceIds: [1], email: `cli-${Date.now()}@example.com` });
    const email = (await s.server.store.users.byId(user.id))?.email ?? '';
    const desk = await connect(user.token, 'desk of a user the CLI deactivates');
    await desk.private(`user.${user.id}`);
    const seen = watchConnection(desk);

    const env: Record<string, string> = s.server.config.databaseUrl ? { SWITCHBOARD_DATABASE_URL: s.server.config.databaseUrl } : {};
    const run = await runScript('scripts/admin.ts', ['user:deactivate', '--email', email, '--data-dir', s.dataDir], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: user.token })).status, 401, 'the next request is refused');
    // The server learns of it from its sweep of revoked tokens (every 5 s).
    await desk.until(() => desk.state === 'disconnected' && seen.codes.includes(4009), 'the close with 4009', 30_000);
    await untilSubscriptions(s, `private-user.${user.id}`, 0);
  });
  it('`npm run admin -- user:password` beside the running server: what that login authorised ends, the socket stays', async () => {
    const email = `cli-pw-${Date.now()}@example.com`;
    const user = await createUser(s, { roles: ['moderator'], sourceIds: [1], email });
    const desk = await connect(user.token, 'desk whose login the CLI ends');
    await desk.private(`user.${user.id}`);
    const seen = watchConnection(desk);

    const env: Record<string, string> = s.server.config.databaseUrl ? { SWITCHBOARD_DATABASE_URL: s.server.config.databaseUrl } : {};
    const run = await runScript('scripts/admin.ts', ['user:password', '--email', email, '--data-dir', s.dataDir], { stdin: 'a brand new password\n', env });
    assert.equal(run.code, 0, run.stderr);
    await desk.until(() => desk.errorsOf(`private-user.${user.id}`).length > 0, 'the user channel ended', 30_000);
    await untilSubscriptions(s, `private-user.${user.id}`, 0);
    assert.equal(desk.state, 'connected', 'the user is still active: only that login ended');
    assert.deepEqual(seen.codes, []);
  });
});
