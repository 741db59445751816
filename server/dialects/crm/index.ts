import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../../deps';
import type { AppState } from '../../http/context';
import { createRouter } from '../../http/router';
import { authenticate } from './authenticate';
import { crmErrorMiddleware } from './error-middleware';
import { attachmentRoutes } from './routes/attachments';
import { clientRoutes } from './routes/clients';
import { messageRoutes } from './routes/messages';
import { spaceRoutes } from './routes/spaces';
import { templateRoutes } from './routes/templates';
import { widgetRoutes } from './routes/widgets';

/**
 * The CRM chat module (`/chat/*.json`). `errors` goes first in the app and covers every path under
 * `/chat` (the visitor API's too), so each failure there answers in the CRM format; `routers` are
 * mounted after the body parser, as the other dialects' are.
 */
export function crmDialect(deps: AppDeps): { errors: Middleware; routers: Router<AppState>[] } {
  const guarded = createRouter('/chat');
  // Runs for every route of this router, whatever form of its path matched (a trailing slash too);
  // the public `/chat/widget_data.json` and `/chat/widget/*` are another router's and never reach it.
  guarded.use(authenticate(deps.authenticator));
  for (const router of [spaceRoutes(deps), messageRoutes(deps), widgetRoutes(deps), templateRoutes(deps), clientRoutes(deps), attachmentRoutes(deps)]) {
    guarded.use(router.routes());
  }
  return { errors: crmErrorMiddleware(deps.config.logger), routers: [guarded] };
}
