import type Router from '@koa/router';
import { createHash } from 'node:crypto';
import { loginBody } from '../../../../common/schemas';
import { dummyPasswordHash, verifyPassword } from '../../../auth/passwords';
import type { AppDeps } from '../../../deps';
import { isOperator } from '../../../domain/roles';
import { currentAuth, type AppState } from '../../../http/context';
import { ValidationError } from '../../../http/errors';
import { consumeLimit } from '../../../http/throttle';
import { validate } from '../../../http/validate';
import { authenticate } from '../authenticate';
import { presentUser } from '../presenters';
import { createRouter } from '../../../http/router';

/** The login limiter's key: a fixed-size digest, so what a client sends never decides how much the limiter keeps. */
function loginKey(email: string, ip: string): string {
  return createHash('sha256').update(`${email.trim().toLowerCase()}\n${ip}`).digest('base64url');
}

export function authRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post(
    '/auth/login',
    // The body is validated before anything is counted: a malformed request costs a 422 and no limiter state.
    validate({ body: loginBody }, async (ctx, { body }) => {
      consumeLimit(ctx, deps.limits.loginPerIp, ctx.ip);
      consumeLimit(ctx, deps.limits.login, loginKey(body.email, ctx.ip));
      const user = await deps.store.users.byEmail(body.email);
      // The same answer for an unknown email, a wrong password and a wrong role: nothing to enumerate.
      // An unknown email still pays for one hash, so response time does not reveal which emails exist.
      const passwordOk = await verifyPassword(body.password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !passwordOk || !user.is_active || !isOperator(user)) {
        throw ValidationError.field('email', 'These credentials do not match our records.');
      }
      const token = await deps.authenticator.issue(user.id, body.device_name ?? (ctx.get('User-Agent').slice(0, 255) || 'api'));
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
