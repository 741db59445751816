// API benchmark: requests/s and p50/p99 latency of `GET /api/v1/chats` and `POST /api/v1/chats/{id}/send`
// at a fixed concurrency, each beside a bare Koa route that answers a body of the same size, measured in
// the same run. The servers run in a child process (this file again, as `servers`), the load generator
// (autocannon) here, so the two do not share an event loop.
//
//   npm run bench -- api        (API_BENCH_SECONDS, API_BENCH_CONNECTIONS to change the defaults)

import autocannon from 'autocannon';
import Koa from 'koa';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../server/app';
import { quietLogger } from '../server/logger';

const SECONDS = Number(process.env.API_BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.API_BENCH_CONNECTIONS ?? 10);
const WARMUP_SECONDS = 2;

interface Ready {
  type: 'ready';
  api: string;
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

// ---- the child: Switchboard with demo data, and a bare Koa app, on two ports ------------------------------

async function runServers(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const server = createServer({ dataDir, demo: true, sendPerMinute: 1_000_000_000, logger: quietLogger() });
  const { url: api } = await server.listen(0, '127.0.0.1');
  const token = server.deps.authenticator.issue(1, 'bench');
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' };

  const chats = await fetch(`${api}/api/v1/chats`, { headers });
  const chatsBody = await chats.text();
  const parsed: unknown = JSON.parse(chatsBody);
  const first = typeof parsed === 'object' && parsed !== null && 'data' in parsed && Array.isArray(parsed.data) ? parsed.data[0] : undefined;
  const chatId = typeof first === 'object' && first !== null && 'id' in first && typeof first.id === 'number' ? first.id : 0;
  const sent = await fetch(`${api}/api/v1/chats/${chatId}/send`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: 'Dzień dobry! Sprawdzam status zamówienia, proszę chwilę poczekać.', client_message_id: randomUUID() }),
  });
  const sendBody = await sent.text();
  if (chats.status !== 200 || sent.status !== 201) throw new Error(`setup failed: ${chats.status} ${sent.status} ${sendBody}`);

  const bareChats = paddedJson(Buffer.byteLength(chatsBody));
  const bareSend = paddedJson(Buffer.byteLength(sendBody));
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.type = 'application/json';
    if (ctx.method === 'POST') {
      ctx.status = 201;
      ctx.body = bareSend;
    } else {
      ctx.body = bareChats;
    }
  });
  const bareServer = bare.listen(0, '127.0.0.1');
  await new Promise<void>((resolvePromise) => bareServer.once('listening', () => resolvePromise()));
  const address = bareServer.address();
  if (address === null || typeof address === 'string') throw new Error('bare server has no address');

  const ready: Ready = {
    type: 'ready',
    api,
    bare: `http://127.0.0.1:${address.port}`,
    token,
    chatId,
    chatsBytes: Buffer.byteLength(chatsBody),
    sendBytes: Buffer.byteLength(sendBody),
  };
  process.send?.(ready);
  process.on('message', (message) => {
    if (message === 'count') {
      const row = server.store.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE chat_id = ?').get(chatId);
      const count: Count = { type: 'count', messages: row?.n ?? 0 };
      process.send?.(count);
    } else if (message === 'stop') {
      bareServer.close();
      void server.close().then(() => {
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
        resolvePromise(message);
      }
    };
    from.on('message', onMessage);
    from.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
  });
}

function line(label: string, f: Figures): string {
  return `${label.padEnd(44)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   (${f.requests} requests, ${f.errors} errors)`;
}

async function measure(label: string, api: autocannon.Options, bare: autocannon.Options): Promise<{ api: Figures; bare: Figures; warm: Figures }> {
  // Warm both up (JIT, SQLite page cache), then measure each on its own.
  const warm = await load(api, WARMUP_SECONDS);
  await load(bare, WARMUP_SECONDS);
  const apiFigures = await load(api, SECONDS);
  const bareFigures = await load(bare, SECONDS);
  console.log(line(label, apiFigures));
  console.log(line('  bare Koa route, same body size', bareFigures));
  // autocannon measures whole milliseconds: a bare p50 of 0 means "under 1 ms", so the ratio is a lower bound.
  const latencyRatio = (api: number, bare: number) => (bare < 1 ? `≥ ${api.toFixed(0)}x` : `${(api / bare).toFixed(1)}x`);
  console.log(
    `  ratio api/bare: throughput ${(apiFigures.rps / bareFigures.rps).toFixed(2)} (bare is ${(bareFigures.rps / apiFigures.rps).toFixed(1)}x faster), ` +
      `p50 latency ${latencyRatio(apiFigures.p50, bareFigures.p50)}, p99 latency ${latencyRatio(apiFigures.p99, bareFigures.p99)}`,
  );
  return { api: apiFigures, bare: bareFigures, warm };
}

async function runBench(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['servers'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await nextMessage(child, 'ready');
    if (ready.type !== 'ready') throw new Error('unexpected message');
    const auth = { Authorization: `Bearer ${ready.token}`, Accept: 'application/json' };
    console.log(`${CONNECTIONS} connections, ${SECONDS} s a run after ${WARMUP_SECONDS} s of warm-up; servers in a child process, load from this one`);
    // Shared machines: the figures mean little without what else was running.
    console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start`);

    console.log(`\nGET /api/v1/chats (first page of 20, ${ready.chatsBytes} bytes)`);
    const list = await measure(
      'GET /api/v1/chats',
      { url: `${ready.api}/api/v1/chats`, headers: auth },
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
    if (list.api.errors > 0 || send.api.errors > 0) {
      console.log('API answered errors during the benchmark');
      process.exitCode = 1;
    }
  } finally {
    child.send('stop');
    await new Promise((resolvePromise) => child.once('exit', resolvePromise));
  }
}

if (process.argv[2] === 'servers') {
  await runServers();
} else {
  await runBench();
}
