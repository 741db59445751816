import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import type { AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { sendQuota } from '../../../http/throttle';
import { validate } from '../../../http/validate';
import { chatIdOf, visibleChatParam } from '../chat-param';
import { success } from '../envelope';
import { paginationBlock } from '../pagination';
import { LegacyPresenter } from '../presenters';
import { chatSendBody, messagesQuery } from '../schemas';
import { receiveSend } from '../send';

/** The chats family's messages: `GET /api/chats/{id}/messages`, `POST /api/chats/{id}/send`. */
export function chatMessageRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.param('id', visibleChatParam(deps));
  const presenter = () => new LegacyPresenter(deps.store, deps.baseUrl());

  // Oldest first, page by page, as the document lists them.
  router.get(
    '/chats/:id/messages',
    validate({ query: messagesQuery }, async (ctx, { query }) => {
      const chatId = chatIdOf(ctx, 'id');
      const total = (await deps.store.messages.countsByChat([chatId])).get(chatId) ?? 0;
      const records = await deps.store.messages.oldestFirst(chatId, (query.page - 1) * query.per_page, query.per_page);
      const view = presenter();
      const messages = [];
      for (const record of records) messages.push(await view.chatMessage(record));
      ctx.body = success('Messages retrieved successfully', { messages, pagination: paginationBlock(query.page, query.per_page, total) });
    }),
  );

  router.post('/chats/:id/send', sendQuota(deps.limits), async (ctx) => {
    const message = await receiveSend(deps, ctx, chatIdOf(ctx, 'id'), chatSendBody, (body) => ({ text: body.message, type: body.type }));
    ctx.status = 201;
    ctx.body = success('Message sent successfully', { message: await presenter().chatMessage(message) });
  });

  return router;
}
