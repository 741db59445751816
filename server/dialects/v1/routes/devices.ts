import type Router from '@koa/router';
import { z } from 'zod';
import { registerDeviceBody } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import { currentAuth, type AppState } from '../../../http/context';
import { ValidationError } from '../../../http/errors';
import { validate } from '../../../http/validate';
import { presentDevice } from '../presenters';
import { createRouter } from '../../../http/router';

export function deviceRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post(
    '/devices/register-token',
    validate({ body: registerDeviceBody }, async (ctx, { body }) => {
      const { user, tokenId } = currentAuth(ctx);
      // A device token is tied to the session that registered it: nobody can silently take over
      // pushes meant for another signed-in user; after that user's logout anyone may register it.
      const row = await deps.store.devices.register({ userId: user.id, accessTokenId: tokenId }, body.token, body.platform, deps.clock.now());
      if (!row) throw ValidationError.field('token', 'The token has already been registered by another account.');
      ctx.status = 201;
      ctx.body = { data: presentDevice(row) };
    }),
  );

  // Idempotent: removing a token that is not (or no longer) yours answers the same way,
  // so a client retrying after a lost response is not told something failed.
  router.delete(
    '/devices/:token',
    validate({ params: z.object({ token: z.string().min(1).max(500) }) }, async (ctx, { params }) => {
      await deps.store.devices.removeForUser(currentAuth(ctx).user.id, params.token);
      ctx.body = { data: { message: 'Device token removed.' } };
    }),
  );

  return router;
}
