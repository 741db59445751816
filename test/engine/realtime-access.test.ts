import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPasswordSync } from '../../server/auth/passwords';
import { startServer, type TestServer } from '../helpers/server';
import { signedInDesk, waitFor } from './helpers';

// When the server ends the desk's realtime subscriptions (the user deactivated, the token revoked
// elsewhere), the socket stays up but tells the desk nothing more: the engine must notice on its own.

describe('desk engine: subscriptions the server ends', () => {
  let server: TestServer;
  before(async () => {
    // A connection left without subscriptions is not closed during the test: the desk must notice by itself.
    server = await startServer({ realtime: { subscribeTimeout: 0 } });
  });
  after(() => server.close());

  it('an idle desk whose user is deactivated ends its session without any action of the operator', async () => {
    const id = await server.server.store.users.create(
      { name: 'Leaving Soon', email: 'leaving@example.com', passwordHash: hashPasswordSync('password'), roles: ['moderator'], sourceIds: [1] },
      Date.now(),
    );
    // Polling every second once realtime is gone; while realtime works it does not poll at all.
    const desk = await signedInDesk(server, 'leaving@example.com');
    try {
      await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
      await desk.engine.settled();
      await server.server.deps.users.deactivate(id);
      await waitFor('session expired', () => desk.eventsOf('session.changed').some((event) => event.reason === 'expired'));
      assert.equal((await desk.client.invoke('session.get', {})).session, null);
    } finally {
      await desk.destroy();
    }
  });
});
