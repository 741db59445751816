import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server';
import { FAST_TIMING, postWebhook, signedInDesk, startServerBehindRelay, waitFor } from './helpers';
import type { HttpProxy } from './proxies';

// Found by `npm run soak`: a catch-up the server answered with a 503 or a 429 was given up, and while
// the realtime socket stayed up nothing started another one, so what arrived during an outage stayed
// missing from the desk until the next reconnect.

describe('desk engine: a refused catch-up is tried again', () => {
  let server: TestServer;
  let relay: HttpProxy;
  let close: () => Promise<void>;
  before(async () => {
    // The desk reaches REST and the realtime socket through the relay (the server's public URL).
    ({ server, relay, close } = await startServerBehindRelay());
  });
  after(() => close());

  for (const refusal of [503, 429]) {
    it(`a message missed during a partition reaches the desk although the first catch-up after it is answered ${refusal}`, async () => {
      // No polling: while the socket is up, only realtime and catch-up bring messages.
      const desk = await signedInDesk(relay, 'admin@example.com', { timing: { ...FAST_TIMING, pollIntervalMs: 3_600_000 } });
      try {
        await desk.engine.settled();
        const first = await postWebhook(server, 2, { external_user_id: `catch-up-${refusal}`, text: 'first, while connected' });
        const row = async () => (await desk.client.invoke('chats.get', { chatId: first.chat_id })).chat;
        await waitFor('the first message arrives live', async () => (await row())?.lastMessage?.id === first.message.id);

        relay.cut();
        const missed = await postWebhook(server, 2, { external_user_id: `catch-up-${refusal}`, text: 'second, during the partition' });
        let refused = 0;
        relay.rule = ({ method, path }) => {
          if (method === 'GET' && path.startsWith('/api/v1/chats?') && refused < 2) {
            refused++;
            return { answer: refusal, headers: { 'Retry-After': '1' }, body: JSON.stringify({ message: 'Try later.', code: refusal === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR' }) };
          }
          return 'pass';
        };
        relay.heal();
        await waitFor('the catch-up after the partition was refused', () => refused > 0, 30_000);
        await waitFor('the missed message reaches the desk', async () => (await row())?.lastMessage?.id === missed.message.id, 30_000);
        assert.equal(refused, 2, 'the retried catch-up was refused once more and tried again');
      } finally {
        relay.rule = () => 'pass';
        await desk.destroy();
      }
    });
  }
});
