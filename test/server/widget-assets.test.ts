import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_WIDGET_TOKEN } from '../../server/demo/seed';
import { startServer, type TestServer } from '../helpers/server';
import { crm } from './crm-support';

// The widget's files as a browser fetches them: the loader for any site, the frame page with its
// policy, the app's hashed assets.

describe('the website widget’s files', () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    s = await startServer();
    admin = await s.login('admin@example.com');
  });
  after(() => s.close());

  it('serves /widget.js as a script any site may load, cached briefly, never sniffed', async () => {
    const response = await fetch(`${s.url}/widget.js`, { headers: { Origin: 'https://shop.example.com' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(await response.text(), /data-token|dataset/);
  });

  it('serves the frame page with a CSP of this server alone, and its assets for good', async () => {
    const response = await fetch(`${s.url}/widget/frame?token=${DEMO_WIDGET_TOKEN}&host=https%3A%2F%2Fshop.example.com`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${new URL(s.url).port}`));
    // The demo widget allows every site.
    assert.match(csp, /frame-ancestors \*/);
    const html = await response.text();
    const assets = [...html.matchAll(/(?:href|src)="assets\/([^"]+)"/g)].map((match) => match[1]);
    assert.equal(assets.length, 2, html);
    for (const asset of assets) {
      const file = await fetch(`${s.url}/widget/assets/${asset}`);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(file.headers.get('content-type'), asset?.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    }
    assert.equal((await fetch(`${s.url}/widget/assets/nothing-here.js`)).status, 404);
  });

  it('lets only the widget’s allowed sites frame it, and knows no frame of an unknown widget', async () => {
    const widgets = await crm<{ id: number; token: string }[]>(s, 'GET', '/chat/widgets.json', { token: admin });
    const demo = widgets.body.find((widget) => widget.token === DEMO_WIDGET_TOKEN);
    assert.ok(demo, JSON.stringify(widgets.body));
    const patched = await crm(s, 'PATCH', `/chat/widgets/${demo.id}.json`, { token: admin, body: { widget: { allowed_domains: ['shop.example.com', '*.example.org'] } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const csp = (await fetch(`${s.url}/widget/frame?token=${DEMO_WIDGET_TOKEN}`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'self' shop\.example\.com \*\.example\.org/);
    assert.equal((await fetch(`${s.url}/widget/frame?token=not-a-widget`)).status, 404);
    assert.equal((await fetch(`${s.url}/widget/frame`)).status, 404);
  });
});
