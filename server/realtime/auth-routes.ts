import Router from '@koa/router';
import { z } from 'zod';
import { bearerOf } from '../auth/authenticator';
import type { AppDeps } from '../deps';
import { isOperator } from '../domain/roles';
import type { ApiContext, AppState } from '../http/context';
import { ForbiddenError, UnauthenticatedError } from '../http/errors';
import { parseBody } from '../http/validate';
import { decideChannel } from './channel-access';
import { channelAuthToken } from './signatures';

/** What pusher-js posts (form-encoded) or a custom authorizer posts (JSON). */
const channelAuthBody = (maxChannelNameLength: number) =>
  z.object({
    socket_id: z.string().regex(/^\d{1,20}\.\d{1,20}$/),
    channel_name: z.string().min(1).max(maxChannelNameLength),
  });

/**
 * Channel authorisation for private and presence channels, as Laravel's `Broadcast::routes()` answers it:
 * `POST /broadcasting/auth` (Echo's default) and `POST /api/v1/broadcasting/auth`, with the v1 Bearer token.
 */
export function broadcastingAuthRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  const body = channelAuthBody(deps.config.realtime.maxChannelNameLength);

  const authorize = async (ctx: ApiContext): Promise<void> => {
    const auth = await deps.authenticator.resolve(bearerOf(ctx.get('Authorization')));
    if (!auth) throw new UnauthenticatedError();
    if (!isOperator(auth.user)) throw new ForbiddenError('Only administrators and moderators may subscribe.');
    const input = parseBody(ctx, body);
    const decision = await decideChannel(deps.store, auth.user, input.channel_name);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
    const { key, secret } = deps.config.realtime;
    if (decision.presence) {
      const channelData = JSON.stringify(decision.presence);
      ctx.body = { auth: channelAuthToken(key, secret, input.socket_id, input.channel_name, channelData), channel_data: channelData };
      return;
    }
    ctx.body = { auth: channelAuthToken(key, secret, input.socket_id, input.channel_name) };
  };

  router.post('/broadcasting/auth', authorize);
  router.post('/api/v1/broadcasting/auth', authorize);
  return router;
}
