import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../../deps';
import type { AppState } from '../../http/context';
import { crmErrorMiddleware } from './error-middleware';

/**
 * The CRM chat module (`/chat/*.json`). `errors` goes first in the app and covers every path under
 * `/chat` (the visitor API's too), so each failure there answers in the CRM format; `routers` are
 * mounted after the body parser, as the other dialects' are.
 */
export function crmDialect(deps: AppDeps): { errors: Middleware; routers: Router<AppState>[] } {
  return { errors: crmErrorMiddleware(deps.config.logger), routers: [] };
}
