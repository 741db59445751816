import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Pusher from 'pusher-js';
import { DEMO_REALTIME } from '../../server/config';

// A deploy stops the server with SIGTERM: `npm run server` stops taking connections, lets a request
// under way finish, tells realtime clients to reconnect elsewhere (4200), closes the database and
// exits 0. The real CLI, a real pusher-js client and a real upload still being sent.

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

interface Cli {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startCli(dataDir: string, env: Record<string, string> = {}): Promise<Cli> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(SWITCHBOARD_|REVERB_|HOST$|PORT$|DATA_DIR$)/.test(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--demo', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...base, SWITCHBOARD_LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolvePromise) => child.on('close', (code) => resolvePromise(code)));
  const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], 'the server to listen', () => output);
  return { child, url, output: () => output, exited };
}

async function waitFor<T>(probe: () => T | undefined, what: string, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${detail()}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 25));
  }
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: 'password', device_name: 'shutdown test' }),
  });
  const body = (await res.json()) as { data: { token: string } };
  return body.data.token;
}

/** A pusher-js client that records the close codes the server's errors carry. */
async function connectPusher(url: string): Promise<{ pusher: Pusher; codes: number[] }> {
  const port = Number(new URL(url).port);
  const pusher = new Pusher(DEMO_REALTIME.key, { wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], cluster: '' });
  const codes: number[] = [];
  pusher.connection.bind('error', (error: { data?: { code?: unknown } }) => {
    if (typeof error.data?.code === 'number') codes.push(error.data.code);
  });
  await waitFor(() => (pusher.connection.state === 'connected' ? true : undefined), 'pusher-js to connect');
  return { pusher, codes };
}

const BOUNDARY = 'shutdown-test-boundary';

/**
 * An upload whose body is still to be sent: resolves once the server has taken the request
 * (its `100 Continue`), so the request is under way before the signal.
 */
function startUpload(url: string, token: string): Promise<{ request: ClientRequest; response: Promise<{ status: number; body: string }> }> {
  return new Promise((resolveStarted, reject) => {
    const request = httpRequest(`${url}/api/v1/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, Expect: '100-continue' },
    });
    const response = new Promise<{ status: number; body: string }>((resolveResponse, rejectResponse) => {
      request.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, body }));
        res.on('error', rejectResponse);
      });
      request.on('error', rejectResponse);
    });
    response.catch(() => undefined);
    request.on('continue', () => resolveStarted({ request, response }));
    request.on('error', reject);
    request.flushHeaders();
  });
}

function finishUpload(request: ClientRequest): void {
  request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n`);
  request.write('sent while the server was stopping\r\n');
  request.end(`--${BOUNDARY}--\r\n`);
}

describe('server CLI: graceful shutdown', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('on SIGTERM finishes the request under way, then closes realtime sockets with 4200, and exits 0', async () => {
    const cli = await startCli(tempDir());
    const token = await login(cli.url);
    const { pusher, codes } = await connectPusher(cli.url);
    let closedAt = 0;
    pusher.connection.bind('error', () => (closedAt ||= Date.now()));
    try {
      const upload = await startUpload(cli.url, token);
      cli.child.kill('SIGTERM');
      await waitFor(() => (/SIGTERM: shutting down/.test(cli.output()) ? true : undefined), 'the shutdown to begin', cli.output);

      // The listener is gone at once: a new connection is refused while the upload is still under way.
      await assert.rejects(fetch(`${cli.url}/up`), 'no new connections');
      assert.deepEqual(codes, [], 'realtime clients keep their socket while requests finish');

      finishUpload(upload.request);
      const answered = await upload.response;
      const answeredAt = Date.now();
      assert.equal(answered.status, 201, answered.body);
      assert.match(answered.body, /"original_name":"notes\.txt"/);

      await waitFor(() => (codes.length > 0 ? true : undefined), 'the realtime close', cli.output);
      assert.equal(codes[0], 4200, 'told to reconnect elsewhere');
      assert.ok(closedAt >= answeredAt, 'sockets are closed after the request under way has its answer');
      assert.equal(await cli.exited, 0, cli.output());
    } finally {
      pusher.disconnect();
      cli.child.kill('SIGKILL');
    }
  });

  it('cuts a request that outlasts the grace period and still exits 0', async () => {
    const cli = await startCli(tempDir(), { SWITCHBOARD_SHUTDOWN_GRACE_SECONDS: '1' });
    const token = await login(cli.url);
    const { pusher, codes } = await connectPusher(cli.url);
    try {
      const upload = await startUpload(cli.url, token);
      const started = Date.now();
      cli.child.kill('SIGTERM');
      // The body never comes: after the grace period the server gives up on it.
      await assert.rejects(upload.response);
      assert.ok(Date.now() - started >= 900, 'the request had its grace period');
      assert.equal(await cli.exited, 0, cli.output());
      assert.equal(codes[0], 4200);
    } finally {
      pusher.disconnect();
      cli.child.kill('SIGKILL');
    }
  });
});
