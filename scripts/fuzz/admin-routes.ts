import type { Entity, FieldType, Fields, RouteDescription } from './routes';
import { widgetSettingFields } from './widget-setting-fields';

// The Admin API (`/api/v1/admin/…`, auth `admin`: a moderator's token must be refused). What these
// routes change for good (deactivating, setting a password, rotating a secret, regenerating a token)
// they may change only on the `account`, `managed-source` and `managed-widget` fixtures, so the
// callers, secrets and widget tokens the rest of the run relies on stay as they are.

const admin = '/api/v1/admin';
const data = { kind: 'v1-data' } as const;
const noContent = { kind: 'no-content' } as const;
const text = (max: number) => ({ kind: 'string', max }) as const satisfies FieldType;
const idOf = (entity: Entity): Fields => ({ id: { type: { kind: 'ref', entity }, required: true } });
const ids = (entity: Entity): FieldType => ({ kind: 'array', max: 5, of: { kind: 'ref', entity } });
const roles = { kind: 'enum', values: ['admin', 'moderator', 'employee'] } as const satisfies FieldType;
const password = { kind: 'string', max: 100, examples: ['a long enough secret', 'password', 'short'] } as const satisfies FieldType;

const userFields = (required: boolean): Fields => ({
  name: { type: text(255), required },
  email: { type: { kind: 'string', max: 255, format: 'email', examples: ['fuzz-new@example.com', 'admin@example.com'] }, required },
  role: { type: roles, required },
  source_ids: { type: ids('source') },
  department_ids: { type: ids('department') },
  is_active: { type: { kind: 'bool' } },
});

const json = (fields: Fields): NonNullable<RouteDescription['body']> => ({ encodings: ['json', 'form'], fields });
const route = (r: Omit<RouteDescription, 'auth' | 'errors'>): RouteDescription => ({ auth: 'admin', errors: 'v1', ...r });

export const ADMIN_ROUTES: RouteDescription[] = [
  route({
    name: 'v1 GET /admin/users',
    method: 'GET',
    path: `${admin}/users`,
    query: {
      page: { type: { kind: 'int', min: 1, max: 5 } },
      per_page: { type: { kind: 'int', min: 1, max: 100 } },
      search: { type: text(200) },
      role: { type: roles },
      is_active: { type: { kind: 'enum', values: ['true', 'false', '1', '0'] } },
    },
    success: { kind: 'v1-page' },
  }),
  route({ name: 'v1 GET /admin/users/{id}', method: 'GET', path: `${admin}/users/{id}`, params: idOf('account'), success: data }),
  route({
    name: 'v1 POST /admin/users',
    method: 'POST',
    path: `${admin}/users`,
    body: json({ ...userFields(true), password: { type: password, required: true } }),
    success: data,
  }),
  route({ name: 'v1 PATCH /admin/users/{id}', method: 'PATCH', path: `${admin}/users/{id}`, params: idOf('account'), body: json(userFields(false)), success: data }),
  route({ name: 'v1 PUT /admin/users/{id}/password', method: 'PUT', path: `${admin}/users/{id}/password`, params: idOf('account'), body: json({ password: { type: password, required: true } }), success: data }),
  route({ name: 'v1 POST /admin/users/{id}/password', method: 'POST', path: `${admin}/users/{id}/password`, params: idOf('account'), body: json({ password: { type: password, required: true } }), success: data }),
  route({ name: 'v1 POST /admin/users/{id}/deactivate', method: 'POST', path: `${admin}/users/{id}/deactivate`, params: idOf('account'), success: data }),
  route({ name: 'v1 POST /admin/users/{id}/activate', method: 'POST', path: `${admin}/users/{id}/activate`, params: idOf('account'), success: data }),

  route({ name: 'v1 GET /admin/sources', method: 'GET', path: `${admin}/sources`, success: data }),
  route({ name: 'v1 GET /admin/sources/{id}', method: 'GET', path: `${admin}/sources/{id}`, params: idOf('source'), success: data }),
  route({
    name: 'v1 POST /admin/sources',
    method: 'POST',
    path: `${admin}/sources`,
    body: json({ name: { type: text(255), required: true }, type: { type: { kind: 'enum', values: ['telegram', 'vk', 'whatsapp', 'email', 'api', 'widget'] }, required: true } }),
    success: data,
  }),
  route({ name: 'v1 PATCH /admin/sources/{id}', method: 'PATCH', path: `${admin}/sources/{id}`, params: idOf('managed-source'), body: json({ name: { type: text(255), required: true } }), success: data }),
  route({ name: 'v1 POST /admin/sources/{id}/secret', method: 'POST', path: `${admin}/sources/{id}/secret`, params: idOf('managed-source'), success: data }),

  route({ name: 'v1 GET /admin/departments', method: 'GET', path: `${admin}/departments`, success: data }),
  route({ name: 'v1 GET /admin/departments/{id}', method: 'GET', path: `${admin}/departments/{id}`, params: idOf('department'), success: data }),
  route({ name: 'v1 POST /admin/departments', method: 'POST', path: `${admin}/departments`, body: json({ name: { type: text(255), required: true } }), success: data }),
  route({ name: 'v1 PATCH /admin/departments/{id}', method: 'PATCH', path: `${admin}/departments/{id}`, params: idOf('department'), body: json({ name: { type: text(255), required: true } }), success: data }),
  // The demo departments are in use: a delete is refused (422) and they stay.
  route({ name: 'v1 DELETE /admin/departments/{id}', method: 'DELETE', path: `${admin}/departments/{id}`, params: idOf('department'), success: noContent }),

  route({ name: 'v1 GET /admin/widgets', method: 'GET', path: `${admin}/widgets`, success: data }),
  route({ name: 'v1 GET /admin/widgets/{id}', method: 'GET', path: `${admin}/widgets/{id}`, params: idOf('managed-widget'), success: data }),
  route({
    name: 'v1 POST /admin/widgets',
    method: 'POST',
    path: `${admin}/widgets`,
    body: { encodings: ['json'], fields: { name: { type: text(255), required: true }, settings: { type: { kind: 'object', fields: widgetSettingFields } } } },
    success: data,
  }),
  route({
    name: 'v1 PATCH /admin/widgets/{id}',
    method: 'PATCH',
    path: `${admin}/widgets/{id}`,
    params: idOf('managed-widget'),
    body: { encodings: ['json'], fields: { name: { type: text(255) }, settings: { type: { kind: 'object', fields: widgetSettingFields } } } },
    success: data,
  }),
  route({ name: 'v1 POST /admin/widgets/{id}/token', method: 'POST', path: `${admin}/widgets/{id}/token`, params: idOf('managed-widget'), success: data }),
  route({ name: 'v1 DELETE /admin/widgets/{id}', method: 'DELETE', path: `${admin}/widgets/{id}`, params: idOf('managed-widget'), success: noContent }),
];
