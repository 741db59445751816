import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { NotAllowedError, NotVisibleError } from '../../../domain/errors';
import { isAdmin } from '../../../domain/roles';
import { currentAuth, socketIdOf, type ApiContext, type AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { createRouter } from '../../../http/router';
import { idParam, parseInput } from '../../../http/validate';
import { rootBody } from '../body';
import { setPageHeaders } from '../pagination';
import { presentClient } from '../presenters';
import { clientCreateBody, clientUpdateBody, listQuery } from '../schemas';

/**
 * `/chat/clients…`: the CRM's contacts. They are the team's shared address book, not tied to a
 * source, so admins and moderators read, create and edit them; deleting one (which unlinks every
 * space linked to it) is for administrators.
 */
export function clientRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  const contactIn = async (ctx: ApiContext) => {
    const id = idParam.safeParse(ctx.params.id);
    const contact = id.success ? await deps.store.contacts.byId(id.data) : undefined;
    if (!contact) throw new NotVisibleError('resource');
    return contact;
  };

  router.get('/clients.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const query = parseInput(listQuery, ctx.query);
    const { rows, total } = await deps.store.contacts.list(query.page, query.per_page, query.search || undefined);
    setPageHeaders(ctx, deps.baseUrl(), query, total, { search: query.search });
    ctx.body = rows.map(presentClient);
  });

  router.post('/clients.json', async (ctx) => {
    const body = rootBody(ctx, 'client', clientCreateBody);
    const id = await deps.store.contacts.create(
      { name: body.name, email: body.email ?? null, phone: body.phone ?? null, company: body.company ?? null, notes: body.notes ?? null },
      deps.clock.now(),
    );
    ctx.status = 201;
    const contact = await deps.store.contacts.byId(id);
    if (!contact) throw new NotVisibleError('resource');
    ctx.body = presentClient(contact);
  });

  router.get('/clients/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    ctx.body = presentClient(await contactIn(ctx));
  });

  router.patch('/clients/:id.json', async (ctx) => {
    const contact = await contactIn(ctx);
    const body = rootBody(ctx, 'client', clientUpdateBody);
    await deps.spaces.updateContact(contact.id, body, socketIdOf(ctx));
    ctx.body = presentClient(await contactIn(ctx));
  });

  router.delete('/clients/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const contact = await contactIn(ctx);
    if (!isAdmin(currentAuth(ctx).user)) throw new NotAllowedError('Only administrators may delete clients.');
    await deps.spaces.deleteContact(contact.id, socketIdOf(ctx));
    ctx.status = 204;
  });

  return router;
}
