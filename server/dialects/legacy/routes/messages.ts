import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { NotVisibleError } from '../../../domain/errors';
import { currentAuth, socketIdOf, type AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { sendQuota } from '../../../http/throttle';
import { idParam, validate } from '../../../http/validate';
import { chatIdOf, visibleChatParam } from '../chat-param';
import { laravelPaginator } from '../pagination';
import { LegacyPresenter } from '../presenters';
import { messageSendBody, messagesQuery, systemMessageBody } from '../schemas';
import { receiveSend } from '../send';

/** The messages family (`/api/messages…`): its own shapes, Laravel's paginator, hide and system messages. */
export function messageRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.param('chat', visibleChatParam(deps));
  const presenter = () => new LegacyPresenter(deps.store, deps.baseUrl());

  router.get(
    '/messages/chats/:chat',
    validate({ query: messagesQuery }, async (ctx, { query }) => {
      const chatId = chatIdOf(ctx, 'chat');
      const total = (await deps.store.messages.countsByChat([chatId])).get(chatId) ?? 0;
      const records = await deps.store.messages.oldestFirst(chatId, (query.page - 1) * query.per_page, query.per_page);
      const view = presenter();
      const data = [];
      for (const record of records) data.push(await view.message(record));
      const path = `${deps.baseUrl()}/api/messages/chats/${chatId}`;
      ctx.body = { messages: laravelPaginator(path, query.page, query.per_page, total, data, ctx.query.per_page !== undefined) };
    }),
  );

  router.post('/messages/chats/:chat', sendQuota(deps.limits), async (ctx) => {
    const message = await receiveSend(deps, ctx, chatIdOf(ctx, 'chat'), messageSendBody, (body) => ({
      text: body.content,
      type: body.type,
      metadata: body.metadata,
    }));
    ctx.status = 201;
    ctx.body = { message: await presenter().message(message), status: 'Message sent successfully' };
  });

  router.post(
    '/messages/chats/:chat/system-message',
    sendQuota(deps.limits),
    validate({ body: systemMessageBody }, async (ctx, { body }) => {
      const message = await deps.chats.systemMessage(currentAuth(ctx).user, chatIdOf(ctx, 'chat'), body.content, socketIdOf(ctx));
      ctx.status = 201;
      ctx.body = { message: await presenter().message(message), status: 'System message sent successfully' };
    }),
  );

  router.post('/messages/:message/hide', async (ctx) => {
    const id = idParam.safeParse(ctx.params.message);
    if (!id.success) throw new NotVisibleError('message');
    await deps.chats.hideMessage(currentAuth(ctx).user, id.data, socketIdOf(ctx));
    ctx.body = { message: 'Message hidden successfully' };
  });

  return router;
}
