import type Router from '@koa/router';
import { startSpaceBody } from '../../../../common/visitor-schemas';
import type { VisitorSpaceCreated } from '../../../../common/visitor-api';
import { refuseStart } from '../../../domain/visitor-spaces';
import type { AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { parseBody } from '../../../http/validate';
import type { Limiter } from '../../../limits/rate-limiter';
import { widgetOf, type VisitorAccess } from '../access';
import { LIMIT_SENTENCES, visitorLimit } from '../limits';

/** `POST /chat/widget/spaces.json`: a visitor starts a conversation. */
export function spaceRoutes(access: VisitorAccess, limiter: Limiter): Router<AppState> {
  const router = createRouter('/chat/widget');

  router.post('/spaces.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const body = parseBody(ctx, startSpaceBody);
    const widget = await widgetOf(ctx, access);
    const details = { name: body.name, email: body.email, phone: body.phone, locale: body.locale, page_url: body.page_url };
    // Only an attempt that would start a space counts against the address's budget.
    refuseStart(widget, details);
    await visitorLimit(ctx, limiter, ctx.ip, LIMIT_SENTENCES.spaces);
    const { chat, spaceToken } = await access.spaces.start(widget, details);
    ctx.status = 201;
    ctx.body = { space_token: spaceToken, space_id: chat.id } satisfies VisitorSpaceCreated;
  });

  return router;
}
