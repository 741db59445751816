import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { crm, createSpace } from '../server/crm-support';
import { signedInDesk, waitFor, type Desk } from './helpers';

// What the CRM module changes in place — an edited message, a deleted message, a deleted space —
// reaches a desk over realtime: the edit replaces the cached text, deletions leave the cache and
// the screen.

describe('desk engine: CRM edits and deletions', () => {
  let server: TestServer;
  let modToken: string;
  let adminToken: string;
  let desk: Desk;

  before(async () => {
    server = await startServer();
    modToken = await server.server.deps.authenticator.issue(2, 'crm');
    adminToken = await server.server.deps.authenticator.issue(1, 'crm');
    desk = await signedInDesk(server, 'mod@example.com');
    await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
    await desk.engine.settled();
  });
  after(async () => {
    await desk.destroy();
    await server.close();
  });

  it('an edited message shows its new text; a deleted one leaves the open chat', async () => {
    const space = await createSpace(server, modToken);
    const sent = await crm<{ id: number }>(server, 'POST', '/chat/messages.json', { token: modToken, body: { space_id: space.id, message: 'Pierwsza wersja' } });
    await waitFor('the chat reaches the desk', async () => (await desk.client.invoke('chat.open', { chatId: space.id })).messages.some((view) => view.id === sent.body.id));

    await crm(server, 'PATCH', `/chat/messages/${sent.body.id}.json`, { token: modToken, body: { message: 'Druga wersja' } });
    await waitFor('the edit shows', () => desk.eventsOf('messages.changed').flatMap((event) => event.upserted).find((view) => view.id === sent.body.id && view.text === 'Druga wersja'));

    await crm(server, 'DELETE', `/chat/messages/${sent.body.id}.json`, { token: modToken });
    await waitFor('the message leaves the screen', () => desk.eventsOf('messages.changed').some((event) => event.removedKeys.includes(`m${sent.body.id}`)));
    const reopened = await desk.client.invoke('chat.open', { chatId: space.id });
    assert.equal(reopened.messages.some((view) => view.id === sent.body.id), false, 'and the cache');
    await desk.client.invoke('chat.leave', { chatId: space.id });
  });

  it('a CRM client linked to a chat shows in the desk’s chat row', async () => {
    const space = await createSpace(server, modToken);
    await waitFor('listed', () => desk.eventsOf('chats.changed').some((event) => event.chats.some((row) => row.id === space.id)));
    await crm(server, 'POST', `/chat/spaces/${space.id}/add_client.json`, { token: modToken, body: { client_id: 1 } });
    const row = await waitFor('the contact arrives', () => desk.eventsOf('chats.changed').flatMap((event) => event.chats).find((candidate) => candidate.id === space.id && candidate.contact !== null));
    assert.deepEqual(row.contact, { id: 1, name: 'Tomasz Nowak', email: 'tomasz.nowak@example.pl', phone: '+48 601 234 567', company: 'Nowak Logistyka sp. z o.o.' });
  });

  it('a deleted space leaves the chat list', async () => {
    const space = await createSpace(server, modToken);
    await waitFor('listed', () => desk.eventsOf('chats.changed').some((event) => event.chats.some((row) => row.id === space.id)));
    const res = await crm(server, 'DELETE', `/chat/spaces/${space.id}.json`, { token: adminToken });
    assert.equal(res.status, 204);
    await waitFor('removed from the list', () => desk.eventsOf('chats.changed').some((event) => event.removedIds.includes(space.id)));
  });
});
