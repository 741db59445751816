import type { z } from 'zod';
import type { passwordChangeBody, profileBody } from './account-api';
import type { ApiCannedResponse, ApiUser } from './api';
import type {
  AdminDepartment,
  AdminDepartmentInput,
  AdminSource,
  AdminSourceCreate,
  AdminSourceUpdate,
  AdminSourceWithSecret,
  AdminUser,
  AdminUserCreate,
  AdminUserUpdate,
  AdminWidget,
  AdminWidgetCreate,
  AdminWidgetUpdate,
} from './admin-api';
import type { cannedResponseBody, cannedResponsePatch } from './schemas';

// The bridge requests behind Settings: the signed-in user's own account (everyone) and the
// administration screens (admins; the server refuses others with 403). Merged into
// `BridgeRequests` (common/bridge.ts). Unlike the chat views these are online-only and not cached:
// an administrator edits the server's current state, so a request made offline fails with
// `offline` instead of being queued. Resources travel as the server shapes them on the wire
// (snake_case), so the forms validate with the very zod schemas the server uses.

export interface PersonalTokenView {
  id: number;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface SignedInDeviceView extends PersonalTokenView {
  /** This desk's own session. */
  current: boolean;
  expiresAt: number | null;
}

type Empty = Record<string, never>;

export interface AccountBridgeRequests {
  /** The signed-in user as the server knows them now (`GET /auth/me`). */
  'account.profile': { args: Empty; result: { user: ApiUser } };
  'account.updateProfile': { args: { body: z.input<typeof profileBody> }; result: { user: ApiUser } };
  /** Signs out the user's other devices; this desk stays signed in. */
  'account.changePassword': { args: { body: z.input<typeof passwordChangeBody> }; result: { signedOut: number } };
  'tokens.list': { args: Empty; result: { tokens: PersonalTokenView[] } };
  /** `secret` is shown once: the server keeps only its hash. */
  'tokens.create': { args: { name: string }; result: { token: PersonalTokenView; secret: string } };
  'tokens.revoke': { args: { id: number }; result: { ok: true } };
  'devices.list': { args: Empty; result: { devices: SignedInDeviceView[] } };
  /** Signs out every other device of this user; personal tokens keep working. */
  'devices.signOutOthers': { args: Empty; result: { revoked: number } };
  'devices.signOut': { args: { id: number }; result: { ok: true } };
}

export interface CannedBridgeRequests {
  /** Every canned response, inactive ones too (admins). */
  'admin.canned.list': { args: Empty; result: { items: ApiCannedResponse[] } };
  'admin.canned.create': { args: { body: z.input<typeof cannedResponseBody> }; result: { item: ApiCannedResponse } };
  'admin.canned.update': { args: { id: number; body: z.input<typeof cannedResponsePatch> }; result: { item: ApiCannedResponse } };
  'admin.canned.delete': { args: { id: number }; result: { ok: true } };
}

export interface ManagementBridgeRequests {
  /** Every operator account, inactive ones too, by name (the server's pages, fetched through). */
  'admin.users.list': { args: Empty; result: { users: AdminUser[] } };
  /** Invites an operator: the account exists at once with the password given. */
  'admin.users.create': { args: { body: AdminUserCreate }; result: { user: AdminUser } };
  'admin.users.update': { args: { id: number; body: AdminUserUpdate }; result: { user: AdminUser } };
  /** Deactivating signs the user out everywhere. */
  'admin.users.setActive': { args: { id: number; active: boolean }; result: { user: AdminUser } };

  'admin.sources.list': { args: Empty; result: { sources: AdminSource[] } };
  /** The webhook secret is in the answer once. */
  'admin.sources.create': { args: { body: AdminSourceCreate }; result: { source: AdminSourceWithSecret } };
  'admin.sources.update': { args: { id: number; body: AdminSourceUpdate }; result: { source: AdminSource } };
  /** A new webhook secret (shown once); the old one stops working at once. */
  'admin.sources.rotateSecret': { args: { id: number }; result: { source: AdminSourceWithSecret } };

  'admin.departments.list': { args: Empty; result: { departments: AdminDepartment[] } };
  'admin.departments.create': { args: { body: AdminDepartmentInput }; result: { department: AdminDepartment } };
  'admin.departments.update': { args: { id: number; body: AdminDepartmentInput }; result: { department: AdminDepartment } };
  /** Refused (validation) while users or chats use it. */
  'admin.departments.delete': { args: { id: number }; result: { ok: true } };

  'admin.widgets.list': { args: Empty; result: { widgets: AdminWidget[] } };
  'admin.widgets.create': { args: { body: AdminWidgetCreate }; result: { widget: AdminWidget } };
  'admin.widgets.update': { args: { id: number; body: AdminWidgetUpdate }; result: { widget: AdminWidget } };
}

export interface AdminBridgeRequests extends AccountBridgeRequests, CannedBridgeRequests, ManagementBridgeRequests {}

export const ADMIN_REQUEST_NAMES = [
  'account.profile',
  'account.updateProfile',
  'account.changePassword',
  'tokens.list',
  'tokens.create',
  'tokens.revoke',
  'devices.list',
  'devices.signOutOthers',
  'devices.signOut',
  'admin.canned.list',
  'admin.canned.create',
  'admin.canned.update',
  'admin.canned.delete',
  'admin.users.list',
  'admin.users.create',
  'admin.users.update',
  'admin.users.setActive',
  'admin.sources.list',
  'admin.sources.create',
  'admin.sources.update',
  'admin.sources.rotateSecret',
  'admin.departments.list',
  'admin.departments.create',
  'admin.departments.update',
  'admin.departments.delete',
  'admin.widgets.list',
  'admin.widgets.create',
  'admin.widgets.update',
] as const satisfies readonly (keyof AdminBridgeRequests)[];

