import type Router from '@koa/router';
import { z } from 'zod';
import { MESSAGES_PAGE_DEFAULT } from '../../../../common/api';
import { messagesQuery, sendBody } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import { currentAuth, socketIdOf, type AppState } from '../../../http/context';
import { sendQuota } from '../../../http/throttle';
import { idParam, validate } from '../../../http/validate';
import { presentMessage } from '../presenters';
import { visibleChatParam } from './chat-param';
import { createRouter } from '../../../http/router';

const chatParams = z.object({ id: idParam });

export function messageRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.param('id', visibleChatParam(deps));

  // The `:id` param has already checked that the caller sees the chat.
  router.get(
    '/chats/:id/messages',
    validate({ params: chatParams, query: messagesQuery }, async (ctx, { params, query }) => {
      const limit = query.limit ?? query.per_page ?? MESSAGES_PAGE_DEFAULT;
      const messages = await deps.store.messages.page(params.id, query.before_id ?? null, limit);
      const baseUrl = deps.baseUrl();
      ctx.body = { data: messages.map((message) => presentMessage(message, baseUrl)) };
    }),
  );

  router.post(
    '/chats/:id/send',
    sendQuota(deps.limits),
    validate({ params: chatParams, body: sendBody }, async (ctx, { params, body }) => {
      const { message, created } = await deps.chats.send(currentAuth(ctx).user, params.id, body, socketIdOf(ctx));
      ctx.status = created ? 201 : 200;
      ctx.body = { data: presentMessage(message, deps.baseUrl()) };
    }),
  );

  // Beyond the v1 document (DESIGN §8.1): desks hide a customer's spam where the rank allows; the
  // message stays, marked hidden, and `MessageHidden` tells every desk that sees the chat.
  router.post(
    '/messages/:message/hide',
    validate({ params: z.object({ message: idParam }) }, async (ctx, { params }) => {
      const message = await deps.chats.hideMessage(currentAuth(ctx).user, params.message, socketIdOf(ctx));
      ctx.body = { data: presentMessage(message, deps.baseUrl()) };
    }),
  );

  return router;
}
