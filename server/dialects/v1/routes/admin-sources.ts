import type Router from '@koa/router';
import { z } from 'zod';
import { adminSourceCreateBody, adminSourceUpdateBody, type AdminList, type AdminSource } from '../../../../common/admin-api';
import type { AppDeps } from '../../../deps';
import { createSource, renameSource, rotateWebhookSecret, sourceOrMissing } from '../../../domain/sources';
import type { AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { adminOnly } from '../admin-only';
import { presentAdminSource, presentSourceWithSecret } from '../admin-presenters';

const sourceParams = z.object({ id: idParam });

/** `/admin/sources`: channels and their webhook secrets, each shown once (on creation and rotation). */
export function adminSourceRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  const { store } = deps;

  router.get('/admin/sources', adminOnly, async (ctx) => {
    const body: AdminList<AdminSource> = { data: (await store.catalog.sources()).map((source) => presentAdminSource(source, deps.baseUrl())) };
    ctx.body = body;
  });

  router.get(
    '/admin/sources/:id',
    adminOnly,
    validate({ params: sourceParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminSource(await sourceOrMissing(store, params.id), deps.baseUrl()) };
    }),
  );

  router.post(
    '/admin/sources',
    adminOnly,
    validate({ body: adminSourceCreateBody }, async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { data: presentSourceWithSecret(await createSource(store, body, deps.clock.now()), deps.baseUrl()) };
    }),
  );

  router.patch(
    '/admin/sources/:id',
    adminOnly,
    validate({ params: sourceParams, body: adminSourceUpdateBody }, async (ctx, { params, body }) => {
      ctx.body = { data: presentAdminSource(await renameSource(store, params.id, body.name, deps.clock.now()), deps.baseUrl()) };
    }),
  );

  router.post(
    '/admin/sources/:id/secret',
    adminOnly,
    validate({ params: sourceParams }, async (ctx, { params }) => {
      ctx.body = { data: presentSourceWithSecret(await rotateWebhookSecret(store, params.id, deps.clock.now()), deps.baseUrl()) };
    }),
  );

  return router;
}
