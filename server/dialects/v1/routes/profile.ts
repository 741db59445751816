import type Router from '@koa/router';
import { passwordChangeBody, profileBody } from '../../../../common/account-api';
import { hashPassword, verifyPassword } from '../../../auth/passwords';
import type { AppDeps } from '../../../deps';
import { currentAuth, type AppState } from '../../../http/context';
import { ValidationError } from '../../../http/errors';
import { createRouter } from '../../../http/router';
import { consumeLimit } from '../../../http/throttle';
import { validate } from '../../../http/validate';
import { presentUser } from '../presenters';

/**
 * `/profile`: what every user changes of their own account — their name, and their password.
 * A new password signs out the user's other devices (a change is often because the old one
 * leaked) and keeps this one; personal API tokens, held by integrations, stay.
 */
export function profileRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.patch(
    '/profile',
    validate({ body: profileBody }, async (ctx, { body }) => {
      ctx.body = { data: presentUser(await deps.users.update(currentAuth(ctx).user.id, { name: body.name })) };
    }),
  );

  router.post(
    '/profile/password',
    validate({ body: passwordChangeBody }, async (ctx, { body }) => {
      const { user, tokenId } = currentAuth(ctx);
      // Guessing the current password from a stolen session costs what guessing it at login costs.
      await consumeLimit(ctx, deps.limits.login, `profile-password:${user.id}`);
      if (!(await verifyPassword(body.current_password, user.password_hash))) {
        throw ValidationError.field('current_password', 'The current password is not correct.');
      }
      await deps.store.users.setPasswordHash(user.id, await hashPassword(body.password), deps.clock.now());
      const others = (await deps.store.tokens.listOf(user.id, 'session')).filter((session) => session.id !== tokenId);
      for (const session of others) await deps.authenticator.revoke(session.id);
      ctx.body = { data: { message: 'Password changed.', signed_out: others.length } };
    }),
  );

  return router;
}
