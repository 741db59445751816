// Throwaway Redis servers for the multi-node suites: Debian's `redis-server` on 127.0.0.1 and a free
// port, its files in a fresh temp dir, nothing saved to disk. Stopped (and its dir removed) after.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path)) ?? 'redis-server';
const START_TIMEOUT_MS = 15_000;

export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server at once (SIGKILL), as a crash would; its data is gone (nothing is saved). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops the server and deletes its dir; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = await launch(port, dir);
  let stopped: Promise<void> | null = null;
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill();
      child = await launch(port, dir);
    },
    stop() {
      stopped ??= kill().finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start ${REDIS_SERVER} (apt-get install -y redis-server): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${stderr.trim()}`)));
  });
  failed.catch(() => undefined);
  await Promise.race([waitForPort(port), failed]);
  return child;
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (await answersPing(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port} within ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

