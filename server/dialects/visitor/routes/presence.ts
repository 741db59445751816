import type Router from '@koa/router';
import { visitorReadBody, visitorTypingBody } from '../../../../common/visitor-schemas';
import { socketIdOf, type AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { parseBody } from '../../../http/validate';
import { spaceOf, type VisitorAccess } from '../access';

/** The visitor typing (for the operators) and reading the operators' messages; neither is a message. */
export function visitorPresenceRoutes(access: VisitorAccess): Router<AppState> {
  const router = createRouter('/chat/widget');

  router.post('/typing.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const space = await spaceOf(ctx, access);
    const body = parseBody(ctx, visitorTypingBody);
    access.spaces.typing(space, body.typing, socketIdOf(ctx));
    ctx.body = { typing: body.typing };
  });

  router.post('/read.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const space = await spaceOf(ctx, access);
    const body = parseBody(ctx, visitorReadBody);
    ctx.body = { up_to_id: await access.spaces.markRead(space, body.up_to_id, socketIdOf(ctx)) };
  });

  return router;
}
