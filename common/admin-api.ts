import { z } from 'zod';
import { ROLES, type Paginated, type Role, type SourceType, type Timestamp } from './api';
import { passwordProblem, PASSWORD_MAX_LENGTH } from './password-rules';
import { queryBool, queryInt } from './schemas';
import { widgetSettingsPatchSchema, type WidgetSettings } from './widget-settings';

// The v1 Admin API (`/api/v1/admin/…`, administrators only): its wire types and the request
// schemas the server validates with. The desk's administration forms validate with the same
// schemas, so a form refuses exactly what the server would. Errors are v1's (`{message, code,
// errors?}`); a moderator or employee gets 403 and nothing changes.
//
//   GET    /admin/users?page&per_page&search&role&is_active  → AdminUserListResponse
//   POST   /admin/users            adminUserCreateBody          → 201 AdminOne<AdminUser>
//   GET    /admin/users/{id}                                    → AdminOne<AdminUser>
//   PATCH  /admin/users/{id}       adminUserUpdateBody          → AdminOne<AdminUser>
//   PUT|POST /admin/users/{id}/password  adminPasswordBody      → AdminOne<AdminUser> (their logins end)
//   POST   /admin/users/{id}/deactivate | /activate             → AdminOne<AdminUser>
//   GET    /admin/sources                                       → AdminList<AdminSource>
//   POST   /admin/sources          adminSourceCreateBody        → 201 AdminOne<AdminSourceWithSecret>
//   GET    /admin/sources/{id}                                  → AdminOne<AdminSource>
//   PATCH  /admin/sources/{id}     adminSourceUpdateBody        → AdminOne<AdminSource>
//   POST   /admin/sources/{id}/secret                           → AdminOne<AdminSourceWithSecret>
//   GET    /admin/departments                                   → AdminList<AdminDepartment>
//   POST   /admin/departments      adminDepartmentBody          → 201 AdminOne<AdminDepartment>
//   PATCH  /admin/departments/{id} adminDepartmentBody          → AdminOne<AdminDepartment>
//   DELETE /admin/departments/{id}                              → 204; 422 while users or chats use it
//   GET    /admin/widgets                                       → AdminList<AdminWidget>
//   POST   /admin/widgets          adminWidgetCreateBody        → 201 AdminOne<AdminWidget>
//   GET    /admin/widgets/{id}                                  → AdminOne<AdminWidget>
//   PATCH  /admin/widgets/{id}     adminWidgetUpdateBody        → AdminOne<AdminWidget>
//   POST   /admin/widgets/{id}/token                            → AdminOne<AdminWidget> (a new token)
//   DELETE /admin/widgets/{id}                                  → 204; 422 while it holds chats

export const ADMIN_PATHS = {
  users: '/api/v1/admin/users',
  sources: '/api/v1/admin/sources',
  departments: '/api/v1/admin/departments',
  widgets: '/api/v1/admin/widgets',
} as const;

export const ADMIN_USERS_PAGE_DEFAULT = 20;
export const ADMIN_USERS_PAGE_MAX = 100;
/** More sources or departments than any desk shows in one picker. */
export const ADMIN_SCOPE_IDS_MAX = 200;
export const ADMIN_NAME_MAX = 255;

// ---- Wire types ----

/** An operator account as administrators see it; never its password (nor its hash). */
export interface AdminUser {
  id: number;
  name: string;
  email: string;
  roles: Role[];
  source_ids: number[];
  department_ids: number[];
  is_active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type AdminUserListResponse = Paginated<AdminUser>;

/** A source (channel) without its webhook secret: the secret is shown once, when made or rotated. */
export interface AdminSource {
  id: number;
  name: string;
  type: SourceType;
  /** Where the channel's bridge posts signed customer messages (absolute). */
  webhook_url: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The answer to creating a source or rotating its secret: the only time the secret is shown. */
export interface AdminSourceWithSecret extends AdminSource {
  webhook_secret: string;
}

export interface AdminDepartment {
  id: number;
  name: string;
  /** Operators limited to this department. */
  users_count: number;
  /** Chats placed in it, closed ones included. */
  chats_count: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A website widget (a source of type `widget`) with every setting. */
export interface AdminWidget {
  id: number;
  name: string;
  /** The public token its embed snippet carries; regenerating it retires the old snippet at once. */
  token: string | null;
  settings: WidgetSettings;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AdminOne<T> {
  data: T;
}

export interface AdminList<T> {
  data: T[];
}

// ---- Request schemas ----

const name = z.string().trim().min(1).max(ADMIN_NAME_MAX);
const email = z.string().trim().min(1).max(255).email();

/** Ids of sources or departments: positive integers, each once. */
function scopeIds() {
  return z
    .array(z.number().int().positive())
    .max(ADMIN_SCOPE_IDS_MAX)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'The :attribute field has a duplicate value.' });
}

/** A new password by the one password rule (common/password-rules.ts). */
export const adminPassword = z
  .string()
  .max(PASSWORD_MAX_LENGTH)
  .superRefine((password, ctx) => {
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const adminUserListQuery = z.object({
  page: queryInt().pipe(z.number().min(1)).default(1),
  per_page: queryInt().pipe(z.number().min(1).max(ADMIN_USERS_PAGE_MAX)).default(ADMIN_USERS_PAGE_DEFAULT),
  /** Part of the name or e-mail, ignoring case. */
  search: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  is_active: queryBool().optional(),
});

/** A user has one role here, as the CLI gives it (`roles` in answers is a list, as in `/auth/me`). */
export const adminUserCreateBody = z.object({
  name,
  email,
  role: z.enum(ROLES),
  password: adminPassword,
  source_ids: scopeIds().default([]),
  department_ids: scopeIds().default([]),
  is_active: z.boolean().default(true),
});

export const adminUserUpdateBody = z.object({
  name: name.optional(),
  email: email.optional(),
  role: z.enum(ROLES).optional(),
  source_ids: scopeIds().optional(),
  department_ids: scopeIds().optional(),
  is_active: z.boolean().optional(),
});

export const adminPasswordBody = z.object({ password: adminPassword });

/** What an administrator may create here; a widget is made at `/admin/widgets`, with its token and settings. */
export const ADMIN_SOURCE_TYPES = ['telegram', 'vk', 'whatsapp', 'email', 'api'] as const satisfies readonly SourceType[];
export type AdminSourceType = (typeof ADMIN_SOURCE_TYPES)[number];

export const adminSourceCreateBody = z.object({ name, type: z.enum(ADMIN_SOURCE_TYPES) });

export const adminSourceUpdateBody = z.object({ name });

export const adminDepartmentBody = z.object({ name });

export const adminWidgetCreateBody = z.object({ name, settings: widgetSettingsPatchSchema.default({}) });

export const adminWidgetUpdateBody = z.object({ name: name.optional(), settings: widgetSettingsPatchSchema.optional() });

export type AdminUserListQuery = z.input<typeof adminUserListQuery>;
export type AdminUserCreate = z.input<typeof adminUserCreateBody>;
export type AdminUserUpdate = z.input<typeof adminUserUpdateBody>;
export type AdminPassword = z.input<typeof adminPasswordBody>;
export type AdminSourceCreate = z.input<typeof adminSourceCreateBody>;
export type AdminSourceUpdate = z.input<typeof adminSourceUpdateBody>;
export type AdminDepartmentInput = z.input<typeof adminDepartmentBody>;
export type AdminWidgetCreate = z.input<typeof adminWidgetCreateBody>;
export type AdminWidgetUpdate = z.input<typeof adminWidgetUpdateBody>;
