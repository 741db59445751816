import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../../deps';
import { NotVisibleError } from '../../domain/errors';
import type { VisitorSpaces } from '../../domain/visitor-spaces';
import type { AppState } from '../../http/context';
import type { VisitorAccess } from './access';
import { visitorCors } from './cors';
import { visitorBroadcastingRoutes } from './routes/broadcasting';
import { visitorMessageRoutes } from './routes/messages';
import { visitorPresenceRoutes } from './routes/presence';
import { spaceRoutes } from './routes/spaces';
import { visitorUploadRoutes } from './routes/uploads';
import { widgetDataRoutes } from './routes/widget-data';

/**
 * The website visitor's API under `/chat/widget/` and the public `/chat/widget_data.json`. Their
 * failures answer in the CRM format (its error middleware covers every `/chat` path); `cors` goes
 * after that middleware and before the body parser, so preflights never reach a route and every
 * answer, errors included, carries the CORS grant the calling site is due.
 */
export function visitorDialect(deps: AppDeps, spaces: VisitorSpaces): { cors: Middleware; routers: Router<AppState>[] } {
  const access: VisitorAccess = { spaces, publicUrl: deps.config.publicUrl };
  const widgetOrNone = async (token: string) => {
    try {
      return await spaces.widget(token);
    } catch (error) {
      if (error instanceof NotVisibleError) return undefined;
      throw error;
    }
  };
  return {
    cors: visitorCors(widgetOrNone, deps.config.publicUrl),
    routers: [
      widgetDataRoutes(deps, access),
      spaceRoutes(access, deps.limits.visitorSpaces),
      visitorMessageRoutes(access, deps.limits.visitorMessages, deps.baseUrl),
      visitorUploadRoutes(deps, access),
      visitorPresenceRoutes(access),
      visitorBroadcastingRoutes(access, deps.config.realtime),
    ],
  };
}
