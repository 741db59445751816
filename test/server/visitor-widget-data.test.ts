import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CrmErrorBody, WidgetDataResponse } from '../../common/widget-api';
import { DEMO_REALTIME } from '../../server/config';
import { startServer, type TestServer } from '../helpers/server';
import { createWidget, DEMO_WIDGET_TOKEN, setWidget, startSpace, visitorWrites } from './visitor-support';

// GET /chat/widget_data.json (public) and the CORS rules of every widget path.

const SPEC_KEYS = ['messages', 'title', 'description', 'active', 'open', 'messages_after_hours', 'require_client_data', 'allow_client_attachments'];
const ADDITIVE_KEYS = ['theme', 'color', 'locale', 'welcome_message', 'offline_message', 'client_data_fields', 'next_open_at', 'time_zone', 'upload', 'realtime'];

describe('visitor API: widget data and CORS', () => {
  let s: TestServer;

  before(async () => {
    s = await startServer({ visitorLimits: { spacesPerIp: 1000 } });
  });
  after(() => s.close());

  it('answers the seed’s keys and the additive ones, with the realtime settings pusher-js needs', async () => {
    const res = await s.request<WidgetDataResponse>('GET', `/chat/widget_data.json?token=${DEMO_WIDGET_TOKEN}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), [...SPEC_KEYS, ...ADDITIVE_KEYS]);
    assert.deepEqual(res.body.messages, []);
    assert.equal(res.body.title, 'Pomoc');
    assert.equal(res.body.active, true);
    assert.equal(res.body.open, true);
    assert.equal(res.body.next_open_at, null);
    assert.equal(res.body.allow_client_attachments, true);
    assert.equal(res.body.require_client_data, false);
    const port = Number(new URL(s.url).port);
    assert.deepEqual(res.body.realtime, {
      key: DEMO_REALTIME.key,
      host: '127.0.0.1',
      port,
      scheme: 'http',
      path: `/app/${DEMO_REALTIME.key}`,
      auth_endpoint: `${s.url}/chat/widget/broadcasting/auth`,
    });
    assert.equal(res.body.upload.max_bytes, 20 * 1024 * 1024);
    assert.ok(res.body.upload.mime_types.includes('image/png'));
    assert.ok(!res.body.upload.mime_types.some((type) => /html|svg/.test(type)));
  });

  it('unknown token → 404; no token → 404', async () => {
    for (const path of ['/chat/widget_data.json?token=nope', '/chat/widget_data.json']) {
      const res = await s.request<CrmErrorBody>('GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(typeof res.body.error, 'string');
    }
  });

  it('carries the visitor’s own messages only with its space token of this widget', async () => {
    const visitor = await startSpace(s);
    await visitorWrites(s, visitor, 'remember me');
    const own = await s.request<WidgetDataResponse>('GET', `/chat/widget_data.json?token=${DEMO_WIDGET_TOKEN}`, { headers: { 'X-Space-Token': visitor.spaceToken } });
    assert.deepEqual(own.body.messages.map((m) => m.message), ['remember me']);
    const other = await createWidget(s, { title: 'Other shop' });
    const crossed = await s.request<WidgetDataResponse>('GET', `/chat/widget_data.json?token=${other.token}`, { headers: { 'X-Space-Token': visitor.spaceToken } });
    assert.equal(crossed.status, 200);
    assert.deepEqual(crossed.body.messages, []);
    assert.equal(crossed.body.title, 'Other shop');
    const bogus = await s.request<WidgetDataResponse>('GET', `/chat/widget_data.json?token=${DEMO_WIDGET_TOKEN}`, { headers: { 'X-Space-Token': 'bogus' } });
    assert.deepEqual(bogus.body.messages, []);
  });

  it('CORS: any site while allowed_domains is empty; preflights answered with X-Space-Token allowed', async () => {
    const preflight = await s.request('OPTIONS', `/chat/widget/messages.json?token=${DEMO_WIDGET_TOKEN}`, {
      headers: { Origin: 'https://anywhere.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-space-token' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://anywhere.example');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Space-Token/);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    const data = await s.request('GET', `/chat/widget_data.json?token=${DEMO_WIDGET_TOKEN}`, { headers: { Origin: 'https://anywhere.example' } });
    assert.equal(data.headers.get('access-control-allow-origin'), 'https://anywhere.example');
    assert.match(data.headers.get('vary') ?? '', /Origin/);
    // The operators' API grants no CORS at all.
    const v1 = await s.request('GET', '/api/v1/config', { headers: { Origin: 'https://anywhere.example' } });
    assert.equal(v1.headers.get('access-control-allow-origin'), null);
  });

  it('CORS: only the widget’s allowed domains (and subdomains for *.); another site is refused and changes nothing', async () => {
    const widget = await createWidget(s, { allowed_domains: ['shop.example.com', '*.brand.example'] });
    for (const origin of ['https://shop.example.com', 'https://eu.brand.example']) {
      const preflight = await s.request('OPTIONS', `/chat/widget/spaces.json?token=${widget.token}`, { headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), origin, origin);
      const created = await s.request('POST', '/chat/widget/spaces.json', { body: { token: widget.token }, headers: { Origin: origin } });
      assert.equal(created.status, 201, origin);
      assert.equal(created.headers.get('access-control-allow-origin'), origin);
    }
    const before = await s.server.store.testing.count('chats');
    for (const origin of ['https://evil.example', 'https://shop.example.com.evil.example', 'https://brand.example', 'null']) {
      const preflight = await s.request('OPTIONS', `/chat/widget/spaces.json?token=${widget.token}`, { headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null, origin);
      const refused = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: widget.token }, headers: { Origin: origin } });
      assert.equal(refused.status, 403, origin);
      assert.equal(refused.body.error, 'This website may not use this chat widget.');
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
    }
    assert.equal(await s.server.store.testing.count('chats'), before);
    // The widget's own frame (served by this server) is always welcome.
    const own = await s.request('POST', '/chat/widget/spaces.json', { body: { token: widget.token }, headers: { Origin: s.url } });
    assert.equal(own.status, 201);
    await setWidget(s, widget.id, { allowed_domains: [] });
    assert.equal((await s.request('POST', '/chat/widget/spaces.json', { body: { token: widget.token }, headers: { Origin: 'https://evil.example' } })).status, 201);
  });

  it('a 429 is readable by the page: CORS and Retry-After exposed', async () => {
    const limited = await startServer({ visitorLimits: { spacesPerIp: 1 } });
    try {
      const headers = { Origin: 'https://shop.example.com' };
      assert.equal((await limited.request('POST', '/chat/widget/spaces.json', { body: { token: DEMO_WIDGET_TOKEN }, headers })).status, 201);
      const refused = await limited.request('POST', '/chat/widget/spaces.json', { body: { token: DEMO_WIDGET_TOKEN }, headers });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('access-control-allow-origin'), 'https://shop.example.com');
      assert.match(refused.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    } finally {
      await limited.close();
    }
  });
});
