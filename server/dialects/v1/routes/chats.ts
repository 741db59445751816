import type Router from '@koa/router';
import { z } from 'zod';
import { CHATS_PAGE_DEFAULT, type ChatListResponse } from '../../../../common/api';
import { chatListQuery, patchChatBody, readBody, transferBody, typingBody } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import { scopeOf } from '../../../domain/visibility';
import { currentAuth, socketIdOf, type AppState } from '../../../http/context';
import { idParam, validate } from '../../../http/validate';
import { paginate } from '../pagination';
import { presentChat } from '../presenters';
import { visibleChatParam } from './chat-param';
import { createRouter } from '../../../http/router';

const chatParams = z.object({ id: idParam });

export function chatRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.param('id', visibleChatParam(deps));

  router.get(
    '/chats',
    validate({ query: chatListQuery }, async (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const perPage = query.per_page ?? CHATS_PAGE_DEFAULT;
      const { rows, total, counts } = await deps.store.chats.list(
        {
          scope: scopeOf(user),
          userId: user.id,
          tab: query.tab,
          status: query.status,
          sourceId: query.source_id,
          departmentId: query.department_id,
          search: query.search || undefined,
        },
        query.page,
        perPage,
      );
      const { links, meta } = paginate(`${deps.baseUrl()}/api/v1/chats`, ctx.query, query.page, perPage, total, rows.length);
      ctx.body = { data: rows.map(presentChat), links, meta: { ...meta, counts } } satisfies ChatListResponse;
    }),
  );

  // The `:id` param has already checked that the caller sees the chat.
  router.get(
    '/chats/:id',
    validate({ params: chatParams }, async (ctx, { params }) => {
      ctx.body = { data: presentChat(await deps.chats.chat(params.id)) };
    }),
  );

  router.patch(
    '/chats/:id',
    validate({ params: chatParams, body: patchChatBody }, async (ctx, { params, body }) => {
      ctx.body = { data: presentChat(await deps.chats.update(currentAuth(ctx).user, params.id, body, socketIdOf(ctx))) };
    }),
  );

  router.post(
    '/chats/:id/assign-me',
    validate({ params: chatParams }, async (ctx, { params }) => {
      ctx.body = { data: presentChat(await deps.chats.assignToMe(currentAuth(ctx).user, params.id, socketIdOf(ctx))) };
    }),
  );

  router.post(
    '/chats/:id/close',
    validate({ params: chatParams }, async (ctx, { params }) => {
      ctx.body = { data: presentChat(await deps.chats.close(currentAuth(ctx).user, params.id, socketIdOf(ctx))) };
    }),
  );

  router.post(
    '/chats/:id/transfer',
    validate({ params: chatParams, body: transferBody }, async (ctx, { params, body }) => {
      const { chat } = await deps.chats.transfer(currentAuth(ctx).user, params.id, body, socketIdOf(ctx));
      ctx.body = { data: presentChat(chat) };
    }),
  );

  router.post(
    '/chats/:id/read',
    validate({ params: chatParams, body: readBody }, async (ctx, { params, body }) => {
      ctx.body = { data: presentChat(await deps.chats.markRead(currentAuth(ctx).user, params.id, body.up_to_id, socketIdOf(ctx))) };
    }),
  );

  router.post(
    '/chats/:id/typing',
    validate({ params: chatParams, body: typingBody }, async (ctx, { params, body }) => {
      await deps.chats.typing(currentAuth(ctx).user, params.id, body.typing, socketIdOf(ctx));
      ctx.body = { data: { message: 'OK' } };
    }),
  );

  return router;
}
