import type Router from '@koa/router';
import { z } from 'zod';
import { adminWidgetCreateBody, adminWidgetUpdateBody, type AdminList, type AdminWidget } from '../../../../common/admin-api';
import type { AppDeps } from '../../../deps';
import { visibleWidget } from '../../../domain/widgets';
import { currentAuth, type AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { adminOnly } from '../admin-only';
import { presentAdminWidget } from '../admin-presenters';

const widgetParams = z.object({ id: idParam });
/** Every widget on one answer: a desk's settings list, not a feed. */
const ALL_WIDGETS = 1000;

/** `/admin/widgets`: the same widgets and rules as the CRM's `/chat/widgets.json` (domain/widgets.ts), in v1's shapes. */
export function adminWidgetRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  const { store, widgets } = deps;

  router.get('/admin/widgets', adminOnly, async (ctx) => {
    const { rows } = await store.widgets.list('all', 1, ALL_WIDGETS);
    const body: AdminList<AdminWidget> = { data: rows.map(presentAdminWidget) };
    ctx.body = body;
  });

  router.get(
    '/admin/widgets/:id',
    adminOnly,
    validate({ params: widgetParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminWidget(await visibleWidget(store, currentAuth(ctx).user, params.id)) };
    }),
  );

  router.post(
    '/admin/widgets',
    adminOnly,
    validate({ body: adminWidgetCreateBody }, async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { data: presentAdminWidget(await widgets.create(currentAuth(ctx).user, body.name, body.settings)) };
    }),
  );

  router.patch(
    '/admin/widgets/:id',
    adminOnly,
    validate({ params: widgetParams, body: adminWidgetUpdateBody }, async (ctx, { params, body }) => {
      const widget = await widgets.update(currentAuth(ctx).user, params.id, { name: body.name, settings: body.settings ?? {} });
      ctx.body = { data: presentAdminWidget(widget) };
    }),
  );

  router.post(
    '/admin/widgets/:id/token',
    adminOnly,
    validate({ params: widgetParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminWidget(await widgets.update(currentAuth(ctx).user, params.id, { settings: {}, regenerateToken: true })) };
    }),
  );

  router.delete(
    '/admin/widgets/:id',
    adminOnly,
    validate({ params: widgetParams }, async (ctx, { params }) => {
      await widgets.delete(currentAuth(ctx).user, params.id);
      ctx.status = 204;
    }),
  );

  return router;
}
