import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { spawnNode, type NodeProcess } from '../helpers/node-process';
import { createTestDatabase, POSTGRES_URL_ENV, type TestDatabase } from '../helpers/postgres';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, barrier, closeAll, connectEcho, isRecord, MOD_ID, publishSigned, type EchoClient } from '../realtime/support';
import { createUser, send, webhook } from '../server/support';

// Three server nodes on one PostgreSQL database and one Redis, as behind a load balancer (DESIGN §11):
// A and B in this process, C a child process (the CLI) that can be killed without a goodbye.

const SEND_PER_MINUTE = 10;

function adminUrl(): string {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) throw new Error(`${POSTGRES_URL_ENV} is not set: run this suite with npm run test:unit -- --backend postgres test/postgres`);
  return url;
}

function messageId(data: unknown): number | undefined {
  return isRecord(data) && isRecord(data.message) && typeof data.message.id === 'number' ? data.message.id : undefined;
}

interface Member {
  id: number;
}

function isMember(value: unknown): value is Member {
  return isRecord(value) && typeof value.id === 'number';
}

/** Watches `presence-operators`: every `here` list and every join and leave, as Echo reports them. */
function watchOperators(client: EchoClient) {
  const seen = { here: [] as number[][], joining: [] as number[], leaving: [] as number[] };
  client.echo
    .join('operators')
    .here((members: unknown[]) => seen.here.push(members.filter(isMember).map((m) => m.id).sort((x, y) => x - y)))
    .joining((member: unknown) => isMember(member) && seen.joining.push(member.id))
    .leaving((member: unknown) => isMember(member) && seen.leaving.push(member.id));
  return seen;
}

async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

describe('three server nodes on one PostgreSQL and one Redis', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  let c: NodeProcess;
  let adminToken: string;
  let modToken: string;

  before(async () => {
    [database, redis] = await Promise.all([createTestDatabase(adminUrl()), startRedis()]);
    const shared = { databaseUrl: database.url, redisUrl: redis.url, sendPerMinute: SEND_PER_MINUTE };
    a = await startServer(shared);
    [b, c] = await Promise.all([
      startServer(shared),
      spawnNode({
        SWITCHBOARD_DATABASE_URL: database.url,
        SWITCHBOARD_REDIS_URL: redis.url,
        SWITCHBOARD_DEMO: '1',
        SWITCHBOARD_SEND_PER_MINUTE: String(SEND_PER_MINUTE),
        DATA_DIR: `${a.dataDir}/node-c`,
      }),
    ]);
    adminToken = await a.login('admin@example.com');
    modToken = await b.login('mod@example.com');
  });
  after(async () => {
    await c?.kill('SIGTERM');
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
    await database?.drop();
  });

  it('a message sent through node A reaches Echo subscribers on nodes B and C', async () => {
    const onB = await connectEcho(b, { label: 'on-b', token: adminToken });
    const onC = await connectEcho(c, { label: 'on-c', token: adminToken });
    try {
      const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `cluster-${randomUUID()}`, text: 'hello' })).body.data;
      await Promise.all([onB.private(`chat.${chatId}`), onC.private(`chat.${chatId}`)]);
      const sender = await createUser(a, { roles: ['admin'] });
      const sent = await send(a, sender.token, chatId, { text: 'from node A' });
      assert.equal(sent.status, 201);
      const id = sent.body.data.id;
      for (const client of [onB, onC]) {
        const data = await client.next(`private-chat.${chatId}`, 'NewChatMessage', (d) => messageId(d) === id);
        assert.equal(isRecord(data) && isRecord(data.message) ? data.message.text : undefined, 'from node A');
      }
    } finally {
      closeAll([onB, onC]);
    }
  });

  it('a customer webhook on node A reaches a desk’s user channel on node C', async () => {
    const desk = await connectEcho(c, { label: 'desk-on-c', token: adminToken });
    try {
      await desk.private(`user.${ADMIN_ID}`);
      const { message } = (await webhook(a, 1, { external_user_id: `cluster-desk-${randomUUID()}`, text: 'a new customer' })).body.data;
      await desk.next(`private-user.${ADMIN_ID}`, 'NewChatMessage', (d) => messageId(d) === message.id);
    } finally {
      desk.close();
    }
  });

  it('X-Socket-ID leaves out the sender’s socket on another node, and only that socket', async () => {
    const senderTab = await connectEcho(b, { label: 'sender-on-b', token: adminToken });
    const otherTab = await connectEcho(c, { label: 'other-on-c', token: adminToken });
    try {
      // Ids are unique across nodes: each starts with its node's tag.
      assert.notEqual(senderTab.socketId.slice(0, 6), otherTab.socketId.slice(0, 6));
      const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `cluster-x-${randomUUID()}`, text: 'hi' })).body.data;
      await Promise.all([senderTab.private(`chat.${chatId}`), otherTab.private(`chat.${chatId}`)]);
      const sender = await createUser(a, { roles: ['admin'] });
      const sent = await send(a, sender.token, chatId, { text: 'not back to me' }, { 'X-Socket-ID': senderTab.socketId });
      assert.equal(sent.status, 201);
      await otherTab.next(`private-chat.${chatId}`, 'NewChatMessage', (d) => messageId(d) === sent.body.data.id);
      await barrier(a, [senderTab, otherTab]);
      assert.deepEqual(senderTab.events(`private-chat.${chatId}`, 'NewChatMessage'), []);
    } finally {
      closeAll([senderTab, otherTab]);
    }
  });

  it('a whisper from a socket on node B reaches the channel’s socket on node C, not back to the sender', async () => {
    const onB = await connectEcho(b, { label: 'whisper-b', token: adminToken });
    const onC = await connectEcho(c, { label: 'whisper-c', token: modToken });
    try {
      const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `cluster-whisper-${randomUUID()}`, text: 'hi' })).body.data;
      const chat = await onB.private(`chat.${chatId}`);
      await onC.private(`chat.${chatId}`);
      chat.whisper('typing', { name: 'Admin', typing: true });
      assert.deepEqual(await onC.next(`private-chat.${chatId}`, '.client-typing'), { name: 'Admin', typing: true });
      await barrier(b, [onB, onC]);
      assert.deepEqual(onB.events(`private-chat.${chatId}`, '.client-typing'), []);
    } finally {
      closeAll([onB, onC]);
    }
  });

  it('a node whose Redis cannot be reached refuses to start, saying so', async () => {
    await assert.rejects(startServer({ databaseUrl: database.url, redisUrl: 'redis://:hunter2@127.0.0.1:1' }), (error: Error) => {
      assert.match(error.message, /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/? cannot be reached/);
      return true;
    });
  });

  it('a logout through node A ends the subscriptions its token opened on node C', async () => {
    const token = await b.login('mod@example.com');
    const desk = await connectEcho(c, { label: 'mod-on-c', token });
    try {
      await desk.private(`user.${MOD_ID}`);
      assert.equal((await a.request('POST', '/api/v1/auth/logout', { token })).status, 200);
      await desk.until(
        () => desk.errorsOf(`private-user.${MOD_ID}`).some((status) => isRecord(status) && status.type === 'AuthError' && status.status === 403),
        'the end of the subscription on C',
      );
    } finally {
      desk.close();
    }
  });

  it('counts channels, users and connections of every node in the Pusher HTTP API', async () => {
    const clients = await Promise.all([
      connectEcho(a, { label: 'count-a', token: adminToken }),
      connectEcho(b, { label: 'count-b', token: modToken }),
      connectEcho(c, { label: 'count-c', token: modToken }),
    ]);
    try {
      await Promise.all(clients.map((client) => client.presence('operators')));
      for (const node of [a, b, c]) {
        const body = await poll(
          'three sockets, two users',
          async () => (await publishSigned(node, '/channels/presence-operators', undefined, { method: 'GET', query: { info: 'subscription_count,user_count' } })).body,
          (value) => isRecord(value) && value.subscription_count === 3 && value.user_count === 2,
        );
        assert.deepEqual(body, { occupied: true, subscription_count: 3, user_count: 2 });
        const users = await publishSigned(node, '/channels/presence-operators/users', undefined, { method: 'GET' });
        assert.deepEqual(users.body, { users: [{ id: String(ADMIN_ID) }, { id: String(MOD_ID) }] });
        await poll(
          'three connections',
          async () => (await publishSigned(node, '/connections', undefined, { method: 'GET' })).body,
          (value) => isRecord(value) && value.connections === 3,
        );
      }
    } finally {
      closeAll(clients);
    }
    await poll(
      'the channel empty everywhere',
      async () => (await publishSigned(c, '/channels/presence-operators', undefined, { method: 'GET', query: { info: 'subscription_count' } })).body,
      (value) => isRecord(value) && value.occupied === false,
    );
  });

  it('one send quota across the nodes', async () => {
    const sender = await createUser(a, { roles: ['admin'] });
    const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `cluster-quota-${randomUUID()}`, text: 'hi' })).body.data;
    const nodes = [a, b, c];
    for (let i = 0; i < SEND_PER_MINUTE; i++) {
      const res = await send(nodes[i % 3] ?? a, sender.token, chatId, { text: `message ${i}` });
      assert.equal(res.status, 201, `send ${i}: ${JSON.stringify(res.body)}`);
      assert.equal(res.headers.get('x-ratelimit-remaining'), String(SEND_PER_MINUTE - i - 1));
    }
    for (const node of nodes) {
      const res = await send(node, sender.token, chatId, { text: 'one too many' });
      assert.equal(res.status, 429, JSON.stringify(res.body));
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
  });

  it('the same client_message_id sent at once through the three nodes stores one message', async () => {
    const sender = await createUser(a, { roles: ['admin'] });
    const { chat_id: chatId } = (await webhook(a, 1, { external_user_id: `cluster-idem-${randomUUID()}`, text: 'hi' })).body.data;
    const clientMessageId = randomUUID();
    const answers = await Promise.all([a, b, c].map((node) => send(node, sender.token, chatId, { text: 'only once', client_message_id: clientMessageId })));
    assert.deepEqual(answers.map((res) => res.status).sort(), [200, 200, 201]);
    assert.equal(new Set(answers.map((res) => res.body.data.id)).size, 1);
    assert.equal(await b.server.store.testing.messagesWithClientMessageId(clientMessageId), 1);
  });

  it('sweeps expired uploads on one node only', async () => {
    const ran = await Promise.all([a.server.sweepUploads(), b.server.sweepUploads()]);
    assert.deepEqual(ran.sort(), [false, true]);
  });

  it('a node stopped normally takes its presence members with it at once, without waiting for its heartbeat to lapse', async () => {
    const admin = await connectEcho(a, { label: 'admin-on-a', token: adminToken });
    const leaving = await startServer({ databaseUrl: database.url, redisUrl: redis.url });
    const mod = await connectEcho(leaving, { label: 'mod-on-leaving-node', token: modToken });
    try {
      const seen = watchOperators(admin);
      await admin.presence('operators');
      await mod.presence('operators');
      await admin.until(() => seen.joining.includes(MOD_ID), 'mod joining');
      await leaving.close();
      // Well under the 8 s a dead node's heartbeat key takes to expire.
      await admin.until(() => seen.leaving.includes(MOD_ID), 'mod leaving with their node', 5_000);
    } finally {
      closeAll([admin, mod]);
      await leaving.close();
    }
  });

  it('shows here, joining and leaving once across nodes, and removes a killed node’s members within 15 s', async () => {
    const admin = await connectEcho(a, { label: 'admin-on-a', token: adminToken });
    const modOnB = await connectEcho(b, { label: 'mod-on-b', token: modToken });
    const victim = await spawnNode({
      SWITCHBOARD_DATABASE_URL: database.url,
      SWITCHBOARD_REDIS_URL: redis.url,
      SWITCHBOARD_DEMO: '1',
      DATA_DIR: `${a.dataDir}/node-victim`,
    });
    const mod2Token = await a.login('mod2@example.com');
    const mod2OnVictim = await connectEcho(victim, { label: 'mod2-on-victim', token: mod2Token });
    const modOnVictim = await connectEcho(victim, { label: 'mod-on-victim', token: modToken });
    try {
      const seen = watchOperators(admin);
      await admin.presence('operators');
      assert.deepEqual(seen.here, [[ADMIN_ID]]);

      const modSeen = watchOperators(modOnB);
      await modOnB.presence('operators');
      assert.deepEqual(modSeen.here, [[ADMIN_ID, MOD_ID]], 'B lists the member on A');
      await admin.until(() => seen.joining.length === 1, 'mod joining');

      // A second socket of mod, on another node: no second join.
      await modOnVictim.presence('operators');
      await mod2OnVictim.presence('operators');
      await admin.until(() => seen.joining.length === 2, 'mod2 joining');
      await barrier(a, [admin]);
      assert.deepEqual(seen.joining, [MOD_ID, 3]);

      await victim.kill('SIGKILL');
      const killedAt = Date.now();
      closeAll([mod2OnVictim, modOnVictim]);
      await admin.until(() => seen.leaving.length === 1, 'mod2 leaving after its node was killed', 20_000);
      assert.ok(Date.now() - killedAt <= 15_000, `removed after ${Date.now() - killedAt} ms`);
      assert.deepEqual(seen.leaving, [3], 'mod stays: their socket on B still holds them');
      await modOnB.until(() => modSeen.leaving.includes(3), 'B sees mod2 leave too');

      modOnB.close();
      await admin.until(() => seen.leaving.length === 2, 'mod leaving');
      assert.deepEqual(seen.leaving, [3, MOD_ID]);
      assert.ok(c.alive, 'the other nodes keep running');
    } finally {
      closeAll([admin, modOnB, mod2OnVictim, modOnVictim]);
      await victim.kill('SIGKILL');
    }
  });
});
