import type { Middleware } from 'koa';
import { bearerOf, type Authenticator } from '../../auth/authenticator';
import { isOperator } from '../../domain/roles';
import type { AppState } from '../../http/context';
import { ForbiddenError, UnauthenticatedError } from '../../http/errors';

/** Requires a valid Bearer token of an active admin or moderator (the v1 API's audience). */
export function authenticate(authenticator: Authenticator): Middleware<AppState> {
  return async (ctx, next) => {
    const auth = await authenticator.resolve(bearerOf(ctx.get('Authorization')));
    if (!auth) throw new UnauthenticatedError();
    if (!isOperator(auth.user)) throw new ForbiddenError('Only administrators and moderators may use this API.');
    ctx.state.auth = auth;
    await next();
  };
}
