import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PATHS } from '../../common/admin-api';
import { hashPassword } from '../../server/auth/passwords';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, signedInDesk, waitFor } from './helpers';

// An administrator changes what an operator sees while the operator's desk is open (issue 14's
// admin API meeting issue 16's delta sync): the server closes the operator's sockets with 4200, the
// desk reconnects and catches up, and its cursor, taken under the old scope, resets to a full read.

describe('desk engine: an administrator changes an operator’s sources while their desk is live', () => {
  let server: TestServer;
  let adminToken: string;
  before(async () => {
    server = await startServer();
    adminToken = await server.login('admin@example.com');
  });
  after(() => server.close());

  it('the chats of a source taken away leave the list and the cache; the chats of one given appear', async () => {
    const email = `scope-${Date.now()}@example.com`;
    const userId = await server.server.store.users.create(
      { name: 'Scope One', email, passwordHash: await hashPassword('password'), roles: ['moderator'], sourceIds: [1, 2], departmentIds: [] },
      Date.now(),
    );
    const web = await postWebhook(server, 1, { external_user_id: 'scope-web', text: 'From the website' });
    const telegram = await postWebhook(server, 2, { external_user_id: 'scope-tg', text: 'From Telegram' });
    // Ten minutes between polls: what changes within the test comes through the socket's resync.
    const desk = await signedInDesk(server, email, { timing: { pollIntervalMs: 600_000 } });
    try {
      await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      await desk.engine.settled();
      const listed = async () => (await desk.client.invoke('chats.list', { tab: 'all', limit: 200 })).rows.map((row) => row.id);
      assert.ok((await listed()).includes(web.chat_id) && (await listed()).includes(telegram.chat_id));

      const patch = (sourceIds: number[]) =>
        server.request('PATCH', `${ADMIN_PATHS.users}/${userId}`, { token: adminToken, body: { source_ids: sourceIds } });
      assert.equal((await patch([1])).status, 200);
      await waitFor('the Telegram chat leaves the list', async () => !(await listed()).includes(telegram.chat_id));
      assert.equal((await desk.client.invoke('chats.get', { chatId: telegram.chat_id })).chat, null, 'and the cache');
      assert.ok((await listed()).includes(web.chat_id), 'the website chat stays');

      assert.equal((await patch([1, 2])).status, 200);
      await waitFor('the Telegram chat is back', async () => (await listed()).includes(telegram.chat_id));
    } finally {
      await desk.close();
    }
  });

  it('a deactivated operator’s desk signs out at once, not at its next poll or reconnect (close 4009)', async () => {
    const email = `deactivated-${Date.now()}@example.com`;
    const userId = await server.server.store.users.create(
      { name: 'Soon Gone', email, passwordHash: await hashPassword('password'), roles: ['moderator'], sourceIds: [1], departmentIds: [] },
      Date.now(),
    );
    // Neither a poll nor a reconnect comes within the test: only the socket's close can tell the desk.
    const desk = await signedInDesk(server, email, { timing: { pollIntervalMs: 600_000, reconnect: { baseMs: 600_000, capMs: 600_000 } } });
    try {
      await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      await desk.engine.settled();
      assert.equal((await server.request('POST', `${ADMIN_PATHS.users}/${userId}/deactivate`, { token: adminToken })).status, 200);
      await waitFor('signed out', async () => (await desk.client.invoke('session.get', {})).session === null);
      assert.deepEqual((await desk.client.invoke('desk.status', {})).connection, { kind: 'signed-out' });
    } finally {
      await desk.close();
    }
  });
});
