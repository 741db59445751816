import type Router from '@koa/router';
import { MESSAGES_PAGE_DEFAULT, type ChatMessagesBatchResponse } from '../../../../common/api';
import { messagesBatchQuery } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import { NotVisibleError } from '../../../domain/errors';
import { authorizeChat } from '../../../domain/visibility';
import { currentAuth, type AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { validate } from '../../../http/validate';
import { presentMessage } from '../presenters';

/**
 * Beyond the v1 document: the newest messages of many chats in one request, so a desk's first sync
 * of thousands of chats is a few hundred requests, not one per chat. Each chat is checked as
 * `GET /chats/{id}/messages` checks it; one the caller cannot see is listed in `meta.missing`,
 * exactly like one that does not exist. Registered before `/chats/{id}`, which would take
 * `messages` for an id.
 */
export function chatBatchRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.get(
    '/chats/messages',
    validate({ query: messagesBatchQuery }, async (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const limit = query.limit ?? MESSAGES_PAGE_DEFAULT;
      const baseUrl = deps.baseUrl();
      const data: ChatMessagesBatchResponse['data'] = [];
      const missing: number[] = [];
      for (const chatId of query.ids) {
        try {
          await authorizeChat(deps.store, user, chatId, 'view');
        } catch (error) {
          if (!(error instanceof NotVisibleError)) throw error;
          missing.push(chatId);
          continue;
        }
        const messages = await deps.store.messages.page(chatId, null, limit);
        data.push({ chat_id: chatId, messages: messages.map((message) => presentMessage(message, baseUrl)) });
      }
      ctx.body = { data, meta: { missing } } satisfies ChatMessagesBatchResponse;
    }),
  );
  return router;
}
