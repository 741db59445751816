import Router from '@koa/router';
import { z } from 'zod';
import { MESSAGES_PAGE_DEFAULT } from '../../common/api';
import { messagesQuery, sendBody } from '../../common/schemas';
import { authorizeChat } from '../domain/access';
import { presentMessages } from '../domain/presenters';
import { currentAuth, socketIdOf, type AppState } from '../http/context';
import type { AppDeps } from '../http/deps';
import { RateLimiter, throttle } from '../http/rate-limit';
import { idParam, validate } from '../http/validate';
import { visibleChatParam } from './chat-param';

const chatParams = z.object({ id: idParam });

export function messageRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  const sendLimiter = new RateLimiter(deps.config.sendPerMinute, 60_000, deps.now);
  router.param('id', visibleChatParam(deps));

  router.get(
    '/chats/:id/messages',
    validate({ params: chatParams, query: messagesQuery }, (ctx, { params, query }) => {
      authorizeChat(deps.store, currentAuth(ctx).user, params.id, 'view');
      const limit = query.limit ?? query.per_page ?? MESSAGES_PAGE_DEFAULT;
      const rows = deps.store.messages.page(params.id, query.before_id ?? null, limit);
      ctx.body = { data: presentMessages(deps.store, rows, deps.baseUrl()) };
    }),
  );

  router.post(
    '/chats/:id/send',
    throttle(sendLimiter, (ctx) => `send|${currentAuth(ctx).user.id}`),
    validate({ params: chatParams, body: sendBody }, (ctx, { params, body }) => {
      const { message, created } = deps.chats.send(currentAuth(ctx).user, params.id, body, socketIdOf(ctx));
      ctx.status = created ? 201 : 200;
      ctx.body = { data: message };
    }),
  );

  return router;
}
