import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type SwitchboardServer } from '../../server/app';
import type { ServerConfigInput } from '../../server/config';
import { quietLogger } from '../../server/logger';
import { TestClock } from './clock';
import { createTestDatabase, POSTGRES_URL_ENV, testBackend, type TestDatabase } from './postgres';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A real server on 127.0.0.1, a random port, with its files in a fresh temp dir and its data in a
 * SQLite file there, or (SWITCHBOARD_TEST_BACKEND=postgres) in a fresh database of the test cluster.
 */
export interface TestServer {
  url: string;
  server: SwitchboardServer;
  dataDir: string;
  /** The server's clock: `clock.advance(ms)` moves its time forward. */
  clock: TestClock;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  login(email: string, password?: string): Promise<string>;
  /** Stops the server (keeping its data) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** One HTTP request to a server at `baseUrl` (a JSON body is sent and answered as JSON). */
export async function requestAt<T = unknown>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
}

/** Where a test server keeps its data: the backend this run tests, unless the test names one. */
async function testDatabase(config: ServerConfigInput): Promise<TestDatabase | undefined> {
  if (config.databaseUrl !== undefined || config.databaseFile !== undefined || testBackend() === 'sqlite') return undefined;
  const adminUrl = process.env[POSTGRES_URL_ENV];
  if (!adminUrl) throw new Error(`${POSTGRES_URL_ENV} is not set`);
  return createTestDatabase(adminUrl);
}

export async function startServer(config: ServerConfigInput = {}): Promise<TestServer> {
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const database = await testDatabase(config);
  const clock = new TestClock();
  const input: ServerConfigInput = { demo: true, logger: quietLogger(), clock, ...config, dataDir, databaseUrl: database?.url ?? config.databaseUrl };
  let server = await createServer(input);
  let { url } = await server.listen(0, '127.0.0.1');
  const port = Number(new URL(url).port);
  let running = true;

  const handle: TestServer = {
    get url() {
      return url;
    },
    get server() {
      return server;
    },
    dataDir,
    clock,
    request(method, path, options = {}) {
      return requestAt(url, method, path, options);
    },
    async login(email, password = 'password') {
      const response = await handle.request<{ data: { token: string } }>('POST', '/api/v1/auth/login', {
        body: { email, password, device_name: 'test' },
      });
      if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.data.token;
    },
    async restart() {
      if (running) await server.close();
      // Same data, same realtime credentials: only the process "restarts".
      server = await createServer({ ...input, demo: false, realtime: { ...input.realtime, secret: server.config.realtime.secret } });
      ({ url } = await server.listen(port, '127.0.0.1'));
      running = true;
    },
    async stop() {
      if (running) await server.close();
      running = false;
    },
    async close() {
      if (running) await server.close();
      running = false;
      await database?.drop();
      if (!config.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
