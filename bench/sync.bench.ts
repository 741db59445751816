// Sync benchmark (issue 4): the desk engine against a local server.
//
//  1. Backfill: 100,000 messages over 1,000 chats, seeded straight into the server's store, pulled
//     into a fresh desk cache by the engine's catch-up (chat list + before_id pages over HTTP).
//     Beside it, in the same run: plain better-sqlite3 INSERTs of the very same rows into the same
//     table shape (the floor for "messages/s into the cache"), and the ratio.
//  2. A cache of 10,000 chats and 1,000,000 messages: time from engine start to the first page of
//     the chat list, and warm list queries.
//  3. The newest 50 messages of a chat holding 100,000 (open), and a page deep in its history.
//  4. Writing history pages into the cache: the engine's apply path (one transaction per page of
//     100, prepared statements) against plain INSERTs of the same rows, both without HTTP.
//  5. Requests: the first sync of a server with 10,000 chats, and the start of a desk holding them
//     after 5 changed (a reconnect), counted by a relay in front of the server, beside what the
//     per-chat strategy (the whole list twice, one messages request per chat) costs for the same data.
//
// The server runs in a child process (this file again, as `server`) so it does not share the
// engine's event loop.   npm run bench -- sync

import BetterSqlite3 from 'better-sqlite3';
import { fork } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESSAGES_BATCH_MAX_CHATS, type ApiChat, type ApiMessage, type ApiUser } from '../common/api';
import { formatTimestamp } from '../common/time';
import { createEngine, createLocalClient, FileSecretStore } from '../main/engine';
import { applyMessages } from '../main/engine/account/apply';
import { ChangeFeed } from '../main/engine/account/changes';
import { messageRecord, openCache } from '../main/engine/cache';
import { silentEngineLogger } from '../main/engine/logger';
import { EngineEmitter } from '../main/engine/emitter';
import { DEFAULT_PREFERENCES } from '../common/bridge';
import { webhookHeaders } from '../server/dialects/v1/webhook-signature';
import { saveSessionPointer } from '../main/engine/desk-files';
import { accountPaths, deskFiles } from '../main/engine/paths';
import { resolveTiming as resolveTimingForBench } from '../main/engine/timing';
import { createServer } from '../server/app';
import { quietLogger } from '../server/logger';

const BACKFILL_CHATS = 1000;
const BACKFILL_PER_CHAT = 100;
const BIG_CHATS = 10_000;
const BIG_MESSAGES = 1_000_000;
const BIG_CHAT_MESSAGES = 100_000;
const MANY_CHATS = 10_000;
const MANY_CHANGED = 5;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timeIt<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

// ---------------------------------------------------------------------------------------------
// The child: a real server with 1,000 extra chats of 100 messages each.

async function runServer(dataDir: string): Promise<void> {
  const server = await createServer({ dataDir, demo: true, logger: quietLogger(), sendPerMinute: 1_000_000 });
  const start = Date.now() - BACKFILL_CHATS * BACKFILL_PER_CHAT * 1000;
  await server.store.transaction(async (tx) => {
    for (let c = 0; c < BACKFILL_CHATS; c++) {
      const at = start + c * BACKFILL_PER_CHAT * 1000;
      const chatId = await tx.chats.create({ sourceId: 1 + (c % 3), externalUserId: `bench-${c}`, userMetadata: { name: `Bench Customer ${c}` } }, at);
      if (chatId === undefined) throw new Error(`bench chat ${c} already exists`);
      for (let m = 0; m < BACKFILL_PER_CHAT; m++) {
        const client = m % 2 === 0;
        const created = at + m * 1000;
        const id = await tx.messages.insert(
          {
            chatId,
            senderId: client ? null : 1,
            senderType: client ? 'client' : 'operator',
            text: client ? `Customer ${c} asks question ${m}: where is my order?` : `Operator answer ${m} for customer ${c}.`,
            isRead: true,
          },
          created,
        );
        if (id === undefined) throw new Error(`bench message ${m} of chat ${c} was a duplicate`);
        await tx.chats.recordMessage(chatId, { id, sender_type: client ? 'client' : 'operator', created_at: created, is_read: true });
      }
    }
  });
  const { url } = await server.listen(0, '127.0.0.1');
  process.send?.({ type: 'ready', url });
}

/** The child of part 5: a real server with 10,000 extra open chats of two messages each. */
async function runManyServer(dataDir: string): Promise<void> {
  const server = await createServer({ dataDir, demo: true, logger: quietLogger(), sendPerMinute: 1_000_000 });
  const start = Date.now() - MANY_CHATS * 10_000;
  await server.store.transaction(async (tx) => {
    for (let c = 0; c < MANY_CHATS; c++) {
      const at = start + c * 10_000;
      const chatId = await tx.chats.create({ sourceId: 1 + (c % 3), externalUserId: `many-${c}`, userMetadata: { name: `Customer ${c}` } }, at);
      if (chatId === undefined) throw new Error(`chat ${c} already exists`);
      for (let m = 0; m < 2; m++) {
        const created = at + m * 1000;
        const id = await tx.messages.insert({ chatId, senderId: m === 0 ? null : 1, senderType: m === 0 ? 'client' : 'operator', text: `message ${m} of customer ${c}`, isRead: true }, created);
        if (id === undefined) throw new Error('duplicate');
        await tx.chats.recordMessage(chatId, { id, sender_type: m === 0 ? 'client' : 'operator', created_at: created, is_read: true });
      }
    }
  });
  const { url } = await server.listen(0, '127.0.0.1');
  process.send?.({ type: 'ready', url });
}

/** A relay in front of the server that counts the requests passing it (by path). */
async function startCountingRelay(target: string): Promise<{ url: string; requests: string[]; close: () => void }> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const relay = createHttpServer((incoming, outgoing) => {
    requests.push(`${incoming.method} ${incoming.url}`);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, requests, close: () => relay.close() };
}

function requestKinds(requests: string[]): string {
  const kinds = new Map<string, number>();
  for (const request of requests) {
    const [method, path = ''] = request.split(' ');
    const url = new URL(path, 'http://relay');
    const kind =
      url.pathname === '/api/v1/chats'
        ? url.searchParams.has('updated_since')
          ? 'delta'
          : 'list page'
        : url.pathname === '/api/v1/chats/messages'
          ? 'messages batch'
          : /^\/api\/v1\/chats\/\d+\/messages$/.test(url.pathname)
            ? 'chat messages'
            : `${method} ${url.pathname}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ');
}

async function requestCounts(root: string): Promise<void> {
  const server = await startServerChild(join(root, 'server-many'), 'server-many');
  const relay = await startCountingRelay(server.url);
  const dataDir = join(root, 'desk-many');
  // Realtime off: every request is the sync's own (no channel auth), and nothing polls meanwhile.
  const timing = { pollIntervalMs: 3_600_000, prefetchAttachmentBytes: 0 };
  try {
    const engine = createEngine({ dataDir, realtime: false, timing });
    const client = createLocalClient(engine);
    const [, firstMs] = await timeIt(async () => {
      await client.invoke('session.login', { serverUrl: relay.url, email: 'admin@example.com', password: 'password' });
      await engine.settled();
    });
    const held = (await client.invoke('chats.list', { tab: 'all', limit: 1 })).counts.all;
    const firstSync = relay.requests.splice(0);
    await engine.close();
    if (held < MANY_CHATS) throw new Error(`the desk holds ${held} chats`);
    // The per-chat strategy this replaces: every list page twice (the reachability probe and the
    // realtime resubscription each paged it), then one messages request per open chat.
    const listPages = Math.ceil(held / 100);
    console.log(
      `sync.first-sync.requests: ${fmt(firstSync.length)} requests to sign in and sync ${fmt(held)} chats (target ≤ 300) in ${fmt(firstMs / 1000, 1)} s [${requestKinds(firstSync)}]; ` +
        `baseline, the per-chat strategy for the same chats: ${fmt(2 * listPages + held)} requests (${fmt(2 * listPages)} list pages + ${fmt(held)} messages requests)`,
    );

    // Five chats change while the desk is away; it comes back holding all of them.
    for (let i = 0; i < MANY_CHANGED; i++) {
      const c = i * 997;
      const raw = JSON.stringify({ external_user_id: `many-${c}`, text: `news ${i} while the desk was away` });
      const response = await fetch(`${server.url}/api/v1/webhooks/sources/${1 + (c % 3)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...webhookHeaders('demo-webhook-secret', raw) },
        body: raw,
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    }
    const again = createEngine({ dataDir, realtime: false, timing });
    const [, reconnectMs] = await timeIt(async () => {
      await again.ready;
      await again.settled();
    });
    const reconnect = relay.requests.splice(0);
    await again.close();
    console.log(
      `sync.reconnect.requests: ${fmt(reconnect.length)} requests to catch up a desk holding ${fmt(held)} chats of which ${MANY_CHANGED} changed (target ≤ 10) in ${fmt(reconnectMs, 0)} ms [${requestKinds(reconnect)}]; ` +
        `baseline, the per-chat strategy: ${fmt(2 * listPages + MANY_CHANGED)} requests (${fmt(2 * listPages)} list pages + ${MANY_CHANGED} messages requests)`,
    );
  } finally {
    relay.close();
    server.stop();
  }
}

/** The engine's write path for history pages against plain INSERTs of the same rows, both in transactions of one page. */
async function cacheWrites(root: string): Promise<void> {
  const chats = 1000;
  const perChat = 100;
  const start = Date.now() - chats * perChat * 1000;
  const pages: ApiMessage[][] = [];
  let id = 0;
  for (let c = 1; c <= chats; c++) {
    const page: ApiMessage[] = [];
    for (let m = 0; m < perChat; m++) page.push(apiMessage(++id, c, start + id * 1000));
    pages.push(page.reverse());
  }
  const cache = openCache(join(root, 'writes.sqlite'));
  cache.transaction(() => {
    for (let c = 1; c <= chats; c++) cache.chats.upsert(apiChat(c, start, null, { id: 0, at: start }));
  });
  const host = {
    emitter: new EngineEmitter(() => undefined),
    logger: silentEngineLogger(),
    timing: resolveTimingForBench(),
    notifier: null,
    preferences: () => ({ ...DEFAULT_PREFERENCES }),
    showing: () => true,
    openChatIds: () => new Set<number>(),
    now: () => Date.now(),
    random: Math.random,
    onUnauthenticated: () => undefined,
  };
  const user: ApiUser = { id: 1, name: 'Admin', email: 'admin@example.com', roles: ['admin'], source_ids: [], department_ids: [] };
  const changes = new ChangeFeed(host, { cache, userId: user.id, serverUrl: 'http://127.0.0.1:9' });
  const context = { cache, user, changes };
  const [, engineMs] = await timeIt(async () => {
    for (const page of pages) applyMessages(context, page);
  });
  changes.close();
  cache.close();

  const raw = new BetterSqlite3(join(root, 'writes-raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec(`CREATE TABLE messages (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, sender_id INTEGER, sender_type TEXT NOT NULL, sender_name TEXT,
    text TEXT, payload TEXT NOT NULL DEFAULT '{}', attachments TEXT NOT NULL DEFAULT '[]', is_read INTEGER NOT NULL DEFAULT 0,
    client_message_id TEXT UNIQUE, is_hidden INTEGER NOT NULL DEFAULT 0, hidden_by_name TEXT, hidden_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE INDEX messages_by_chat ON messages (chat_id, id);`);
  const rows = pages.map((page) => page.map(messageRecord));
  const insert = raw.prepare(
    `INSERT INTO messages (id, chat_id, sender_id, sender_type, sender_name, text, payload, attachments, is_read, client_message_id, is_hidden, hidden_by_name, hidden_at, created_at, updated_at)
     VALUES (@id, @chat_id, @sender_id, @sender_type, @sender_name, @text, @payload, @attachments, @is_read, @client_message_id, @is_hidden, @hidden_by_name, @hidden_at, @created_at, @updated_at)`,
  );
  const write = raw.transaction((page: ReturnType<typeof messageRecord>[]) => {
    for (const row of page) insert.run(row);
  });
  const [, rawMs] = await timeIt(async () => {
    for (const page of rows) write(page);
  });
  raw.close();
  const count = chats * perChat;
  const enginePerSecond = count / (engineMs / 1000);
  const rawPerSecond = count / (rawMs / 1000);
  console.log(
    `sync.backfill.write: ${fmt(count)} messages in pages of ${perChat} written by the engine's apply path (API objects → rows, one transaction per page, chat previews once per page) ${fmt(enginePerSecond)} rows/s; ` +
      `plain better-sqlite3 INSERTs of the same rows: ${fmt(rawPerSecond)} rows/s; ratio ${fmt(enginePerSecond / rawPerSecond, 2)} (target ≥ 0.5)`,
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Backfill

async function startServerChild(dataDir: string, mode = 'server'): Promise<{ url: string; stop: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), [mode, dataDir], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'url' in message && typeof message.url === 'string') resolve(message.url);
    });
    child.on('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** One backfill and its raw-insert baseline, measured back to back. */
interface BackfillRun {
  rows: number;
  /** From the sign-in request to the status leaving "syncing": what the operator waits. */
  syncedMs: number;
  /** Of which the sign-in itself (the server's password hash). */
  signInMs: number;
  /** Until settled, the search index included. */
  settledMs: number;
  rawMs: number;
}

/** Backfills are repeated against one server and the median is reported: one run on a shared machine is noise. */
const BACKFILL_RUNS = Number(process.env.BACKFILL_RUNS ?? 5);

async function backfill(root: string): Promise<void> {
  const server = await startServerChild(join(root, 'server'));
  const runs: BackfillRun[] = [];
  try {
    for (let run = 1; run <= BACKFILL_RUNS; run++) runs.push(await backfillOnce(root, server.url, run));
  } finally {
    server.stop();
  }
  const rows = runs[0]?.rows ?? 0;
  const ratios = runs.map((run) => run.rawMs / run.syncedMs);
  const syncedMs = median(runs.map((run) => run.syncedMs));
  const rawMs = median(runs.map((run) => run.rawMs));
  console.log(
    `sync.backfill: ${fmt(rows)} messages over ${fmt(BACKFILL_CHATS)}+ chats in the cache ${fmt(syncedMs / 1000, 2)} s after the sign-in began = ${fmt(rows / (syncedMs / 1000))} messages/s ` +
      `(median of ${runs.length} fresh desks; sign-in ${fmt(median(runs.map((run) => run.signInMs)), 0)} ms of it; batches of up to ${MESSAGES_BATCH_MAX_CHATS} chats, server in a child process); ` +
      `settled, search index included, after ${fmt(median(runs.map((run) => run.settledMs)) / 1000, 2)} s`,
  );
  // The same rows, the same table, plain INSERTs in transactions of one page each (what one HTTP page gives).
  console.log(`sync.backfill.raw-insert: the same ${fmt(rows)} rows, plain better-sqlite3 INSERTs in transactions of 100: ${fmt(rawMs, 0)} ms = ${fmt(rows / (rawMs / 1000))} rows/s (median)`);
  console.log(
    `sync.backfill.ratio: engine backfill / raw inserts = ${fmt(median(ratios), 3)} (median; runs ${ratios.map((ratio) => fmt(ratio, 2)).join(' ')}; the engine's time includes the sign-in, HTTP, JSON and the server's own queries)`,
  );
}

async function backfillOnce(root: string, serverUrl: string, run: number): Promise<BackfillRun> {
  const dataDir = join(root, `desk-backfill-${run}`);
  const engine = createEngine({
    dataDir,
    realtime: false,
    timing: { pollIntervalMs: 3_600_000, prefetchAttachmentBytes: 0, pageSize: 100, catchUpConcurrency: 4 },
  });
  const client = createLocalClient(engine);
  // The moment the operator sees the sync end (the status leaves "syncing"): the history is in the
  // cache then; the search index follows in idle batches and is timed apart (settled).
  const started = performance.now();
  let syncedAt: number | null = null;
  let sawSyncing = false;
  const stopWatching = client.on('connection', (state) => {
    if (state.kind === 'syncing') sawSyncing = true;
    else if (sawSyncing && syncedAt === null) syncedAt = performance.now() - started;
  });
  let signInMs = 0;
  const [, settledMs] = await timeIt(async () => {
    await client.invoke('session.login', { serverUrl, email: 'admin@example.com', password: 'password' });
    signInMs = performance.now() - started;
    await engine.settled();
  });
  stopWatching();
  const { session } = await client.invoke('session.get', {});
  await engine.close();
  if (!session) throw new Error('not signed in');
  if (syncedAt === null) throw new Error('the sync was never seen to end');

  const cacheFile = accountPaths(dataDir, session.serverUrl, session.user.id).database;
  const cache = new BetterSqlite3(cacheFile, { readonly: true });
  const rows = cache.prepare<[], Record<string, unknown>>('SELECT * FROM messages WHERE id > 0 ORDER BY chat_id, id DESC').all();
  cache.close();

  const raw = new BetterSqlite3(join(root, `raw-${run}.sqlite`));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec(`CREATE TABLE messages (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, sender_id INTEGER, sender_type TEXT NOT NULL, sender_name TEXT,
    text TEXT, payload TEXT NOT NULL DEFAULT '{}', attachments TEXT NOT NULL DEFAULT '[]', is_read INTEGER NOT NULL DEFAULT 0,
    client_message_id TEXT UNIQUE, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE INDEX messages_by_chat ON messages (chat_id, id);`);
  const insert = raw.prepare(
    `INSERT INTO messages (id, chat_id, sender_id, sender_type, sender_name, text, payload, attachments, is_read, client_message_id, created_at, updated_at)
     VALUES (@id, @chat_id, @sender_id, @sender_type, @sender_name, @text, @payload, @attachments, @is_read, @client_message_id, @created_at, @updated_at)`,
  );
  const page = raw.transaction((batch: Record<string, unknown>[]) => {
    for (const row of batch) insert.run(row);
  });
  const [, rawMs] = await timeIt(async () => {
    for (let i = 0; i < rows.length; i += 100) page(rows.slice(i, i + 100));
  });
  raw.close();
  return { rows: rows.length, syncedMs: syncedAt, signInMs, settledMs, rawMs };
}

// ---------------------------------------------------------------------------------------------
// 2 and 3. A big cache

function apiChat(id: number, at: number, assignedTo: number | null, latest: { id: number; at: number }): ApiChat {
  const time = formatTimestamp(at);
  return {
    id,
    source_id: 1 + (id % 3),
    department_id: null,
    external_user_id: `big-${id}`,
    user_metadata: { name: `Customer ${id}`, email: `customer${id}@example.com` },
    status: id % 7 === 0 ? 'closed' : 'active',
    assigned_to: assignedTo,
    source: { id: 1 + (id % 3), name: 'Website', type: 'widget' },
    department: null,
    assignee: assignedTo === null ? null : { id: assignedTo, name: 'Admin' },
    latest_message: { id: latest.id, text: `last message of ${id}`, sender_type: 'client', created_at: formatTimestamp(latest.at) },
    is_urgent: false,
    unread_count: id % 5,
    waiting_since: null,
    last_message_at: formatTimestamp(latest.at),
    last_activity_at: formatTimestamp(latest.at),
    closed_at: null,
    created_at: time,
    updated_at: formatTimestamp(latest.at),
    contact: null,
  };
}

function apiMessage(id: number, chatId: number, at: number): ApiMessage {
  const time = formatTimestamp(at);
  return {
    id,
    chat_id: chatId,
    sender_id: null,
    sender_type: 'client',
    sender: null,
    text: `message ${id} in chat ${chatId}: lorem ipsum dolor sit amet`,
    payload: {},
    attachments: [],
    is_read: true,
    client_message_id: null,
    is_hidden: false,
    hidden_by: null,
    hidden_at: null,
    created_at: time,
    updated_at: time,
  };
}

async function bigCache(root: string): Promise<void> {
  const dataDir = join(root, 'desk-big');
  const serverUrl = 'http://127.0.0.1:9'; // nothing listens: the desk starts offline, from its cache
  const user: ApiUser = { id: 1, name: 'Admin', email: 'admin@example.com', roles: ['admin'], source_ids: [], department_ids: [] };
  const paths = accountPaths(dataDir, serverUrl, user.id);
  const cache = openCache(paths.database);
  const start = Date.now() - BIG_MESSAGES * 1000;
  const bigChatId = 1;
  const [, buildMs] = await timeIt(async () => {
    let messageId = 0;
    for (let chatId = 1; chatId <= BIG_CHATS; chatId++) {
      const count = chatId === bigChatId ? BIG_CHAT_MESSAGES : Math.floor((BIG_MESSAGES - BIG_CHAT_MESSAGES) / (BIG_CHATS - 1)) + (chatId === BIG_CHATS ? (BIG_MESSAGES - BIG_CHAT_MESSAGES) % (BIG_CHATS - 1) : 0);
      const messages: ApiMessage[] = [];
      for (let m = 0; m < count; m++) {
        messageId++;
        messages.push(apiMessage(messageId, chatId, start + messageId * 1000));
      }
      const last = messages.at(-1);
      cache.transaction(() => {
        for (const message of messages) cache.messages.upsert({
          id: message.id,
          chat_id: message.chat_id,
          sender_id: null,
          sender_type: 'client',
          sender_name: null,
          text: message.text,
          payload: '{}',
          attachments: '[]',
          is_read: 1,
          client_message_id: null,
          is_hidden: 0,
          hidden_by_name: null,
          hidden_at: null,
          created_at: start + message.id * 1000,
          updated_at: start + message.id * 1000,
        });
        cache.chats.upsert(apiChat(chatId, start, chatId % 4 === 0 ? 1 : null, { id: last?.id ?? 0, at: start + (last?.id ?? 0) * 1000 }));
        cache.sync.save({ chat_id: chatId, synced_id: last?.id ?? 0, oldest_id: messages[0]?.id ?? null, has_older: 0 });
      });
    }
    const session = { serverUrl, serverName: 'Bench', user: { id: user.id, name: user.name, email: user.email, roles: user.roles } };
    cache.meta.set('session', JSON.stringify({ session, user, config: null }));
  });
  // The engine indexes what it syncs for search as it goes (search-indexer.ts); written here directly,
  // the messages are indexed before the desk starts, as a desk that synced them would hold them.
  const [, indexMs] = await timeIt(async () => {
    while (cache.searchIndex.indexBatch(10_000) > 0);
  });
  const counted = cache.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM messages').get()?.n ?? 0;
  cache.close();
  console.log(
    `sync.cache.build: ${fmt(BIG_CHATS)} chats and ${fmt(counted)} messages written through the cache module in ${fmt(buildMs / 1000, 1)} s, indexed for search in ${fmt(indexMs / 1000, 1)} s (setup, not a figure of merit)`,
  );

  await new FileSecretStore(deskFiles(dataDir).secrets).set(paths.key, '1|benchbenchbenchbenchbenchbenchbenchbench00000000');
  await saveSessionPointer(deskFiles(dataDir).session, { serverUrl, userId: user.id });

  // Cold: a new engine on that data dir, restored from the cache, to its first page of chats.
  const [first, coldMs] = await timeIt(async () => {
    const engine = createEngine({ dataDir, realtime: false, timing: { pollIntervalMs: 3_600_000 } });
    const client = createLocalClient(engine);
    const page = await client.invoke('chats.list', { tab: 'all', limit: 50 });
    return { engine, client, page };
  });
  const { engine, client } = first;
  if (first.page.rows.length !== 50 || first.page.counts.all !== BIG_CHATS) throw new Error(`unexpected first page: ${first.page.rows.length} rows, ${first.page.counts.all} chats`);
  console.log(`sync.chat-list.cold: engine start → first page of 50 chats (counts over ${fmt(BIG_CHATS)} chats, ${fmt(counted)} messages cached): ${fmt(coldMs, 1)} ms`);

  const warm: Record<string, number[]> = { all: [], my: [], open: [], search: [], next: [] };
  let cursor: string | null = null;
  for (let i = 0; i < 30; i++) {
    warm.all?.push((await timeIt(() => client.invoke('chats.list', { tab: 'all', limit: 50 })))[1]);
    warm.my?.push((await timeIt(() => client.invoke('chats.list', { tab: 'my', limit: 50 })))[1]);
    warm.open?.push((await timeIt(() => client.invoke('chats.list', { tab: 'unassigned', status: 'open', limit: 50 })))[1]);
    warm.search?.push((await timeIt(() => client.invoke('chats.list', { tab: 'all', search: `customer${4000 + i}`, limit: 50 })))[1]);
    const [page, ms] = await timeIt(() => client.invoke('chats.list', { tab: 'all', limit: 50, cursor }));
    warm.next?.push(ms);
    cursor = page.nextCursor;
  }
  console.log(
    `sync.chat-list.warm p50: all ${fmt(median(warm.all ?? []), 2)} ms, my ${fmt(median(warm.my ?? []), 2)} ms, unassigned+open ${fmt(median(warm.open ?? []), 2)} ms, ` +
      `search ${fmt(median(warm.search ?? []), 2)} ms, next pages (keyset) ${fmt(median(warm.next ?? []), 2)} ms — each with tab counts`,
  );

  const [opened, openColdMs] = await timeIt(() => client.invoke('chat.open', { chatId: bigChatId, limit: 50 }));
  if (opened.messages.length !== 50) throw new Error('open returned the wrong number of messages');
  const openWarm: number[] = [];
  const deep: number[] = [];
  for (let i = 0; i < 30; i++) {
    openWarm.push((await timeIt(() => client.invoke('chat.open', { chatId: bigChatId, limit: 50 })))[1]);
    await client.invoke('chat.leave', { chatId: bigChatId });
    deep.push((await timeIt(() => client.invoke('chat.loadOlder', { chatId: bigChatId, beforeId: 50_000 - i * 100, limit: 50 })))[1]);
  }
  console.log(
    `sync.open-chat: newest 50 of ${fmt(BIG_CHAT_MESSAGES)} messages: first ${fmt(openColdMs, 2)} ms, warm p50 ${fmt(median(openWarm), 2)} ms; ` +
      `50 older from the middle (before_id) p50 ${fmt(median(deep), 2)} ms`,
  );
  await engine.close();
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.argv[2] === 'server') {
    await runServer(process.argv[3] ?? '');
    return;
  }
  if (process.argv[2] === 'server-many') {
    await runManyServer(process.argv[3] ?? '');
    return;
  }
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  const root = mkdtempSync(join(tmpdir(), 'switchboard-sync-bench-'));
  try {
    // SYNC_BENCH=backfill, =write or =big-cache runs only that part (seconds, not minutes).
    if (process.env.SYNC_BENCH === 'backfill') {
      await backfill(root);
      return;
    }
    if (process.env.SYNC_BENCH === 'write') {
      await cacheWrites(root);
      return;
    }
    if (process.env.SYNC_BENCH === 'big-cache') {
      await bigCache(root);
      return;
    }
    await backfill(root);
    await cacheWrites(root);
    await requestCounts(root);
    await bigCache(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
