// Cluster benchmark: fan-out of messages sent through POST /api/v1/chats/{id}/send on node A to 1,000
// subscribers, (1) all on node A and (2) spread over three nodes A, B, C (one PostgreSQL, one Redis),
// in the same run on the same three nodes. Target (issue 15): cross-node p99 ≤ single-node p99 + 10 ms,
// nothing lost.
//
// Nodes are child processes (their CPU is theirs); subscribers are bare `ws` sockets speaking the Pusher
// protocol (handshake, POST /broadcasting/auth, signed subscribe) in this process, which keeps the clock.
// PostgreSQL and Redis are throwaway instances started here (test/helpers), stopped after.
//
// `npm run bench -- cluster`; CLUSTER_BENCH_SUBSCRIBERS=300 for a smaller run.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { createTestDatabase, startPostgresCluster } from '../test/helpers/postgres';
import { startRedis } from '../test/helpers/redis';

const SUBSCRIBERS = Number(process.env.CLUSTER_BENCH_SUBSCRIBERS ?? 1000);
const ROUNDS = 30;
const CHAT_ID = 1;
const KEY = 'switchboard-key';
const CONNECT_CONCURRENCY = 50;
const MARKER = Buffer.from('bench#');
const TARGET_EXTRA_MS = 10;

// ---------------------------------------------------------------- a node (child process)

async function nodeChild(): Promise<void> {
  const { createServer } = await import('../server/app');
  const { quietLogger } = await import('../server/logger');
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-bench-'));
  const server = await createServer({
    demo: true,
    dataDir,
    databaseUrl: process.env.BENCH_DATABASE_URL,
    redisUrl: process.env.BENCH_REDIS_URL,
    logger: quietLogger(),
    sendPerMinute: 1_000_000,
    loginPerMinute: 1000,
    realtime: { maxConnections: 50_000, maxConnectionsPerIp: 0, activityTimeout: 120 },
  });
  const { url } = await server.listen(0, '127.0.0.1');
  process.on('message', () => {
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  process.send?.({ port: Number(new URL(url).port) });
}

// ---------------------------------------------------------------- the parent

class NodeProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(env: Record<string, string>): Promise<NodeProcess> {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, ...env, CLUSTER_BENCH_ROLE: 'node' },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`a node exited with ${code}`)));
      child.once('message', (message: unknown) => {
        const port = typeof message === 'object' && message !== null && 'port' in message ? Number(message.port) : NaN;
        if (Number.isInteger(port)) resolve(port);
        else reject(new Error(`unexpected message ${JSON.stringify(message)}`));
      });
    });
    return new NodeProcess(child, port);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send('stop');
    await exited;
  }
}

/** Latency of every delivery, and how many subscribers got each sequence number. */
class Deliveries {
  readonly sentAt = new Map<number, number>();
  readonly counts = new Map<number, number>();
  latencies: number[] = [];

  onFrame(frame: Buffer): void {
    const at = frame.indexOf(MARKER);
    if (at < 0) return;
    let seq = 0;
    for (let i = at + MARKER.length; i < frame.length && frame[i] !== 0x23; i++) seq = seq * 10 + ((frame[i] ?? 48) - 48);
    const sent = this.sentAt.get(seq);
    if (sent !== undefined) this.latencies.push(performance.now() - sent);
    this.counts.set(seq, (this.counts.get(seq) ?? 0) + 1);
  }

  /** Waits until `n` subscribers have `seq`, or 10 s; returns how many did not. */
  async settle(seq: number, n: number): Promise<number> {
    const deadline = performance.now() + 10_000;
    while ((this.counts.get(seq) ?? 0) < n && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    return Math.max(0, n - (this.counts.get(seq) ?? 0));
  }
}

function firstMessage(ws: WebSocket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data: Buffer) => resolve(data));
    ws.once('error', reject);
  });
}

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null && key in at ? Reflect.get(at, key) : undefined;
  return at;
}

async function subscriber(port: number, token: string, deliveries: Deliveries): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${KEY}?protocol=7&client=bench&version=1`, { perMessageDeflate: false });
  const handshake: unknown = JSON.parse((await firstMessage(ws)).toString());
  const socketId = field(JSON.parse(String(field(handshake, 'data'))), 'socket_id');
  const channel = `private-chat.${CHAT_ID}`;
  // Authorised by whichever node, as behind a load balancer without sticky sessions.
  const response = await fetch(`http://127.0.0.1:${port}/broadcasting/auth`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ socket_id: String(socketId), channel_name: channel }).toString(),
  });
  if (!response.ok) throw new Error(`auth refused: ${response.status}`);
  ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: field(await response.json(), 'auth') } }));
  const answer: unknown = JSON.parse((await firstMessage(ws)).toString());
  if (field(answer, 'event') !== 'pusher_internal:subscription_succeeded') throw new Error(`subscribe failed: ${JSON.stringify(answer)}`);
  ws.on('message', (data: Buffer) => deliveries.onFrame(data));
  return ws;
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface FanOut {
  p50: number;
  p99: number;
  lost: number;
}

/** `ports[i % ports.length]` holds subscriber i; messages go through `sendPort`. */
async function fanOut(ports: number[], sendPort: number, token: string, seqStart: number): Promise<FanOut> {
  const deliveries = new Deliveries();
  const sockets = await inBatches(SUBSCRIBERS, CONNECT_CONCURRENCY, (i) => subscriber(ports[i % ports.length] ?? sendPort, token, deliveries));
  const send = async (seq: number) => {
    deliveries.sentAt.set(seq, performance.now());
    const response = await fetch(`http://127.0.0.1:${sendPort}/api/v1/chats/${CHAT_ID}/send`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ text: `bench#${seq}# The quick brown fox jumps over the lazy dog.` }),
    });
    if (response.status !== 201) throw new Error(`send failed: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  let lost = 0;
  // Warm-up, not measured.
  await send(seqStart);
  lost += await deliveries.settle(seqStart, SUBSCRIBERS);
  deliveries.latencies = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await send(seqStart + round);
    lost += await deliveries.settle(seqStart + round, SUBSCRIBERS);
  }
  for (const socket of sockets) socket.terminate();
  const sorted = [...deliveries.latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), lost };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  console.log(`cluster: ${SUBSCRIBERS} subscribers on private-chat.${CHAT_ID}, ${ROUNDS} sequential messages through node A per layout`);
  console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const [postgres, redis] = await Promise.all([startPostgresCluster(), startRedis()]);
  const nodes: NodeProcess[] = [];
  try {
    const database = await createTestDatabase(postgres.adminUrl);
    const env = { BENCH_DATABASE_URL: database.url, BENCH_REDIS_URL: redis.url };
    nodes.push(await NodeProcess.start(env));
    nodes.push(...(await Promise.all([NodeProcess.start(env), NodeProcess.start(env)])));
    const ports = nodes.map((node) => node.port);
    const [a] = ports;
    if (a === undefined) throw new Error('no node');
    const login = await fetch(`http://127.0.0.1:${a}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'password', device_name: 'bench' }),
    });
    const token = String(field(await login.json(), 'data', 'token'));

    const single = await fanOut([a], a, token, 1_000);
    const spread = await fanOut(ports, a, token, 2_000);
    const extra = spread.p99 - single.p99;
    console.log(`\n  one node (all ${SUBSCRIBERS} on A):        p50 ${ms(single.p50)}  p99 ${ms(single.p99)}  lost ${single.lost}`);
    console.log(`  three nodes (spread over A, B, C): p50 ${ms(spread.p50)}  p99 ${ms(spread.p99)}  lost ${spread.lost}`);
    const met = extra <= TARGET_EXTRA_MS && single.lost === 0 && spread.lost === 0;
    console.log(`  cross-node p99 − single-node p99: ${extra >= 0 ? '+' : ''}${ms(extra)} (target ≤ +${TARGET_EXTRA_MS} ms, 0 lost): ${met ? 'met' : 'NOT met'}`);
    await database.drop();
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await Promise.all([redis.stop(), postgres.stop()]);
  }
}

if (process.env.CLUSTER_BENCH_ROLE === 'node') {
  await nodeChild();
} else {
  const started = performance.now();
  await main();
  console.log(`\ncluster bench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
