import Koa from 'koa';
import { koaBody } from 'koa-body';
import { createServer as createHttpServer, type Server } from 'node:http';
import { ensureFirstAdmin } from './admin/first-admin';
import { openRedisCluster, type RedisCluster } from './cluster';
import { Authenticator } from './auth/authenticator';
import { passwordHashing } from './auth/passwords';
import { resolveConfig, type ServerConfig, type ServerConfigInput } from './config';
import { seedDemo } from './demo/seed';
import type { AppDeps } from './deps';
import { authenticate } from './dialects/v1/authenticate';
import { errorMiddleware } from './dialects/v1/error-middleware';
import { OperatorChannels } from './dialects/v1/realtime';
import { adminRoutes } from './dialects/v1/routes/admin';
import { authRoutes } from './dialects/v1/routes/auth';
import { cannedResponseRoutes } from './dialects/v1/routes/canned-responses';
import { chatBatchRoutes } from './dialects/v1/routes/chat-batches';
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
import type { FileStore } from './files/file-store';
import { openFileStore } from './files/open-file-store';
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
import { localRealtimeCounts } from './realtime/counts';
import { pusherHttpApiRoutes } from './realtime/http-api-routes';
import { PusherServer } from './realtime/pusher-server';
import { SubscriptionGuard } from './realtime/subscription-guard';
import { openStore } from './store';
import type { Store } from './store/contract';
import { createRouter } from './http/router';
import { createMetrics, queryOperation, type Metrics } from './ops/metrics';
import { metricsEndpoint } from './ops/metrics-endpoint';
import { observeRequests } from './ops/request-observer';
import { InFlightRequests } from './ops/in-flight';
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
  /** This instance's Prometheus registry and instruments (`GET /metrics`). */
  metrics: Metrics;
  /**
   * Removes expired pending uploads, rows and files (hourly on its own); with several nodes one node
   * per hour does it. True when this node did.
   */
  sweepUploads(): Promise<boolean>;
  listen(port?: number, host?: string): Promise<{ server: Server; url: string }>;
  /**
   * Graceful stop: no new connections, requests under way finish (for up to `graceMs`, by default
   * the configured `shutdownGraceSeconds`), then realtime sockets are closed with 4200 so clients
   * reconnect elsewhere, and the store closes.
   */
  shutdown(options?: { graceMs?: number }): Promise<void>;
  /** Stops at once: requests under way are cut (tests; `shutdown` with no grace). */
  close(): Promise<void>;
}

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** How soon a token revoked by another process (the admin CLI) stops what it authorised on this one's sockets. */
const REVOCATION_SWEEP_MS = 5_000;

/** Builds the whole server (store opened and migrated, every dialect, realtime) without listening. */
export async function createServer(input: ServerConfigInput = {}): Promise<SwitchboardServer> {
  const config = resolveConfig(input);
  const { clock } = config;
  // The website widget's files, served below: built from widget/ when missing or older than it.
  await ensureWidgetBuilt((message) => config.logger.info(message));
  const metrics = createMetrics();
  const store = await openStore(config, (text, seconds) => metrics.queryDuration.observe({ operation: queryOperation(text) }, seconds));
  let files: FileStore;
  try {
    files = await openFileStore(config);
    if (config.demo) await seedDemo(store, clock.now());
    await ensureFirstAdmin(store, config.firstAdmin, config.logger, clock.now());
  } catch (error) {
    await store.close();
    throw error;
  }
  // Several nodes (SWITCHBOARD_REDIS_URL): broadcasts, presence, counts, limits and the sweeper's lease in Redis.
  let cluster: RedisCluster | undefined;
  try {
    cluster = config.redisUrl ? await openRedisCluster(config.redisUrl, config.logger, clock) : undefined;
  } catch (error) {
    await store.close();
    throw error;
  }

  let listeningUrl: string | undefined;
  const baseUrl = () => config.publicUrl ?? listeningUrl ?? 'http://127.0.0.1';
  const broadcasts = new BroadcastHub();
  const realtime = new PusherServer(config.realtime, config.logger, {
    trustProxy: config.trustProxy,
    cluster: cluster?.link,
    onDelivered: (sockets) => metrics.eventsDelivered.inc(sockets),
  });
  metrics.gauge('switchboard_realtime_sockets', 'Open realtime (WebSocket) connections.', () => realtime.connectionCount);
  metrics.gauge('switchboard_realtime_channels', 'Realtime channels with at least one subscriber.', () => realtime.channels.size);
  metrics.gauge('switchboard_password_hash_queue', 'Password hashes (logins) waiting for a free hashing slot.', () => passwordHashing.waiting);
  broadcasts.add(realtime);
  const events = new DomainEventBus();
  events.add(new OperatorChannels(broadcasts, baseUrl));
  const visitorChannels = new VisitorChannels(broadcasts, store, baseUrl, config.logger);
  events.add(visitorChannels);
  // Logout, deactivation and chats changing hands end the realtime subscriptions they no longer allow.
  const access = new AccessEventHub();
  const subscriptionGuard = new SubscriptionGuard(store, realtime, config.logger);
  access.add(subscriptionGuard);
  if (cluster) {
    // The other nodes' sockets: a logout here ends the subscriptions it authorised there too.
    const link = cluster.link;
    access.add({ accessChanged: (change) => link.publishAccessChange(change) });
    link.onAccessChange((change) => subscriptionGuard.accessChanged(change));
  }
  const stopRevocationSweep = subscriptionGuard.sweepEvery(REVOCATION_SWEEP_MS);
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
    limits: createLimits(config, clock, cluster?.limiters),
    clock,
    baseUrl,
  };

  const app = new Koa<AppState>(koaProxyOptions(config.trustProxy));
  app.silent = true;
  app.use(observeRequests(metrics, config.logger, deps.limits));
  app.use(errorMiddleware(config.logger));
  app.use(healthCheck(store));
  app.use(metricsEndpoint(metrics, { token: config.metricsToken, allowLoopback: config.metricsLoopback }, config.trustProxy));
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
  for (const router of [chatBatchRoutes(deps), chatRoutes(deps), messageRoutes(deps), uploadRoutes(deps), deviceRoutes(deps), cannedResponseRoutes(deps), operatorRoutes(deps), tokenRoutes(deps), sessionRoutes(deps), profileRoutes(deps), ...adminRoutes(deps)]) {
    guarded.use(router.routes());
  }
  const methodNotAllowed = { throw: true, methodNotAllowed: () => new MethodNotAllowedError() };
  app.use(open.routes()).use(open.allowedMethods(methodNotAllowed));
  app.use(guarded.routes()).use(guarded.allowedMethods(methodNotAllowed));
  for (const router of [...legacy.routers, ...crm.routers, ...visitor.routers]) app.use(router.routes()).use(router.allowedMethods(methodNotAllowed));
  for (const router of [widgetAssetRoutes(deps), broadcastingAuthRoutes(deps, realtime), pusherHttpApiRoutes(config.realtime, realtime, () => Date.now(), cluster?.counts(localRealtimeCounts(realtime)))]) {
    app.use(router.routes()).use(router.allowedMethods(methodNotAllowed));
  }

  const sweepUploads = async () => {
    for (const upload of await store.uploads.takeExpired(clock.now())) await files.remove(upload.path);
    for (const upload of await store.spaces.takeExpiredUploads(clock.now())) await files.remove(upload.path);
  };
  // One period's sweep per cluster: a little under the interval, so timers drifting apart never skip an hour.
  const sweepOnce = (): Promise<boolean> => (cluster ? cluster.once('upload-sweeper', SWEEP_EVERY_MS - 5 * 60_000, sweepUploads) : sweepUploads().then(() => true));
  const sweeper = setInterval(() => {
    sweepOnce().catch((error: unknown) => config.logger.error('sweeping expired uploads failed', error));
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  let httpServer: Server | undefined;
  const inFlight = new InFlightRequests();
  metrics.gauge('switchboard_http_requests_in_flight', 'HTTP requests being answered now.', () => inFlight.size);
  const stop = async (graceMs: number) => {
    clearInterval(sweeper);
    stopRevocationSweep();
    const server = httpServer;
    // The listener goes first, so a load balancer sends new connections elsewhere; idle keep-alive
    // connections go with it, and a request under way may finish (for up to `graceMs`).
    const closed = server ? new Promise<void>((resolvePromise) => server.close(() => resolvePromise())) : Promise.resolve();
    server?.closeIdleConnections();
    await inFlight.drained(graceMs);
    // Events for visitors still being shaped need the store: they go out before it closes.
    await visitorChannels.settled();
    // Realtime sockets stayed open for what those requests published; now they are told to reconnect (4200).
    await realtime.close();
    server?.closeAllConnections();
    await closed;
    // This node's presence members leave with it (the others announce it at once, not after the heartbeat's TTL).
    await cluster?.close();
    await store.close();
    files.close();
  };
  return {
    app,
    config,
    store,
    events,
    broadcasts,
    realtime,
    deps,
    metrics,
    sweepUploads: sweepOnce,
    async listen(port = 8080, host = '127.0.0.1') {
      const server = createHttpServer({ requireHostHeader: false });
      // Counted before the app sees the request, so the count includes it from its first step.
      inFlight.track(server);
      server.on('request', app.callback());
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
    shutdown(options = {}) {
      return stop(options.graceMs ?? config.shutdownGraceSeconds * 1000);
    },
    close() {
      return stop(0);
    },
  };
}
