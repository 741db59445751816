import Router from '@koa/router';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import { createServer as createHttpServer, type Server } from 'node:http';
import { Authenticator } from './auth/authenticator';
import { resolveConfig, type ServerConfig, type ServerConfigInput } from './config';
import { ChatEvents } from './domain/chat-events';
import { ChatService } from './domain/chat-service';
import { seedDemo } from './demo/seed';
import { FileStore } from './files/file-store';
import { authenticate } from './http/authenticate';
import type { AppState } from './http/context';
import type { AppDeps } from './http/deps';
import { errorMiddleware } from './http/error-middleware';
import { recordMalformedBody } from './http/malformed-body';
import { MethodNotAllowedError } from './http/errors';
import { broadcastingAuthRoutes } from './realtime/auth-routes';
import { BroadcastHub } from './realtime/broadcaster';
import { pusherHttpApiRoutes } from './realtime/http-api-routes';
import { PusherServer } from './realtime/pusher-server';
import { authRoutes } from './routes/auth';
import { cannedResponseRoutes } from './routes/canned-responses';
import { chatRoutes } from './routes/chats';
import { configRoutes } from './routes/config';
import { deviceRoutes } from './routes/devices';
import { messageRoutes } from './routes/messages';
import { operatorRoutes } from './routes/operators';
import { uploadRoutes } from './routes/uploads';
import { updateFeed } from './routes/updates';
import { webhookRoutes } from './routes/webhooks';
import { openStore, type Store } from './store';

export interface SwitchboardServer {
  /** The Koa application; not listening until `listen` is called. */
  app: Koa<AppState>;
  config: ServerConfig;
  store: Store;
  /** Every domain event goes through here; the realtime transport is one of its targets. */
  broadcasts: BroadcastHub;
  /** The Pusher-protocol (Reverb-compatible) WebSocket server on the same port; it is one of `broadcasts`' targets. */
  realtime: PusherServer;
  deps: AppDeps;
  listen(port?: number, host?: string): Promise<{ server: Server; url: string }>;
  close(): Promise<void>;
}

/** Builds the whole server (all dialects, realtime, storage) without listening. */
export function createServer(input: ServerConfigInput = {}): SwitchboardServer {
  const config = resolveConfig(input);
  const store = openStore(config.databaseFile);
  const now = () => Date.now();
  if (config.demo) seedDemo(store, now());

  let listeningUrl: string | undefined;
  const baseUrl = () => config.publicUrl ?? listeningUrl ?? 'http://127.0.0.1';
  const files = new FileStore(config.uploadsDir);
  const broadcasts = new BroadcastHub();
  const realtime = new PusherServer(config.realtime, config.logger, now);
  broadcasts.add(realtime);
  const events = new ChatEvents(store, broadcasts);
  const authenticator = new Authenticator(store, config.tokenTtlMinutes, now);
  const deps: AppDeps = {
    config,
    store,
    authenticator,
    chats: new ChatService(store, files, events, baseUrl, now),
    files,
    baseUrl,
    now,
  };

  const app = new Koa<AppState>({ proxy: config.trustProxy });
  app.silent = true;
  app.use(errorMiddleware(config.logger));
  if (config.updatesDir) app.use(updateFeed(config.updatesDir));
  app.use(
    koaBody({
      json: true,
      urlencoded: true,
      text: false,
      multipart: false,
      jsonLimit: config.jsonBodyMaxBytes,
      formLimit: config.jsonBodyMaxBytes,
      includeUnparsed: true,
      onError: (error, ctx) => recordMalformedBody(ctx.request, error),
    }),
  );

  const open = new Router<AppState>({ prefix: '/api/v1' });
  for (const router of [authRoutes(deps), configRoutes(deps), webhookRoutes(deps)]) open.use(router.routes(), router.allowedMethods());

  const guarded = new Router<AppState>({ prefix: '/api/v1' });
  guarded.use(authenticate(authenticator));
  for (const router of [chatRoutes(deps), messageRoutes(deps), uploadRoutes(deps), deviceRoutes(deps), cannedResponseRoutes(deps), operatorRoutes(deps)]) {
    guarded.use(router.routes());
  }
  const methodNotAllowed = { throw: true, methodNotAllowed: () => new MethodNotAllowedError() };
  app.use(open.routes()).use(open.allowedMethods(methodNotAllowed));
  app.use(guarded.routes()).use(guarded.allowedMethods(methodNotAllowed));
  for (const router of [broadcastingAuthRoutes(deps), pusherHttpApiRoutes(config.realtime, realtime, now)]) {
    app.use(router.routes()).use(router.allowedMethods(methodNotAllowed));
  }

  const sweeper = setInterval(() => {
    for (const upload of store.uploads.takeExpired(now())) files.remove(upload.path);
  }, 60 * 60 * 1000);
  sweeper.unref();

  let httpServer: Server | undefined;
  return {
    app,
    config,
    store,
    broadcasts,
    realtime,
    deps,
    async listen(port = 8080, host = '127.0.0.1') {
      const server = createHttpServer(app.callback());
      httpServer = server;
      realtime.attach(server);
      await new Promise<void>((resolvePromise, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolvePromise());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('the HTTP server has no TCP address');
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      listeningUrl = `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${address.port}`;
      return { server, url: listeningUrl };
    },
    async close() {
      clearInterval(sweeper);
      // WebSockets first: they are told to reconnect (4200) before the listener goes away.
      await realtime.close();
      if (httpServer) {
        const server = httpServer;
        server.closeAllConnections();
        await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      }
      store.close();
    },
  };
}
