import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { InvalidFieldError } from '../../../domain/errors';
import type { ChatSummary } from '../../../domain/records';
import { scopeOf } from '../../../domain/visibility';
import { currentAuth, socketIdOf, type ApiContext, type AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { parseInput } from '../../../http/validate';
import { assertBodyParsed } from '../../../http/malformed-body';
import { rootBody } from '../body';
import { setPageHeaders } from '../pagination';
import { presentSpace } from '../presenters';
import { addClientBody, changeResponsibleBody, spaceCreateBody, spacesQuery, spaceUpdateBody } from '../schemas';
import { visibleSpace } from '../spaces-access';

/** The domain names the assignee `assigned_to`; the CRM calls them `responsible_id`. */
async function asResponsible<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof InvalidFieldError && error.errors.assigned_to) {
      throw new InvalidFieldError({ responsible_id: error.errors.assigned_to.map((m) => m.replace('assigned to', 'responsible id')) });
    }
    throw error;
  }
}

/** `/chat/spaces…`: a space is a chat of a widget (its customer, status and responsible operator). */
export function spaceRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  const present = async (chats: readonly ChatSummary[]) => {
    const counts = await deps.store.messages.countsByChat(chats.map((c) => c.id));
    return chats.map((chat) => presentSpace(chat, counts.get(chat.id) ?? 0));
  };
  const presentOne = async (chatId: number) => (await present([await deps.chats.chat(chatId)]))[0];

  const list = (tab: 'all' | 'my') => async (ctx: ApiContext) => {
    assertBodyParsed(ctx.request);
    const query = parseInput(spacesQuery, ctx.query);
    const { user } = currentAuth(ctx);
    const { rows, total } = await deps.store.chats.list(
      {
        scope: scopeOf(user),
        userId: user.id,
        tab,
        sourceType: 'widget',
        sourceId: query.widget_id,
        status: query.status === undefined ? undefined : query.status === 'closed' ? 'closed' : 'open',
        search: query.search || undefined,
      },
      query.page,
      query.per_page,
    );
    setPageHeaders(ctx, deps.baseUrl(), query, total, { widget_id: query.widget_id, status: query.status, search: query.search });
    ctx.body = await present(rows);
  };

  router.get('/spaces.json', list('all'));
  // Before `/spaces/:id.json`, which would take "my_spaces" for an id.
  router.get('/spaces/my_spaces.json', list('my'));

  router.post('/spaces.json', async (ctx) => {
    const body = rootBody(ctx, 'space', spaceCreateBody);
    const chat = await deps.spaces.create(
      currentAuth(ctx).user,
      {
        widgetId: body.widget_id,
        contactId: body.client_id ?? null,
        responsibleId: body.responsible_id ?? null,
        name: body.name,
        email: body.email,
        phone: body.phone,
      },
      socketIdOf(ctx),
    );
    ctx.status = 201;
    ctx.body = await presentOne(chat.id);
  });

  router.get('/spaces/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const chat = await visibleSpace(deps, currentAuth(ctx).user, ctx.params.id);
    ctx.body = await presentOne(chat.id);
  });

  router.patch('/spaces/:id.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    const body = rootBody(ctx, 'space', spaceUpdateBody);
    await deps.spaces.update(user, chat.id, { name: body.name, email: body.email, phone: body.phone }, body.client_id, socketIdOf(ctx));
    ctx.body = await presentOne(chat.id);
  });

  router.delete('/spaces/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    await deps.spaces.delete(user, chat.id, socketIdOf(ctx));
    ctx.status = 204;
  });

  router.post('/spaces/:id/open.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    await deps.spaces.reopen(user, chat.id, socketIdOf(ctx));
    ctx.body = await presentOne(chat.id);
  });

  router.post('/spaces/:id/close.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    await deps.chats.close(user, chat.id, socketIdOf(ctx));
    ctx.body = await presentOne(chat.id);
  });

  router.post('/spaces/:id/add_client.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    const body = rootBody(ctx, 'space', addClientBody);
    await deps.spaces.update(user, chat.id, {}, body.client_id, socketIdOf(ctx));
    ctx.body = await presentOne(chat.id);
  });

  router.post('/spaces/:id/remove_client.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    await deps.spaces.update(user, chat.id, {}, null, socketIdOf(ctx));
    ctx.body = await presentOne(chat.id);
  });

  router.post('/spaces/:id/change_responsible.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const chat = await visibleSpace(deps, user, ctx.params.id);
    const body = rootBody(ctx, 'space', changeResponsibleBody);
    await asResponsible(deps.chats.transfer(user, chat.id, { assigned_to: body.responsible_id, note: body.note ?? undefined }, socketIdOf(ctx)));
    ctx.body = await presentOne(chat.id);
  });

  return router;
}
