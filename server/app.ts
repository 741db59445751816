import Koa from 'koa';
import { koaBody } from 'koa-body';
import { createServer as createHttpServer, type Server } from 'node:http';
import { ensureFirstAdmin } from './admin/first-admin';
import { Authenticator } from './auth/authenticator';
import { resolveConfig, type ServerConfig, type ServerConfigInput } from './config';
import { seedDemo } from './demo/seed';
import type { AppDeps } from './deps';
import { authenticate } from './dialects/v1/authenticate';
import { errorMiddleware } from './dialects/v1/error-middleware';
import { OperatorChannels } from './dialects/v1/realtime';
import { adminRoutes } from './dialects/v1/routes/admin';
import { authRoutes } from './dialects/v1/routes/auth';
import { cannedResponseRoutes } from './dialects/v1/routes/canned-responses';
import { chatRoutes } from './dialects/v1/routes/chats';
import { configRoutes } from './dialects/v1/routes/config';
import { deviceRoutes } from './dialects/v1/routes/devices';
import { messageRoutes } from './dialects/v1/routes/messages';
import { operatorRoutes } from './dialects/v1/routes/operators';
import { sessionRoutes } from './dialects/v1/routes/sessions';
import { profileRoutes } from './dialects/v1/routes/profile';
import { tokenRoutes } from './dialects/v1/routes/tokens';
import { uploadRoutes } from './dialects/v1/routes/uploads';
import { webhookRoutes } from './dialects/v1/routes/webhooks';
import { crmDialect } from './dialects/crm';
import { legacyDialect } from './dialects/legacy';
import { visitorDialect } from './dialects/visitor';
import { VisitorChannels } from './dialects/visitor/realtime';
import { AccessEventHub } from './domain/access-events';
import { ChatEvents } from './domain/chat-events';
import { ChatService } from './domain/chat-service';
import { SpaceService } from './domain/space-service';
import { WidgetService } from './domain/widgets';
import { DomainEventBus } from './domain/events';
import { UserService } from './domain/users';
import { VisitorSpaces } from './domain/visitor-spaces';
import { FileStore } from './files/file-store';
import { koaProxyOptions } from './http/client-address';
import type { AppState } from './http/context';
import { answerClientError } from './http/client-error';
import { MethodNotAllowedError } from './http/errors';
import { recordMalformedBody } from './http/malformed-body';
import { expectationGuard } from './http/expectation';
import { healthCheck } from './http/health';
import { hostRequired } from './http/request-origin';
import { optionsNoContent } from './http/options';
import { updateFeed } from './http/update-feed';
import { createLimits } from './limits/rate-limiter';
import { broadcastingAuthRoutes } from './realtime/auth-routes';
import { BroadcastHub } from './realtime/broadcaster';
import { pusherHttpApiRoutes } from './realtime/http-api-routes';
import { PusherServer } from './realtime/pusher-server';
import { SubscriptionGuard } from './realtime/subscription-guard';
import { openStore } from './store';
import type { Store } from './store/contract';
import { createRouter } from './http/router';
import { widgetAssetRoutes } from './http/widget-assets';
import { ensureWidgetBuilt } from '../widget/build';

export interface SwitchboardServer {
  /** The Koa application; not listening until `listen` is called. */
  app: Koa<AppState>;
  config: ServerConfig;
  store: Store;
  /** Domain events (records), before any dialect shapes them. */
  events: DomainEventBus;
  /** Every realtime broadcast in wire form; the Pusher-protocol transport is one of its targets. */
  broadcasts: BroadcastHub;
  /** The Pusher-protocol (Reverb-compatible) WebSocket server on the same port. */
  realtime: PusherServer;
  deps: AppDeps;
  listen(port?: number, host?: string): Promise<{ server: Server; url: string }>;
  close(): Promise<void>;
}

/** How soon a token revoked by another process (the admin CLI) stops what it authorised on this one's sockets. */
const REVOCATION_SWEEP_MS = 5_000;

/** Builds the whole server (store opened and migrated, every dialect, realtime) without listening. */
export async function createServer(input: ServerConfigInput = {}): Promise<SwitchboardServer> {
  const config = resolveConfig(input);
  const { clock } = config;
  // The website widget's files, served below: built from widget/ when missing or older than it.
  await ensureWidgetBuilt((message) => config.logger.info(message));
  const store = await openStore(config);
  if (config.demo) await seedDemo(store, clock.now());
  try {
    await ensureFirstAdmin(store, config.firstAdmin, config.logger, clock.now());
  } catch (error) {
    await store.close();
    throw error;
  }

  let listeningUrl: string | undefined;
  const baseUrl = () => config.publicUrl ?? listeningUrl ?? 'http://127.0.0.1';
  const files = new FileStore(config.uploadsDir);
  const broadcasts = new BroadcastHub();
  const realtime = new PusherServer(config.realtime, config.logger, { trustProxy: config.trustProxy });
  broadcasts.add(realtime);
  const events = new DomainEventBus();
  events.add(new OperatorChannels(broadcasts, baseUrl));
  const visitorChannels = new VisitorChannels(broadcasts, store, baseUrl, config.logger);
  events.add(visitorChannels);
  // Logout, deactivation and chats changing hands end the realtime subscriptions they no longer allow.
  const access = new AccessEventHub();
  const guard = new SubscriptionGuard(store, realtime, config.logger);
  access.add(guard);
  const stopRevocationSweep = guard.sweepEvery(REVOCATION_SWEEP_MS);
  const authenticator = new Authenticator(store, config.tokenTtlMinutes, clock, access);
  const chatEvents = new ChatEvents(store, events, access);
  const deps: AppDeps = {
    config,
    store,
    authenticator,
    chats: new ChatService(store, files, chatEvents, clock),
    spaces: new SpaceService(store, files, chatEvents, clock),
    widgets: new WidgetService(store, clock),
    users: new UserService(store, access, clock),
    files,
    limits: createLimits(config, clock),
    clock,
    baseUrl,
  };

  const app = new Koa<AppState>(koaProxyOptions(config.trustProxy));
  app.silent = true;
  app.use(errorMiddleware(config.logger));
  app.use(healthCheck(store));
  // The legacy dialect's paths answer failures in its own format (DESIGN §8.1); all others in v1's.
  const legacy = legacyDialect(deps);
  app.use(legacy.errors);
  // Every path under /chat (the CRM module, the public widget data, the visitor API) in the CRM's (DESIGN §8.2).
  const crm = crmDialect(deps);
  app.use(crm.errors);
  // The website widget's paths: CORS (preflights answered here) for the sites each widget allows.
  const visitor = visitorDialect(deps, new VisitorSpaces(store, files, chatEvents, clock));
  app.use(visitor.cors);
  app.use(expectationGuard());
  app.use(hostRequired());
  app.use(optionsNoContent());
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

  const open = createRouter('/api/v1');
  for (const router of [authRoutes(deps), configRoutes(deps), webhookRoutes(deps)]) open.use(router.routes(), router.allowedMethods());

  const guarded = createRouter('/api/v1');
  guarded.use(authenticate(authenticator));
  for (const router of [chatRoutes(deps), messageRoutes(deps), uploadRoutes(deps), deviceRoutes(deps), cannedResponseRoutes(deps), operatorRoutes(deps), tokenRoutes(deps), sessionRoutes(deps), profileRoutes(deps), ...adminRoutes(deps)]) {
    guarded.use(router.routes());
  }
  const methodNotAllowed = { throw: true, methodNotAllowed: () => new MethodNotAllowedError() };
  app.use(open.routes()).use(open.allowedMethods(methodNotAllowed));
  app.use(guarded.routes()).use(guarded.allowedMethods(methodNotAllowed));
  for (const router of [...legacy.routers, ...crm.routers, ...visitor.routers]) app.use(router.routes()).use(router.allowedMethods(methodNotAllowed));
  for (const router of [widgetAssetRoutes(deps), broadcastingAuthRoutes(deps, realtime), pusherHttpApiRoutes(config.realtime, realtime, () => Date.now())]) {
    app.use(router.routes()).use(router.allowedMethods(methodNotAllowed));
  }

  const sweepUploads = async () => {
    for (const upload of await store.uploads.takeExpired(clock.now())) files.remove(upload.path);
    for (const upload of await store.spaces.takeExpiredUploads(clock.now())) files.remove(upload.path);
  };
  const sweeper = setInterval(() => {
    sweepUploads().catch((error: unknown) => config.logger.error('sweeping expired uploads failed', error));
  }, 60 * 60 * 1000);
  sweeper.unref();

  let httpServer: Server | undefined;
  return {
    app,
    config,
    store,
    events,
    broadcasts,
    realtime,
    deps,
    async listen(port = 8080, host = '127.0.0.1') {
      const server = createHttpServer({ requireHostHeader: false }, app.callback());
      // What Node's parser refuses (malformed, unknown method, headers over 16 KB) is answered in the API's format too.
      server.on('clientError', answerClientError);
      // An `Expect` other than 100-continue: Node would answer a bare 417 by itself; the app answers it (expectationGuard).
      server.on('checkExpectation', app.callback());
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
      stopRevocationSweep();
      // Events for visitors still being shaped need the store: they go out before it closes.
      await visitorChannels.settled();
      // WebSockets first: they are told to reconnect (4200) before the listener goes away.
      await realtime.close();
      if (httpServer) {
        const server = httpServer;
        server.closeAllConnections();
        await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      }
      await store.close();
    },
  };
}
