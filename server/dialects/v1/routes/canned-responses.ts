import type Router from '@koa/router';
import type { Next } from 'koa';
import { z } from 'zod';
import { cannedResponseBody, cannedResponsePatch, cannedResponsesQuery } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import type { UserRecord } from '../../../domain/records';
import { isAdmin } from '../../../domain/roles';
import { currentAuth, type ApiContext, type AppState } from '../../../http/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../http/errors';
import { idParam, validate } from '../../../http/validate';
import { presentCannedResponse } from '../presenters';
import { createRouter } from '../../../http/router';

const cannedParams = z.object({ id: idParam });

export function cannedResponseRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  // Before validation, as a Laravel form request authorizes before it validates: a moderator learns
  // "forbidden", not what a valid template would look like.
  const adminOnly = (ctx: ApiContext, next: Next) => {
    if (!isAdmin(currentAuth(ctx).user)) throw new ForbiddenError('Only administrators may manage canned responses.');
    return next();
  };
  const requireSource = async (sourceId: number | null | undefined) => {
    if (typeof sourceId === 'number' && !(await deps.store.catalog.source(sourceId))) {
      throw ValidationError.field('source_id', 'The selected source id is invalid.');
    }
  };
  /** A template of another source is as absent as a chat you cannot see. */
  const visible = async (user: UserRecord, id: number) => {
    const row = await deps.store.catalog.cannedResponse(id);
    if (!row || (!isAdmin(user) && row.source_id !== null && !user.source_ids.includes(row.source_id))) throw new NotFoundError();
    if (!isAdmin(user) && !row.is_active) throw new NotFoundError();
    return row;
  };

  router.get(
    '/canned-responses',
    validate({ query: cannedResponsesQuery }, async (ctx, { query }) => {
      const { user } = currentAuth(ctx);
      const rows = await deps.store.catalog.cannedResponses({
        visibleSourceIds: isAdmin(user) ? 'all' : user.source_ids,
        sourceId: query.source_id,
        q: query.q || undefined,
        includeInactive: isAdmin(user) && query.include_inactive === true,
      });
      ctx.body = { data: rows.map(presentCannedResponse) };
    }),
  );

  router.get(
    '/canned-responses/:id',
    validate({ params: cannedParams }, async (ctx, { params }) => {
      ctx.body = { data: presentCannedResponse(await visible(currentAuth(ctx).user, params.id)) };
    }),
  );

  router.post(
    '/canned-responses',
    adminOnly,
    validate({ body: cannedResponseBody }, async (ctx, { body }) => {
      await requireSource(body.source_id);
      const id = await deps.store.catalog.createCannedResponse(body, deps.clock.now());
      ctx.status = 201;
      ctx.body = { data: presentCannedResponse(await visible(currentAuth(ctx).user, id)) };
    }),
  );

  router.patch(
    '/canned-responses/:id',
    adminOnly,
    validate({ params: cannedParams, body: cannedResponsePatch }, async (ctx, { params, body }) => {
      const { user } = currentAuth(ctx);
      await visible(user, params.id);
      await requireSource(body.source_id);
      await deps.store.catalog.updateCannedResponse(params.id, body, deps.clock.now());
      ctx.body = { data: presentCannedResponse(await visible(user, params.id)) };
    }),
  );

  router.delete(
    '/canned-responses/:id',
    adminOnly,
    validate({ params: cannedParams }, async (ctx, { params }) => {
      const { user } = currentAuth(ctx);
      await visible(user, params.id);
      await deps.store.catalog.deleteCannedResponse(params.id);
      ctx.body = { data: { message: 'Canned response deleted.' } };
    }),
  );

  return router;
}
