// The renderer's store over a real engine (the in-process bridge) and real servers: what the thread
// caught up to belongs to the signed-in account. It used to live in a module variable that outlived
// sign-outs, so after switching to another server (whose message ids are lower) the thread skipped
// the catch-up it needed and showed the chat without its newest message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Args, BridgeClient, RequestName } from '../../common/bridge';
import { createLocalClient } from '../../main/engine';
import { setBridge } from '../../renderer/src/store/bridge-ref';
import { useDesk } from '../../renderer/src/store/desk-store';
import { openDesk, postWebhook, waitFor, type Desk } from '../engine/helpers';
import { startServer, type TestServer } from '../helpers/server';

describe('the thread catches up after a sign-out and a sign-in elsewhere', () => {
  let busy: TestServer;
  let fresh: TestServer;
  let desk: Desk;
  const asked: { name: RequestName; args: unknown }[] = [];

  before(async () => {
    [busy, fresh] = await Promise.all([startServer(), startServer()]);
    desk = openDesk();
    const local = createLocalClient(desk.engine);
    // The store's bridge is the engine's, recording what the store asks for.
    const client: BridgeClient = {
      invoke<K extends RequestName>(name: K, args: Args<K>) {
        asked.push({ name, args });
        return local.invoke(name, args);
      },
      on: (event, listener) => local.on(event, listener),
    };
    setBridge({ kind: 'web', client, onShell: () => () => undefined });
  });

  after(async () => {
    await desk.destroy();
    await Promise.all([busy.close(), fresh.close()]);
  });

  const catchUps = (chatId: number) => asked.filter(({ name, args }) => name === 'chat.open' && JSON.stringify(args) === JSON.stringify({ chatId, limit: 1 })).length;

  async function signIn(server: TestServer): Promise<void> {
    assert.equal(await useDesk.getState().login({ serverUrl: server.url, email: 'mod@example.com', password: 'password' }), true);
    await desk.engine.settled();
  }

  async function openAndMissOne(server: TestServer, externalUserId: string, earlier: number): Promise<{ chatId: number; missedId: number }> {
    let chatId = 0;
    for (let i = 0; i < earlier; i++) chatId = (await postWebhook(server, 1, { external_user_id: externalUserId, text: `earlier ${i}` })).chat_id;
    await desk.engine.settled();
    await useDesk.getState().openChat(chatId);
    // A message the thread has not been told of (the list has): the store must ask the engine for it.
    const missed = await postWebhook(server, 1, { external_user_id: externalUserId, text: 'the newest one' });
    return { chatId, missedId: missed.message.id };
  }

  it('asks for the newest message again after switching accounts, even at a lower message id', async () => {
    await signIn(busy);
    const first = await openAndMissOne(busy, 'switch-busy', 30);
    useDesk.getState().catchUpOpenChat(first.missedId);
    assert.equal(catchUps(first.chatId), 1);
    // Told again about the same message: asked once only.
    useDesk.getState().catchUpOpenChat(first.missedId);
    assert.equal(catchUps(first.chatId), 1);

    await useDesk.getState().logout();
    await signIn(fresh);
    const second = await openAndMissOne(fresh, 'switch-fresh', 1);
    assert.ok(second.missedId < first.missedId, `the fresh server's ids (${second.missedId}) are below the busy one's (${first.missedId})`);
    const asBefore = catchUps(second.chatId);
    useDesk.getState().catchUpOpenChat(second.missedId);
    assert.equal(catchUps(second.chatId), asBefore + 1, 'the catch-up is asked for on the new account');
    // And the engine brings the message into the thread's cache.
    await waitFor('the missed message in the desk', async () => {
      const { messages } = await desk.client.invoke('chat.open', { chatId: second.chatId, limit: 5 });
      await desk.client.invoke('chat.leave', { chatId: second.chatId });
      return messages.some((message) => message.id === second.missedId);
    });
  });
});
