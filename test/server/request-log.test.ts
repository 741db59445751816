import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jsonLogger } from '../../server/logger';
import { startServer, type TestServer } from '../helpers/server';
import { webhook } from './support';

// The JSON log as an operator reads it: one line per request with its id (echoed to the client),
// and no credential in any line, whichever way the request carried it.

interface Line {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** pino's destination: every line written, parsed. */
function capture(): { lines: Line[]; text: () => string; write(chunk: string): void } {
  const raw: string[] = [];
  return {
    lines: [],
    write(chunk) {
      raw.push(chunk);
      this.lines.push(...chunk.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line));
    },
    text: () => raw.join(''),
  };
}

async function lineFor(log: ReturnType<typeof capture>, requestId: string): Promise<Line> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const line = log.lines.find((l) => l.msg === 'request' && l.request_id === requestId);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line for ${requestId}: ${log.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('request log', () => {
  let s: TestServer;
  let admin: string;
  const log = capture();
  before(async () => {
    s = await startServer({ logger: jsonLogger({ destination: log }) });
    admin = await s.login('admin@example.com');
  });
  after(() => s.close());

  it('writes one line per request with the caller’s request id, method, route, status and duration', async () => {
    const res = await s.request('GET', '/api/v1/chats/1?per_page=5', { token: admin, headers: { 'X-Request-ID': 'lb-7f3a.42' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), 'lb-7f3a.42', 'echoed to the client');
    const line = await lineFor(log, 'lb-7f3a.42');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/api/v1/chats/:id');
    assert.equal(line.url, '/api/v1/chats/1?per_page=5');
    assert.equal(line.status, 200);
    assert.equal(typeof line.duration_ms, 'number');
    assert.equal(line.level, 30, 'info');
    assert.equal(log.lines.filter((l) => l.request_id === 'lb-7f3a.42').length, 1, 'exactly one line');
  });

  it('makes up an id when the caller sends none, or one unfit for a header and a log line', async () => {
    for (const incoming of [undefined, 'x'.repeat(129), 'two words', 'a"b']) {
      const res = await s.request('GET', '/up', incoming === undefined ? {} : { headers: { 'X-Request-ID': incoming } });
      const id = res.headers.get('x-request-id') ?? '';
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, `for ${String(incoming)}`);
      const line = await lineFor(log, id);
      assert.equal(line.route, '/up');
    }
  });

  it('keeps tokens, cookies, query tokens and webhook signatures out of every line', async () => {
    await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(admin)}&page=1`, { headers: { 'X-Request-ID': 'crm-query-token', Cookie: 'session=cookie-secret-value' } });
    const crmLine = await lineFor(log, 'crm-query-token');
    assert.equal(crmLine.url, '/chat/spaces.json?api_token=%5BRedacted%5D&page=1');
    assert.equal(crmLine.route, '/chat/spaces.json');
    assert.deepEqual((crmLine.headers as Record<string, unknown>).cookie, '[Redacted]');

    await s.request('GET', '/api/v1/chats', { token: admin, headers: { 'X-Request-ID': 'bearer-token', 'X-Space-Token': 'space-token-value' } });
    assert.equal(((await lineFor(log, 'bearer-token')).headers as Record<string, unknown>)['x-space-token'], '[Redacted]');
    assert.equal(((await lineFor(log, 'bearer-token')).headers as Record<string, unknown>).authorization, '[Redacted]');

    const hook = await webhook(s, 1, { external_user_id: 'log-7', text: 'hello' });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));

    const login = await s.request('POST', '/api/v1/auth/login', { body: { email: 'admin@example.com', password: 'password', device_name: 'log test' }, headers: { 'X-Request-ID': 'login' } });
    assert.equal(login.status, 200);
    await lineFor(log, 'login');

    const all = log.text();
    assert.ok(!all.includes(admin), 'no bearer or query token');
    assert.ok(!all.includes('cookie-secret-value'));
    assert.ok(!all.includes('space-token-value'));
    const issued = (login.body as { data?: { token?: string } }).data?.token;
    assert.ok(issued && !all.includes(issued), 'not the token a login hands out');
    assert.ok(!all.includes('"password"'), 'no password field');
    const webhookLine = log.lines.find((l) => l.msg === 'request' && l.route === '/api/v1/webhooks/sources/:sourceId');
    assert.ok(webhookLine, all);
    for (const [name, value] of Object.entries(webhookLine.headers as Record<string, unknown>)) {
      if (/signature/i.test(name)) assert.equal(value, '[Redacted]', name);
    }
  });

  it('redacts passwords, tokens and secrets in the details an error is logged with', () => {
    const sink = capture();
    const logger = jsonLogger({ destination: sink });
    logger.error('a source failed', { source: 3, webhook_secret: 'whsec-1', account: { password: 'hunter2', token: 'tok-9' } });
    logger.warn('a login failed', { password: 'p4ss' });
    const text = sink.text();
    for (const secret of ['whsec-1', 'hunter2', 'tok-9', 'p4ss']) assert.ok(!text.includes(secret), secret);
    assert.equal((sink.lines[0]?.detail as Record<string, unknown>).source, 3, 'the rest stays');
  });

  it('follows the configured level', () => {
    const sink = capture();
    const logger = jsonLogger({ level: 'warn', destination: sink });
    logger.info('not shown');
    logger.request?.({ requestId: 'r', method: 'GET', route: '/up', url: '/up', status: 200, durationMs: 1, ip: '127.0.0.1', headers: {} });
    logger.warn('shown');
    assert.deepEqual(sink.lines.map((l) => l.msg), ['shown']);
  });
});

describe('request log: a failure', () => {
  it('logs a 500 with the request id of its request line, and answers without internals', async () => {
    const log = capture();
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-log-'));
    // A SQLite file of its own: the test takes the database away under the running server.
    const s = await startServer({ dataDir, databaseFile: join(dataDir, 'gone.sqlite'), logger: jsonLogger({ destination: log }) });
    try {
      const token = await s.login('admin@example.com');
      await s.server.store.close();
      const res = await s.request('GET', '/api/v1/chats', { token, headers: { 'X-Request-ID': 'db-gone' } });
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { message: 'Server Error.', code: 'SERVER_ERROR' });
      const line = await lineFor(log, 'db-gone');
      assert.equal(line.status, 500);
      const failure = log.lines.find((l) => l.level === 50);
      assert.ok(failure, log.text());
      assert.match(failure.msg, /^GET \/api\/v1\/chats failed \(request db-gone\)$/);
      assert.ok(!log.text().includes(token));
    } finally {
      await s.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
