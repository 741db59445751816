import type { Middleware } from 'koa';
import type { Store } from '../store/contract';
import type { AppState } from './context';

/**
 * `GET /up` for load balancers and monitors: 200 while the database answers, 503 when it does not.
 * Before authentication and every dialect, so it costs one `SELECT 1` and says nothing else.
 */
export function healthCheck(store: Store): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.path !== '/up' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'no-store');
    try {
      await store.ping();
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
  };
}
