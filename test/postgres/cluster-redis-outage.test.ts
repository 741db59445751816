import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { spawnNode, type NodeProcess } from '../helpers/node-process';
import { createTestDatabase, POSTGRES_URL_ENV, type TestDatabase } from '../helpers/postgres';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startServer, type TestServer } from '../helpers/server';
import { closeAll, connectEcho, isRecord, type EchoClient } from '../realtime/support';
import { createUser, send, webhook } from '../server/support';

// Redis killed and started again (empty) while three nodes serve: pub/sub drops what is published
// meanwhile, so the nodes tell their sockets to resync (4200) once they are back, and every client,
// which re-reads the chat over REST after each (re)subscribe as the desk does, ends up holding every
// committed message. No node exits.

function adminUrl(): string {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) throw new Error(`${POSTGRES_URL_ENV} is not set: run this suite with npm run test:unit -- --backend postgres test/postgres`);
  return url;
}

type Node = Pick<TestServer, 'url' | 'request'>;

/** An Echo client on one node holding a chat's messages: from events, and from REST after every subscribe. */
class ChatReader {
  readonly held = new Set<number>();
  subscriptions = 0;

  private constructor(
    readonly client: EchoClient,
    private readonly node: Node,
    private readonly token: string,
    private readonly chatId: number,
  ) {}

  static async open(node: Node, token: string, chatId: number, label: string): Promise<ChatReader> {
    const client = await connectEcho(node, { label, token });
    const reader = new ChatReader(client, node, token, chatId);
    const channel = await client.private(`chat.${chatId}`);
    channel.subscribed(() => {
      reader.subscriptions++;
      void reader.reread();
    });
    reader.subscriptions = 1;
    await reader.reread();
    return reader;
  }

  /** The ids held, events included. */
  ids(): Set<number> {
    for (const data of this.client.events(`private-chat.${this.chatId}`, 'NewChatMessage')) {
      if (isRecord(data) && isRecord(data.message) && typeof data.message.id === 'number') this.held.add(data.message.id);
    }
    return this.held;
  }

  private async reread(): Promise<void> {
    try {
      const page = await this.node.request<{ data: { id: number }[] }>('GET', `/api/v1/chats/${this.chatId}/messages?per_page=100`, { token: this.token });
      if (page.status === 200) for (const message of page.body.data) this.held.add(message.id);
    } catch {
      // The next subscribe reads again.
    }
  }
}

describe('Redis killed and restarted under three nodes', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  let c: NodeProcess;

  before(async () => {
    [database, redis] = await Promise.all([createTestDatabase(adminUrl()), startRedis()]);
    a = await startServer({ databaseUrl: database.url, redisUrl: redis.url });
    [b, c] = await Promise.all([
      startServer({ databaseUrl: database.url, redisUrl: redis.url }),
      spawnNode({ SWITCHBOARD_DATABASE_URL: database.url, SWITCHBOARD_REDIS_URL: redis.url, SWITCHBOARD_DEMO: '1', DATA_DIR: `${a.dataDir}/node-c` }),
    ]);
  });
  after(async () => {
    await c?.kill('SIGTERM');
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
    await database?.drop();
  });

  it('every subscriber ends up holding every committed message, and no node exits', async () => {
    const sender = await createUser(a, { roles: ['admin'] });
    const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `outage-${randomUUID()}`, text: 'hello' })).body.data;
    const nodes: Node[] = [a, b, c];
    const readers = await Promise.all(nodes.map((node, i) => ChatReader.open(node, sender.token, chatId, `reader-${i}`)));
    const socketsBefore = readers.map((reader) => reader.client.socketId);
    const committed = new Set<number>();
    const sendRound = async (label: string) => {
      for (const [i, node] of nodes.entries()) {
        const res = await send(node, sender.token, chatId, { text: `${label} via node ${i}` });
        assert.equal(res.status, 201, `${label} via node ${i}: ${JSON.stringify(res.body)}`);
        committed.add(res.body.data.id);
      }
    };
    const holdAll = (what: string, timeoutMs: number) =>
      Promise.all(readers.map((reader) => reader.client.until(() => [...committed].every((id) => reader.ids().has(id)), what, timeoutMs)));
    try {
      await sendRound('before');
      await holdAll('the messages sent before the outage', 15_000);

      await redis.kill();
      await sendRound('while Redis is down');
      await redis.restart();
      await sendRound('right after Redis is back');

      await holdAll('every committed message after the resync', 45_000);
      for (const [i, reader] of readers.entries()) {
        assert.ok(reader.subscriptions >= 2, `reader ${i} subscribed again after its node's resync`);
        assert.notEqual(reader.client.socketId, socketsBefore[i], `reader ${i} reconnected`);
      }

      // Realtime works again across nodes without another resync.
      const after = readers.map((reader) => reader.subscriptions);
      await sendRound('later');
      await holdAll('the messages sent after the resync', 15_000);
      assert.deepEqual(readers.map((reader) => reader.subscriptions), after);

      assert.ok(c.alive, `node C is still running: ${c.stderr}`);
      for (const node of nodes) assert.equal((await node.request('GET', '/up')).status, 200);
    } finally {
      closeAll(readers.map((reader) => reader.client));
    }
  });
});
