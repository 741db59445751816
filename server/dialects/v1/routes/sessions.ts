import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { currentAuth, type AppState } from '../../../http/context';
import { NotFoundError } from '../../../http/errors';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { presentSession } from '../token-presenters';

/** `/sessions`: where the caller is signed in, and signing out other devices (DESIGN §10). */
export function sessionRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.get('/sessions', async (ctx) => {
    const { user, tokenId } = currentAuth(ctx);
    const sessions = await deps.store.tokens.listOf(user.id, 'session');
    ctx.body = { data: sessions.map((session) => presentSession(session, tokenId)) };
  });

  // Personal API tokens are not devices: an integration keeps working when its owner signs out elsewhere.
  router.post('/sessions/others/revoke', async (ctx) => {
    const { user, tokenId } = currentAuth(ctx);
    const others = (await deps.store.tokens.listOf(user.id, 'session')).filter((session) => session.id !== tokenId);
    for (const session of others) await deps.authenticator.revoke(session.id);
    ctx.body = { data: { revoked: others.length } };
  });

  router.delete(
    '/sessions/:id',
    validate({ params: z.object({ id: idParam }) }, async (ctx, { params }) => {
      if (!(await deps.authenticator.revokeOwn(currentAuth(ctx).user.id, params.id, 'session'))) throw new NotFoundError();
      ctx.status = 204;
    }),
  );

  return router;
}
