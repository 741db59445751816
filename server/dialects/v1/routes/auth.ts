import Router from '@koa/router';
import { loginBody } from '../../../../common/schemas';
import { hashPasswordSync, verifyPassword } from '../../../auth/passwords';
import type { AppDeps } from '../../../deps';
import { isOperator } from '../../../domain/roles';
import { currentAuth, type AppState } from '../../../http/context';
import { ValidationError } from '../../../http/errors';
import { throttle } from '../../../http/throttle';
import { validate } from '../../../http/validate';
import { authenticate } from '../authenticate';
import { presentUser } from '../presenters';

let dummyHash: string | undefined;
/** Computed on first use: start-up should not pay for it. */
function getDummyHash(): string {
  dummyHash ??= hashPasswordSync('switchboard-dummy-password');
  return dummyHash;
}

export function authRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.post(
    '/auth/login',
    throttle(deps.limits.login, (ctx) => {
      const body = ctx.request.body;
      const email = typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email : '';
      return `${email.trim().toLowerCase()}|${ctx.ip}`;
    }),
    validate({ body: loginBody }, async (ctx, { body }) => {
      const user = await deps.store.users.byEmail(body.email);
      // The same answer for an unknown email, a wrong password and a wrong role: nothing to enumerate.
      // An unknown email still pays for one hash, so response time does not reveal which emails exist.
      const passwordOk = await verifyPassword(body.password, user?.password_hash ?? getDummyHash());
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
