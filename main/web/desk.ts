// The headless desk (DESIGN §7): the sync engine in this Node process, the built renderer over
// HTTP, and the bridge contract over a WebSocket at /bridge, framed as common/bridge-port.ts.
// The page cannot tell it from the Electron preload: both are a `BridgeClient`.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBridgeHost } from '../engine/bridge-host';
import { createEngine, type Engine, type EngineOptions } from '../engine';
import { attachmentIdOf, sendAttachment } from './attachments-route';
import { RENDERER_DIST } from './build-renderer';
import { hostAllowed, originAllowed, type OriginPolicy } from './origin-guard';
import { COMMON_HEADERS, pageContentSecurityPolicy } from './page-security';
import { renderIndex, sendStatic } from './static-files';
import { websocketPort } from './ws-port';

export const BRIDGE_PATH = '/bridge';

export interface WebDeskOptions {
  /** Where the engine keeps its caches, preferences and token. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the desk acts as the signed-in operator, so it is not for the network. */
  host?: string;
  /** Pre-filled on the login screen. */
  defaultServerUrl?: string | null;
  /** The default server is a local demo server: the login screen says which accounts it has. */
  demo?: boolean;
  /** The built renderer; default renderer/dist. */
  rendererDir?: string;
  /** Passed to the engine (tests shorten its timing). */
  engine?: Omit<EngineOptions, 'dataDir'>;
  /** Largest bridge frame (a file sent with `uploads.add` travels as base64 in one frame). */
  maxFrameBytes?: number;
}

export interface WebDesk {
  url: string;
  port: number;
  engine: Engine;
  /** Pages connected over the bridge. */
  connections(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startWebDesk(options: WebDeskOptions): Promise<WebDesk> {
  const host = options.host ?? '127.0.0.1';
  const rendererDir = options.rendererDir ?? RENDERER_DIST;
  const engine = createEngine({ ...options.engine, dataDir: options.dataDir });
  const bridge = createBridgeHost({ openWindow: () => engine.openWindow(), subscribe: (listener) => engine.onAny(listener) });
  const policy: OriginPolicy = { port: 0, exposed: !LOOPBACK.has(host) };
  const meta: Record<string, string> = {};
  if (options.defaultServerUrl) meta['switchboard-server'] = options.defaultServerUrl;
  if (options.demo) meta['switchboard-demo'] = '1';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) response.setHeader(name, value);
    if (!hostAllowed(request.headers.host, policy)) {
      response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('This desk answers only to its own address.');
      return;
    }
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Method not allowed.');
      return;
    }
    const headOnly = method === 'HEAD';
    const path = new URL(request.url ?? '/', 'http://desk').pathname;
    const attachmentId = attachmentIdOf(path);
    if (attachmentId !== null) {
      await sendAttachment(engine.handlers, attachmentId, response, headOnly);
      return;
    }
    if (path !== '/' && path !== '/index.html' && (await sendStatic(rendererDir, path, response, headOnly))) return;
    if (path !== '/' && path !== '/index.html' && /\.[a-z0-9]+$/i.test(path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found.');
      return;
    }
    // The page itself (and any app path, so a reload keeps working).
    const html = await renderIndex(rendererDir, meta);
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': pageContentSecurityPolicy(request.headers.host ?? `${host}:${policy.port}`, false),
    });
    response.end(headOnly ? undefined : html);
  }

  const server = createHttpServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[web desk] request failed:', error instanceof Error ? error.message : error);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The desk failed to answer.');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 64 * 1024 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://desk').pathname;
    if (path !== BRIDGE_PATH || !originAllowed(request.headers.origin, request.headers.host, policy)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      // The page is the only UI of this desk, so it shows the notifications itself (as web
      // notifications): it connects in the role that receives them. Each page is a window of its
      // own: its open chats and focus are its own, and are given up when its socket closes.
      bridge.connect(websocketPort(ws), 'shell');
    });
  });
  // A page that vanished without closing (a laptop lid) is dropped, so events stop going to it.
  const heartbeat = setInterval(() => {
    for (const ws of sockets.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, 30_000);
  heartbeat.unref();

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the desk is not listening on a TCP port');
  const { port } = address;
  policy.port = port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    engine,
    connections: () => bridge.connections(),
    async close() {
      clearInterval(heartbeat);
      bridge.close();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
      await engine.close();
    },
  };
}
