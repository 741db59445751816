import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { NotAllowedError, NotVisibleError } from '../../../domain/errors';
import type { UserRecord } from '../../../domain/records';
import { isAdmin } from '../../../domain/roles';
import { visibleSourceIds } from '../../../domain/visibility';
import { visibleWidget } from '../../../domain/widgets';
import { currentAuth, type ApiContext, type AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { idParam, parseInput } from '../../../http/validate';
import { rootBody } from '../body';
import { setPageHeaders } from '../pagination';
import { presentWidget } from '../presenters';
import { listQuery, widgetCreateBody, widgetUpdateBody } from '../schemas';

const ADMINS_ONLY = 'Only administrators may manage widgets.';

/** `/chat/widgets…`: widgets with every setting; moderators read their sources' widgets, admins write. */
export function widgetRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  /** The widget in the path, visible to the user; a write also needs an admin, checked before the body is. */
  const widgetIn = async (ctx: ApiContext, user: UserRecord, write: boolean) => {
    const id = idParam.safeParse(ctx.params.id);
    if (!id.success) throw new NotVisibleError('resource');
    const widget = await visibleWidget(deps.store, user, id.data);
    if (write && !isAdmin(user)) throw new NotAllowedError(ADMINS_ONLY);
    return widget;
  };

  router.get('/widgets.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const query = parseInput(listQuery, ctx.query);
    const { rows, total } = await deps.store.widgets.list(visibleSourceIds(currentAuth(ctx).user), query.page, query.per_page);
    setPageHeaders(ctx, deps.baseUrl(), query, total);
    ctx.body = rows.map(presentWidget);
  });

  router.post('/widgets.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    if (!isAdmin(user)) throw new NotAllowedError(ADMINS_ONLY);
    const { name, ...settings } = rootBody(ctx, 'widget', widgetCreateBody);
    const widget = await deps.widgets.create(user, name, settings);
    ctx.status = 201;
    ctx.body = presentWidget(widget);
  });

  router.get('/widgets/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    ctx.body = presentWidget(await widgetIn(ctx, currentAuth(ctx).user, false));
  });

  router.patch('/widgets/:id.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const widget = await widgetIn(ctx, user, true);
    const { name, token, ...settings } = rootBody(ctx, 'widget', widgetUpdateBody);
    ctx.body = presentWidget(await deps.widgets.update(user, widget.id, { name, settings, regenerateToken: token === null }));
  });

  router.delete('/widgets/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const widget = await widgetIn(ctx, user, true);
    await deps.widgets.delete(user, widget.id);
    ctx.status = 204;
  });

  return router;
}
