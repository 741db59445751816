import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatListResponse } from '../../common/api';
import { hashPasswordSync } from '../../server/auth/passwords';
import type { NotificationPayload, Notifier } from '../../main/engine';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, signedInDesk, waitFor, type Desk } from './helpers';

/** The notifier port as the OS would see it: what was shown and what the badge says. */
function recordingNotifier() {
  const shown: NotificationPayload[] = [];
  const badges: number[] = [];
  const notifier: Notifier = {
    notify: (notification) => shown.push(notification),
    setBadge: (count) => badges.push(count),
  };
  return { notifier, shown, badges };
}

async function online(desk: Desk): Promise<void> {
  await waitFor('online', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'online');
  await desk.engine.settled();
}

describe('desk engine: realtime and notifications', () => {
  let server: TestServer;
  let adminToken: string;
  before(async () => {
    server = await startServer();
    adminToken = await server.login('admin@example.com');
  });
  after(() => server.close());

  it('new client messages arrive over realtime and notify per focus, open chat and preference; own messages never', async () => {
    const os = recordingNotifier();
    // A long poll interval: what arrives here arrives over the socket.
    const desk = await signedInDesk(server, 'mod@example.com', { notifier: os.notifier, timing: { pollIntervalMs: 600_000 } });
    try {
      await online(desk);
      await desk.client.invoke('desk.focus', { focused: false });

      const first = await postWebhook(server, 1, { external_user_id: 'notify-1', text: 'Hello, is anyone there?', user_metadata: { name: 'Notify One' } });
      const shown = await waitFor('notification', () => os.shown.find((n) => n.messageId === first.message.id));
      assert.deepEqual(shown, { chatId: first.chat_id, messageId: first.message.id, title: 'Notify One', body: 'Hello, is anyone there?', sound: true });
      assert.deepEqual(desk.eventsOf('notification').at(-1), shown);
      await waitFor('in the list', async () => (await desk.client.invoke('chats.get', { chatId: first.chat_id })).chat?.lastMessage?.text === 'Hello, is anyone there?');

      // Focused on that very chat: it shows, without a notification.
      await desk.client.invoke('desk.focus', { focused: true });
      await desk.client.invoke('chat.open', { chatId: first.chat_id });
      const second = await postWebhook(server, 1, { external_user_id: 'notify-1', text: 'second line' });
      await waitFor('shown in the open chat', () =>
        desk.eventsOf('messages.changed').some((event) => event.chatId === first.chat_id && event.upserted.some((view) => view.id === second.message.id)),
      );
      // Focused on another chat: notifies.
      const third = await postWebhook(server, 2, { external_user_id: 'notify-2', text: 'another customer', user_metadata: { name: 'Notify Two' } });
      await waitFor('notified for the other chat', () => os.shown.some((n) => n.messageId === third.message.id));
      assert.ok(!os.shown.some((n) => n.messageId === second.message.id));

      // Our own message and another operator's never notify.
      await desk.client.invoke('desk.focus', { focused: false });
      await desk.client.invoke('chat.send', { chatId: third.chat_id, text: 'we are here' });
      await server.request('POST', `/api/v1/chats/${first.chat_id}/send`, { token: adminToken, body: { text: 'admin here' } });
      // Preference "mine": a client message in a chat that is not ours does not notify.
      await desk.client.invoke('preferences.set', { notify: 'mine' });
      const fourth = await postWebhook(server, 2, { external_user_id: 'notify-4', text: 'unassigned, not mine', user_metadata: { name: 'Four' } });
      // A client message in a chat that is ours does.
      const fifth = await postWebhook(server, 2, { external_user_id: 'notify-2', text: 'thanks!' });
      await waitFor('notified for my chat', () => os.shown.some((n) => n.messageId === fifth.message.id));
      await waitFor('the unassigned one arrived too', async () => (await desk.client.invoke('chats.get', { chatId: fourth.chat_id })).chat !== null);
      assert.deepEqual(
        os.shown.map((n) => n.body),
        ['Hello, is anyone there?', 'another customer', 'thanks!'],
      );
    } finally {
      await desk.destroy();
    }
  });

  it('keeps the badge at the number of chats with unread messages', async () => {
    const os = recordingNotifier();
    const desk = await signedInDesk(server, 'admin@example.com', { notifier: os.notifier });
    try {
      await online(desk);
      const before = (await desk.client.invoke('desk.status', {})).unreadChats;
      assert.equal(os.badges.at(-1), before);
      const { chat_id: chatId } = await postWebhook(server, 3, { external_user_id: 'badge-1', text: 'unread!', user_metadata: { name: 'Badge' } });
      await waitFor('badge up', () => os.badges.at(-1) === before + 1);
      await desk.client.invoke('chat.markRead', { chatId });
      await waitFor('badge down', () => os.badges.at(-1) === before);
      await waitFor('read on the server', async () => {
        const chats = (await server.request<ChatListResponse>('GET', '/api/v1/chats?per_page=100&search=Badge', { token: adminToken })).body.data;
        return chats.find((chat) => chat.id === chatId)?.unread_count === 0;
      });
    } finally {
      await desk.destroy();
    }
  });

  it('forgets a chat that moves out of the moderator\'s departments (its last ChatUpdated), and shows one that moves in', async () => {
    await server.server.store.users.create(
      { name: 'Support Only', email: 'support@example.com', passwordHash: hashPasswordSync('password'), roles: ['moderator'], sourceIds: [1], departmentIds: [1] },
      Date.now(),
    );
    const desk = await signedInDesk(server, 'support@example.com', { timing: { pollIntervalMs: 600_000 } });
    try {
      await online(desk);
      const { chat_id: chatId } = await postWebhook(server, 1, { external_user_id: 'dept-move', text: 'which department?', user_metadata: { name: 'Dept Move' } });
      await waitFor('visible without a department', async () => (await desk.client.invoke('chats.get', { chatId })).chat !== null);
      await server.request('PATCH', `/api/v1/chats/${chatId}`, { token: adminToken, body: { department_id: 2 } });
      await waitFor('gone after the move to Sales', async () => (await desk.client.invoke('chats.get', { chatId })).chat === null);
      await waitFor('the list is told', () => desk.eventsOf('chats.changed').some((event) => event.removedIds.includes(chatId)));
      await server.request('PATCH', `/api/v1/chats/${chatId}`, { token: adminToken, body: { department_id: 1 } });
      await waitFor('back after the move to Support', async () => (await desk.client.invoke('chats.get', { chatId })).chat?.department?.id === 1);
    } finally {
      await desk.destroy();
    }
  });

  it('shows who is typing in an open chat, with an expiry, and not our own typing', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { timing: { typingTtlMs: 5000 } });
    const other = await signedInDesk(server, 'admin@example.com');
    try {
      await online(desk);
      await online(other);
      const modToken = await server.login('mod@example.com');
      const chat = (await server.request<ChatListResponse>('GET', '/api/v1/chats?tab=my&status=open', { token: modToken })).body.data[0];
      assert.ok(chat);
      await desk.client.invoke('chat.open', { chatId: chat.id });
      await other.client.invoke('chat.open', { chatId: chat.id });
      // Typing is a hint over the chat channel: wait for both subscriptions by retrying the hint.
      const typing = await waitFor('typing shown', async () => {
        await other.client.invoke('chat.typing', { chatId: chat.id, typing: true });
        return desk.eventsOf('typing').find((event) => event.chatId === chat.id && event.typing);
      });
      assert.equal(typing.user?.id, 1);
      assert.ok(typing.expiresAt > Date.now() - 1000 && typing.expiresAt <= Date.now() + 5000);
      await other.client.invoke('chat.typing', { chatId: chat.id, typing: false });
      await waitFor('typing stopped', () => desk.eventsOf('typing').some((event) => event.chatId === chat.id && !event.typing));
      await desk.client.invoke('chat.typing', { chatId: chat.id, typing: true });
      await other.client.invoke('chat.typing', { chatId: chat.id, typing: true });
      await waitFor('the other desk sees mod typing', () => other.eventsOf('typing').some((event) => event.user?.id === 2));
      assert.ok(!desk.eventsOf('typing').some((event) => event.user?.id === 2), 'our own typing is not shown to us');
    } finally {
      await desk.destroy();
      await other.destroy();
    }
  });

  it('shows the customer typing in the open chat when their channel\'s webhook says so, and nothing is stored', async () => {
    const desk = await signedInDesk(server, 'mod@example.com', { timing: { typingTtlMs: 5000 } });
    try {
      await online(desk);
      const { chat_id: chatId } = await postWebhook(server, 2, { external_user_id: 'typing-customer', text: 'hello?', user_metadata: { name: 'Typing Tom' } });
      await waitFor('the chat is cached', async () => (await desk.client.invoke('chats.get', { chatId })).chat !== null);
      await desk.client.invoke('chat.open', { chatId });
      const before = await server.server.store.testing.count('messages');
      const typing = await waitFor('the customer typing shown', async () => {
        const hint = await postWebhook(server, 2, { external_user_id: 'typing-customer', typing: true });
        assert.equal(hint.chat_id, chatId);
        return desk.eventsOf('typing').find((event) => event.chatId === chatId && event.typing && event.user === null);
      });
      assert.equal(typing.user, null);
      await postWebhook(server, 2, { external_user_id: 'typing-customer', typing: false });
      await waitFor('the customer stopped', () => desk.eventsOf('typing').some((event) => event.chatId === chatId && !event.typing && event.user === null));
      assert.equal(await server.server.store.testing.count('messages'), before, 'a typing hint stores no message');
    } finally {
      await desk.destroy();
    }
  });
});
