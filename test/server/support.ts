import assert from 'node:assert/strict';
import type { ApiChat, ApiErrorBody, ApiMessage, ErrorCode } from '../../common/api';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';
import type { Broadcast } from '../../server/realtime/broadcaster';
import type { CountedTable, NewUser } from '../../server/store/contract';
import type { ApiResponse, TestServer } from '../helpers/server';

// Shared by the v1 API suites: who the demo users are, how to sign a webhook, how to count rows.
// Ids follow server/demo/seed.ts: users 1 admin, 2 mod (sources 1, 2), 3 mod2 (source 3), 4 employee.

export const ADMIN_ID = 1;
export const MOD_ID = 2;
export const MOD2_ID = 3;
export const EMPLOYEE_ID = 4;
export const DEMO_SECRET = 'demo-webhook-secret';

export interface Tokens {
  admin: string;
  mod: string;
  mod2: string;
}

/**
 * Tokens of the three demo operators. Issued as login would issue them (auth.test.ts covers login itself):
 * each login pays for a deliberately slow password hash, which the other suites do not need to measure.
 */
export async function loginAll(s: TestServer): Promise<Tokens> {
  return { admin: await issueToken(s, ADMIN_ID), mod: await issueToken(s, MOD_ID), mod2: await issueToken(s, MOD2_ID) };
}

/** A token for a user created straight in the store (the API has no user management). */
export function issueToken(s: TestServer, userId: number): Promise<string> {
  return s.server.deps.authenticator.issue(userId, 'test');
}

let userSerial = 0;
/** A user written straight into the store, with a token; the password hash is irrelevant (no login). */
export async function createUser(s: TestServer, user: Partial<NewUser> & Pick<NewUser, 'roles'>): Promise<{ id: number; token: string }> {
  userSerial++;
  const id = await s.server.store.users.create(
    { name: `Test User ${userSerial}`, email: `user${userSerial}-${Date.now()}@example.com`, passwordHash: 'x', ...user },
    Date.now(),
  );
  return { id, token: await issueToken(s, id) };
}

/** The demo chats as the database holds them (id, source, department, assignee, status). */
export interface ChatFacts {
  id: number;
  source_id: number;
  department_id: number | null;
  assigned_to: number | null;
  status: string;
}

/** The id of the demo (or test-made) chat of this external user; fails the test when there is none. */
export async function chatIdOf(s: TestServer, external: string): Promise<number> {
  const id = await s.server.store.testing.chatIdByExternalUser(external);
  assert.ok(id, external);
  return id;
}

export function chatFacts(s: TestServer): Promise<ChatFacts[]> {
  return s.server.store.testing.chatFacts();
}

export function countRows(s: TestServer, table: CountedTable): Promise<number> {
  return s.server.store.testing.count(table);
}

/** The timestamp and signature headers of `rawBody`, signed at the server's time (tests move its clock). */
export function signedHeaders(s: TestServer, rawBody: string, secret = DEMO_SECRET): Record<string, string> {
  return webhookHeaders(secret, rawBody, s.clock.now());
}

/** Posts a customer message through the signed source webhook, as a channel integration would. */
export function webhook(s: TestServer, sourceId: number, body: object, secret = DEMO_SECRET) {
  const raw = JSON.stringify(body);
  return s.request<{ data: { chat_id: number; message: ApiMessage } } & Partial<ApiErrorBody>>('POST', `/api/v1/webhooks/sources/${sourceId}`, {
    body: raw,
    headers: { 'Content-Type': 'application/json', ...signedHeaders(s, raw, secret) },
  });
}

export function send(s: Pick<TestServer, 'request'>, token: string, chatId: number, body: object, headers: Record<string, string> = {}) {
  return s.request<{ data: ApiMessage } & Partial<ApiErrorBody>>('POST', `/api/v1/chats/${chatId}/send`, { token, body, headers });
}

export function getChat(s: TestServer, token: string, chatId: number) {
  return s.request<{ data: ApiChat } & Partial<ApiErrorBody>>('GET', `/api/v1/chats/${chatId}`, { token });
}

/** Asserts the documented error body: exactly `{message, code}` (+ `errors` on 422). */
export function assertError(res: ApiResponse<unknown>, status: number, code: ErrorCode, message?: string): ApiErrorBody {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = res.body as ApiErrorBody;
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  if (message !== undefined) assert.equal(body.message, message);
  const keys = Object.keys(body).sort();
  assert.deepEqual(keys, status === 422 ? ['code', 'errors', 'message'] : ['code', 'message']);
  return body;
}

/** Asserts a 422 whose `errors` has exactly these fields. */
export function assertInvalid(res: ApiResponse<unknown>, fields: string[]): Record<string, string[]> {
  const body = assertError(res, 422, 'VALIDATION_ERROR');
  assert.deepEqual(Object.keys(body.errors ?? {}).sort(), [...fields].sort(), JSON.stringify(body.errors));
  return body.errors ?? {};
}

/** Records every broadcast the domain publishes, through the same hub the realtime transport uses. */
export function recordBroadcasts(s: TestServer): { events: Broadcast[]; stop: () => void } {
  const events: Broadcast[] = [];
  const stop = s.server.broadcasts.add({ publish: (broadcast) => events.push(broadcast) });
  return { events, stop: () => void stop() };
}

export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** Every key of the wire chat (common/api.ts ApiChat), in no particular order. */
export const CHAT_KEYS = [
  'id', 'source_id', 'department_id', 'external_user_id', 'user_metadata', 'status', 'assigned_to', 'source', 'department', 'assignee',
  'latest_message', 'is_urgent', 'unread_count', 'waiting_since', 'last_message_at', 'last_activity_at', 'closed_at', 'created_at', 'updated_at', 'contact',
].sort();

export const MESSAGE_KEYS = [
  'id', 'chat_id', 'sender_id', 'sender_type', 'sender', 'text', 'payload', 'attachments', 'is_read', 'client_message_id', 'is_hidden', 'hidden_by',
  'hidden_at', 'created_at', 'updated_at',
].sort();

export function assertChatShape(chat: ApiChat): void {
  assert.deepEqual(Object.keys(chat).sort(), CHAT_KEYS);
  assert.equal(typeof chat.id, 'number');
  assert.deepEqual(Object.keys(chat.source).sort(), ['id', 'name', 'type']);
  assert.equal(chat.source.id, chat.source_id);
  if (chat.department) assert.deepEqual(Object.keys(chat.department).sort(), ['id', 'name']);
  assert.equal(chat.department?.id ?? null, chat.department_id);
  if (chat.assignee) assert.deepEqual(Object.keys(chat.assignee).sort(), ['id', 'name']);
  assert.equal(chat.assignee?.id ?? null, chat.assigned_to);
  if (chat.latest_message) {
    assert.deepEqual(Object.keys(chat.latest_message).sort(), ['created_at', 'id', 'is_hidden', 'sender_type', 'text']);
    assert.match(chat.latest_message.created_at, TIMESTAMP);
  }
  assert.equal(typeof chat.is_urgent, 'boolean');
  assert.equal(typeof chat.unread_count, 'number');
  for (const time of [chat.created_at, chat.updated_at, chat.last_activity_at]) assert.match(time, TIMESTAMP);
  for (const time of [chat.waiting_since, chat.last_message_at, chat.closed_at]) if (time !== null) assert.match(time, TIMESTAMP);
}

export function assertMessageShape(message: ApiMessage): void {
  assert.deepEqual(Object.keys(message).sort(), MESSAGE_KEYS);
  assert.match(message.created_at, TIMESTAMP);
  assert.match(message.updated_at, TIMESTAMP);
  assert.equal(typeof message.is_read, 'boolean');
  assert.ok(Array.isArray(message.attachments));
  assert.equal(typeof message.payload, 'object');
  if (message.sender_type === 'operator') {
    assert.deepEqual(Object.keys(message.sender ?? {}).sort(), ['id', 'name']);
    assert.equal(message.sender?.id, message.sender_id);
  } else {
    assert.equal(message.sender, null);
  }
  for (const attachment of message.attachments) assert.deepEqual(Object.keys(attachment).sort(), ['id', 'mime_type', 'name', 'size', 'url']);
}
