// API benchmark: requests/s and p50/p99 latency of `GET /api/v1/chats` and `POST /api/v1/chats/{id}/send`
// at a fixed concurrency, on each store backend (SQLite, then PostgreSQL on a throwaway cluster). Beside
// each, measured in the same run:
//   - a bare Koa route that answers a body of the same size (the HTTP floor), and
//   - for `GET /chats`, a minimal Koa handler that does the same work without the app's layers: one
//     token query, the app's list and tab-count queries on the same database, the same JSON body.
// The servers run in a child process (this file again, as `servers`), the load generator (autocannon)
// here, so the two do not share an event loop.
//
//   npm run bench -- api        (API_BENCH_SECONDS, API_BENCH_CONNECTIONS to change the defaults;
//                                API_BENCH_BACKENDS=sqlite or =postgres for one backend only)

import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import Koa from 'koa';
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { formatTimestamp } from '../common/time';
import { createServer } from '../server/app';
import { hashTokenSecret } from '../server/auth/access-tokens';
import { quietLogger } from '../server/logger';
import { createTestDatabase, startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres';

const SECONDS = Number(process.env.API_BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.API_BENCH_CONNECTIONS ?? 10);
const WARMUP_SECONDS = 2;
/** The report's target (not asserted): the app at least this share of the minimal handler's req/s on SQLite. */
const MINIMAL_TARGET = 0.75;

type Backend = 'sqlite' | 'postgres';
const BACKEND_NAMES: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

function backendsToRun(): Backend[] {
  const wanted = (process.env.API_BENCH_BACKENDS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  const backends = (['sqlite', 'postgres'] as const).filter((backend) => wanted.includes(backend));
  if (backends.length === 0) throw new Error('API_BENCH_BACKENDS must name sqlite and/or postgres');
  return backends;
}

interface Ready {
  type: 'ready';
  api: string;
  minimal: string;
  bare: string;
  token: string;
  chatId: number;
  chatsBytes: number;
  sendBytes: number;
}

interface Count {
  type: 'count';
  messages: number;
}

type ChildMessage = Ready | Count;

function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && 'type' in value && (value.type === 'ready' || value.type === 'count');
}

/** A JSON body of exactly `bytes` bytes, like the API's answer but built once. */
function paddedJson(bytes: number): string {
  const shell = '{"data":""}';
  return `{"data":"${'x'.repeat(Math.max(0, bytes - shell.length))}"}`;
}

// ---- the minimal handler: GET /api/v1/chats without the app's layers ------------------------------------
//
// The same SQL as the app runs for an admin's first page (server/store/queries/chats.ts: LIST_COLUMNS,
// LIST_JOINS, the ORDER BY/LIMIT of `list`, and its one COUNT for the tab badges), copied as text; one
// query for the token and its user; rows mapped straight to presentChat's keys
// (server/dialects/v1/presenters.ts); links and meta as server/dialects/v1/pagination.ts builds them.

const LIST_COLUMNS = `
  c.*, s.name AS source_name, s.type AS source_type, d.name AS department_name, a.name AS assignee_name,
  lm.text AS latest_text, lm.sender_type AS latest_sender_type, lm.created_at AS latest_created_at, lm.is_hidden AS latest_is_hidden,
  ct.name AS contact_ref_name, ct.email AS contact_ref_email, ct.phone AS contact_ref_phone, ct.company AS contact_ref_company`;

const LIST_JOINS = `
  FROM chats c
  JOIN sources s ON s.id = c.source_id
  LEFT JOIN departments d ON d.id = c.department_id
  LEFT JOIN users a ON a.id = c.assigned_to
  LEFT JOIN messages lm ON lm.id = c.last_message_id
  LEFT JOIN contacts ct ON ct.id = c.contact_id`;

/** The list's `meta.sync_cursor` (server/dialects/v1/sync-cursor.ts): the horizon before the read, per database (server/store/executor.ts). */
const SYNC_HORIZON = {
  sqlite: 'SELECT value + 1 AS horizon FROM sync_clock WHERE id = 1',
  postgres: 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon',
} as const;
/** An admin's scope fingerprint (server/domain/chat-sync.ts: scopeFingerprint of `{kind: 'everything'}`). */
const ADMIN_SCOPE = createHash('sha256').update(JSON.stringify({ kind: 'everything' })).digest('base64url').slice(0, 16);

function syncCursor(horizon: number): string {
  return Buffer.from(JSON.stringify([1, horizon, ADMIN_SCOPE])).toString('base64url');
}

const MINIMAL_SQL = {
  token: `SELECT t.user_id, t.expires_at, u.is_active,
      EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin') AS is_admin
    FROM access_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
  list: `SELECT ${LIST_COLUMNS} ${LIST_JOINS} ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ? OFFSET ?`,
  counts: `SELECT COUNT(*) AS all_count,
      COUNT(CASE WHEN c.assigned_to = ? THEN 1 END) AS my_count,
      COUNT(CASE WHEN c.assigned_to IS NULL THEN 1 END) AS unassigned_count
    FROM chats c`,
} as const;

const PER_PAGE = 20;

interface TokenRow {
  user_id: number;
  expires_at: number | null;
  is_active: number;
  /** 0/1 from SQLite, a boolean from PostgreSQL. */
  is_admin: number | boolean;
}

interface ListRow {
  id: number;
  source_id: number;
  department_id: number | null;
  external_user_id: string;
  user_metadata: string;
  status: string;
  assigned_to: number | null;
  is_urgent: number;
  last_message_id: number | null;
  last_message_at: number | null;
  last_activity_at: number;
  unread_count: number;
  waiting_since: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
  source_name: string;
  source_type: string;
  department_name: string | null;
  assignee_name: string | null;
  latest_text: string | null;
  latest_sender_type: string | null;
  latest_created_at: number | null;
  latest_is_hidden: number | null;
  contact_id: number | null;
  contact_ref_name: string | null;
  contact_ref_email: string | null;
  contact_ref_phone: string | null;
  contact_ref_company: string | null;
}

interface CountsRow {
  all_count: number;
  my_count: number;
  unassigned_count: number;
}

interface MinimalDb {
  token(hash: string): Promise<TokenRow | undefined>;
  list(limit: number, offset: number): Promise<ListRow[]>;
  counts(userId: number): Promise<CountsRow | undefined>;
  horizon(): Promise<number>;
  close(): Promise<void>;
}

/** The app's SQLite file, opened read-write on a second connection in this process. */
function minimalSqlite(file: string): MinimalDb {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 5000');
  const token = db.prepare<[string], TokenRow>(MINIMAL_SQL.token);
  const list = db.prepare<[number, number], ListRow>(MINIMAL_SQL.list);
  const counts = db.prepare<[number], CountsRow>(MINIMAL_SQL.counts);
  const horizon = db.prepare<[], { horizon: number }>(SYNC_HORIZON.sqlite);
  return {
    token: async (hash) => token.get(hash),
    list: async (limit, offset) => list.all(limit, offset),
    counts: async (userId) => counts.get(userId),
    horizon: async () => Number(horizon.get()?.horizon ?? 0),
    close: async () => {
      db.close();
    },
  };
}

/** A pg.Pool on the app's database, as large as the app's (10), BIGINT as numbers like the app's. */
function minimalPostgres(url: string): MinimalDb {
  const INT8 = 20;
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) satisfies pg.CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  pool.on('error', () => undefined);
  const numbered = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  const statements = {
    token: { name: 'minimal_token', text: numbered(MINIMAL_SQL.token) },
    list: { name: 'minimal_list', text: numbered(MINIMAL_SQL.list) },
    counts: { name: 'minimal_counts', text: numbered(MINIMAL_SQL.counts) },
    horizon: { name: 'minimal_horizon', text: SYNC_HORIZON.postgres },
  };
  return {
    token: async (hash) => (await pool.query<TokenRow>({ ...statements.token, values: [hash] })).rows[0],
    list: async (limit, offset) => (await pool.query<ListRow>({ ...statements.list, values: [limit, offset] })).rows,
    counts: async (userId) => (await pool.query<CountsRow>({ ...statements.counts, values: [userId] })).rows[0],
    horizon: async () => Number((await pool.query<{ horizon: number }>(statements.horizon)).rows[0]?.horizon ?? 0),
    close: () => pool.end(),
  };
}

function jsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const maybeTime = (ms: number | null) => (ms === null ? null : formatTimestamp(ms));

function presentRow(row: ListRow) {
  return {
    id: row.id,
    source_id: row.source_id,
    department_id: row.department_id,
    external_user_id: row.external_user_id,
    user_metadata: jsonObject(row.user_metadata),
    status: row.status,
    assigned_to: row.assigned_to,
    source: { id: row.source_id, name: row.source_name, type: row.source_type },
    department: row.department_id === null || row.department_name === null ? null : { id: row.department_id, name: row.department_name },
    assignee: row.assigned_to === null || row.assignee_name === null ? null : { id: row.assigned_to, name: row.assignee_name },
    latest_message:
      row.last_message_id === null || row.latest_sender_type === null || row.latest_created_at === null
        ? null
        : {
            id: row.last_message_id,
            text: row.latest_is_hidden === 1 ? null : row.latest_text,
            sender_type: row.latest_sender_type,
            created_at: formatTimestamp(row.latest_created_at),
            is_hidden: row.latest_is_hidden === 1,
          },
    is_urgent: row.is_urgent === 1,
    unread_count: row.unread_count,
    waiting_since: maybeTime(row.waiting_since),
    last_message_at: maybeTime(row.last_message_at),
    last_activity_at: formatTimestamp(row.last_activity_at),
    closed_at: maybeTime(row.closed_at),
    created_at: formatTimestamp(row.created_at),
    updated_at: formatTimestamp(row.updated_at),
    contact:
      row.contact_id === null || row.contact_ref_name === null
        ? null
        : { id: row.contact_id, name: row.contact_ref_name, email: row.contact_ref_email, phone: row.contact_ref_phone, company: row.contact_ref_company },
  };
}

/** `path` is the app's `{baseUrl}/api/v1/chats`, so that both answer the very same bytes. */
function minimalApp(db: MinimalDb, path: string): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'GET' || ctx.path !== '/api/v1/chats') {
      ctx.status = 404;
      return;
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'))?.[1] ?? '';
    const token = bearer ? await db.token(hashTokenSecret(bearer.slice(bearer.indexOf('|') + 1))) : undefined;
    if (!token || token.is_active !== 1 || (token.expires_at !== null && token.expires_at <= Date.now())) {
      ctx.status = 401;
      ctx.body = { message: 'Unauthenticated.' };
      return;
    }
    // Only an admin's list (every chat) is implemented here.
    if (!token.is_admin) {
      ctx.status = 403;
      ctx.body = { message: 'Forbidden.' };
      return;
    }
    const page = 1;
    const horizon = await db.horizon();
    const rows = await db.list(PER_PAGE, (page - 1) * PER_PAGE);
    const totals = await db.counts(token.user_id);
    const counts = { my: totals?.my_count ?? 0, unassigned: totals?.unassigned_count ?? 0, all: totals?.all_count ?? 0 };
    const total = counts.all;
    const lastPage = Math.max(1, Math.ceil(total / PER_PAGE));
    const from = rows.length > 0 ? (page - 1) * PER_PAGE + 1 : null;
    ctx.body = {
      data: rows.map(presentRow),
      links: { first: `${path}?page=1`, last: `${path}?page=${lastPage}`, prev: null, next: page < lastPage ? `${path}?page=${page + 1}` : null },
      meta: { current_page: page, from, last_page: lastPage, path, per_page: PER_PAGE, to: from === null ? null : from + rows.length - 1, total, counts, sync_cursor: syncCursor(horizon) },
    };
  });
  return app;
}

async function listenLocal(app: Koa): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolvePromise) => server.once('listening', () => resolvePromise()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

// ---- the child: Switchboard with demo data, the minimal handler and a bare Koa app, on three ports -------

async function runServers(backend: Backend, databaseUrl: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const server = await createServer({ dataDir, demo: true, sendPerMinute: 1_000_000_000, logger: quietLogger(), databaseUrl });
  if (server.store.dialect !== backend) throw new Error(`asked for ${backend}, the app runs ${server.store.dialect}`);
  const { url: api } = await server.listen(0, '127.0.0.1');
  const token = await server.deps.authenticator.issue(1, 'bench');
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' };

  const firstChats = await fetch(`${api}/api/v1/chats`, { headers });
  const parsed: unknown = JSON.parse(await firstChats.text());
  const first = typeof parsed === 'object' && parsed !== null && 'data' in parsed && Array.isArray(parsed.data) ? parsed.data[0] : undefined;
  const chatId = typeof first === 'object' && first !== null && 'id' in first && typeof first.id === 'number' ? first.id : 0;
  const sent = await fetch(`${api}/api/v1/chats/${chatId}/send`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: 'Dzień dobry! Sprawdzam status zamówienia, proszę chwilę poczekać.', client_message_id: randomUUID() }),
  });
  const sendBody = await sent.text();
  // The list as it stands for the GET runs (the send above changed its first chat).
  const chats = await fetch(`${api}/api/v1/chats`, { headers });
  const chatsBody = await chats.text();
  if (firstChats.status !== 200 || sent.status !== 201 || chats.status !== 200) {
    throw new Error(`setup failed: ${firstChats.status} ${sent.status} ${chats.status} ${sendBody}`);
  }

  const minimalDb = backend === 'sqlite' ? minimalSqlite(server.config.databaseFile) : minimalPostgres(databaseUrl ?? '');
  const minimal = await listenLocal(minimalApp(minimalDb, `${api}/api/v1/chats`));
  // The comparison only means something if both do the same work: the same answer, byte for byte.
  const minimalAnswer = await fetch(`${minimal.url}/api/v1/chats`, { headers });
  const minimalBody = await minimalAnswer.text();
  if (minimalAnswer.status !== 200 || minimalBody !== chatsBody) {
    const at = [...minimalBody].findIndex((ch, i) => ch !== chatsBody[i]);
    throw new Error(
      `the minimal handler's answer (${minimalAnswer.status}, ${minimalBody.length} chars) differs from the app's (${chatsBody.length} chars) ` +
        `at ${at}: app …${chatsBody.slice(Math.max(0, at - 80), at + 80)}… minimal …${minimalBody.slice(Math.max(0, at - 80), at + 80)}…`,
    );
  }

  const bareChats = paddedJson(Buffer.byteLength(chatsBody));
  const bareSend = paddedJson(Buffer.byteLength(sendBody));
  const bareApp = new Koa();
  bareApp.use((ctx) => {
    ctx.type = 'application/json';
    if (ctx.method === 'POST') {
      ctx.status = 201;
      ctx.body = bareSend;
    } else {
      ctx.body = bareChats;
    }
  });
  const bare = await listenLocal(bareApp);

  const ready: Ready = {
    type: 'ready',
    api,
    minimal: minimal.url,
    bare: bare.url,
    token,
    chatId,
    chatsBytes: Buffer.byteLength(chatsBody),
    sendBytes: Buffer.byteLength(sendBody),
  };
  process.send?.(ready);
  // Ctrl+C reaches this process too: the temp dir goes with it.
  process.once('SIGINT', () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
  process.on('message', (message) => {
    if (message === 'count') {
      void server.store.testing.messageFacts(chatId).then((facts) => {
        const count: Count = { type: 'count', messages: facts.length };
        process.send?.(count);
      });
    } else if (message === 'stop') {
      bare.server.close();
      minimal.server.close();
      void minimalDb
        .close()
        .then(() => server.close())
        .then(() => {
          rmSync(dataDir, { recursive: true, force: true });
          process.exit(0);
        });
    }
  });
}

// ---- the parent: load, measure, compare -----------------------------------------------------------------

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

async function load(options: autocannon.Options, seconds: number): Promise<Figures> {
  const result = await autocannon({ connections: CONNECTIONS, ...options, duration: seconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

function nextMessage(from: ChildProcess, type: ChildMessage['type']): Promise<ChildMessage> {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (message: unknown) => {
      if (isChildMessage(message) && message.type === type) {
        from.off('message', onMessage);
        from.off('exit', onExit);
        resolvePromise(message);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`bench servers exited with ${code}`));
    from.on('message', onMessage);
    from.once('exit', onExit);
  });
}

function line(label: string, f: Figures): string {
  return `${label.padEnd(44)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   (${f.requests} requests, ${f.errors} errors)`;
}

// autocannon measures whole milliseconds: a p50 of 0 means "under 1 ms", so the ratio is a lower bound.
const latencyRatio = (of: number, to: number) => (to < 1 ? `≥ ${of.toFixed(0)}x` : `${(of / to).toFixed(1)}x`);

function ratioLine(name: string, other: string, of: Figures, to: Figures): string {
  return (
    `  ratio ${name}: throughput ${(of.rps / to.rps).toFixed(2)} (${other} is ${(to.rps / of.rps).toFixed(1)}x faster), ` +
    `p50 latency ${latencyRatio(of.p50, to.p50)}, p99 latency ${latencyRatio(of.p99, to.p99)}`
  );
}

async function measure(label: string, api: autocannon.Options, bare: autocannon.Options): Promise<{ api: Figures; bare: Figures; warm: Figures }> {
  // Warm both up (JIT, page caches), then measure each on its own.
  const warm = await load(api, WARMUP_SECONDS);
  await load(bare, WARMUP_SECONDS);
  const apiFigures = await load(api, SECONDS);
  const bareFigures = await load(bare, SECONDS);
  console.log(line(label, apiFigures));
  console.log(line('  bare Koa route, same body size', bareFigures));
  console.log(ratioLine('api/bare', 'bare', apiFigures, bareFigures));
  return { api: apiFigures, bare: bareFigures, warm };
}

interface ListFigures {
  api: Figures;
  minimal: Figures;
  bare: Figures;
}

async function measureList(label: string, api: autocannon.Options, minimal: autocannon.Options, bare: autocannon.Options): Promise<ListFigures> {
  for (const target of [api, minimal, bare]) await load(target, WARMUP_SECONDS);
  const apiFigures = await load(api, SECONDS);
  const minimalFigures = await load(minimal, SECONDS);
  const bareFigures = await load(bare, SECONDS);
  console.log(line(label, apiFigures));
  console.log(line('  minimal Koa handler, same queries and body', minimalFigures));
  console.log(line('  bare Koa route, same body size', bareFigures));
  console.log(ratioLine('app/minimal', 'minimal', apiFigures, minimalFigures));
  console.log(ratioLine('app/bare', 'bare', apiFigures, bareFigures));
  return { api: apiFigures, minimal: minimalFigures, bare: bareFigures };
}

interface BackendFigures {
  backend: Backend;
  list: ListFigures;
  send: { api: Figures; bare: Figures };
}

async function benchBackend(backend: Backend, databaseUrl: string | undefined): Promise<BackendFigures> {
  const child = fork(fileURLToPath(import.meta.url), ['servers', backend, databaseUrl ?? ''], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  try {
    const ready = await nextMessage(child, 'ready');
    if (ready.type !== 'ready') throw new Error('unexpected message');
    const auth = { Authorization: `Bearer ${ready.token}`, Accept: 'application/json' };

    console.log(`\nGET /api/v1/chats (first page of 20, ${ready.chatsBytes} bytes)`);
    const list = await measureList(
      `GET /api/v1/chats`,
      { url: `${ready.api}/api/v1/chats`, headers: auth },
      { url: `${ready.minimal}/api/v1/chats`, headers: auth },
      { url: `${ready.bare}/chats`, headers: auth },
    );

    const sendPath = `/api/v1/chats/${ready.chatId}/send`;
    const before = await (async () => {
      child.send('count');
      const count = await nextMessage(child, 'count');
      return count.type === 'count' ? count.messages : 0;
    })();
    console.log(`\nPOST ${sendPath} (unique client_message_id each, ${ready.sendBytes}-byte answer)`);
    const sendRequest = (path: string): autocannon.Options => ({
      url: `${path.startsWith('/api') ? ready.api : ready.bare}${path}`,
      requests: [
        {
          method: 'POST',
          path,
          headers: { ...auth, 'Content-Type': 'application/json' },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ text: 'Dzień dobry! Sprawdzam status zamówienia, proszę chwilę poczekać.', client_message_id: randomUUID() }),
          }),
        },
      ],
    });
    const send = await measure(`POST ${sendPath}`, sendRequest(sendPath), sendRequest('/send'));
    child.send('count');
    const after = await nextMessage(child, 'count');
    const stored = after.type === 'count' ? after.messages - before : 0;
    const answered = send.api.requests - send.api.errors + send.warm.requests - send.warm.errors;
    // Requests still in flight when a run ends are stored without being counted: at most one per connection a run.
    console.log(`  stored ${stored} messages for ${answered} answered sends (warm-up included; up to ${2 * CONNECTIONS} more were in flight)`);
    if (list.api.errors > 0 || list.minimal.errors > 0 || send.api.errors > 0) {
      console.log(`${BACKEND_NAMES[backend]}: answered errors during the benchmark`);
      process.exitCode = 1;
    }
    return { backend, list, send: { api: send.api, bare: send.bare } };
  } finally {
    if (child.exitCode === null && child.signalCode === null && child.connected) child.send('stop');
    await exited;
  }
}

/** A throwaway cluster and database for `work`, stopped afterwards, also when `work` fails or we are interrupted. */
async function withPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  let cluster: PostgresCluster | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    void (cluster?.stop() ?? Promise.resolve()).finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const started = performance.now();
    cluster = await startPostgresCluster();
    const database = await createTestDatabase(cluster.adminUrl);
    console.log(`(PostgreSQL cluster on 127.0.0.1:${cluster.port} started in ${((performance.now() - started) / 1000).toFixed(1)} s; fsync off)`);
    return await work(database.url);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cluster?.stop();
  }
}

const cell = (f: Figures) => `${f.rps.toFixed(0).padStart(6)} ${f.p50.toFixed(1).padStart(5)} ${f.p99.toFixed(1).padStart(5)}`;

function summary(results: BackendFigures[]): void {
  console.log(`\nSummary (req/s, p50 ms, p99 ms; ${CONNECTIONS} connections, ${SECONDS} s a run)`);
  console.log(
    `${'backend'.padEnd(11)} | ${'GET app'.padEnd(18)} | ${'GET minimal'.padEnd(18)} | ${'GET bare'.padEnd(18)} | app/minimal | app/bare | ${'POST app'.padEnd(18)} | ${'POST bare'.padEnd(18)} | app/bare`,
  );
  for (const { backend, list, send } of results) {
    console.log(
      `${BACKEND_NAMES[backend].padEnd(11)} | ${cell(list.api)} | ${cell(list.minimal)} | ${cell(list.bare)} | ` +
        `${(list.api.rps / list.minimal.rps).toFixed(2).padStart(11)} | ${(list.api.rps / list.bare.rps).toFixed(2).padStart(8)} | ` +
        `${cell(send.api)} | ${cell(send.bare)} | ${(send.api.rps / send.bare.rps).toFixed(2).padStart(8)}`,
    );
  }
  const sqlite = results.find((result) => result.backend === 'sqlite');
  if (sqlite) {
    const share = sqlite.list.api.rps / sqlite.list.minimal.rps;
    console.log(
      `target (reported, not asserted): GET /chats app ≥ ${MINIMAL_TARGET} × minimal handler on SQLite: ${share.toFixed(2)} — ${share >= MINIMAL_TARGET ? 'met' : 'NOT met'}`,
    );
  }
}

async function runBench(): Promise<void> {
  console.log(`${CONNECTIONS} connections, ${SECONDS} s a run after ${WARMUP_SECONDS} s of warm-up; servers in a child process, load from this one`);
  // Shared machines: the figures mean little without what else was running.
  console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);
  const results: BackendFigures[] = [];
  for (const backend of backendsToRun()) {
    console.log(`\n---- ${BACKEND_NAMES[backend]} ${'-'.repeat(90 - BACKEND_NAMES[backend].length)}`);
    if (backend === 'sqlite') {
      console.log('(the app on its SQLite file; the minimal handler on a second better-sqlite3 connection to it)');
      results.push(await benchBackend('sqlite', undefined));
    } else {
      console.log('(the app on a pg pool of 10; the minimal handler on its own pg.Pool of 10 on the same database)');
      results.push(await withPostgres((url) => benchBackend('postgres', url)));
    }
  }
  summary(results);
}

if (process.argv[2] === 'servers') {
  const backend = process.argv[3];
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error(`unknown backend ${backend}`);
  await runServers(backend, process.argv[4] || undefined);
} else {
  await runBench();
}
