import type { Middleware } from 'koa';
import { bearerOf, type Authenticator } from '../../auth/authenticator';
import { isOperator } from '../../domain/roles';
import type { AppState } from '../../http/context';
import { UnauthenticatedError } from '../../http/errors';

/** The token of a CRM request: `?api_token=` (the module's own habit), else `Authorization: Bearer`. */
function tokenOf(query: Record<string, unknown>, authorization: string): string {
  const fromQuery = query.api_token;
  if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  return bearerOf(authorization);
}

/**
 * Requires a Sanctum token (a login or a personal API token) of an active admin or moderator. Anyone
 * else, employees included, is unknown to the CRM module: 401 `{"error":"Unauthorized"}`.
 */
export function authenticate(authenticator: Authenticator): Middleware<AppState> {
  return async (ctx, next) => {
    const auth = await authenticator.resolve(tokenOf(ctx.query, ctx.get('Authorization')));
    if (!auth || !isOperator(auth.user)) throw new UnauthenticatedError();
    ctx.state.auth = auth;
    await next();
  };
}
