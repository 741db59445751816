import type Router from '@koa/router';
import { z } from 'zod';
import { bearerOf } from '../auth/authenticator';
import type { AppDeps } from '../deps';
import { isOperator } from '../domain/roles';
import type { ApiContext, AppState } from '../http/context';
import { ForbiddenError, HttpError, UnauthenticatedError } from '../http/errors';
import { parseBody } from '../http/validate';
import { decideChannel } from './channel-access';
import type { GrantRecorder } from './grants';
import { channelAuthToken } from './signatures';
import { createRouter } from '../http/router';

/** What pusher-js posts (form-encoded) or a custom authorizer posts (JSON). */
export const channelAuthBody = (maxChannelNameLength: number) =>
  z.object({
    socket_id: z.string().regex(/^\d{1,20}\.\d{1,20}$/),
    channel_name: z.string().min(1).max(maxChannelNameLength),
  });

/**
 * Channel authorisation for private and presence channels, as Laravel's `Broadcast::routes()` answers it:
 * `POST /broadcasting/auth` (Echo's default) and `POST /api/v1/broadcasting/auth`, with the v1 Bearer token.
 * Each answer is recorded with the realtime server as a grant of that user and token, so the subscription
 * it opens ends when the token is revoked, the user deactivated or the chat no longer theirs to see.
 */
export function broadcastingAuthRoutes(deps: AppDeps, grants: GrantRecorder): Router<AppState> {
  const router = createRouter();
  const body = channelAuthBody(deps.config.realtime.maxChannelNameLength);

  /** The caller, if their token is valid and they are an operator (401 and 403 come before any validation). */
  const operator = async (bearer: string) => {
    const auth = await deps.authenticator.resolve(bearer);
    if (!auth) throw new UnauthenticatedError();
    if (!isOperator(auth.user)) throw new ForbiddenError('Only administrators and moderators may subscribe.');
    return auth;
  };

  const authorize = async (ctx: ApiContext): Promise<void> => {
    const bearer = bearerOf(ctx.get('Authorization'));
    const epoch = grants.accessEpoch;
    const auth = await operator(bearer);
    const input = parseBody(ctx, body);
    const decision = await decideChannel(deps.store, auth.user, input.channel_name);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
    const grant = { userId: auth.user.id, tokenId: auth.tokenId };
    // A socket on another node (or none at all) records nothing here: its subscription is nobody's to end.
    if (grants.offerGrant(input.socket_id, input.channel_name, grant) === 'full') {
      throw new HttpError(429, 'TOO_MANY_REQUESTS', 'This connection holds too many unused channel authorisations; subscribe with them first.');
    }
    if (grants.accessEpoch !== epoch) {
      // An access change ran while this was decided and may have missed the grant just recorded; any
      // later change will see it, so deciding once more settles it.
      const withdraw = () =>
        grants.withdraw((g, channel) => channel === input.channel_name && g.tokenId === grant.tokenId, 'Access changed while this channel was authorised.');
      const again = await deps.authenticator.resolve(bearer);
      if (!again || again.tokenId !== grant.tokenId) {
        withdraw();
        throw new UnauthenticatedError();
      }
      const still = await decideChannel(deps.store, again.user, input.channel_name);
      if (!still.allowed) {
        withdraw();
        throw new ForbiddenError(still.reason);
      }
    }
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
