import type { Next } from 'koa';
import { isAdmin } from '../../domain/roles';
import { currentAuth, type ApiContext } from '../../http/context';
import { ForbiddenError } from '../../http/errors';

/**
 * The Admin API's guard, before any validation (as a Laravel form request authorizes before it
 * validates): a moderator learns "forbidden", not what a valid request would look like, nor
 * whether an id exists.
 */
export function adminOnly(ctx: ApiContext, next: Next): Promise<void> {
  if (!isAdmin(currentAuth(ctx).user)) throw new ForbiddenError('Only administrators may use the admin API.');
  return next();
}
