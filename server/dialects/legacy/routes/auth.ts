import type Router from '@koa/router';
import { loginBody } from '../../../../common/schemas';
import { checkLogin, deviceNameOf } from '../../../auth/login';
import type { AppDeps } from '../../../deps';
import { currentAuth, type AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { validate } from '../../../http/validate';
import { authenticate } from '../authenticate';
import { success } from '../envelope';
import { presentUser } from '../presenters';

/** `POST /api/auth/login`, `/logout`, `GET /me` (DESIGN §8.1): v1's password check and limits, any active user. */
export function authRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post(
    '/auth/login',
    validate({ body: loginBody }, async (ctx, { body }) => {
      // Employees too: the legacy dialect is theirs as much as the operators'.
      const user = await checkLogin(deps, ctx, body, () => true);
      const token = await deps.authenticator.issue(user.id, deviceNameOf(ctx, body.device_name));
      ctx.body = success('Login successful', { token, user: presentUser(user) });
    }),
  );

  router.post('/auth/logout', authenticate(deps.authenticator), async (ctx) => {
    await deps.authenticator.revoke(currentAuth(ctx).tokenId);
    ctx.body = success('Logged out successfully', {});
  });

  router.get('/auth/me', authenticate(deps.authenticator), (ctx) => {
    ctx.body = success('User retrieved successfully', { user: presentUser(currentAuth(ctx).user) });
  });

  return router;
}
