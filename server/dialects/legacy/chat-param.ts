import type { Next } from 'koa';
import type { AppDeps } from '../../deps';
import { NotVisibleError } from '../../domain/errors';
import { authorizeChat } from '../../domain/visibility';
import { currentAuth, type ApiContext } from '../../http/context';
import { idParam } from '../../http/validate';

/**
 * A chat in the path: one the caller cannot see (or no chat at all) is a 404 before anything else
 * looks at the request (body validation, the send quota), as Laravel's route-model binding answers
 * before the form request. The rule itself is the domain's `authorizeChat`.
 */
export function visibleChatParam(deps: AppDeps) {
  return async (id: string, ctx: ApiContext, next: Next) => {
    const parsed = idParam.safeParse(id);
    if (!parsed.success) throw new NotVisibleError('chat');
    await authorizeChat(deps.store, currentAuth(ctx).user, parsed.data, 'view');
    return next();
  };
}

/** The chat id a route's param has already checked. */
export function chatIdOf(ctx: ApiContext, param: string): number {
  return Number(ctx.params[param]);
}
