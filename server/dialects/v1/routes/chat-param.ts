import type { Next } from 'koa';
import type { AppDeps } from '../../../deps';
import { authorizeChat } from '../../../domain/visibility';
import { currentAuth, type ApiContext } from '../../../http/context';
import { NotFoundError } from '../../../http/errors';
import { idParam } from '../../../http/validate';

/**
 * The `:id` of every `/chats/{id}/…` route: a chat the caller cannot see does not exist for them,
 * so it is a 404 before anything else looks at the request (body validation, the send rate limit),
 * as Laravel's route-model binding answers before the form request.
 */
export function visibleChatParam(deps: AppDeps) {
  return async (id: string, ctx: ApiContext, next: Next) => {
    const parsed = idParam.safeParse(id);
    if (!parsed.success) throw new NotFoundError();
    await authorizeChat(deps.store, currentAuth(ctx).user, parsed.data, 'view');
    return next();
  };
}
