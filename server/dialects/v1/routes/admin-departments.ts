import type Router from '@koa/router';
import { z } from 'zod';
import { adminDepartmentBody, type AdminDepartment, type AdminList } from '../../../../common/admin-api';
import type { AppDeps } from '../../../deps';
import { NotVisibleError } from '../../../domain/errors';
import { deleteDepartment } from '../../../domain/departments';
import type { AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { adminOnly } from '../admin-only';
import { presentAdminDepartment } from '../admin-presenters';

const departmentParams = z.object({ id: idParam });

/** `/admin/departments`; one still used by users or chats is not deleted (see domain/departments.ts). */
export function adminDepartmentRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  const { store } = deps;

  const existing = async (id: number) => {
    const department = await store.catalog.departmentUsage(id);
    if (!department) throw new NotVisibleError('resource');
    return department;
  };

  router.get('/admin/departments', adminOnly, async (ctx) => {
    const body: AdminList<AdminDepartment> = { data: (await store.catalog.departments()).map(presentAdminDepartment) };
    ctx.body = body;
  });

  router.get(
    '/admin/departments/:id',
    adminOnly,
    validate({ params: departmentParams }, async (ctx, { params }) => {
      ctx.body = { data: presentAdminDepartment(await existing(params.id)) };
    }),
  );

  router.post(
    '/admin/departments',
    adminOnly,
    validate({ body: adminDepartmentBody }, async (ctx, { body }) => {
      const id = await store.catalog.createDepartment(body.name, deps.clock.now());
      ctx.status = 201;
      ctx.body = { data: presentAdminDepartment(await existing(id)) };
    }),
  );

  router.patch(
    '/admin/departments/:id',
    adminOnly,
    validate({ params: departmentParams, body: adminDepartmentBody }, async (ctx, { params, body }) => {
      if (!(await store.catalog.renameDepartment(params.id, body.name, deps.clock.now()))) throw new NotVisibleError('resource');
      ctx.body = { data: presentAdminDepartment(await existing(params.id)) };
    }),
  );

  router.delete(
    '/admin/departments/:id',
    adminOnly,
    validate({ params: departmentParams }, async (ctx, { params }) => {
      await deleteDepartment(store, params.id);
      ctx.status = 204;
    }),
  );

  return router;
}
