import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPasswordSync } from '../../server/auth/passwords';
import { createServer } from '../../server/app';
import { DEMO_REALTIME } from '../../server/config';
import { DEMO_PASSWORD, DEMO_WEBHOOK_SECRET, DEMO_WIDGET_TOKEN } from '../../server/demo/seed';
import { quietLogger } from '../../server/logger';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';
import type { Caller, Fixtures } from './fixtures';
import { isMemoryReply, MEMORY_REQUEST } from './probe-protocol';
import { PNG } from './render-values';
import { FEED_FILES } from './routes';
import { FUZZ_OTHER_WIDGET_TOKEN } from './visitor-routes';
import { WireClient } from './wire';

// The server under fuzz: the product's own CLI (`server/cli.ts --demo`) in a child process, so a crash is
// seen as a crash and its memory is its own (read from /proc after a forced GC). Its database is prepared
// in-process first (demo data, plus what only the store can make: a deactivated user, a revoked token,
// tokens to spend on logout), then the CLI opens it.

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const PROBE = join(ROOT, 'scripts', 'fuzz', 'child-probe.ts');
const START_TIMEOUT_MS = 60_000;
const CALLERS: Caller[] = ['admin', 'mod', 'mod2'];
const DEMO_IDS = { admin: 1, mod: 2, mod2: 3, employee: 4 } as const;
/** Chats per caller that the fuzzer never changes, so they stay out of that caller's sight all run long. */
const HIDDEN_PER_CALLER = 3;

export interface Memory {
  /** VmRSS of the server process after a full collection, bytes. */
  rss: number;
  heapUsed: number;
}

export interface Target {
  fixtures: Fixtures;
  /** The server's data and update folders live here (an answer naming it leaks an internal path). */
  dataDir: string;
  pid: number;
  client: WireClient;
  /** How the server process ended, once it has. */
  exited(): string | undefined;
  /** Everything the server wrote to stderr so far (its error log names the failing file and line). */
  stderr(): string;
  memory(): Promise<Memory>;
  close(): Promise<void>;
}

/** Environment the CLI would read instead of its flags; the fuzzer decides every setting itself. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(SWITCHBOARD_|REVERB_|NODE_TEST|NODE_OPTIONS$|DATA_DIR$|PORT$|HOST$)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

async function prepareDatabase(dataDir: string, disposablePerCaller: number) {
  const server = await createServer({ dataDir, demo: true, logger: quietLogger() });
  try {
    const { store, authenticator } = server.deps;
    const now = Date.now();
    const issue = (userId: number) => authenticator.issue(userId, 'fuzz');
    const deactivatedId = await store.users.create(
      { name: 'Fuzz Deactivated', email: 'fuzz-deactivated@example.com', passwordHash: hashPasswordSync(DEMO_PASSWORD), roles: ['moderator'], sourceIds: [1] },
      now,
    );
    const deactivated = await issue(deactivatedId);
    await store.users.setActive(deactivatedId, false, now);
    const revoked = await issue(DEMO_IDS.admin);
    await authenticator.revoke(Number(revoked.split('|')[0]));
    // A second widget, whose visitor's space token must never open the demo widget's paths.
    await store.widgets.create({ name: 'Fuzz Other Widget', webhookSecret: DEMO_WEBHOOK_SECRET, publicToken: FUZZ_OTHER_WIDGET_TOKEN, settings: {} }, now);
    // For the admin routes to change at will: nothing else in the run signs in as, posts to or embeds these.
    const managed = {
      accountIds: [
        await store.users.create({ name: 'Fuzz Account', email: 'fuzz-account@example.com', passwordHash: hashPasswordSync(DEMO_PASSWORD), roles: ['moderator'], sourceIds: [1] }, now),
      ],
      sourceIds: [await store.catalog.createSource({ name: 'Fuzz Managed Source', type: 'api', webhookSecret: DEMO_WEBHOOK_SECRET }, now)],
      widgetIds: [await store.widgets.create({ name: 'Fuzz Managed Widget', webhookSecret: DEMO_WEBHOOK_SECRET, publicToken: 'fuzz-managed-widget-token', settings: {} }, now)],
    };
    const disposable: Record<Caller, string[]> = { admin: [], mod: [], mod2: [] };
    for (const caller of CALLERS) for (let i = 0; i < disposablePerCaller; i++) disposable[caller].push(await issue(DEMO_IDS[caller]));
    return {
      tokens: {
        admin: await issue(DEMO_IDS.admin),
        mod: await issue(DEMO_IDS.mod),
        mod2: await issue(DEMO_IDS.mod2),
        employee: await issue(DEMO_IDS.employee),
        deactivated,
        revoked,
        spare: await issue(DEMO_IDS.admin),
      },
      disposable,
      deactivatedId,
      managed,
    };
  } finally {
    await server.close();
  }
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${stdout}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening (${code ?? signal}):\n${stdout}`));
    });
  });
}

interface JsonAnswer {
  status: number;
  body: unknown;
}

async function api(client: WireClient, method: string, path: string, token: string | undefined, body?: unknown, extra: [string, string][] = []): Promise<JsonAnswer> {
  const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: [string, string][] = [['Accept', 'application/json'], ...extra];
  if (token) headers.push(['Authorization', `Bearer ${token}`]);
  if (raw) headers.push(['Content-Type', 'application/json']);
  const outcome = await client.send({ method, path, headers, body: raw });
  if (outcome.kind !== 'answer') throw new Error(`${method} ${path}: no answer (${outcome.reason})`);
  const text = outcome.answer.body.toString();
  return { status: outcome.answer.status, body: text ? JSON.parse(text) : undefined };
}

function dataOf(answer: JsonAnswer, what: string): unknown {
  if (answer.status >= 300 || typeof answer.body !== 'object' || answer.body === null || !('data' in answer.body)) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body.data;
}

/** `value[k1][k2]…` of parsed JSON, or undefined where a step is missing. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined;
  return current;
}

function numbersAt(list: unknown, key: string): number[] {
  if (!Array.isArray(list)) return [];
  const out: number[] = [];
  for (const item of list) {
    const value: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, key) : undefined;
    if (typeof value === 'number') out.push(value);
  }
  return out;
}

/** What the running server holds that requests may name: who sees which chat, attachments, templates. */
async function discover(client: WireClient, prepared: Awaited<ReturnType<typeof prepareDatabase>>): Promise<Omit<Fixtures, 'url' | 'host' | 'port'>> {
  const { tokens } = prepared;
  const visible: Record<Caller, number[]> = { admin: [], mod: [], mod2: [] };
  for (const caller of CALLERS) visible[caller] = numbersAt(dataOf(await api(client, 'GET', '/api/v1/chats?per_page=100', tokens[caller]), 'chat list'), 'id');
  const all = visible.admin;
  const sources = [...new Set(numbersAt(dataOf(await api(client, 'GET', '/api/v1/chats?per_page=100', tokens.admin), 'chat list'), 'source_id'))].sort();

  // Attachments in a chat of source 1 (admin and mod see it, mod2 does not), one stored, one a link.
  const raw = JSON.stringify({
    external_user_id: 'fuzz-fixture-attachments',
    text: 'fixture',
    attachments: [{ name: 'pixel.png', content_base64: PNG.toString('base64') }, { url: 'https://example.com/files/report.pdf', mime_type: 'application/pdf' }],
  });
  const received = await client.send({
    method: 'POST',
    path: '/api/v1/webhooks/sources/1',
    headers: [['Content-Type', 'application/json'], ...Object.entries(webhookHeaders(DEMO_WEBHOOK_SECRET, raw))],
    body: Buffer.from(raw),
  });
  if (received.kind !== 'answer' || received.answer.status !== 201) throw new Error(`fixture webhook: ${JSON.stringify(received)}`);
  const stored: unknown = JSON.parse(received.answer.body.toString());
  const attachmentIds = numbersAt(at(stored, 'data', 'message', 'attachments'), 'id');
  const fixtureChat = at(stored, 'data', 'chat_id');
  const attachmentChat = typeof fixtureChat === 'number' ? [fixtureChat] : [];

  const hidden: Record<Caller, number[]> = { admin: [], mod: [], mod2: [] };
  for (const caller of CALLERS) hidden[caller] = all.filter((id) => !visible[caller].includes(id)).slice(0, HIDDEN_PER_CALLER);
  const untouchable = new Set([...hidden.mod, ...hidden.mod2, ...attachmentChat]);
  const writable: Record<Caller, number[]> = { admin: [], mod: [], mod2: [] };
  for (const caller of CALLERS) writable[caller] = visible[caller].filter((id) => !untouchable.has(id));
  hidden.mod2.push(...attachmentChat);

  const visitor = await startFixtureSpace(client, DEMO_WIDGET_TOKEN);
  const foreign = await startFixtureSpace(client, FUZZ_OTHER_WIDGET_TOKEN);

  const canned = numbersAt(dataOf(await api(client, 'GET', '/api/v1/canned-responses?include_inactive=1', tokens.admin), 'canned responses'), 'id');
  const departments = [...new Set(numbersAt(dataOf(await api(client, 'GET', '/api/v1/chats?per_page=100', tokens.admin), 'chat list'), 'department_id'))].sort();

  return {
    tokens,
    disposable: prepared.disposable,
    userIds: { ...DEMO_IDS, deactivated: prepared.deactivatedId },
    writableChats: writable,
    hiddenChats: hidden,
    attachments: { visible: { admin: attachmentIds, mod: attachmentIds, mod2: [] }, hidden: { admin: [], mod: [], mod2: attachmentIds } },
    cannedIds: canned,
    sourceIds: sources,
    departmentIds: departments,
    managed: prepared.managed,
    webhookSecret: DEMO_WEBHOOK_SECRET,
    realtime: { appId: DEMO_REALTIME.appId, key: DEMO_REALTIME.key, secret: DEMO_REALTIME.secret },
    visitor: { widgetToken: DEMO_WIDGET_TOKEN, spaceToken: visitor.token, spaceId: visitor.id, foreignSpaceToken: foreign.token, foreignSpaceId: foreign.id },
  };
}

/** A visitor's space, started as a widget starts one. */
async function startFixtureSpace(client: WireClient, widgetToken: string): Promise<{ token: string; id: number }> {
  const answer = await api(client, 'POST', '/chat/widget/spaces.json', undefined, { token: widgetToken, name: 'Fuzz Visitor' });
  const token = at(answer.body, 'space_token');
  const id = at(answer.body, 'space_id');
  if (answer.status !== 201 || typeof token !== 'string' || typeof id !== 'number') throw new Error(`fixture space: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { token, id };
}

export async function startTarget(options: { disposablePerCaller: number }): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-fuzz-'));
  const dataDir = join(dir, 'data');
  const updatesDir = join(dir, 'updates');
  mkdirSync(updatesDir, { recursive: true });
  for (const [name, content] of Object.entries(FEED_FILES)) writeFileSync(join(updatesDir, name), content);
  const prepared = await prepareDatabase(dataDir, options.disposablePerCaller);

  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', PROBE, 'server/cli.ts', '--demo', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--updates-dir', updatesDir],
    { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let exit: string | undefined;
  child.on('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exited with code ${code}`));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Keep the log bounded on a long run; the newest part is the one a report quotes.
    if (stderr.length > 4_000_000) stderr = stderr.slice(-2_000_000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server process did not start');
  const close = async () => {
    client.close();
    if (exit === undefined) {
      const ended = new Promise((resolvePromise) => child.once('exit', resolvePromise));
      child.kill('SIGTERM');
      await ended;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  let client = new WireClient('127.0.0.1', 0);
  try {
    const url = await waitForListening(child);
    // The CLI's stdout is of no more interest, but a full pipe would block it.
    child.stdout?.resume();
    const { hostname, port } = new URL(url);
    client = new WireClient(hostname, Number(port));
    const fixtures: Fixtures = { url, host: hostname, port: Number(port), ...(await discover(client, prepared)) };
    return {
      fixtures,
      dataDir: dir,
      pid,
      client,
      exited: () => exit,
      stderr: () => stderr,
      memory: () => readMemory(child, pid),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function readMemory(child: ChildProcess, pid: number): Promise<Memory> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the server did not report its memory'));
    }, 30_000);
    const onMessage = (message: unknown) => {
      if (!isMemoryReply(message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolvePromise({ rss: vmRss(pid) ?? message.rss, heapUsed: message.heapUsed });
    };
    child.on('message', onMessage);
    child.send(MEMORY_REQUEST);
  });
}

/** The resident set of `pid` as the kernel counts it (Linux); undefined elsewhere. */
function vmRss(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
