import type { Middleware } from 'koa';
import type { AppState } from '../http/context';
import type { AppLimits, Limiter } from '../limits/rate-limiter';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';
import { requestIdOf } from './request-id';

/** Answered by middleware rather than a router, so they have no matched route but are routes all the same. */
const FIXED_ROUTES = new Set(['/up', '/metrics']);

/**
 * The route template a request matched, never the raw path: labels stay a bounded set whatever
 * paths clients try (every unknown path is `unmatched`).
 */
function routeOf(ctx: { path: string; _matchedRoute?: unknown }): string {
  if (typeof ctx._matchedRoute === 'string') return ctx._matchedRoute;
  return FIXED_ROUTES.has(ctx.path) ? ctx.path : 'unmatched';
}

function limiterName(limits: AppLimits, limiter: Limiter | undefined): string {
  const entry = Object.entries(limits).find(([, candidate]) => candidate === limiter);
  return entry?.[0] ?? 'other';
}

/**
 * First in the chain: gives every request an id (echoed in `X-Request-ID`), then, once the answer
 * has gone out (streamed bodies included), writes its log line and counts it in the metrics.
 */
export function observeRequests(metrics: Metrics, logger: Logger, limits: AppLimits): Middleware<AppState> {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdOf(ctx.get('X-Request-ID'));
    ctx.set('X-Request-ID', requestId);
    // 'close' comes after the last byte or after the client went away, whichever the request met.
    ctx.res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(ctx);
      const status = ctx.res.statusCode;
      const labels = { route, method: ctx.method, status: String(status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      if (status === 429) metrics.rateLimited.inc({ limiter: limiterName(limits, ctx.state.limitedBy) });
      logger.request?.({ requestId, method: ctx.method, route, url: ctx.originalUrl, status, durationMs: seconds * 1000, ip: ctx.ip, headers: ctx.headers });
    });
    await next();
  };
}
