import type Router from '@koa/router';
import { loginBody } from '../../../../common/schemas';
import { checkLogin, deviceNameOf } from '../../../auth/login';
import type { AppDeps } from '../../../deps';
import { isOperator } from '../../../domain/roles';
import { currentAuth, type AppState } from '../../../http/context';
import { validate } from '../../../http/validate';
import { authenticate } from '../authenticate';
import { presentUser } from '../presenters';
import { createRouter } from '../../../http/router';

export function authRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post(
    '/auth/login',
    // The body is validated before anything is counted: a malformed request costs a 422 and no limiter state.
    validate({ body: loginBody }, async (ctx, { body }) => {
      // v1 admits operators only (DESIGN §4).
      const user = await checkLogin(deps, ctx, body, isOperator);
      const token = await deps.authenticator.issue(user.id, deviceNameOf(ctx, body.device_name));
      ctx.body = { data: { token, user: presentUser(user) } };
    }),
  );

  router.post('/auth/logout', authenticate(deps.authenticator), async (ctx) => {
    await deps.authenticator.revoke(currentAuth(ctx).tokenId);
    ctx.body = { data: { message: 'Logged out successfully.' } };
  });

  router.get('/auth/me', authenticate(deps.authenticator), (ctx) => {
    ctx.body = { data: presentUser(currentAuth(ctx).user) };
  });

  return router;
}
