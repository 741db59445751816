import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppDeps } from '../../deps';
import type { AppState } from '../../http/context';
import { createRouter } from '../../http/router';
import { authenticate } from './authenticate';
import { legacyErrorMiddleware } from './error-middleware';
import { attachmentRoutes } from './routes/attachments';
import { authRoutes } from './routes/auth';
import { chatMessageRoutes } from './routes/chat-messages';
import { chatRoutes } from './routes/chats';
import { messageRoutes } from './routes/messages';

/**
 * The legacy chat API (spec/chat-api-legacy.ru.md, DESIGN §8.1) under `/api`. `errors` goes first
 * in the app, so every failure on its paths (body parser, 404, 405 included) answers in its format;
 * `routers` are mounted after the body parser, as v1's are.
 */
export function legacyDialect(deps: AppDeps): { errors: Middleware; routers: Router<AppState>[] } {
  const open = createRouter('/api');
  open.use(authRoutes(deps).routes());

  const guarded = createRouter('/api');
  guarded.use(authenticate(deps.authenticator));
  for (const router of [chatRoutes(deps), chatMessageRoutes(deps), messageRoutes(deps), attachmentRoutes(deps)]) guarded.use(router.routes());

  return { errors: legacyErrorMiddleware(deps.config.logger), routers: [open, guarded] };
}
