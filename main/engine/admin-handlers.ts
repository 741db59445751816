import type { ApiCreatedToken, ApiPersonalToken, ApiSession } from '../../common/account-api';
import { ADMIN_PATHS, ADMIN_USERS_PAGE_MAX, type AdminDepartment, type AdminSource, type AdminSourceWithSecret, type AdminUser, type AdminWidget } from '../../common/admin-api';
import type { ApiCannedResponse, ApiUser } from '../../common/api';
import { BridgeError, type Handler, type Result } from '../../common/bridge';
import type { AdminBridgeRequests, PersonalTokenView, SignedInDeviceView } from '../../common/bridge-admin';
import { parseTimestamp } from '../../common/time';
import type { ApiClient } from './api/client';
import { HttpStatusError, NetworkError } from './api/errors';
import type { DeskEngine } from './engine';
import { toBridgeError } from './engine';

// Settings → account and administration: straight to the server, nothing cached or queued (an
// administrator acts on the server's current state). The server authorises and has the last word;
// the bridge checks the arguments with its own schemas first, so a malformed request is never sent.

export type AdminHandlers = { [K in keyof AdminBridgeRequests]: Handler<K> };

/** The client adds `/api/v1` itself. */
const inV1 = (path: string) => path.replace(/^\/api\/v1/, '');
const USERS = inV1(ADMIN_PATHS.users);
const SOURCES = inV1(ADMIN_PATHS.sources);
const DEPARTMENTS = inV1(ADMIN_PATHS.departments);
const WIDGETS = inV1(ADMIN_PATHS.widgets);
/** A bound on the pages fetched for one list (10,000 operators at the page maximum). */
const USER_PAGES_MAX = 100;

function time(value: string | null): number | null {
  return value === null ? null : parseTimestamp(value);
}

function tokenView(token: ApiPersonalToken): PersonalTokenView {
  return { id: token.id, name: token.name, createdAt: parseTimestamp(token.created_at), lastUsedAt: time(token.last_used_at) };
}

function deviceView(session: ApiSession): SignedInDeviceView {
  return { ...tokenView(session), current: session.current, expiresAt: time(session.expires_at) };
}

export function createAdminHandlers(engine: DeskEngine): AdminHandlers {
  /** The signed-in account's API client; failures become BridgeErrors (offline, forbidden, validation…). */
  const online = <K extends keyof AdminBridgeRequests>(name: K, work: (api: ApiClient, args: AdminBridgeRequests[K]['args']) => Promise<Result<K>>): Handler<K> => {
    // The arguments were checked with the server's own schemas (common/bridge-admin-schemas.ts, part of
    // BRIDGE_SCHEMAS) before any handler runs, so a malformed body is never sent.
    return async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      try {
        return await work(account.api, args);
      } catch (error) {
        // The server's refusals and outages are the user's to read; anything else is a bug to log.
        if (!(error instanceof BridgeError || error instanceof HttpStatusError || error instanceof NetworkError)) engine.logger.error(`request ${name} failed`, error);
        throw toBridgeError(error);
      }
    };
  };
  const get = async <T>(api: ApiClient, path: string) => (await api.request<T>('GET', path)).data;
  const send = async <T>(api: ApiClient, method: string, path: string, payload?: unknown) =>
    (await api.request<T>(method, path, payload === undefined ? {} : { body: payload })).data;

  return {
    'account.profile': online('account.profile', async (api) => ({ user: await get<ApiUser>(api, '/auth/me') })),
    'account.updateProfile': online('account.updateProfile', async (api, args) => ({ user: await send<ApiUser>(api, 'PATCH', '/profile', args.body) })),
    'account.changePassword': online('account.changePassword', async (api, args) => ({
      signedOut: (await send<{ signed_out: number }>(api, 'POST', '/profile/password', args.body)).signed_out,
    })),

    'tokens.list': online('tokens.list', async (api) => ({ tokens: (await get<ApiPersonalToken[]>(api, '/tokens')).map(tokenView) })),
    'tokens.create': online('tokens.create', async (api, args) => {
      const created = await send<ApiCreatedToken>(api, 'POST', '/tokens', args);
      return { token: tokenView(created), secret: created.token };
    }),
    'tokens.revoke': online('tokens.revoke', async (api, args) => {
      await api.requestEmpty('DELETE', `/tokens/${args.id}`);
      return { ok: true };
    }),

    'devices.list': online('devices.list', async (api) => ({ devices: (await get<ApiSession[]>(api, '/sessions')).map(deviceView) })),
    'devices.signOutOthers': online('devices.signOutOthers', async (api) => ({
      revoked: (await send<{ revoked: number }>(api, 'POST', '/sessions/others/revoke')).revoked,
    })),
    'devices.signOut': online('devices.signOut', async (api, args) => {
      await api.requestEmpty('DELETE', `/sessions/${args.id}`);
      return { ok: true };
    }),

    'admin.canned.list': online('admin.canned.list', async (api) => ({
      items: (await api.request<ApiCannedResponse[]>('GET', '/canned-responses', { query: { include_inactive: 'true' } })).data,
    })),
    'admin.canned.create': online('admin.canned.create', async (api, args) => ({ item: await send<ApiCannedResponse>(api, 'POST', '/canned-responses', args.body) })),
    'admin.canned.update': online('admin.canned.update', async (api, args) => ({
      item: await send<ApiCannedResponse>(api, 'PATCH', `/canned-responses/${args.id}`, args.body),
    })),
    'admin.canned.delete': online('admin.canned.delete', async (api, args) => {
      await send(api, 'DELETE', `/canned-responses/${args.id}`);
      return { ok: true };
    }),

    'admin.users.list': online('admin.users.list', async (api) => {
      const users: AdminUser[] = [];
      for (let page = 1; ; page++) {
        const answer = await api.request<AdminUser[]>('GET', USERS, { query: { page, per_page: ADMIN_USERS_PAGE_MAX } });
        users.push(...answer.data);
        if (answer.data.length < ADMIN_USERS_PAGE_MAX || page >= USER_PAGES_MAX) return { users };
      }
    }),
    'admin.users.create': online('admin.users.create', async (api, args) => ({ user: await send<AdminUser>(api, 'POST', USERS, args.body) })),
    'admin.users.update': online('admin.users.update', async (api, args) => ({ user: await send<AdminUser>(api, 'PATCH', `${USERS}/${args.id}`, args.body) })),
    'admin.users.setActive': online('admin.users.setActive', async (api, args) => ({
      user: await send<AdminUser>(api, 'POST', `${USERS}/${args.id}/${args.active ? 'activate' : 'deactivate'}`),
    })),

    'admin.sources.list': online('admin.sources.list', async (api) => ({ sources: await get<AdminSource[]>(api, SOURCES) })),
    'admin.sources.create': online('admin.sources.create', async (api, args) => ({ source: await send<AdminSourceWithSecret>(api, 'POST', SOURCES, args.body) })),
    'admin.sources.update': online('admin.sources.update', async (api, args) => ({ source: await send<AdminSource>(api, 'PATCH', `${SOURCES}/${args.id}`, args.body) })),
    'admin.sources.rotateSecret': online('admin.sources.rotateSecret', async (api, args) => ({
      source: await send<AdminSourceWithSecret>(api, 'POST', `${SOURCES}/${args.id}/secret`),
    })),

    'admin.departments.list': online('admin.departments.list', async (api) => ({ departments: await get<AdminDepartment[]>(api, DEPARTMENTS) })),
    'admin.departments.create': online('admin.departments.create', async (api, args) => ({
      department: await send<AdminDepartment>(api, 'POST', DEPARTMENTS, args.body),
    })),
    'admin.departments.update': online('admin.departments.update', async (api, args) => ({
      department: await send<AdminDepartment>(api, 'PATCH', `${DEPARTMENTS}/${args.id}`, args.body),
    })),
    'admin.departments.delete': online('admin.departments.delete', async (api, args) => {
      await api.requestEmpty('DELETE', `${DEPARTMENTS}/${args.id}`);
      return { ok: true };
    }),

    'admin.widgets.list': online('admin.widgets.list', async (api) => ({ widgets: await get<AdminWidget[]>(api, WIDGETS) })),
    'admin.widgets.create': online('admin.widgets.create', async (api, args) => ({ widget: await send<AdminWidget>(api, 'POST', WIDGETS, args.body) })),
    'admin.widgets.update': online('admin.widgets.update', async (api, args) => ({ widget: await send<AdminWidget>(api, 'PATCH', `${WIDGETS}/${args.id}`, args.body) })),
  };
}
