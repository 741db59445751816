// The website widget as a visitor meets it: a real server (demo data, temp SQLite, 127.0.0.1) and the
// demo shop (scripts/demo-shop.ts) as the host page, reached as `localhost`: another site, with a
// strict CSP (a script nonce, `style-src 'self'`, the server as the only frame source).
import { test as base, expect, type Frame, type FrameLocator, type Page } from '@playwright/test';
import { DEMO_WIDGET_TOKEN } from '../../server/demo/seed';
import { startDemoShop, type DemoShop } from '../../scripts/demo-shop';
import { startServer, type TestServer } from '../helpers/server';

export interface WidgetStack {
  server: TestServer;
  shop: DemoShop;
  /** Every request the page made (frames included), by URL. */
  requests: string[];
  /** `securitypolicyviolation` events the host page saw. */
  violations(page: Page): Promise<string[]>;
  /** An operator's v1 call, as the desk makes it. */
  operator<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Changes the demo widget's settings through the CRM's admin API. */
  configure(settings: Record<string, unknown>): Promise<void>;
}

export const test = base.extend<{ widget: WidgetStack; shopHost: string }>({
  // `localhost`: another site than the server (127.0.0.1), where a browser blocking third-party
  // storage refuses the frame its localStorage; `127.0.0.1` (another port): another origin of the same site.
  shopHost: ['localhost', { option: true }],
  widget: async ({ page, shopHost }, use) => {
    const server = await startServer();
    const shop = await startDemoShop({ serverUrl: server.url, widgetToken: DEMO_WIDGET_TOKEN, hostname: shopHost });
    const mod = await server.login('mod@example.com');
    const admin = await server.login('admin@example.com');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    // Before any of the page's scripts: the host page's CSP reports land here.
    await page.addInitScript(`(() => {
      const seen = [];
      window.__violations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective + ' ' + event.blockedURI));
    })()`);
    const stack: WidgetStack = {
      server,
      shop,
      requests,
      violations: (p) => p.evaluate<string[]>('[...window.__violations]'),
      async operator(method, path, body) {
        const response = await server.request(method, path, { token: mod, ...(body === undefined ? {} : { body }) });
        return { status: response.status, body: response.body as never };
      },
      async configure(settings) {
        const list = await server.request<{ id: number; token: string }[]>('GET', `/chat/widgets.json?api_token=${admin}`);
        const demo = list.body.find((widget) => widget.token === DEMO_WIDGET_TOKEN);
        if (!demo) throw new Error('no demo widget');
        const patched = await server.request('PATCH', `/chat/widgets/${demo.id}.json?api_token=${admin}`, { body: { widget: settings } });
        expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      },
    };
    await use(stack);
    await shop.close();
    await server.close();
  },
});

export { expect };

export function launcher(page: Page) {
  // The one button of the widget's shadow root, whatever its language.
  return page.locator('[data-switchboard-widget]').getByRole('button');
}

export function widgetFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Chat"]');
}

/** The frame itself, for evaluating inside it. */
export async function frameOf(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((frame) => frame.url().includes('/widget/frame'))).toBe(true);
  const frame = page.frames().find((candidate) => candidate.url().includes('/widget/frame'));
  if (!frame) throw new Error('no widget frame');
  return frame;
}

/** Opens the shop and the widget on it; resolves once the conversation is on screen. */
export async function openWidget(page: Page, widget: WidgetStack): Promise<FrameLocator> {
  await page.goto(widget.shop.url);
  await launcher(page).click();
  const frame = widgetFrame(page);
  await expect(frame.getByRole('log', { name: 'Messages' })).toBeVisible();
  return frame;
}

/** The visitor writes and sends; resolves with the space the first message started (if it did). */
export async function visitorSends(page: Page, frame: FrameLocator, text: string): Promise<void> {
  await frame.getByLabel('Your message').fill(text);
  await frame.getByLabel('Your message').press('Enter');
  await expect(frame.getByRole('log').getByText(text)).toBeVisible();
}
