import type Router from '@koa/router';
import { formatTimestamp } from '../../../../common/time';
import { VISITOR_MESSAGES_PAGE } from '../../../../common/visitor-api';
import { visitorMessageBody, visitorMessagesQuery } from '../../../../common/visitor-schemas';
import { WidgetClosedError } from '../../../domain/visitor-spaces';
import { socketIdOf, type AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { parseBody, parseInput } from '../../../http/validate';
import type { Limiter } from '../../../limits/rate-limiter';
import { forbiddenWith } from '../../crm/error-middleware';
import { spaceOf, type VisitorAccess } from '../access';
import { LIMIT_SENTENCES, visitorLimit } from '../limits';
import { presentVisitorMessage } from '../presenters';

/** The visitor's conversation: `POST` writes, `GET` reads (`after_id` for what came since). */
export function visitorMessageRoutes(access: VisitorAccess, limiter: Limiter, baseUrl: () => string): Router<AppState> {
  const router = createRouter('/chat/widget');

  router.post('/messages.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const space = await spaceOf(ctx, access);
    const body = parseBody(ctx, visitorMessageBody);
    await visitorLimit(ctx, limiter, String(space.chat.id), LIMIT_SENTENCES.messages);
    const text = typeof body.message === 'string' && body.message.trim() !== '' ? body.message : null;
    try {
      const { message, created } = await access.spaces.write(
        space,
        { text, clientMessageId: body.client_message_id ?? null, uploadIds: body.attachments ?? [] },
        socketIdOf(ctx),
      );
      ctx.status = created ? 201 : 200;
      ctx.body = presentVisitorMessage(message, { baseUrl: baseUrl(), widgetToken: space.widget.token, readUpTo: 0 });
    } catch (error) {
      // The widget tells the visitor when to come back.
      if (error instanceof WidgetClosedError) {
        forbiddenWith(error.message, { next_open_at: error.nextOpenAt === null ? null : formatTimestamp(error.nextOpenAt) });
      }
      throw error;
    }
  });

  router.get('/messages.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const space = await spaceOf(ctx, access);
    const query = parseInput(visitorMessagesQuery, ctx.query);
    const { messages, readUpTo } = await access.spaces.messages(space, query.after_id, VISITOR_MESSAGES_PAGE);
    const view = { baseUrl: baseUrl(), widgetToken: space.widget.token, readUpTo };
    ctx.body = messages.map((message) => presentVisitorMessage(message, view));
  });

  return router;
}
