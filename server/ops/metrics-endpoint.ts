import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { isLoopbackHost } from '../demo/public-demo';
import type { AppState } from '../http/context';
import { ForbiddenError } from '../http/errors';
import type { Metrics } from './metrics';

export interface MetricsAccess {
  /** `Authorization: Bearer <token>` opens the metrics to any address. */
  token?: string;
  /** Whether a client on this machine may read them without the token. */
  allowLoopback: boolean;
}

function tokenMatches(header: string, token: string | undefined): boolean {
  if (!token) return false;
  const given = Buffer.from(/^Bearer (.+)$/.exec(header)?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A request from this machine itself. One that names a forwarded client came through a proxy on
 * this machine, so its loopback address stands for someone else and does not count.
 */
function fromLoopback(ctx: { ip: string; get(field: string): string }, trustProxy: boolean): boolean {
  if (!trustProxy && (ctx.get('X-Forwarded-For') || ctx.get('Forwarded'))) return false;
  return isLoopbackHost(ctx.ip);
}

/** `GET /metrics` in Prometheus' text format, for loopback clients or the metrics token; others get a 403. */
export function metricsEndpoint(metrics: Metrics, access: MetricsAccess, trustProxy: boolean): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.path !== '/metrics' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const allowed = tokenMatches(ctx.get('Authorization'), access.token) || (access.allowLoopback && fromLoopback(ctx, trustProxy));
    if (!allowed) throw new ForbiddenError('The metrics are open to this machine and to the metrics token only.');
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}
