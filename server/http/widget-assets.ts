import type Router from '@koa/router';
import type { Context } from 'koa';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readWidgetManifest, WIDGET_DIST, type WidgetManifest } from '../../widget/build';
import type { AppDeps } from '../deps';
import { readWidgetSettings } from '../domain/widget-settings';
import type { AppState } from './context';
import { HttpError, NotFoundError } from './errors';
import { realtimeEndpoint } from './realtime-endpoint';
import { createRouter } from './router';

// The website widget's files (DESIGN §9): `/widget.js`, the loader every host page embeds (a stable
// URL, so cached briefly); `/widget/frame`, the visitor app's page, with a CSP that allows only this
// server and, as its ancestors, the sites the widget allows; `/widget/assets/*`, the app's hashed
// files, cached for good. What is served comes from widget/dist (built at start when stale).

const LOADER_MAX_AGE_SECONDS = 300;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT = 'The website widget is not built.';
const NO_SUCH_WIDGET = 'This chat widget does not exist.';

interface Built {
  manifest: WidgetManifest;
  files: Map<string, Buffer>;
  mtimeMs: number;
}

/** The current build, read again when a new manifest replaces it. */
function builds(dist: string): () => Built {
  let current: Built | undefined;
  return () => {
    const mtimeMs = statSync(join(dist, 'manifest.json'), { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) throw new HttpError(404, 'NOT_FOUND', NOT_BUILT);
    if (current?.mtimeMs === mtimeMs) return current;
    const manifest = readWidgetManifest(dist);
    if (!manifest) throw new HttpError(404, 'NOT_FOUND', NOT_BUILT);
    const files = new Map<string, Buffer>();
    for (const name of [manifest.loader, manifest.app, manifest.style]) files.set(name, readFileSync(join(dist, name)));
    current = { manifest, files, mtimeMs };
    return current;
  };
}

function common(ctx: Context, type: string, cache: string): void {
  ctx.type = type;
  ctx.set('Cache-Control', cache);
  ctx.set('X-Content-Type-Options', 'nosniff');
}

/** The frame's policy: this server's scripts, styles, API and WebSocket only; embeddable by the widget's sites. */
export function frameCsp(ancestors: readonly string[], websocket: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    `connect-src 'self' ${websocket}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length === 0 ? '*' : ["'self'", ...ancestors].join(' ')}`,
  ].join('; ');
}

function framePage(manifest: WidgetManifest): string {
  // Relative URLs: the server may sit under a path prefix behind a proxy.
  return `<!doctype html>
<html lang="en" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">
<meta name="referrer" content="no-referrer">
<title>Chat</title>
<link rel="stylesheet" href="assets/${manifest.style}">
<script type="module" src="assets/${manifest.app}"></script>
</head>
<body><main id="app"></main></body>
</html>
`;
}

export function widgetAssetRoutes(deps: AppDeps, dist = WIDGET_DIST): Router<AppState> {
  const router = createRouter();
  const built = builds(dist);

  router.get('/widget.js', (ctx) => {
    const { manifest, files } = built();
    common(ctx, 'text/javascript; charset=utf-8', `public, max-age=${LOADER_MAX_AGE_SECONDS}`);
    // Any site may load it (a page with COEP, or one that adds `crossorigin` for SRI).
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = files.get(manifest.loader);
  });

  router.get('/widget/frame', async (ctx) => {
    const { manifest } = built();
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const source = token === '' ? undefined : await deps.store.widgets.byToken(token);
    if (!source?.public_token) throw new HttpError(404, 'NOT_FOUND', NO_SUCH_WIDGET);
    const settings = readWidgetSettings(source.settings);
    const endpoint = realtimeEndpoint(ctx, deps.config);
    const websocket = `${endpoint.scheme === 'https' ? 'wss' : 'ws'}://${endpoint.host}:${endpoint.port}`;
    common(ctx, 'text/html; charset=utf-8', 'no-cache');
    ctx.set('Content-Security-Policy', frameCsp(settings.allowed_domains, websocket));
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.body = framePage(manifest);
  });

  router.get('/widget/assets/:file', (ctx) => {
    const { manifest, files } = built();
    const name = ctx.params.file;
    const body = name === undefined ? undefined : files.get(name);
    if (name === undefined || body === undefined || name === manifest.loader) throw new NotFoundError();
    common(ctx, name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8', IMMUTABLE);
    ctx.body = body;
  });

  return router;
}
