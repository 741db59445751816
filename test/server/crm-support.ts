import assert from 'node:assert/strict';
import type { CrmErrorBody } from '../../common/widget-api';
import type { CrmMessage, CrmSpace } from '../../server/dialects/crm/presenters';
import { MESSAGE_KEYS, SPACE_KEYS } from '../../server/dialects/crm/presenters';
import type { ApiResponse, TestServer } from '../helpers/server';
import { TIMESTAMP } from './support';

// Shared by the CRM suites: requests the way CRM clients send them (`?api_token=` or Bearer), and
// the shapes its answers must have.

export type AuthMode = 'query' | 'bearer';

export interface CrmRequest {
  token?: string;
  body?: unknown;
  auth?: AuthMode;
  headers?: Record<string, string>;
}

/** A CRM request; the token goes in `api_token` unless `auth: 'bearer'`. */
export function crm<T = unknown>(s: TestServer, method: string, path: string, options: CrmRequest = {}): Promise<ApiResponse<T>> {
  const { token, auth = 'query', body, headers } = options;
  if (token === undefined || auth === 'bearer') return s.request<T>(method, path, { token, body, headers });
  const separator = path.includes('?') ? '&' : '?';
  return s.request<T>(method, `${path}${separator}api_token=${encodeURIComponent(token)}`, { body, headers });
}

/** Asserts the CRM error body: exactly `{error}` (+ `errors` on a 422), with this status. */
export function assertCrmError(res: ApiResponse<unknown>, status: number, error?: string | RegExp): CrmErrorBody {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = res.body as CrmErrorBody;
  assert.deepEqual(Object.keys(body).sort(), status === 422 ? ['error', 'errors'] : ['error'], JSON.stringify(body));
  assert.equal(typeof body.error, 'string');
  if (typeof error === 'string') assert.equal(body.error, error);
  else if (error) assert.match(body.error, error);
  return body;
}

/** Asserts a 422 whose `errors` name exactly these fields. */
export function assertCrmInvalid(res: ApiResponse<unknown>, fields: string[]): Record<string, string[]> {
  const body = assertCrmError(res, 422);
  assert.deepEqual(Object.keys(body.errors ?? {}).sort(), [...fields].sort(), JSON.stringify(body.errors));
  return body.errors ?? {};
}

export function assertSpaceShape(space: CrmSpace): void {
  assert.deepEqual(Object.keys(space).sort(), [...SPACE_KEYS].sort());
  assert.ok(space.status === 'open' || space.status === 'closed');
  assert.match(space.created_at, TIMESTAMP);
}

export function assertMessageShape(message: CrmMessage): void {
  assert.deepEqual(Object.keys(message).sort(), [...MESSAGE_KEYS].sort());
  assert.ok(['client', 'operator', 'system'].includes(message.kind));
  assert.match(message.created_at, TIMESTAMP);
}

/** A new space on widget 1 (the demo website) made by `token`'s user. */
export async function createSpace(s: TestServer, token: string, fields: Record<string, unknown> = {}): Promise<CrmSpace> {
  const res = await crm<CrmSpace>(s, 'POST', '/chat/spaces.json', { token, body: { space: { widget_id: 1, name: 'Test Customer', ...fields } } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}
