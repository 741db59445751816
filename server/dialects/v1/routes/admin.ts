import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import type { AppState } from '../../../http/context';
import { adminDepartmentRoutes } from './admin-departments';
import { adminSourceRoutes } from './admin-sources';
import { adminUserRoutes } from './admin-users';
import { adminWidgetRoutes } from './admin-widgets';

/** The Admin API (`/admin/…`), one router per resource; each route lets administrators only. */
export function adminRoutes(deps: AppDeps): Router<AppState>[] {
  return [adminUserRoutes(deps), adminSourceRoutes(deps), adminDepartmentRoutes(deps), adminWidgetRoutes(deps)];
}
