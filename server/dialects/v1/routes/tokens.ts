import type Router from '@koa/router';
import { personalTokenBody } from '../../../../common/account-api';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { currentAuth, type AppState } from '../../../http/context';
import { NotFoundError } from '../../../http/errors';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { presentPersonalToken } from '../token-presenters';

/** `/tokens`: the caller's own personal API tokens (DESIGN §10). Another user's token is not found. */
export function tokenRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.get('/tokens', async (ctx) => {
    const tokens = await deps.store.tokens.listOf(currentAuth(ctx).user.id, 'personal');
    ctx.body = { data: tokens.map(presentPersonalToken) };
  });

  router.post(
    '/tokens',
    validate({ body: personalTokenBody }, async (ctx, { body }) => {
      const { user } = currentAuth(ctx);
      const plain = await deps.authenticator.issue(user.id, body.name, 'personal');
      const token = await deps.store.tokens.byId(Number(plain.slice(0, plain.indexOf('|'))));
      if (!token) throw new Error('the token just created is missing');
      ctx.status = 201;
      // The only time the secret is shown: only its hash is kept.
      ctx.body = { data: { ...presentPersonalToken(token), token: plain } };
    }),
  );

  router.delete(
    '/tokens/:id',
    validate({ params: z.object({ id: idParam }) }, async (ctx, { params }) => {
      if (!(await deps.authenticator.revokeOwn(currentAuth(ctx).user.id, params.id, 'personal'))) throw new NotFoundError();
      ctx.status = 204;
    }),
  );

  return router;
}
