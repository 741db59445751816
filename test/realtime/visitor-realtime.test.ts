import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { VisitorRealtimePayloads } from '../../common/visitor-api';
import { startServer, type TestServer } from '../helpers/server';
import { asVisitor, startSpace, visitorWrites, type Visitor } from '../server/visitor-support';
import { barrier, closeAll, connectEcho, isRecord, MOD_ID, SubscriptionRefused, type EchoClient } from './support';

// A website visitor's realtime channel, over real pusher-js (through laravel-echo, as a widget
// would use it): `private-space.{id}`, authorised with the widget and space tokens.

function visitorEcho(s: TestServer, visitor: Visitor, label = 'visitor'): Promise<EchoClient> {
  return connectEcho(s, {
    label,
    authEndpoint: `${s.url}/chat/widget/broadcasting/auth`,
    authHeaders: { 'X-Space-Token': visitor.spaceToken },
    authParams: { token: visitor.widgetToken },
  });
}

const messageText = (data: unknown): unknown => (isRecord(data) && isRecord(data.message) ? data.message.message : undefined);

describe('realtime: the visitor’s space channel', () => {
  let s: TestServer;
  let admin: string;
  let mod: string;
  const clients: EchoClient[] = [];

  before(async () => {
    s = await startServer({ visitorLimits: { spacesPerIp: 1000 } });
    admin = await s.login('admin@example.com');
    mod = await s.login('mod@example.com');
  });
  after(async () => {
    closeAll(clients);
    await s.close();
  });

  it('a visitor starts a space and writes; an operator answers through v1 and the legacy API; the visitor hears both in its shape', async () => {
    const desk = await connectEcho(s, { label: 'desk', token: mod });
    clients.push(desk);
    await desk.private(`user.${MOD_ID}`);
    const visitor = await startSpace(s, { name: 'Live Lena', email: 'lena@visitor.example' });
    await desk.next(`private-user.${MOD_ID}`, 'ChatCreated', (data) => isRecord(data) && isRecord(data.chat) && data.chat.id === visitor.spaceId);

    const echo = await visitorEcho(s, visitor);
    clients.push(echo);
    const channel = `private-space.${visitor.spaceId}`;
    await echo.private(`space.${visitor.spaceId}`);
    assert.equal((await visitorWrites(s, visitor, 'Do you ship to Gdańsk?')).status, 201);
    await desk.next(`private-user.${MOD_ID}`, 'NewChatMessage', (data) => isRecord(data) && isRecord(data.message) && data.message.text === 'Do you ship to Gdańsk?');

    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/send`, { token: mod, body: { text: 'Yes, we do!' } })).status, 201);
    const received = await echo.next(channel, 'NewChatMessage', (data) => messageText(data) === 'Yes, we do!');
    assert.ok(isRecord(received) && isRecord(received.message));
    const message = received.message;
    assert.equal(message.kind, 'operator');
    assert.equal(message.author, 'Maria');
    assert.equal(message.space_id, visitor.spaceId);
    assert.equal((await s.request('POST', `/api/chats/${visitor.spaceId}/send`, { token: admin, body: { message: 'And the admin adds: free of charge.' } })).status, 201);
    await echo.next(channel, 'NewChatMessage', (data) => messageText(data) === 'And the admin adds: free of charge.');
    // And through the CRM dialect: a message, its edit and its deletion.
    const crm = await s.request<{ id: number }>('POST', '/chat/messages.json', { token: mod, body: { message: { space_id: visitor.spaceId, message: 'CRM says hi' } } });
    assert.equal(crm.status, 201, JSON.stringify(crm.body));
    await echo.next(channel, 'NewChatMessage', (data) => messageText(data) === 'CRM says hi');
    assert.equal((await s.request('PATCH', `/chat/messages/${crm.body.id}.json`, { token: mod, body: { message: { message: 'CRM says hello' } } })).status, 200);
    await echo.next(channel, 'MessageUpdated', (data) => messageText(data) === 'CRM says hello');
    assert.equal((await s.request('DELETE', `/chat/messages/${crm.body.id}.json`, { token: mod })).status, 204);
    await echo.next(channel, 'MessageDeleted', (data) => isRecord(data) && data.message_id === crm.body.id && data.space_id === visitor.spaceId);
    const everything = JSON.stringify(echo.received);
    assert.ok(!everything.includes('@example.com'), everything);
    assert.ok(!everything.includes('Moderator'), everything);
  });

  it('transfer notes and staff notes never reach the visitor; operator typing (first name), closing and reads do', async () => {
    const visitor = await startSpace(s, { name: 'Watcher' });
    await visitorWrites(s, visitor, 'hello');
    const echo = await visitorEcho(s, visitor);
    clients.push(echo);
    const channel = `private-space.${visitor.spaceId}`;
    await echo.private(`space.${visitor.spaceId}`);

    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/transfer`, { token: admin, body: { assigned_to: MOD_ID, note: 'secret transfer note' } })).status, 200);
    assert.equal((await s.request('POST', `/api/messages/chats/${visitor.spaceId}/system-message`, { token: admin, body: { content: 'staff only note' } })).status, 201);
    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/typing`, { token: mod, body: { typing: true } })).status, 200);
    const typing = await echo.next(channel, 'UserTyping');
    assert.deepEqual(typing, { space_id: visitor.spaceId, user: { name: 'Maria' }, typing: true } satisfies VisitorRealtimePayloads['UserTyping']);

    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/read`, { token: mod, body: {} })).status, 200);
    const read = await echo.next(channel, 'MessagesRead');
    assert.ok(isRecord(read) && read.space_id === visitor.spaceId && typeof read.up_to_id === 'number');

    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/close`, { token: mod })).status, 200);
    await echo.next(channel, 'SpaceUpdated', (data) => isRecord(data) && isRecord(data.space) && data.space.status === 'closed');
    assert.equal((await visitorWrites(s, visitor, 'back again')).status, 201);
    await echo.next(channel, 'SpaceUpdated', (data) => isRecord(data) && isRecord(data.space) && data.space.status === 'open');

    await barrier(s, [echo]);
    const everything = JSON.stringify(echo.received);
    for (const secret of ['secret transfer note', 'staff only note', 'transferred', '@example.com']) assert.ok(!everything.includes(secret), `${secret} in ${everything}`);
    assert.deepEqual(echo.events(channel, 'NewChatMessage').map(messageText), ['back again']);
  });

  it('a space token cannot subscribe to another space (nor with another widget’s token)', async () => {
    const mine = await startSpace(s);
    const theirs = await startSpace(s);
    const echo = await visitorEcho(s, mine);
    clients.push(echo);
    await assert.rejects(echo.private(`space.${theirs.spaceId}`), SubscriptionRefused);
    await assert.rejects(echo.private(`chat.${theirs.spaceId}`), SubscriptionRefused);
    const direct = await asVisitor(s, mine, 'POST', '/chat/widget/broadcasting/auth', { body: { socket_id: '1.2', channel_name: `private-space.${theirs.spaceId}` } });
    assert.equal(direct.status, 403);
    const crossed = await s.request('POST', '/chat/widget/broadcasting/auth?token=nope', {
      body: { socket_id: '1.2', channel_name: `private-space.${mine.spaceId}` },
      headers: { 'X-Space-Token': mine.spaceToken },
    });
    assert.equal(crossed.status, 404);
    // And an operator's token does not open a space channel either.
    const operator = await s.request('POST', '/broadcasting/auth', { token: admin, body: { socket_id: '1.2', channel_name: `private-space.${mine.spaceId}` } });
    assert.equal(operator.status, 403);
    await echo.private(`space.${mine.spaceId}`);
  });

  it('the desk gets the visitor’s typing as UserTyping with user null, client true; other tabs of the visitor get its messages', async () => {
    const visitor = await startSpace(s, { name: 'Typist' });
    await visitorWrites(s, visitor, 'typing soon');
    const desk = await connectEcho(s, { label: 'desk', token: admin });
    clients.push(desk);
    await desk.private(`chat.${visitor.spaceId}`);
    const tabOne = await visitorEcho(s, visitor, 'tab one');
    const tabTwo = await visitorEcho(s, visitor, 'tab two');
    clients.push(tabOne, tabTwo);
    const channel = `private-space.${visitor.spaceId}`;
    await tabOne.private(`space.${visitor.spaceId}`);
    await tabTwo.private(`space.${visitor.spaceId}`);

    const typing = await asVisitor(s, visitor, 'POST', '/chat/widget/typing.json', { body: { typing: true }, headers: { 'X-Socket-ID': tabOne.socketId } });
    assert.equal(typing.status, 200);
    const event = await desk.next(`private-chat.${visitor.spaceId}`, 'UserTyping');
    assert.deepEqual(event, { chat_id: visitor.spaceId, user: null, client: true, typing: true });

    const sent = await asVisitor(s, visitor, 'POST', '/chat/widget/messages.json', {
      body: { message: { message: 'from tab one' } },
      headers: { 'X-Socket-ID': tabOne.socketId },
    });
    assert.equal(sent.status, 201);
    await tabTwo.next(channel, 'NewChatMessage', (data) => messageText(data) === 'from tab one');
    await desk.next(`private-chat.${visitor.spaceId}`, 'NewChatMessage', (data) => isRecord(data) && isRecord(data.message) && data.message.text === 'from tab one');
    await barrier(s, [tabOne, tabTwo]);
    assert.equal(tabOne.events(channel, 'NewChatMessage').length, 0, 'the sending tab does not hear its own message');
    assert.equal(tabOne.events(channel, 'UserTyping').length, 0, 'nor its own typing');
  });
});
