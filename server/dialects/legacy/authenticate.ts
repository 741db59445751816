import type { Middleware } from 'koa';
import { bearerOf, type Authenticator } from '../../auth/authenticator';
import type { AppState } from '../../http/context';
import { UnauthenticatedError } from '../../http/errors';

/** Requires a valid Bearer token of any active user: the legacy dialect serves employees too (DESIGN §8.1). */
export function authenticate(authenticator: Authenticator): Middleware<AppState> {
  return async (ctx, next) => {
    const auth = await authenticator.resolve(bearerOf(ctx.get('Authorization')));
    if (!auth) throw new UnauthenticatedError();
    ctx.state.auth = auth;
    await next();
  };
}
