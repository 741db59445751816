import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { MIGRATIONS } from '../../server/store/migrate';
import { createTestDatabase, POSTGRES_URL_ENV, type TestDatabase } from '../helpers/postgres';
import { startServer, type TestServer } from '../helpers/server';
import { createUser, send, webhook } from '../server/support';

// Races that one process used to hide, with two server nodes on one PostgreSQL database: the
// database's constraints and conditional updates must decide them, not a check in memory.

function adminUrl(): string {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) throw new Error(`${POSTGRES_URL_ENV} is not set: run this suite with npm run test:unit -- --backend postgres test/postgres`);
  return url;
}

describe('two server nodes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    database = await createTestDatabase(adminUrl());
    // Both boot at once on the empty database: each migration must be applied once, the demo seeded once.
    [a, b] = await Promise.all([startServer({ databaseUrl: database.url }), startServer({ databaseUrl: database.url })]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await database.drop();
  });

  it('booting together applied each migration once and seeded the demo once', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number; n: string }>('SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version ORDER BY version');
      assert.deepEqual(
        rows.map((row) => [row.version, Number(row.n)]),
        MIGRATIONS.map((migration) => [migration.version, 1]),
      );
    } finally {
      await client.end();
    }
    // As many users and chats as one node seeding a database of its own.
    const alone = await createTestDatabase(adminUrl());
    const single = await startServer({ databaseUrl: alone.url });
    try {
      assert.equal(await a.server.store.testing.count('users'), await single.server.store.testing.count('users'));
      assert.equal(await b.server.store.testing.count('chats'), await single.server.store.testing.count('chats'));
    } finally {
      await single.close();
      await alone.drop();
    }
  });

  it('20 identical sends at once, split over both nodes, store one message and answer it to all', async () => {
    const sender = await createUser(a, { roles: ['admin'] });
    const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `race-send-${randomUUID()}`, text: 'hello' })).body.data;
    const clientMessageId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? a : b, sender.token, chatId, { text: 'only once', client_message_id: clientMessageId })),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status).sort((x, y) => x - y),
      [...Array<number>(19).fill(200), 201],
      JSON.stringify(answers.filter((answer) => answer.status >= 300).map((answer) => answer.body)),
    );
    assert.equal(new Set(answers.map((answer) => answer.body.data.id)).size, 1);
    assert.equal(await b.server.store.testing.messagesWithClientMessageId(clientMessageId), 1);
  });

  it('two moderators taking one chat at once through different nodes: exactly one wins, the other gets 403', async () => {
    const first = await createUser(a, { roles: ['moderator'], sourceIds: [1] });
    const second = await createUser(b, { roles: ['moderator'], sourceIds: [1] });
    for (let round = 0; round < 10; round++) {
      const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `race-assign-${randomUUID()}`, text: 'who takes me?' })).body.data;
      const answers = await Promise.all([
        a.request<{ data: { assigned_to: number } }>('POST', `/api/v1/chats/${chatId}/assign-me`, { token: first.token }),
        b.request<{ data: { assigned_to: number } }>('POST', `/api/v1/chats/${chatId}/assign-me`, { token: second.token }),
      ]);
      assert.deepEqual(answers.map((answer) => answer.status).sort((x, y) => x - y), [200, 403], `round ${round}: ${JSON.stringify(answers.map((x) => x.body))}`);
      const winner = answers[0]?.status === 200 ? first : second;
      const chat = await a.server.store.chats.byId(chatId);
      assert.equal(chat?.assigned_to, winner.id, `round ${round}`);
    }
  });

  it('two webhooks for a new customer at once, one on each node, open one chat holding both messages', async () => {
    for (let round = 0; round < 10; round++) {
      const external = `race-webhook-${randomUUID()}`;
      const answers = await Promise.all([
        webhook(a, 2, { external_user_id: external, text: 'first', external_message_id: `${external}-1` }),
        webhook(b, 2, { external_user_id: external, text: 'second', external_message_id: `${external}-2` }),
      ]);
      assert.deepEqual(answers.map((answer) => answer.status), [201, 201], JSON.stringify(answers.map((x) => x.body)));
      const chatIds = new Set(answers.map((answer) => answer.body.data.chat_id));
      assert.equal(chatIds.size, 1, `round ${round}: one chat`);
      const facts = (await a.server.store.testing.chatFacts()).filter((chat) => chatIds.has(chat.id));
      assert.equal(facts.length, 1);
      assert.deepEqual((await a.server.store.testing.messageTexts(facts[0]?.id)).sort(), ['first', 'second']);
    }
  });

  it('the same channel message delivered to both nodes at once is stored once', async () => {
    for (let round = 0; round < 5; round++) {
      const external = `race-receipt-${randomUUID()}`;
      const body = { external_user_id: external, text: 'delivered twice', external_message_id: `${external}-m` };
      const answers = await Promise.all([webhook(a, 3, body), webhook(b, 3, body)]);
      assert.deepEqual(answers.map((answer) => answer.status).sort((x, y) => x - y), [200, 201], JSON.stringify(answers.map((x) => x.body)));
      assert.equal(answers[0]?.body.data.message.id, answers[1]?.body.data.message.id);
      const chatId = answers[0]?.body.data.chat_id;
      assert.deepEqual(await b.server.store.testing.messageTexts(chatId), ['delivered twice']);
    }
  });

  it('a reply sent through one node is read back through the other', async () => {
    const sender = await createUser(b, { roles: ['admin'] });
    const { chat_id: chatId } = (await webhook(b, 1, { external_user_id: `race-read-${randomUUID()}`, text: 'anyone?' })).body.data;
    assert.equal((await send(b, sender.token, chatId, { text: 'here' })).status, 201);
    const page = await a.request<{ data: { text: string }[] }>('GET', `/api/v1/chats/${chatId}/messages`, { token: sender.token });
    assert.deepEqual(page.body.data.map((message) => message.text), ['here', 'anyone?']);
  });
});
