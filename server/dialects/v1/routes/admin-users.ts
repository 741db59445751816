import type Router from '@koa/router';
import { z } from 'zod';
import { adminPasswordBody, adminUserCreateBody, adminUserListQuery, adminUserUpdateBody, type AdminUserListResponse } from '../../../../common/admin-api';
import { hashPassword } from '../../../auth/passwords';
import type { AppDeps } from '../../../deps';
import { NotVisibleError } from '../../../domain/errors';
import { createUser } from '../../../domain/users';
import type { AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { adminOnly } from '../admin-only';
import { presentAdminUser } from '../admin-presenters';
import { paginate } from '../pagination';

const userParams = z.object({ id: idParam });

/** `/admin/users`: operator accounts, for administrators. */
export function adminUserRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  const { store, users } = deps;

  const existing = async (id: number) => {
    const user = await store.users.byId(id);
    if (!user) throw new NotVisibleError('user');
    return user;
  };

  router.get(
    '/admin/users',
    adminOnly,
    validate({ query: adminUserListQuery }, async (ctx, { query }) => {
      const { rows, total } = await store.users.list({ search: query.search || undefined, role: query.role, isActive: query.is_active }, query.page, query.per_page);
      const body: AdminUserListResponse = {
        data: rows.map(presentAdminUser),
        ...paginate(`${deps.baseUrl()}/api/v1/admin/users`, ctx.query, query.page, query.per_page, total, rows.length),
      };
      ctx.body = body;
    }),
  );

  router.get(
    '/admin/users/:id',
    adminOnly,
    validate({ params: userParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminUser(await existing(params.id)) };
    }),
  );

  router.post(
    '/admin/users',
    adminOnly,
    validate({ body: adminUserCreateBody }, async (ctx, { body }) => {
      const id = await createUser(
        store,
        {
          name: body.name,
          email: body.email,
          role: body.role,
          passwordHash: await hashPassword(body.password),
          sourceIds: body.source_ids,
          departmentIds: body.department_ids,
          isActive: body.is_active,
        },
        deps.clock.now(),
      );
      ctx.status = 201;
      ctx.body = { data: presentAdminUser(await existing(id)) };
    }),
  );

  router.patch(
    '/admin/users/:id',
    adminOnly,
    validate({ params: userParams, body: adminUserUpdateBody }, async (ctx, { params, body }) => {
      const user = await users.update(params.id, {
        name: body.name,
        email: body.email,
        role: body.role,
        sourceIds: body.source_ids,
        departmentIds: body.department_ids,
        isActive: body.is_active,
      });
      ctx.body = { data: presentAdminUser(user) };
    }),
  );

  const setPassword = validate({ params: userParams, body: adminPasswordBody }, async (ctx, { params, body }) => {
    await existing(params.id);
    ctx.body = { data: presentAdminUser(await users.setPassword(params.id, await hashPassword(body.password))) };
  });
  router.put('/admin/users/:id/password', adminOnly, setPassword);
  router.post('/admin/users/:id/password', adminOnly, setPassword);

  router.post(
    '/admin/users/:id/deactivate',
    adminOnly,
    validate({ params: userParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminUser(await users.deactivate(params.id)) };
    }),
  );

  router.post(
    '/admin/users/:id/activate',
    adminOnly,
    validate({ params: userParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminUser(await users.activate(params.id)) };
    }),
  );

  return router;
}
