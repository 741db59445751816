import { z } from 'zod';
import { passwordChangeBody, personalTokenBody, profileBody } from './account-api';
import {
  adminDepartmentBody,
  adminSourceCreateBody,
  adminSourceUpdateBody,
  adminUserCreateBody,
  adminUserUpdateBody,
  adminWidgetCreateBody,
  adminWidgetUpdateBody,
} from './admin-api';
import type { AdminBridgeRequests } from './bridge-admin';
import { cannedResponseBody, cannedResponsePatch } from './schemas';

// The arguments of the Settings requests (common/bridge-admin.ts), for where a request crosses into
// the engine. A body is checked with the very schema the server validates it with, so a malformed
// one is refused before it is sent.

const id = () => z.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number');
const none = z.object({});
const byId = z.object({ id: id() });

export type AdminBridgeSchemas = { [K in keyof AdminBridgeRequests]: z.ZodType<AdminBridgeRequests[K]['args']> };

export const ADMIN_BRIDGE_SCHEMAS: AdminBridgeSchemas = {
  'account.profile': none,
  'account.updateProfile': z.object({ body: profileBody }),
  'account.changePassword': z.object({ body: passwordChangeBody }),
  'tokens.list': none,
  'tokens.create': personalTokenBody,
  'tokens.revoke': byId,
  'devices.list': none,
  'devices.signOutOthers': none,
  'devices.signOut': byId,

  'admin.canned.list': none,
  'admin.canned.create': z.object({ body: cannedResponseBody }),
  'admin.canned.update': z.object({ id: id(), body: cannedResponsePatch }),
  'admin.canned.delete': byId,

  'admin.users.list': none,
  'admin.users.create': z.object({ body: adminUserCreateBody }),
  'admin.users.update': z.object({ id: id(), body: adminUserUpdateBody }),
  'admin.users.setActive': z.object({ id: id(), active: z.boolean({ error: 'must be true or false' }) }),

  'admin.sources.list': none,
  'admin.sources.create': z.object({ body: adminSourceCreateBody }),
  'admin.sources.update': z.object({ id: id(), body: adminSourceUpdateBody }),
  'admin.sources.rotateSecret': byId,

  'admin.departments.list': none,
  'admin.departments.create': z.object({ body: adminDepartmentBody }),
  'admin.departments.update': z.object({ id: id(), body: adminDepartmentBody }),
  'admin.departments.delete': byId,

  'admin.widgets.list': none,
  'admin.widgets.create': z.object({ body: adminWidgetCreateBody }),
  'admin.widgets.update': z.object({ id: id(), body: adminWidgetUpdateBody }),
};
