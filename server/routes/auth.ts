import Router from '@koa/router';
import { loginBody } from '../../common/schemas';
import { isOperator } from '../auth/authenticator';
import { hashPasswordSync, verifyPassword } from '../auth/passwords';
import { presentUser } from '../domain/presenters';
import { authenticate } from '../http/authenticate';
import { currentAuth, type AppState } from '../http/context';
import type { AppDeps } from '../http/deps';
import { ValidationError } from '../http/errors';
import { RateLimiter, throttle } from '../http/rate-limit';
import { validate } from '../http/validate';

let dummyHash: string | undefined;
/** Computed on first use: start-up should not pay for it. */
function getDummyHash(): string {
  dummyHash ??= hashPasswordSync('switchboard-dummy-password');
  return dummyHash;
}

export function authRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  const loginLimiter = new RateLimiter(deps.config.loginPerMinute, 60_000, deps.now);

  router.post(
    '/auth/login',
    throttle(loginLimiter, (ctx) => {
      const body = ctx.request.body;
      const email = typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email : '';
      return `${email.trim().toLowerCase()}|${ctx.ip}`;
    }),
    validate({ body: loginBody }, async (ctx, { body }) => {
      const user = deps.store.users.byEmail(body.email);
      // The same answer for an unknown email, a wrong password and a wrong role: nothing to enumerate.
      // An unknown email still pays for one hash, so response time does not reveal which emails exist.
      const passwordOk = await verifyPassword(body.password, user?.password_hash ?? getDummyHash());
      if (!user || !passwordOk || user.is_active !== 1 || !isOperator(user)) {
        throw ValidationError.field('email', 'These credentials do not match our records.');
      }
      const token = deps.authenticator.issue(user.id, body.device_name ?? (ctx.get('User-Agent').slice(0, 255) || 'api'));
      ctx.body = { data: { token, user: presentUser(user) } };
    }),
  );

  router.post('/auth/logout', authenticate(deps.authenticator), (ctx) => {
    deps.authenticator.revoke(currentAuth(ctx).tokenId);
    ctx.body = { data: { message: 'Logged out successfully.' } };
  });

  router.get('/auth/me', authenticate(deps.authenticator), (ctx) => {
    ctx.body = { data: presentUser(currentAuth(ctx).user) };
  });

  return router;
}
