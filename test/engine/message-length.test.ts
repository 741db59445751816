// The desk counts a message's length as the server does, in characters (code points): emoji that
// the server accepts (up to 4,000 of them, 8,000 UTF-16 units) are not refused by the engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MESSAGE_MAX_LENGTH } from '../../common/api';
import { BridgeError } from '../../common/bridge';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, serverHistory, signedInDesk, waitFor, type Desk } from './helpers';

describe('message length in the desk engine', () => {
  let server: TestServer;
  let desk: Desk;
  let chatId: number;

  before(async () => {
    server = await startServer();
    chatId = (await postWebhook(server, 1, { external_user_id: 'emoji-length', text: 'hi' })).chat_id;
    desk = await signedInDesk(server, 'admin@example.com');
    await desk.engine.settled();
  });

  after(async () => {
    await desk.destroy();
    await server.close();
  });

  it('sends 3,000 emoji and the whole 4,000, as the server accepts them', async () => {
    const token = await server.login('admin@example.com');
    for (const count of [3000, MESSAGE_MAX_LENGTH]) {
      const text = '🙂'.repeat(count);
      const { message } = await desk.client.invoke('chat.send', { chatId, text });
      assert.equal(message.state, 'pending');
      await waitFor(`${count} emoji on the server`, async () => (await serverHistory(server, token, chatId)).some((sent) => sent.text === text));
    }
    await desk.engine.settled();
    assert.deepEqual((await desk.client.invoke('outbox.list', {})).entries, []);
  });

  it('refuses one character more at once, naming the field, and queues nothing', async () => {
    await assert.rejects(
      desk.client.invoke('chat.send', { chatId, text: '🙂'.repeat(MESSAGE_MAX_LENGTH + 1) }),
      (error: unknown) => error instanceof BridgeError && error.code === 'validation' && error.fields?.text !== undefined && error.message.includes(String(MESSAGE_MAX_LENGTH)),
    );
    assert.deepEqual((await desk.client.invoke('outbox.list', {})).entries, []);
  });
});
