import type Router from '@koa/router';
import { z } from 'zod';
import { queryInt } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import { authorizeChat, canView } from '../../../domain/visibility';
import { currentAuth, type AppState } from '../../../http/context';
import { validate } from '../../../http/validate';
import { createRouter } from '../../../http/router';

/** Active operators, for the desk's transfer picker; `chat_id` narrows to those who can see that chat. */
export function operatorRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.get(
    '/operators',
    validate({ query: z.object({ chat_id: queryInt().pipe(z.number().positive()).optional() }) }, async (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const chat = query.chat_id === undefined ? undefined : await authorizeChat(deps.store, user, query.chat_id, 'view');
      const operators = (await deps.store.users.operators()).filter((user) => !chat || canView(user, chat));
      ctx.body = { data: operators.map((user) => ({ id: user.id, name: user.name, roles: user.roles })) };
    }),
  );

  return router;
}
