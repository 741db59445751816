import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from '../../../domain/errors';
import type { CannedResponseRecord, UserRecord } from '../../../domain/records';
import { isAdmin } from '../../../domain/roles';
import { canSeeSource, visibleSourceIds } from '../../../domain/visibility';
import { currentAuth, type ApiContext, type AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { idParam, parseInput } from '../../../http/validate';
import { rootBody } from '../body';
import { offsetOf, setPageHeaders } from '../pagination';
import { presentTemplate } from '../presenters';
import { listQuery, templateCreateBody, templateUpdateBody } from '../schemas';

const ADMINS_ONLY = 'Only administrators may manage templates.';

/**
 * `/chat/templates…`: the canned responses every dialect shares, in the CRM's words (name = title,
 * content = text, widget_id = source). Operators read the ones of their sources and the shared ones
 * (active only, for moderators); administrators write.
 */
export function templateRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  const visible = async (user: UserRecord, rawId: unknown): Promise<CannedResponseRecord> => {
    const id = idParam.safeParse(rawId);
    const row = id.success ? await deps.store.catalog.cannedResponse(id.data) : undefined;
    const seen = row && (row.source_id === null || canSeeSource(user, row.source_id)) && (isAdmin(user) || row.is_active);
    if (!row || !seen) throw new NotVisibleError('resource');
    return row;
  };
  const requireWidget = async (widgetId: number | null | undefined) => {
    if (typeof widgetId === 'number' && !(await deps.store.widgets.byId(widgetId))) throw InvalidFieldError.field('widget_id', 'The selected widget id is invalid.');
  };
  const adminOnly = (user: UserRecord) => {
    if (!isAdmin(user)) throw new NotAllowedError(ADMINS_ONLY);
  };

  router.get('/templates.json', async (ctx: ApiContext) => {
    assertBodyParsed(ctx.request);
    const query = parseInput(listQuery, ctx.query);
    const { user } = currentAuth(ctx);
    const rows = await deps.store.catalog.cannedResponses({ visibleSourceIds: visibleSourceIds(user), q: query.search || undefined, includeInactive: isAdmin(user) });
    setPageHeaders(ctx, deps.baseUrl(), query, rows.length, { search: query.search });
    ctx.body = rows.slice(offsetOf(query), offsetOf(query) + query.per_page).map(presentTemplate);
  });

  router.post('/templates.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    adminOnly(user);
    const body = rootBody(ctx, 'template', templateCreateBody);
    await requireWidget(body.widget_id);
    const id = await deps.store.catalog.createCannedResponse(
      { source_id: body.widget_id ?? null, code: body.code, title: body.name, text: body.content, is_active: body.active ?? true },
      deps.clock.now(),
    );
    ctx.status = 201;
    ctx.body = presentTemplate(await visible(user, id));
  });

  router.get('/templates/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    ctx.body = presentTemplate(await visible(currentAuth(ctx).user, ctx.params.id));
  });

  router.patch('/templates/:id.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const row = await visible(user, ctx.params.id);
    adminOnly(user);
    const body = rootBody(ctx, 'template', templateUpdateBody);
    await requireWidget(body.widget_id);
    await deps.store.catalog.updateCannedResponse(
      row.id,
      { source_id: body.widget_id, code: body.code, title: body.name, text: body.content, is_active: body.active },
      deps.clock.now(),
    );
    ctx.body = presentTemplate(await visible(user, row.id));
  });

  router.delete('/templates/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const row = await visible(user, ctx.params.id);
    adminOnly(user);
    await deps.store.catalog.deleteCannedResponse(row.id);
    ctx.status = 204;
  });

  return router;
}
