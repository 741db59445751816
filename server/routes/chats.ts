import Router from '@koa/router';
import { z } from 'zod';
import { CHATS_PAGE_DEFAULT, type ChatListResponse } from '../../common/api';
import { chatListQuery, patchChatBody, readBody, transferBody, typingBody } from '../../common/schemas';
import { authorizeChat, scopeOf } from '../domain/access';
import { presentChat } from '../domain/presenters';
import { currentAuth, socketIdOf, type AppState } from '../http/context';
import type { AppDeps } from '../http/deps';
import { paginate } from '../http/pagination';
import { idParam, validate } from '../http/validate';
import { visibleChatParam } from './chat-param';

const chatParams = z.object({ id: idParam });

export function chatRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.param('id', visibleChatParam(deps));

  router.get(
    '/chats',
    validate({ query: chatListQuery }, (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const perPage = query.per_page ?? CHATS_PAGE_DEFAULT;
      const { rows, total, counts } = deps.store.chats.list(
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

  router.get(
    '/chats/:id',
    validate({ params: chatParams }, (ctx, { params }) => {
      authorizeChat(deps.store, currentAuth(ctx).user, params.id, 'view');
      ctx.body = { data: deps.chats.chat(params.id) };
    }),
  );

  router.patch(
    '/chats/:id',
    validate({ params: chatParams, body: patchChatBody }, (ctx, { params, body }) => {
      ctx.body = { data: deps.chats.update(currentAuth(ctx).user, params.id, body, socketIdOf(ctx)) };
    }),
  );

  router.post(
    '/chats/:id/assign-me',
    validate({ params: chatParams }, (ctx, { params }) => {
      ctx.body = { data: deps.chats.assignToMe(currentAuth(ctx).user, params.id, socketIdOf(ctx)) };
    }),
  );

  router.post(
    '/chats/:id/close',
    validate({ params: chatParams }, (ctx, { params }) => {
      ctx.body = { data: deps.chats.close(currentAuth(ctx).user, params.id, socketIdOf(ctx)) };
    }),
  );

  router.post(
    '/chats/:id/transfer',
    validate({ params: chatParams, body: transferBody }, (ctx, { params, body }) => {
      const { chat } = deps.chats.transfer(currentAuth(ctx).user, params.id, body, socketIdOf(ctx));
      ctx.body = { data: chat };
    }),
  );

  router.post(
    '/chats/:id/read',
    validate({ params: chatParams, body: readBody }, (ctx, { params, body }) => {
      ctx.body = { data: deps.chats.markRead(currentAuth(ctx).user, params.id, body.up_to_id, socketIdOf(ctx)) };
    }),
  );

  router.post(
    '/chats/:id/typing',
    validate({ params: chatParams, body: typingBody }, (ctx, { params, body }) => {
      deps.chats.typing(currentAuth(ctx).user, params.id, body.typing, socketIdOf(ctx));
      ctx.body = { data: { message: 'OK' } };
    }),
  );

  return router;
}
