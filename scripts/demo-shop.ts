// The demo shop: a static page of another origin that embeds the demo widget the way a customer's
// site would, under a strict CSP (a nonce for scripts, no inline styles), so a newcomer can be the
// shop's visitor in one window and the operator in another. `npm start` serves it; the widget's
// browser tests use it as their host page.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface DemoShop {
  url: string;
  close(): Promise<void>;
}

export interface DemoShopOptions {
  serverUrl: string;
  widgetToken: string;
  port?: number;
  /** The name the page is reached at; `localhost` makes it another site than a server on 127.0.0.1. */
  hostname?: string;
}

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{background:#14532d;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}
main{max-width:880px;margin:24px auto;padding:0 24px}.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px}
.product{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px}.product h2{font-size:18px;margin:0 0 8px}
.product button{background:#14532d;color:#fff;border:0;border-radius:6px;padding:8px 14px;font:inherit;cursor:pointer}
.cart{font-weight:600}`;

const PRODUCTS = [
  ['Herbata Earl Grey', '24,00 zł'],
  ['Kawa ziarnista', '49,00 zł'],
  ['Czekolada gorzka', '12,50 zł'],
];

/** The CSP a strict shop sends: the README's lines for the widget, and nothing more. */
export function shopCsp(nonce: string, serverOrigin: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' ${serverOrigin}`,
    "style-src 'self'",
    `connect-src 'self' ${serverOrigin}`,
    `frame-src ${serverOrigin}`,
    "img-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

function page(nonce: string, options: DemoShopOptions): string {
  const server = new URL(options.serverUrl).origin;
  const items = PRODUCTS.map(([name, price]) => `<article class="product"><h2>${name}</h2><p>${price}</p><button type="button" class="add">Add to cart</button></article>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo shop</title><link rel="stylesheet" href="/shop.css"></head>
<body>
<header><h1>Demo shop</h1></header>
<main>
<p class="cart" id="cart" aria-live="polite">Cart: 0 items</p>
<div class="products">${items}</div>
</main>
<script nonce="${nonce}">
let count = 0;
for (const button of document.querySelectorAll('.add')) button.addEventListener('click', () => {
  count += 1;
  document.getElementById('cart').textContent = 'Cart: ' + count + (count === 1 ? ' item' : ' items');
});
</script>
<script src="${server}/widget.js" data-token="${options.widgetToken}" nonce="${nonce}" async></script>
</body>
</html>
`;
}

export async function startDemoShop(options: DemoShopOptions): Promise<DemoShop> {
  const serverOrigin = new URL(options.serverUrl).origin;
  const http: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://shop').pathname;
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if ((request.method === 'GET' || request.method === 'HEAD') && path === '/shop.css') {
      response.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
      response.end(CSS);
      return;
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && (path === '/' || path === '/index.html')) {
      const nonce = randomBytes(16).toString('base64');
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': shopCsp(nonce, serverOrigin), 'Cache-Control': 'no-store' });
      response.end(page(nonce, options));
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Not found');
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('the demo shop has no TCP address');
  return {
    url: `http://${options.hostname ?? 'localhost'}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
