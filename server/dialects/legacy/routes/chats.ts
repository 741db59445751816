import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { scopeOf } from '../../../domain/visibility';
import { currentAuth, socketIdOf, type AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { validate } from '../../../http/validate';
import { chatIdOf, visibleChatParam } from '../chat-param';
import { success } from '../envelope';
import { paginationBlock } from '../pagination';
import { domainStatuses, LegacyPresenter } from '../presenters';
import { chatsQuery, createChatBody, searchQuery, transferBody } from '../schemas';

/** How many of a chat's newest messages `GET /api/chats/{id}` embeds; older ones page through `/messages`. */
export const SHOWN_MESSAGES = 100;

/** The document's chats endpoints: list, create, search, show, end, transfer. */
export function chatRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.param('id', visibleChatParam(deps));
  const presenter = () => new LegacyPresenter(deps.store, deps.baseUrl());

  router.get(
    '/chats',
    validate({ query: chatsQuery }, async (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const { rows, total } = await deps.store.chats.list({ scope: scopeOf(user), userId: user.id, tab: 'all' }, query.page, query.per_page);
      const chats = await presenter().listedChats(rows, true);
      ctx.body = success('Chats retrieved successfully', { chats, pagination: paginationBlock(query.page, query.per_page, total) });
    }),
  );

  router.post(
    '/chats',
    validate({ body: createChatBody }, async (ctx, { body }) => {
      const chat = await deps.chats.createChat(
        currentAuth(ctx).user,
        {
          title: body.title,
          description: body.description ?? null,
          type: body.type,
          assignedTo: body.assigned_to ?? null,
          departmentId: body.department_id ?? null,
        },
        socketIdOf(ctx),
      );
      ctx.status = 201;
      ctx.body = success('Chat created successfully', { chat: await presenter().chat(chat) });
    }),
  );

  // Before `/chats/:id`, which would take "search" for an id.
  router.get(
    '/chats/search',
    validate({ query: searchQuery }, async (ctx, { query }) => {
      const statuses = query.status === undefined ? undefined : domainStatuses(query.status);
      const { rows, total } = await deps.chats.search(currentAuth(ctx).user, { text: query.query, statuses }, query.page, query.per_page);
      const chats = await presenter().listedChats(rows, false);
      ctx.body = success('Search results retrieved successfully', { chats, pagination: paginationBlock(query.page, query.per_page, total) });
    }),
  );

  // The `:id` param has already checked that the caller sees the chat.
  router.get('/chats/:id', async (ctx) => {
    const chatId = chatIdOf(ctx, 'id');
    const chat = await deps.chats.chat(chatId);
    const total = (await deps.store.messages.countsByChat([chatId])).get(chatId) ?? 0;
    const messages = await deps.store.messages.oldestFirst(chatId, Math.max(0, total - SHOWN_MESSAGES), SHOWN_MESSAGES);
    const view = presenter();
    const shown = [];
    for (const message of messages) shown.push(await view.chatMessage(message));
    ctx.body = success('Chat retrieved successfully', { chat: { ...(await view.chat(chat)), messages: shown } });
  });

  router.post('/chats/:id/end', async (ctx) => {
    const chat = await deps.chats.close(currentAuth(ctx).user, chatIdOf(ctx, 'id'), socketIdOf(ctx));
    ctx.body = success('Chat ended successfully', { chat: await presenter().chat(chat) });
  });

  router.post(
    '/chats/:id/transfer',
    validate({ body: transferBody }, async (ctx, { body }) => {
      const { chat } = await deps.chats.transfer(
        currentAuth(ctx).user,
        chatIdOf(ctx, 'id'),
        { assigned_to: body.assigned_to, note: body.note ?? undefined },
        socketIdOf(ctx),
        // Any active user who may see the chat: the document hands chats to employees too.
        'anyone',
      );
      ctx.body = success('Chat transferred successfully', { chat: await presenter().chat(chat) });
    }),
  );

  return router;
}
