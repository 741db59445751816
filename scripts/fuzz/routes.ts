import { CHAT_STATUSES, CHAT_TABS, DEVICE_PLATFORMS, MESSAGE_MAX_LENGTH } from '../../common/api';
import { ADMIN_ROUTES } from './admin-routes';
import { widgetSettingFields } from './widget-setting-fields';
import { VISITOR_ROUTES } from './visitor-routes';

// The one table of what the fuzzer sends requests to: every route of every dialect, described by its
// method, path template, the types of its path, query and body fields, who may call it and what a
// success looks like. A new dialect (the legacy `/api/chats…`, the CRM's `/chat/*.json`, the visitor
// widget's `/chat/widget/*`) is a list of these descriptions appended to ROUTES, plus an answer
// format in checks/formats.ts when its wire shape differs from v1's.

/**
 * Things a request can name by id; the fixtures know which of them each caller may see. `account`,
 * `managed-source` and `managed-widget` are made for the admin routes to change at will (deactivate,
 * rotate a secret, regenerate a token) without touching the callers, secrets and tokens the run uses.
 */
export type Entity = 'chat' | 'user' | 'canned' | 'source' | 'department' | 'attachment' | 'account' | 'managed-source' | 'managed-widget';

export type StringFormat = 'email' | 'uuid' | 'url' | 'socket-id' | 'png-base64' | 'channel';

export type FieldType =
  | { kind: 'string'; min?: number; max: number; format?: StringFormat; examples?: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  /** An id of an existing thing of `entity`: valid values are ones the caller may see. */
  | { kind: 'ref'; entity: Entity }
  /** A realtime channel name: private-chat.{id}, private-user.{id}, presence-operators, …. */
  /** `of: 'space'`: a website visitor's `private-space.{id}` (its own valid, another's refused). */
  | { kind: 'channel'; of?: 'space' }
  | { kind: 'array'; of: FieldType; max: number }
  | { kind: 'object'; fields: Fields }
  /** Free-form JSON object (user_metadata and the like). */
  | { kind: 'free' };

export interface Field {
  type: FieldType;
  required?: boolean;
  nullable?: boolean;
  /** A value the caller may not see (another's chat or channel) must be refused, never answered with a 2xx. */
  guard?: boolean;
}

export type Fields = Readonly<Record<string, Field>>;

export type BodyEncoding = 'json' | 'form' | 'multipart';

/**
 * Who may call a route. `operator`: a Bearer token of an active admin or moderator; `user`: of any
 * active user, employees included (the legacy dialect); `admin`: of an
 * admin; `webhook-signature`: the source's HMAC header; `pusher-signature`: Pusher's signed query;
 * `visitor`: a website visitor's space token (`X-Space-Token`) of the widget the request names.
 */
export type AuthKind = 'none' | 'operator' | 'user' | 'admin' | 'webhook-signature' | 'pusher-signature' | 'visitor';

/** What a 2xx answer must look like. */
export type SuccessFormat =
  /** `{data: …}` and nothing else. */
  | { kind: 'v1-data' }
  /** A paginated list: `{data: [...], links, meta}`. */
  | { kind: 'v1-page' }
  /** A batch answer: `{data: [...], meta}` (the newest messages of many chats). */
  | { kind: 'v1-batch' }
  /** Laravel's channel authorisation answer: `{auth[, channel_data]}`. */
  | { kind: 'channel-auth' }
  /** One of Pusher's HTTP API objects: these keys, and maybe some of `optional`. */
  | { kind: 'pusher'; keys: readonly string[]; optional?: readonly string[] }
  /** A stored file (its detected type, nosniff) or a redirect to a link attachment. */
  | { kind: 'attachment' }
  /** A file of the update feed (YAML or an installer), whole or a range. */
  | { kind: 'feed' }
  /** The legacy chats/auth envelope: exactly `{status: "success", message, data}`. */
  | { kind: 'legacy-envelope' }
  /** A JSON object with exactly these keys (the legacy messages family's own shapes). */
  | { kind: 'json-keys'; keys: readonly string[] }
  /** A bare JSON list (the CRM and visitor lists, Rails style). */
  | { kind: 'json-list' }
  /** A bare JSON object with exactly these keys (the CRM module's answers). */
  | { kind: 'crm-object'; keys: readonly string[] }
  /** A bare JSON array, with `X-Total-Count` and `Link` (the CRM module's lists). */
  | { kind: 'crm-list' }
  /** 204 with an empty body (the CRM module's deletes). */
  | { kind: 'no-content' }
  /** Nothing here may succeed (an unknown path). */
  | { kind: 'none' };

/**
 * The error format family of a dialect: v1's is `{message, code}` (+ `errors` on 422); the legacy
 * dialect's `{status: "error", message}` (+ `errors` on 422); the CRM's (every path under `/chat`,
 * the visitor API's too) `{error}` (+ `errors` on 422, `next_open_at` on a closed widget's 403).
 */
export type ErrorFormat = 'v1' | 'legacy' | 'crm';

/** What a refused request must leave unchanged, observed through the API (the cheap cases). */
export type Snapshot = 'chat' | 'chat-list' | 'canned';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteDescription {
  /** Shown in reports and failure signatures. */
  name: string;
  method: HttpMethod;
  /** Path template; `{name}` is a path parameter described in `params`. */
  path: string;
  params?: Fields;
  query?: Fields;
  body?: { encodings: readonly BodyEncoding[]; fields: Fields };
  auth: AuthKind;
  success: SuccessFormat;
  errors: ErrorFormat;
  unchanged?: Snapshot;
  /** The route uses up the token it is called with (logout): valid tokens for it come from a pool. */
  consumesToken?: boolean;
}

const v1 = '/api/v1';
const data = { kind: 'v1-data' } as const satisfies SuccessFormat;
const chatId: Fields = { id: { type: { kind: 'ref', entity: 'chat' }, required: true, guard: true } };
const cannedId: Fields = { id: { type: { kind: 'ref', entity: 'canned' }, required: true } };
const positive = { kind: 'int', min: 1, max: 1_000 } as const satisfies FieldType;
const text = (max: number) => ({ kind: 'string', max }) as const satisfies FieldType;

export const DEMO_EMAILS = ['admin@example.com', 'mod@example.com', 'mod2@example.com', 'employee@example.com'] as const;

/** The login body v1 and the legacy dialect share (common/schemas.ts loginBody). */
const loginBody = {
  encodings: ['json', 'form'],
  fields: {
    email: { type: { kind: 'string', max: 255, format: 'email', examples: [...DEMO_EMAILS, 'fuzz-deactivated@example.com'] }, required: true },
    password: { type: { kind: 'string', max: 255, examples: ['password'] }, required: true },
    device_name: { type: text(255) },
  },
} as const satisfies RouteDescription['body'];

const cannedFields = (required: boolean): Fields => ({
  source_id: { type: { kind: 'ref', entity: 'source' }, nullable: true },
  code: { type: text(64), required },
  title: { type: text(255), required },
  text: { type: text(MESSAGE_MAX_LENGTH), required },
  is_active: { type: { kind: 'bool' } },
});

const channelAuthBody = {
  encodings: ['form', 'json'],
  fields: {
    socket_id: { type: { kind: 'string', max: 41, format: 'socket-id' }, required: true },
    channel_name: { type: { kind: 'channel' }, required: true, guard: true },
  },
} as const satisfies RouteDescription['body'];

const pusherEvent: Fields = {
  name: { type: { kind: 'string', max: 200, examples: ['App\\Events\\NewChatMessage', 'client-x'] }, required: true },
  data: { type: { kind: 'string', max: 2_000, examples: ['{"message":"hi"}', '{}'] }, required: true },
  socket_id: { type: { kind: 'string', max: 41, format: 'socket-id' } },
  info: { type: { kind: 'string', max: 50, examples: ['subscription_count', 'user_count', 'user_count,subscription_count'] } },
};

const appId: Fields = { appId: { type: { kind: 'enum', values: ['switchboard'] }, required: true } };
const channelParam: Fields = { ...appId, channel: { type: { kind: 'channel' }, required: true } };

/** v1 (server/dialects/v1/routes/*.ts). */
const V1_ROUTES: RouteDescription[] = [
  {
    name: 'v1 POST /auth/login',
    method: 'POST',
    path: `${v1}/auth/login`,
    body: loginBody,
    auth: 'none',
    success: data,
    errors: 'v1',
  },
  { name: 'v1 POST /auth/logout', method: 'POST', path: `${v1}/auth/logout`, auth: 'operator', success: data, errors: 'v1', consumesToken: true },
  { name: 'v1 GET /auth/me', method: 'GET', path: `${v1}/auth/me`, auth: 'operator', success: data, errors: 'v1' },
  { name: 'v1 GET /config', method: 'GET', path: `${v1}/config`, auth: 'none', success: data, errors: 'v1' },
  {
    name: 'v1 POST /webhooks/sources/{id}',
    method: 'POST',
    path: `${v1}/webhooks/sources/{sourceId}`,
    params: { sourceId: { type: { kind: 'ref', entity: 'source' }, required: true } },
    body: {
      encodings: ['json'],
      fields: {
        external_user_id: { type: { kind: 'string', max: 255, examples: ['fuzz-customer-1', 'fuzz-customer-2', 'fuzz-customer-3'] }, required: true },
        user_metadata: { type: { kind: 'free' } },
        text: { type: text(MESSAGE_MAX_LENGTH), nullable: true },
        attachments: {
          type: {
            kind: 'array',
            max: 10,
            of: {
              kind: 'object',
              fields: {
                url: { type: { kind: 'string', max: 2_000, format: 'url' } },
                name: { type: text(255) },
                mime_type: { type: { kind: 'string', max: 255, examples: ['image/png', 'application/pdf'] } },
                content_base64: { type: { kind: 'string', max: 100_000, format: 'png-base64' } },
              },
            },
          },
        },
        external_message_id: { type: text(255) },
      },
    },
    auth: 'webhook-signature',
    success: data,
    errors: 'v1',
    unchanged: 'chat-list',
  },
  {
    name: 'v1 GET /chats',
    method: 'GET',
    path: `${v1}/chats`,
    query: {
      tab: { type: { kind: 'enum', values: CHAT_TABS } },
      source_id: { type: { kind: 'ref', entity: 'source' } },
      department_id: { type: { kind: 'ref', entity: 'department' } },
      search: { type: { kind: 'string', max: 200, examples: ['Anna', 'web', '@example', 'заказ'] } },
      status: { type: { kind: 'enum', values: ['open', ...CHAT_STATUSES] } },
      per_page: { type: { kind: 'int', min: 1, max: 100 } },
      page: { type: { kind: 'int', min: 1, max: 5 } },
      // A sync cursor (opaque base64url): a fresh start, one mid-scan, and bytes the server never made.
      updated_since: { type: { kind: 'string', max: 500, examples: ['WzEsMCwiZnV6eiJd', 'WzEsMCwiZnV6eiIsNSwzLDJd', 'WzIsMF0', 'bm90IGpzb24'] } },
    },
    auth: 'operator',
    success: { kind: 'v1-page' },
    errors: 'v1',
  },
  {
    name: 'v1 GET /chats/messages',
    method: 'GET',
    path: `${v1}/chats/messages`,
    query: {
      ids: { type: { kind: 'string', max: 1_000, examples: ['1', '1,2,3', '1,1', '999999', '0', 'a,b'] }, required: true },
      limit: { type: { kind: 'int', min: 1, max: 100 } },
    },
    auth: 'operator',
    success: { kind: 'v1-batch' },
    errors: 'v1',
  },
  { name: 'v1 GET /chats/{id}', method: 'GET', path: `${v1}/chats/{id}`, params: chatId, auth: 'operator', success: data, errors: 'v1' },
  {
    name: 'v1 PATCH /chats/{id}',
    method: 'PATCH',
    path: `${v1}/chats/{id}`,
    params: chatId,
    body: { encodings: ['json', 'form'], fields: { is_urgent: { type: { kind: 'bool' } }, department_id: { type: { kind: 'ref', entity: 'department' }, nullable: true } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
    unchanged: 'chat',
  },
  { name: 'v1 POST /chats/{id}/assign-me', method: 'POST', path: `${v1}/chats/{id}/assign-me`, params: chatId, auth: 'operator', success: data, errors: 'v1', unchanged: 'chat' },
  { name: 'v1 POST /chats/{id}/close', method: 'POST', path: `${v1}/chats/{id}/close`, params: chatId, auth: 'operator', success: data, errors: 'v1', unchanged: 'chat' },
  {
    name: 'v1 POST /chats/{id}/transfer',
    method: 'POST',
    path: `${v1}/chats/{id}/transfer`,
    params: chatId,
    body: { encodings: ['json', 'form'], fields: { assigned_to: { type: { kind: 'ref', entity: 'user' }, required: true }, note: { type: text(1000) } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
    unchanged: 'chat',
  },
  {
    name: 'v1 POST /chats/{id}/read',
    method: 'POST',
    path: `${v1}/chats/{id}/read`,
    params: chatId,
    body: { encodings: ['json'], fields: { up_to_id: { type: positive } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
    unchanged: 'chat',
  },
  {
    name: 'v1 POST /chats/{id}/typing',
    method: 'POST',
    path: `${v1}/chats/{id}/typing`,
    params: chatId,
    body: { encodings: ['json'], fields: { typing: { type: { kind: 'bool' } } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  {
    name: 'v1 GET /chats/{id}/messages',
    method: 'GET',
    path: `${v1}/chats/{id}/messages`,
    params: chatId,
    query: { before_id: { type: positive }, limit: { type: { kind: 'int', min: 1, max: 100 } }, per_page: { type: { kind: 'int', min: 1, max: 100 } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  {
    name: 'v1 POST /chats/{id}/send',
    method: 'POST',
    path: `${v1}/chats/{id}/send`,
    params: chatId,
    body: {
      encodings: ['json', 'form'],
      fields: {
        text: { type: text(MESSAGE_MAX_LENGTH), nullable: true },
        attachments: { type: { kind: 'array', max: 10, of: text(255) } },
        client_message_id: { type: { kind: 'string', max: 36, format: 'uuid' } },
      },
    },
    auth: 'operator',
    success: data,
    errors: 'v1',
    unchanged: 'chat',
  },
  {
    name: 'v1 POST /uploads',
    method: 'POST',
    path: `${v1}/uploads`,
    body: { encodings: ['multipart'], fields: {} },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  {
    name: 'v1 GET /attachments/{id}',
    method: 'GET',
    path: `${v1}/attachments/{id}`,
    params: { id: { type: { kind: 'ref', entity: 'attachment' }, required: true, guard: true } },
    auth: 'operator',
    success: { kind: 'attachment' },
    errors: 'v1',
  },
  {
    name: 'v1 POST /devices/register-token',
    method: 'POST',
    path: `${v1}/devices/register-token`,
    body: {
      encodings: ['json', 'form'],
      fields: {
        token: { type: { kind: 'string', max: 500, examples: ['fuzz-device-1', 'fuzz-device-2'] }, required: true },
        platform: { type: { kind: 'enum', values: DEVICE_PLATFORMS }, required: true },
      },
    },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  {
    name: 'v1 DELETE /devices/{token}',
    method: 'DELETE',
    path: `${v1}/devices/{token}`,
    params: { token: { type: { kind: 'string', min: 1, max: 500, examples: ['fuzz-device-1', 'fuzz-device-2'] }, required: true } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  { name: 'v1 GET /tokens', method: 'GET', path: `${v1}/tokens`, auth: 'operator', success: data, errors: 'v1' },
  {
    name: 'v1 POST /tokens',
    method: 'POST',
    path: `${v1}/tokens`,
    body: { encodings: ['json', 'form'], fields: { name: { type: { kind: 'string', max: 255, examples: ['fuzz integration', 'CRM'] }, required: true } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  // Only personal tokens: a login session's id is a 404 here, so the fuzzer cannot sign itself out.
  { name: 'v1 DELETE /tokens/{id}', method: 'DELETE', path: `${v1}/tokens/{id}`, params: { id: { type: positive, required: true } }, auth: 'operator', success: { kind: 'no-content' }, errors: 'v1' },
  { name: 'v1 GET /sessions', method: 'GET', path: `${v1}/sessions`, auth: 'operator', success: data, errors: 'v1' },
  {
    name: 'v1 PATCH /profile',
    method: 'PATCH',
    path: `${v1}/profile`,
    body: { encodings: ['json', 'form'], fields: { name: { type: { kind: 'string', min: 1, max: 255, examples: ['Fuzz Operator', 'Мария'] }, required: true } } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  // Never the caller's real password (the run's sessions would be signed out): the refusals and the limit.
  {
    name: 'v1 POST /profile/password',
    method: 'POST',
    path: `${v1}/profile/password`,
    body: {
      encodings: ['json', 'form'],
      fields: {
        current_password: { type: { kind: 'string', min: 1, max: 100, examples: ['not-the-password', 'wrong-one'] }, required: true },
        password: { type: { kind: 'string', min: 1, max: 100, examples: ['violet-harbour-42', 'qwerty123'] }, required: true },
      },
    },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  {
    name: 'v1 GET /canned-responses',
    method: 'GET',
    path: `${v1}/canned-responses`,
    query: {
      source_id: { type: { kind: 'ref', entity: 'source' } },
      q: { type: { kind: 'string', max: 200, examples: ['greet', 'Thank'] } },
      include_inactive: { type: { kind: 'bool' } },
    },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  { name: 'v1 GET /canned-responses/{id}', method: 'GET', path: `${v1}/canned-responses/{id}`, params: cannedId, auth: 'operator', success: data, errors: 'v1' },
  {
    name: 'v1 POST /canned-responses',
    method: 'POST',
    path: `${v1}/canned-responses`,
    body: { encodings: ['json', 'form'], fields: cannedFields(true) },
    auth: 'admin',
    success: data,
    errors: 'v1',
    unchanged: 'canned',
  },
  {
    name: 'v1 PATCH /canned-responses/{id}',
    method: 'PATCH',
    path: `${v1}/canned-responses/{id}`,
    params: cannedId,
    body: { encodings: ['json', 'form'], fields: cannedFields(false) },
    auth: 'admin',
    success: data,
    errors: 'v1',
    unchanged: 'canned',
  },
  {
    name: 'v1 DELETE /canned-responses/{id}',
    method: 'DELETE',
    path: `${v1}/canned-responses/{id}`,
    params: cannedId,
    auth: 'admin',
    success: data,
    errors: 'v1',
    unchanged: 'canned',
  },
  {
    name: 'v1 POST /messages/{id}/hide',
    method: 'POST',
    path: `${v1}/messages/{message}/hide`,
    params: { message: { type: positive, required: true } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
  {
    name: 'v1 GET /operators',
    method: 'GET',
    path: `${v1}/operators`,
    query: { chat_id: { type: { kind: 'ref', entity: 'chat' }, guard: true } },
    auth: 'operator',
    success: data,
    errors: 'v1',
  },
];

/** Channel authorisation and Pusher's signed HTTP API (server/realtime/auth-routes.ts, http-api-routes.ts). */
const REALTIME_ROUTES: RouteDescription[] = [
  { name: 'realtime POST /broadcasting/auth', method: 'POST', path: '/broadcasting/auth', body: channelAuthBody, auth: 'operator', success: { kind: 'channel-auth' }, errors: 'v1' },
  {
    name: 'realtime POST /api/v1/broadcasting/auth',
    method: 'POST',
    path: `${v1}/broadcasting/auth`,
    body: channelAuthBody,
    auth: 'operator',
    success: { kind: 'channel-auth' },
    errors: 'v1',
  },
  {
    name: 'pusher POST /apps/{app}/events',
    method: 'POST',
    path: '/apps/{appId}/events',
    params: appId,
    body: {
      encodings: ['json'],
      fields: { ...pusherEvent, channels: { type: { kind: 'array', max: 100, of: { kind: 'channel' } } }, channel: { type: { kind: 'channel' } } },
    },
    auth: 'pusher-signature',
    success: { kind: 'pusher', keys: [], optional: ['channels'] },
    errors: 'v1',
  },
  {
    name: 'pusher POST /apps/{app}/batch_events',
    method: 'POST',
    path: '/apps/{appId}/batch_events',
    params: appId,
    body: {
      encodings: ['json'],
      fields: { batch: { type: { kind: 'array', max: 10, of: { kind: 'object', fields: { ...pusherEvent, channel: { type: { kind: 'channel' }, required: true } } } }, required: true } },
    },
    auth: 'pusher-signature',
    success: { kind: 'pusher', keys: [], optional: ['batch'] },
    errors: 'v1',
  },
  {
    name: 'pusher GET /apps/{app}/channels',
    method: 'GET',
    path: '/apps/{appId}/channels',
    params: appId,
    query: {
      filter_by_prefix: { type: { kind: 'string', max: 50, examples: ['presence-', 'private-', 'private-chat.'] } },
      info: { type: { kind: 'string', max: 50, examples: ['user_count', 'subscription_count'] } },
    },
    auth: 'pusher-signature',
    success: { kind: 'pusher', keys: ['channels'] },
    errors: 'v1',
  },
  {
    name: 'pusher GET /apps/{app}/channels/{channel}',
    method: 'GET',
    path: '/apps/{appId}/channels/{channel}',
    params: channelParam,
    query: { info: { type: { kind: 'string', max: 50, examples: ['user_count', 'subscription_count'] } } },
    auth: 'pusher-signature',
    success: { kind: 'pusher', keys: ['occupied'], optional: ['user_count', 'subscription_count'] },
    errors: 'v1',
  },
  {
    name: 'pusher GET /apps/{app}/channels/{channel}/users',
    method: 'GET',
    path: '/apps/{appId}/channels/{channel}/users',
    params: channelParam,
    auth: 'pusher-signature',
    success: { kind: 'pusher', keys: ['users'] },
    errors: 'v1',
  },
  {
    name: 'pusher GET /apps/{app}/connections',
    method: 'GET',
    path: '/apps/{appId}/connections',
    params: appId,
    auth: 'pusher-signature',
    success: { kind: 'pusher', keys: ['connections'] },
    errors: 'v1',
  },
];

/** The files the fuzzer puts into the update feed (server/http/update-feed.ts) it starts the server with. */
export const FEED_FILES = { 'latest.yml': 'version: 1.0.0\npath: Switchboard-1.0.0.AppImage\n', 'Switchboard-1.0.0.AppImage': 'x'.repeat(4096), 'empty.blockmap': '' } as const;

const feedFile: Fields = { file: { type: { kind: 'enum', values: Object.keys(FEED_FILES) }, required: true } };

const FEED_ROUTES: RouteDescription[] = [
  { name: 'feed GET /updates/{file}', method: 'GET', path: '/updates/{file}', params: feedFile, auth: 'none', success: { kind: 'feed' }, errors: 'v1' },
  { name: 'feed HEAD /updates/{file}', method: 'HEAD', path: '/updates/{file}', params: feedFile, auth: 'none', success: { kind: 'feed' }, errors: 'v1' },
];


const legacyPage: Fields = { per_page: { type: { kind: 'int', min: 1, max: 100 } }, page: { type: { kind: 'int', min: 1, max: 5 } } };
const legacyMessageTypes = { kind: 'enum', values: ['text', 'file', 'image', 'system'] } as const satisfies FieldType;
const envelope = { kind: 'legacy-envelope' } as const satisfies SuccessFormat;
const legacyRoute = (route: Omit<RouteDescription, 'errors' | 'auth'> & { auth?: AuthKind }): RouteDescription => ({ auth: 'user', errors: 'legacy', ...route });

/** The legacy dialect (server/dialects/legacy/routes/*.ts, spec/chat-api-legacy.ru.md). */
const LEGACY_ROUTES: RouteDescription[] = [
  legacyRoute({
    name: 'legacy POST /api/auth/login',
    method: 'POST',
    path: '/api/auth/login',
    body: loginBody,
    auth: 'none',
    success: envelope,
  }),
  legacyRoute({ name: 'legacy POST /api/auth/logout', method: 'POST', path: '/api/auth/logout', success: envelope, consumesToken: true }),
  legacyRoute({ name: 'legacy GET /api/auth/me', method: 'GET', path: '/api/auth/me', success: envelope }),
  legacyRoute({ name: 'legacy GET /api/chats', method: 'GET', path: '/api/chats', query: legacyPage, success: envelope }),
  legacyRoute({
    name: 'legacy POST /api/chats',
    method: 'POST',
    path: '/api/chats',
    body: {
      encodings: ['json', 'form'],
      fields: {
        title: { type: text(255), required: true },
        description: { type: text(5000), nullable: true },
        type: { type: { kind: 'enum', values: ['support', 'sales', 'general'] }, required: true },
        assigned_to: { type: { kind: 'ref', entity: 'user' }, nullable: true },
        department_id: { type: { kind: 'ref', entity: 'department' }, nullable: true },
      },
    },
    success: envelope,
    unchanged: 'chat-list',
  }),
  legacyRoute({
    name: 'legacy GET /api/chats/search',
    method: 'GET',
    path: '/api/chats/search',
    query: {
      query: { type: { kind: 'string', max: 200, examples: ['Anna', 'web', '@example', 'заказ'] }, required: true },
      status: { type: { kind: 'enum', values: ['active', 'closed', 'transferred', 'pending'] } },
      ...legacyPage,
    },
    success: envelope,
  }),
  legacyRoute({ name: 'legacy GET /api/chats/{id}', method: 'GET', path: '/api/chats/{id}', params: chatId, success: envelope }),
  legacyRoute({ name: 'legacy POST /api/chats/{id}/end', method: 'POST', path: '/api/chats/{id}/end', params: chatId, success: envelope, unchanged: 'chat' }),
  legacyRoute({
    name: 'legacy POST /api/chats/{id}/transfer',
    method: 'POST',
    path: '/api/chats/{id}/transfer',
    params: chatId,
    body: { encodings: ['json', 'form'], fields: { assigned_to: { type: { kind: 'ref', entity: 'user' }, required: true }, note: { type: text(1000), nullable: true } } },
    success: envelope,
    unchanged: 'chat',
  }),
  legacyRoute({ name: 'legacy GET /api/chats/{id}/messages', method: 'GET', path: '/api/chats/{id}/messages', params: chatId, query: legacyPage, success: envelope }),
  legacyRoute({
    name: 'legacy POST /api/chats/{id}/send',
    method: 'POST',
    path: '/api/chats/{id}/send',
    params: chatId,
    body: { encodings: ['json', 'form'], fields: { message: { type: text(1000), required: true }, type: { type: legacyMessageTypes } } },
    success: envelope,
    unchanged: 'chat',
  }),
  legacyRoute({
    name: 'legacy GET /api/messages/chats/{chat}',
    method: 'GET',
    path: '/api/messages/chats/{id}',
    params: chatId,
    query: legacyPage,
    success: { kind: 'json-keys', keys: ['messages'] },
  }),
  legacyRoute({
    name: 'legacy POST /api/messages/chats/{chat}',
    method: 'POST',
    path: '/api/messages/chats/{id}',
    params: chatId,
    body: { encodings: ['json', 'form'], fields: { content: { type: text(1000), required: true }, type: { type: legacyMessageTypes }, metadata: { type: { kind: 'free' }, nullable: true } } },
    success: { kind: 'json-keys', keys: ['message', 'status'] },
    unchanged: 'chat',
  }),
  legacyRoute({
    name: 'legacy POST /api/messages/chats/{chat}/system-message',
    method: 'POST',
    path: '/api/messages/chats/{id}/system-message',
    params: chatId,
    body: { encodings: ['json', 'form'], fields: { content: { type: text(500), required: true } } },
    success: { kind: 'json-keys', keys: ['message', 'status'] },
    unchanged: 'chat',
  }),
  legacyRoute({
    name: 'legacy POST /api/messages/{message}/hide',
    method: 'POST',
    path: '/api/messages/{message}/hide',
    params: { message: { type: positive, required: true } },
    success: { kind: 'json-keys', keys: ['message'] },
  }),
  legacyRoute({
    name: 'legacy GET /api/attachments/{id}',
    method: 'GET',
    path: '/api/attachments/{id}',
    params: { id: { type: { kind: 'ref', entity: 'attachment' }, required: true, guard: true } },
    success: { kind: 'attachment' },
  }),
];

/** The families the legacy dialect owns: every answer under them, a 404 or 405 included, is in its format. */
const LEGACY_FAMILIES = /^\/api\/(auth|chats|messages|attachments)(\/|$)/;

/** The error format a concrete path (no query) answers in, whether or not a route matches it. */
/** Every path under `/chat`: the CRM module, the public widget data and the visitor API. */
const CRM_FAMILY = /^\/chat(\/|$)/;

export function errorFormatOf(path: string): ErrorFormat {
  if (LEGACY_FAMILIES.test(path)) return 'legacy';
  return CRM_FAMILY.test(path) ? 'crm' : 'v1';
}

/** The CRM module (server/dialects/crm/routes/*.ts): Rails-style bare objects and arrays, `{error}` refusals. */
const crmRoute = (route: Omit<RouteDescription, 'errors' | 'auth'> & { auth?: AuthKind }): RouteDescription => ({ auth: 'operator', errors: 'crm', ...route });
const SPACE_KEYS = ['id', 'token', 'widget_id', 'client_id', 'name', 'email', 'phone', 'status', 'responsible_id', 'messages_count', 'last_message_at', 'created_at', 'updated_at'];
const CRM_MESSAGE_KEYS = ['id', 'space_id', 'space_token', 'widget_id', 'user_id', 'message', 'kind', 'attachments', 'edited_at', 'is_hidden', 'created_at', 'updated_at'];
const WIDGET_KEYS = [
  'id', 'name', 'token', 'title', 'description', 'kind', 'responsible_id', 'active', 'theme', 'color', 'locale', 'use_opening_hours', 'opening_hours', 'time_zone',
  'messages_after_hours', 'require_client_data', 'client_data_fields', 'allow_client_attachments', 'allowed_domains', 'welcome_message', 'offline_message', 'created_at', 'updated_at',
];
const TEMPLATE_KEYS = ['id', 'name', 'code', 'content', 'widget_id', 'active', 'created_at', 'updated_at'];
const CLIENT_KEYS = ['id', 'name', 'email', 'phone', 'company', 'notes', 'created_at', 'updated_at'];
const space = { kind: 'crm-object', keys: SPACE_KEYS } as const satisfies SuccessFormat;
const crmMessage = { kind: 'crm-object', keys: CRM_MESSAGE_KEYS } as const satisfies SuccessFormat;
const crmList = { kind: 'crm-list' } as const satisfies SuccessFormat;
const noContent = { kind: 'no-content' } as const satisfies SuccessFormat;
const spaceId: Fields = { id: { type: { kind: 'ref', entity: 'chat' }, required: true, guard: true } };
const crmPage: Fields = { page: { type: { kind: 'int', min: 1, max: 5 } }, per_page: { type: { kind: 'int', min: 1, max: 100 } } };
const idOf = (entity: Entity): Fields => ({ id: { type: { kind: 'ref', entity }, required: true } });
const numericId: Fields = { id: { type: positive, required: true } };

/** Bare fields, or the same under the Rails root key. */
function rooted(root: string, fields: Fields): NonNullable<RouteDescription['body']> {
  return { encodings: ['json', 'form'], fields: { ...fields, [root]: { type: { kind: 'object', fields } } } };
}

const customerFields: Fields = {
  name: { type: text(255), nullable: true },
  email: { type: { kind: 'string', max: 255, format: 'email' }, nullable: true },
  phone: { type: { kind: 'string', max: 50, examples: ['+48 601 234 567', '+7 916 000 00 00'] }, nullable: true },
  client_id: { type: positive, nullable: true },
};

const templateFields = (required: boolean): Fields => ({
  name: { type: text(255), required },
  code: { type: text(64), required },
  content: { type: text(MESSAGE_MAX_LENGTH), required },
  widget_id: { type: { kind: 'ref', entity: 'source' }, nullable: true },
  active: { type: { kind: 'bool' } },
});

const clientFields = (required: boolean): Fields => ({
  name: { type: text(255), required },
  email: { type: { kind: 'string', max: 255, format: 'email' }, nullable: true },
  phone: { type: text(50), nullable: true },
  company: { type: text(255), nullable: true },
  notes: { type: text(5000), nullable: true },
});

const CRM_ROUTES: RouteDescription[] = [
  crmRoute({
    name: 'crm GET /chat/spaces.json',
    method: 'GET',
    path: '/chat/spaces.json',
    query: { ...crmPage, widget_id: { type: { kind: 'ref', entity: 'source' } }, status: { type: { kind: 'enum', values: ['open', 'closed'] } }, search: { type: text(200) } },
    success: crmList,
  }),
  crmRoute({ name: 'crm GET /chat/spaces/my_spaces.json', method: 'GET', path: '/chat/spaces/my_spaces.json', query: crmPage, success: crmList }),
  crmRoute({
    name: 'crm POST /chat/spaces.json',
    method: 'POST',
    path: '/chat/spaces.json',
    body: rooted('space', { widget_id: { type: { kind: 'ref', entity: 'source' }, required: true }, responsible_id: { type: { kind: 'ref', entity: 'user' }, nullable: true }, ...customerFields }),
    success: space,
    unchanged: 'chat-list',
  }),
  crmRoute({ name: 'crm GET /chat/spaces/{id}.json', method: 'GET', path: '/chat/spaces/{id}.json', params: spaceId, success: space }),
  crmRoute({ name: 'crm PATCH /chat/spaces/{id}.json', method: 'PATCH', path: '/chat/spaces/{id}.json', params: spaceId, body: rooted('space', customerFields), success: space, unchanged: 'chat' }),
  crmRoute({ name: 'crm DELETE /chat/spaces/{id}.json', method: 'DELETE', path: '/chat/spaces/{id}.json', params: spaceId, success: noContent, unchanged: 'chat' }),
  crmRoute({ name: 'crm POST /chat/spaces/{id}/open.json', method: 'POST', path: '/chat/spaces/{id}/open.json', params: spaceId, success: space, unchanged: 'chat' }),
  crmRoute({ name: 'crm POST /chat/spaces/{id}/close.json', method: 'POST', path: '/chat/spaces/{id}/close.json', params: spaceId, success: space, unchanged: 'chat' }),
  crmRoute({
    name: 'crm POST /chat/spaces/{id}/add_client.json',
    method: 'POST',
    path: '/chat/spaces/{id}/add_client.json',
    params: spaceId,
    body: rooted('space', { client_id: { type: { kind: 'int', min: 1, max: 5 }, required: true } }),
    success: space,
    unchanged: 'chat',
  }),
  crmRoute({ name: 'crm POST /chat/spaces/{id}/remove_client.json', method: 'POST', path: '/chat/spaces/{id}/remove_client.json', params: spaceId, success: space, unchanged: 'chat' }),
  crmRoute({
    name: 'crm POST /chat/spaces/{id}/change_responsible.json',
    method: 'POST',
    path: '/chat/spaces/{id}/change_responsible.json',
    params: spaceId,
    body: rooted('space', { responsible_id: { type: { kind: 'ref', entity: 'user' }, required: true }, note: { type: text(500), nullable: true } }),
    success: space,
    unchanged: 'chat',
  }),
  crmRoute({
    name: 'crm GET /chat/messages.json',
    method: 'GET',
    path: '/chat/messages.json',
    query: { ...crmPage, space_id: { type: { kind: 'ref', entity: 'chat' }, guard: true }, space_token: { type: { kind: 'string', max: 100, examples: ['no-such-token'] } } },
    success: crmList,
  }),
  crmRoute({ name: 'crm GET /chat/messages/{id}.json', method: 'GET', path: '/chat/messages/{id}.json', params: numericId, success: crmMessage }),
  crmRoute({
    name: 'crm POST /chat/messages.json',
    method: 'POST',
    path: '/chat/messages.json',
    body: rooted('message', {
      space_id: { type: { kind: 'ref', entity: 'chat' }, guard: true },
      space_token: { type: { kind: 'string', max: 100, examples: ['no-such-token'] } },
      message: { type: text(MESSAGE_MAX_LENGTH), required: true },
      user_id: { type: { kind: 'ref', entity: 'user' } },
      widget_id: { type: { kind: 'ref', entity: 'source' } },
      client_message_id: { type: { kind: 'string', max: 36, format: 'uuid' } },
    }),
    success: crmMessage,
    unchanged: 'chat',
  }),
  crmRoute({ name: 'crm PATCH /chat/messages/{id}.json', method: 'PATCH', path: '/chat/messages/{id}.json', params: numericId, body: rooted('message', { message: { type: text(MESSAGE_MAX_LENGTH), required: true } }), success: crmMessage }),
  crmRoute({ name: 'crm DELETE /chat/messages/{id}.json', method: 'DELETE', path: '/chat/messages/{id}.json', params: numericId, success: noContent }),
  crmRoute({ name: 'crm POST /chat/messages/{id}/attach.json', method: 'POST', path: '/chat/messages/{id}/attach.json', params: numericId, body: { encodings: ['multipart'], fields: {} }, success: crmMessage }),
  crmRoute({ name: 'crm GET /chat/attachments/{id}', method: 'GET', path: '/chat/attachments/{id}', params: { id: { type: { kind: 'ref', entity: 'attachment' }, required: true, guard: true } }, success: { kind: 'attachment' } }),
  crmRoute({ name: 'crm GET /chat/widgets.json', method: 'GET', path: '/chat/widgets.json', query: crmPage, success: crmList }),
  crmRoute({ name: 'crm GET /chat/widgets/{id}.json', method: 'GET', path: '/chat/widgets/{id}.json', params: idOf('source'), success: { kind: 'crm-object', keys: WIDGET_KEYS } }),
  crmRoute({
    name: 'crm POST /chat/widgets.json',
    method: 'POST',
    path: '/chat/widgets.json',
    auth: 'admin',
    body: rooted('widget', { name: { type: text(255), required: true }, ...widgetSettingFields }),
    success: { kind: 'crm-object', keys: WIDGET_KEYS },
  }),
  crmRoute({
    name: 'crm PATCH /chat/widgets/{id}.json',
    method: 'PATCH',
    path: '/chat/widgets/{id}.json',
    auth: 'admin',
    params: idOf('source'),
    body: rooted('widget', { name: { type: text(255) }, token: { type: { kind: 'string', max: 10, examples: ['chosen'] }, nullable: true }, ...widgetSettingFields }),
    success: { kind: 'crm-object', keys: WIDGET_KEYS },
  }),
  crmRoute({ name: 'crm DELETE /chat/widgets/{id}.json', method: 'DELETE', path: '/chat/widgets/{id}.json', auth: 'admin', params: idOf('source'), success: noContent }),
  crmRoute({ name: 'crm GET /chat/templates.json', method: 'GET', path: '/chat/templates.json', query: { ...crmPage, search: { type: text(200) } }, success: crmList }),
  crmRoute({ name: 'crm GET /chat/templates/{id}.json', method: 'GET', path: '/chat/templates/{id}.json', params: idOf('canned'), success: { kind: 'crm-object', keys: TEMPLATE_KEYS } }),
  crmRoute({ name: 'crm POST /chat/templates.json', method: 'POST', path: '/chat/templates.json', auth: 'admin', body: rooted('template', templateFields(true)), success: { kind: 'crm-object', keys: TEMPLATE_KEYS }, unchanged: 'canned' }),
  crmRoute({ name: 'crm PATCH /chat/templates/{id}.json', method: 'PATCH', path: '/chat/templates/{id}.json', auth: 'admin', params: idOf('canned'), body: rooted('template', templateFields(false)), success: { kind: 'crm-object', keys: TEMPLATE_KEYS }, unchanged: 'canned' }),
  crmRoute({ name: 'crm DELETE /chat/templates/{id}.json', method: 'DELETE', path: '/chat/templates/{id}.json', auth: 'admin', params: idOf('canned'), success: noContent, unchanged: 'canned' }),
  crmRoute({ name: 'crm GET /chat/clients.json', method: 'GET', path: '/chat/clients.json', query: { ...crmPage, search: { type: text(200) } }, success: crmList }),
  crmRoute({ name: 'crm GET /chat/clients/{id}.json', method: 'GET', path: '/chat/clients/{id}.json', params: numericId, success: { kind: 'crm-object', keys: CLIENT_KEYS } }),
  crmRoute({ name: 'crm POST /chat/clients.json', method: 'POST', path: '/chat/clients.json', body: rooted('client', clientFields(true)), success: { kind: 'crm-object', keys: CLIENT_KEYS } }),
  crmRoute({ name: 'crm PATCH /chat/clients/{id}.json', method: 'PATCH', path: '/chat/clients/{id}.json', params: numericId, body: rooted('client', clientFields(false)), success: { kind: 'crm-object', keys: CLIENT_KEYS } }),
  crmRoute({ name: 'crm DELETE /chat/clients/{id}.json', method: 'DELETE', path: '/chat/clients/{id}.json', auth: 'admin', params: numericId, success: noContent }),
];

export const ROUTES: readonly RouteDescription[] = [...V1_ROUTES, ...ADMIN_ROUTES, ...REALTIME_ROUTES, ...FEED_ROUTES, ...LEGACY_ROUTES, ...CRM_ROUTES, ...VISITOR_ROUTES];

function templatePattern(template: string): RegExp {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}/?$`, 'i');
}

/** The route a concrete method and path (no query) reach, HEAD falling back to GET as the router does. */
export function findRoute(method: string, path: string): RouteDescription | undefined {
  const matching = ROUTES.filter((route) => templatePattern(route.path).test(path));
  return matching.find((route) => route.method === method) ?? (method === 'HEAD' ? matching.find((route) => route.method === 'GET') : undefined);
}

/** Whether a concrete path (no query) is one the table describes, whatever the method. */
export function matchesKnownRoute(path: string): boolean {
  return ROUTES.some((route) => templatePattern(route.path).test(path));
}
