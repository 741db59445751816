import type Router from '@koa/router';
import { spaceChannel } from '../../../../common/visitor-api';
import type { RealtimeConfig } from '../../../config';
import type { AppState } from '../../../http/context';
import { ForbiddenError } from '../../../http/errors';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { parseBody } from '../../../http/validate';
import { channelAuthBody } from '../../../realtime/auth-routes';
import { channelAuthToken } from '../../../realtime/signatures';
import { spaceOf, type VisitorAccess } from '../access';

export const ANOTHER_SPACE = 'This space token may only listen to its own conversation.';

/**
 * `POST /chat/widget/broadcasting/auth`: pusher-js's channel authorisation for the visitor, with the
 * widget token (`token`, among the auth params) and the space token (`X-Space-Token`). It signs
 * `private-space.{id}` of that space and nothing else.
 */
export function visitorBroadcastingRoutes(access: VisitorAccess, realtime: RealtimeConfig): Router<AppState> {
  const router = createRouter('/chat/widget');
  const body = channelAuthBody(realtime.maxChannelNameLength);

  router.post('/broadcasting/auth', async (ctx) => {
    assertBodyParsed(ctx.request);
    const space = await spaceOf(ctx, access);
    const input = parseBody(ctx, body);
    if (input.channel_name !== spaceChannel(space.chat.id)) throw new ForbiddenError(ANOTHER_SPACE);
    ctx.body = { auth: channelAuthToken(realtime.key, realtime.secret, input.socket_id, input.channel_name) };
  });

  return router;
}
