import type Router from '@koa/router';
import { z } from 'zod';
import { CHATS_PAGE_DEFAULT, type ChatChangesResponse, type ChatListResponse } from '../../../../common/api';
import { chatListQuery, patchChatBody, readBody, transferBody, typingBody } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import { chatChanges, syncStart } from '../../../domain/chat-sync';
import { scopeOf } from '../../../domain/visibility';
import { ValidationError } from '../../../http/errors';
import { currentAuth, socketIdOf, type AppState } from '../../../http/context';
import { idParam, validate } from '../../../http/validate';
import { paginate } from '../pagination';
import { presentChat } from '../presenters';
import { decodeSyncCursor, encodeSyncCursor } from '../sync-cursor';
import { visibleChatParam } from './chat-param';
import { createRouter } from '../../../http/router';

const chatParams = z.object({ id: idParam });

/** List parameters a delta (`updated_since`) refuses: it always covers the whole list, one keyset scan. */
const DELTA_EXCLUSIVE = ['tab', 'search', 'status', 'source_id', 'department_id', 'page'] as const;

export function chatRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.param('id', visibleChatParam(deps));

  router.get(
    '/chats',
    validate({ query: chatListQuery }, async (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const perPage = query.per_page ?? CHATS_PAGE_DEFAULT;
      const path = `${deps.baseUrl()}/api/v1/chats`;
      if (query.updated_since !== undefined) {
        // A delta is the whole list's: a filter would hide the chats that left it.
        const filtered = DELTA_EXCLUSIVE.filter((key) => ctx.query[key] !== undefined && !(key === 'tab' && query.tab === 'all'));
        if (filtered.length > 0) {
          throw new ValidationError(Object.fromEntries(filtered.map((key) => [key, [`The ${key.replace(/_/g, ' ')} field cannot be combined with updated since.`]])));
        }
        const changes = await chatChanges(deps.store, user, decodeSyncCursor(query.updated_since), perPage);
        const next = encodeSyncCursor(changes.next);
        const nextLink = changes.more ? `${path}?${new URLSearchParams({ updated_since: next, per_page: String(perPage) }).toString()}` : null;
        ctx.body = {
          data: [...changes.changed.map(presentChat), ...changes.removed.map((id) => ({ id, removed: true as const }))],
          links: { first: null, last: null, prev: null, next: nextLink },
          meta: { path, per_page: perPage, next_cursor: changes.more ? next : null, prev_cursor: null, sync_cursor: next, reset: changes.reset },
        } satisfies ChatChangesResponse;
        return;
      }
      // Taken before the list is read: whatever changes while it is paged comes with the first delta.
      const sync = await syncStart(deps.store, user);
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
      const { links, meta } = paginate(path, ctx.query, query.page, perPage, total, rows.length);
      ctx.body = { data: rows.map(presentChat), links, meta: { ...meta, counts, sync_cursor: encodeSyncCursor(sync) } } satisfies ChatListResponse;
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
