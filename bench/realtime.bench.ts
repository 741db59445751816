// Realtime benchmark: N subscribers (100, 1,000, 5,000) on one chat channel receive messages sent through
// POST /api/v1/chats/{id}/send, beside a bare `ws` WebSocketServer broadcasting the same frame to the same
// number of sockets, in the same run. Also memory per idle connection, measured inside each server process.
//
// Subscribers are bare `ws` sockets speaking the Pusher protocol (handshake, channel authorisation through
// POST /broadcasting/auth, pusher:subscribe with the signature), because 5,000 pusher-js instances would cost
// the 2-core machine more than the server under test. Servers run in child processes so that their memory
// and CPU are theirs alone; the clients and the clock live in this process.
//
// `npm run bench -- realtime`; REALTIME_BENCH_SIZES=100,1000 to run fewer sizes.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

const SIZES = (process.env.REALTIME_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const LATENCY_ROUNDS = 20;
const BURST = 30;
const CHAT_ID = 1;
const CONNECT_CONCURRENCY = 100;
const KEY = 'switchboard-key';
const MARKER = Buffer.from('bench#');

interface Memory {
  heapUsed: number;
  rss: number;
}

type ChildMessage = { type: 'ready'; port: number } | { type: 'memory'; memory: Memory };
type ParentMessage = { type: 'memory' } | { type: 'stop' };

function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && 'type' in value;
}

// ---------------------------------------------------------------- child processes (the servers)

function measure(): Memory {
  // Two passes: the first frees what finalisers of the second pass can then release.
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

function serveChild(port: number, stop: () => Promise<void>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'memory':
        send({ type: 'memory', memory: measure() });
        return;
      case 'stop':
        void stop().then(() => process.exit(0));
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  });
  send({ type: 'ready', port });
}

async function switchboardChild(): Promise<void> {
  const { createServer } = await import('../server/app');
  const { quietLogger } = await import('../server/logger');
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const server = await createServer({
    demo: true,
    dataDir,
    logger: quietLogger(),
    sendPerMinute: 1_000_000,
    // Every subscriber connects from 127.0.0.1: no per-address cap (the default 50 would refuse most of them).
    realtime: { maxConnections: 50_000, maxConnectionsPerIp: 0, activityTimeout: 120 },
  });
  const { url } = await server.listen(0, '127.0.0.1');
  serveChild(Number(new URL(url).port), async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

/** The baseline: a bare ws server that broadcasts whatever is POSTed to /send, sent once as a Buffer like ours. */
async function baselineChild(): Promise<void> {
  const http = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const frame = Buffer.concat(chunks);
      for (const client of wss.clients) client.send(frame, { binary: false });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 10_000 });
  wss.on('connection', (ws) => ws.on('error', () => undefined));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  serveChild(address.port, async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
}

// ---------------------------------------------------------------- the parent (clients and clock)

class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(role: 'switchboard' | 'baseline'): Promise<ServerProcess> {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, REALTIME_BENCH_ROLE: role },
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${role} server exited with ${code}`)));
      child.on('message', (message: unknown) => {
        if (isChildMessage(message) && message.type === 'ready') resolve(message.port);
      });
    });
    return new ServerProcess(child, port);
  }

  memory(): Promise<Memory> {
    return new Promise((resolve) => {
      const listener = (message: unknown) => {
        if (!isChildMessage(message) || message.type !== 'memory') return;
        this.child.off('message', listener);
        resolve(message.memory);
      };
      this.child.on('message', listener);
      this.child.send({ type: 'memory' } satisfies ParentMessage);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    await exited;
  }
}

/** Counts deliveries per message sequence number and records each delivery's latency. */
class Deliveries {
  readonly sentAt = new Map<number, number>();
  private readonly counts = new Map<number, number>();
  latencies: number[] = [];
  sample: Buffer | undefined;
  private waiting: { seqs: number[]; target: number; resolve: () => void } | undefined;

  constructor(private readonly subscribers: number) {}

  onFrame(frame: Buffer): void {
    const at = frame.indexOf(MARKER);
    if (at < 0) return;
    let seq = 0;
    for (let i = at + MARKER.length; i < frame.length && frame[i] !== 0x23; i++) seq = seq * 10 + ((frame[i] ?? 48) - 48);
    const now = performance.now();
    const sent = this.sentAt.get(seq);
    if (sent !== undefined) this.latencies.push(now - sent);
    this.sample ??= Buffer.from(frame);
    this.counts.set(seq, (this.counts.get(seq) ?? 0) + 1);
    this.check();
  }

  /** Resolves when every subscriber has every one of `seqs`. */
  all(seqs: number[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`deliveries incomplete: ${seqs.map((s) => this.counts.get(s) ?? 0).join(',')} of ${this.subscribers}`)), 60_000);
      this.waiting = {
        seqs,
        target: this.subscribers,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.check();
    });
  }

  private check(): void {
    const waiting = this.waiting;
    if (!waiting || !waiting.seqs.every((seq) => (this.counts.get(seq) ?? 0) >= waiting.target)) return;
    this.waiting = undefined;
    waiting.resolve();
  }
}

async function inBatches<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

/** A string field of a JSON answer, or a loud failure. */
function stringField(value: unknown, key: string): string {
  const field: unknown = typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
  if (typeof field !== 'string') throw new Error(`expected a string ${key} in ${JSON.stringify(value)}`);
  return field;
}

function firstMessage(ws: WebSocket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data: Buffer) => resolve(data));
    ws.once('error', reject);
  });
}

/** A Pusher-protocol subscriber: handshake, channel authorisation at the auth endpoint, signed subscribe. */
async function pusherSubscriber(port: number, token: string, deliveries: Deliveries): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${KEY}?protocol=7&client=bench&version=1`, { perMessageDeflate: false });
  const handshake = JSON.parse((await firstMessage(ws)).toString());
  const { socket_id: socketId } = JSON.parse(handshake.data);
  const channel = `private-chat.${CHAT_ID}`;
  const response = await fetch(`http://127.0.0.1:${port}/broadcasting/auth`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString(),
  });
  if (!response.ok) throw new Error(`auth refused: ${response.status}`);
  const auth = stringField(await response.json(), 'auth');
  ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth } }));
  const answer = JSON.parse((await firstMessage(ws)).toString());
  if (answer.event !== 'pusher_internal:subscription_succeeded') throw new Error(`subscribe failed: ${JSON.stringify(answer)}`);
  ws.on('message', (data: Buffer) => deliveries.onFrame(data));
  return ws;
}

async function rawSubscriber(port: number, deliveries: Deliveries): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data: Buffer) => deliveries.onFrame(data));
  return ws;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface RunResult {
  p50: number;
  p99: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  heapPerConnection: number;
  rssPerConnection: number;
  connectSeconds: number;
}

/** Connects `n` subscribers, measures idle memory, per-message latency, then a burst's throughput. */
async function run(
  n: number,
  server: ServerProcess,
  subscribe: (deliveries: Deliveries) => Promise<WebSocket>,
  send: (seq: number) => Promise<void>,
  deliveries: Deliveries,
): Promise<RunResult> {
  const idle = await server.memory();
  const connectStart = performance.now();
  const sockets = await inBatches(n, CONNECT_CONCURRENCY, () => subscribe(deliveries));
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const loaded = await server.memory();

  let seq = 0;
  // Warm-up: one message that is not measured (JIT, first-time allocations).
  await send(++seq);
  await deliveries.all([seq]);
  deliveries.latencies = [];

  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    await send(++seq);
    await deliveries.all([seq]);
  }
  const latencies = [...deliveries.latencies].sort((a, b) => a - b);

  const burst: number[] = [];
  const burstStart = performance.now();
  for (let i = 0; i < BURST; i++) {
    burst.push(++seq);
    await send(seq);
  }
  await deliveries.all(burst);
  const burstSeconds = (performance.now() - burstStart) / 1000;

  for (const socket of sockets) socket.terminate();
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    messagesPerSecond: BURST / burstSeconds,
    deliveriesPerSecond: (BURST * n) / burstSeconds,
    heapPerConnection: (loaded.heapUsed - idle.heapUsed) / n,
    rssPerConnection: (loaded.rss - idle.rss) / n,
    connectSeconds,
  };
}

async function runSwitchboard(n: number): Promise<{ result: RunResult; sample: Buffer }> {
  const server = await ServerProcess.start('switchboard');
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'password', device_name: 'bench' }),
    });
    const loginBody: unknown = await login.json();
    const token = stringField(typeof loginBody === 'object' && loginBody !== null && 'data' in loginBody ? loginBody.data : undefined, 'token');
    const deliveries = new Deliveries(n);
    const send = async (seq: number) => {
      deliveries.sentAt.set(seq, performance.now());
      const response = await fetch(`${base}/api/v1/chats/${CHAT_ID}/send`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ text: `bench#${seq}# The quick brown fox jumps over the lazy dog; Съешь же ещё этих мягких французских булок.` }),
      });
      if (response.status !== 201 && response.status !== 200) throw new Error(`send failed: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const result = await run(n, server, (d) => pusherSubscriber(server.port, token, d), send, deliveries);
    if (!deliveries.sample) throw new Error('no frame received');
    return { result, sample: deliveries.sample };
  } finally {
    await server.stop();
  }
}

async function runBaseline(n: number, sample: Buffer): Promise<RunResult> {
  const server = await ServerProcess.start('baseline');
  try {
    const template = sample.toString();
    const deliveries = new Deliveries(n);
    const send = async (seq: number) => {
      deliveries.sentAt.set(seq, performance.now());
      const response = await fetch(`http://127.0.0.1:${server.port}/send`, { method: 'POST', body: template.replace(/bench#\d+#/, `bench#${seq}#`) });
      await response.arrayBuffer();
    };
    return await run(n, server, (d) => rawSubscriber(server.port, d), send, deliveries);
  } finally {
    await server.stop();
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

async function main(): Promise<void> {
  console.log(`realtime: ${LATENCY_ROUNDS} sequential messages for latency, a burst of ${BURST} for throughput, per size`);
  console.log('subscribers: bare ws sockets speaking the Pusher protocol (auth endpoint + signed subscribe); servers in child processes');
  // The machine is shared: the load beside the figures says how much to trust them.
  console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const n of SIZES) {
    const ours = await runSwitchboard(n);
    const raw = await runBaseline(n, ours.sample);
    const o = ours.result;
    console.log(`\nN=${whole(n)} subscribers on private-chat.${CHAT_ID} (frame ${ours.sample.length} bytes)`);
    console.log(
      `  switchboard  POST /send → Echo frame: p50 ${ms(o.p50)}  p99 ${ms(o.p99)}  ${o.messagesPerSecond.toFixed(1)} msg/s  ${whole(o.deliveriesPerSecond)} deliveries/s  (connect+auth+subscribe ${o.connectSeconds.toFixed(1)} s)`,
    );
    console.log(
      `  raw ws       POST /send → broadcast:  p50 ${ms(raw.p50)}  p99 ${ms(raw.p99)}  ${raw.messagesPerSecond.toFixed(1)} msg/s  ${whole(raw.deliveriesPerSecond)} deliveries/s`,
    );
    console.log(
      `  ratio switchboard/raw: p50 ×${(o.p50 / raw.p50).toFixed(2)}  p99 ×${(o.p99 / raw.p99).toFixed(2)}  throughput ×${(o.deliveriesPerSecond / raw.deliveriesPerSecond).toFixed(2)}`,
    );
    console.log(
      `  memory per idle connection (server process): switchboard heap ${kib(o.heapPerConnection)} rss ${kib(o.rssPerConnection)} | raw ws heap ${kib(raw.heapPerConnection)} rss ${kib(raw.rssPerConnection)}`,
    );
  }
}

switch (process.env.REALTIME_BENCH_ROLE) {
  case 'switchboard':
    await switchboardChild();
    break;
  case 'baseline':
    await baselineChild();
    break;
  default: {
    const started = performance.now();
    await main();
    console.log(`\nrealtime bench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  }
}
