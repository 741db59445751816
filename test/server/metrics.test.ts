import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { RawPusherClient } from '../realtime/raw-client';
import { publishSigned } from '../realtime/support';
import { assertError, send } from '../server/support';

// `GET /metrics` as Prometheus scrapes it: the names a dashboard is built on, values that move with
// the traffic, and refused to whoever is neither on this machine nor holding the metrics token.

const TOKEN = 'metrics-token-for-the-test';

/** The value of one sample (`name{labels} value`), 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

async function scrape(s: TestServer, headers: Record<string, string> = {}): Promise<string> {
  const res = await s.request<string>('GET', '/metrics', { headers: { Accept: 'text/plain', ...headers } });
  assert.equal(res.status, 200, String(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.body;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('metrics: GET /metrics', () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    s = await startServer({ sendPerMinute: 2 });
    admin = await s.login('admin@example.com');
  });
  after(() => s.close());

  it('lists every metric by name, and a request counts under its route template, method and status', async () => {
    const before = await scrape(s);
    for (const name of [
      'switchboard_http_requests_total',
      'switchboard_http_request_duration_seconds',
      'switchboard_realtime_sockets',
      'switchboard_realtime_channels',
      'switchboard_realtime_events_delivered_total',
      'switchboard_rate_limited_total',
      'switchboard_db_query_duration_seconds',
      'switchboard_http_requests_in_flight',
      'switchboard_password_hash_queue',
      'switchboard_process_resident_memory_bytes',
    ]) {
      assert.match(before, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    const labels = { route: '/api/v1/chats/:id', method: 'GET', status: '200' };
    const counted = sample(before, 'switchboard_http_requests_total', labels);
    const timed = sample(before, 'switchboard_http_request_duration_seconds_count', labels);
    const selects = sample(before, 'switchboard_db_query_duration_seconds_count', { operation: 'select' });

    const chat = await s.request('GET', '/api/v1/chats/1', { token: admin });
    assert.equal(chat.status, 200);
    const missing = await s.request('GET', '/no/such/path/4711', { token: admin });
    assert.equal(missing.status, 404);

    // The log line and the count are written once the answer is out, a moment after the client has it.
    await until(async () => sample(await scrape(s), 'switchboard_http_requests_total', labels) === counted + 1, 'the request to be counted');
    const after = await scrape(s);
    assert.equal(sample(after, 'switchboard_http_request_duration_seconds_count', labels), timed + 1);
    assert.ok(sample(after, 'switchboard_db_query_duration_seconds_count', { operation: 'select' }) > selects, 'the queries it ran are timed');
    assert.ok(sample(after, 'switchboard_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }) >= 1);
    assert.doesNotMatch(after, /no\/such\/path/, 'raw paths never become labels');
    assert.ok(sample(after, 'switchboard_http_requests_in_flight') >= 1, 'the scrape itself is under way');
  });

  it('counts open sockets, subscribed channels and the events delivered to them', async () => {
    const client = await RawPusherClient.connect(s);
    const subscribed = await client.subscribe('metrics-watchers');
    assert.equal(subscribed.event, 'pusher_internal:subscription_succeeded');
    const before = await scrape(s);
    assert.equal(sample(before, 'switchboard_realtime_sockets'), 1);
    assert.equal(sample(before, 'switchboard_realtime_channels'), 1);
    const delivered = sample(before, 'switchboard_realtime_events_delivered_total');

    const published = await publishSigned(s, '/events', { name: 'tick', channel: 'metrics-watchers', data: '{}' });
    assert.equal(published.status, 200);
    await client.next((f) => f.event === 'tick', 'the event');
    assert.equal(sample(await scrape(s), 'switchboard_realtime_events_delivered_total'), delivered + 1);

    client.close();
    await until(async () => sample(await scrape(s), 'switchboard_realtime_sockets') === 0, 'the socket to be gone');
    assert.equal(sample(await scrape(s), 'switchboard_realtime_channels'), 0);
  });

  it('counts 429s by the limit that refused them (the send quota the desk’s outbox meets)', async () => {
    const before = sample(await scrape(s), 'switchboard_rate_limited_total', { limiter: 'send' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(s, admin, 1, { text: `quota ${i}`, client_message_id: randomUUID() })).status);
    assert.deepEqual(statuses, [201, 201, 429]);
    await until(async () => sample(await scrape(s), 'switchboard_rate_limited_total', { limiter: 'send' }) === before + 1, 'the 429 to be counted');
  });

  it('is refused to a client that came through a proxy on this machine, in the v1 error format', async () => {
    const res = await s.request('GET', '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assertError(res, 403, 'FORBIDDEN');
  });
});

describe('metrics: the token', () => {
  let s: TestServer;
  before(async () => {
    // Loopback is not enough here: the test's own requests stand for a client elsewhere.
    s = await startServer({ metricsToken: TOKEN, metricsLoopback: false });
  });
  after(() => s.close());

  it('opens the metrics with the token and refuses them without it, or with another', async () => {
    assertError(await s.request('GET', '/metrics'), 403, 'FORBIDDEN');
    assertError(await s.request('GET', '/metrics', { token: `${TOKEN}x` }), 403, 'FORBIDDEN');
    assertError(await s.request('GET', '/metrics', { token: 'short' }), 403, 'FORBIDDEN');
    const text = await scrape(s, { Authorization: `Bearer ${TOKEN}` });
    assert.match(text, /^# TYPE switchboard_http_requests_total counter$/m);
    // The refusals were requests too, counted like any other.
    assert.ok(sample(text, 'switchboard_http_requests_total', { route: '/metrics', method: 'GET', status: '403' }) >= 1);
  });

  it('keeps each server’s counts apart (one registry per instance)', async () => {
    const other = await startServer({ metricsToken: TOKEN, metricsLoopback: false });
    try {
      const fresh = await scrape(other, { Authorization: `Bearer ${TOKEN}` });
      assert.equal(sample(fresh, 'switchboard_http_requests_total', { route: '/metrics', method: 'GET', status: '403' }), 0);
    } finally {
      await other.close();
    }
  });
});

describe('metrics: behind a trusted proxy', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ trustProxy: true });
  });
  after(() => s.close());

  it('goes by the address the proxy saw: this machine may, another may not', async () => {
    await scrape(s, { 'X-Forwarded-For': '127.0.0.1' });
    assertError(await s.request('GET', '/metrics', { headers: { 'X-Forwarded-For': '127.0.0.1, 198.51.100.7' } }), 403, 'FORBIDDEN');
  });
});
