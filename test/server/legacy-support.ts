import assert from 'node:assert/strict';
import type { Envelope } from '../../server/dialects/legacy/envelope';
import type { LegacyErrorBody } from '../../server/dialects/legacy/error-middleware';
import type { LegacyChat, LegacyChatMessage, LegacyListedChat, LegacyMessage, LegacyUser } from '../../server/dialects/legacy/presenters';
import type { ApiResponse, TestServer } from '../helpers/server';
import { ADMIN_ID, EMPLOYEE_ID, MOD2_ID, MOD_ID, TIMESTAMP, chatIdOf, issueToken, webhook } from './support';

// Shared by the legacy dialect's suites (spec/chat-api-legacy.ru.md, DESIGN §8.1): its tokens, its
// error format, its shapes, and the demo chats the employee takes part in.

export interface LegacyTokens {
  admin: string;
  mod: string;
  mod2: string;
  employee: string;
}

/** Tokens of the four demo users, employee included (the legacy dialect admits employees). */
export async function legacyTokens(s: TestServer): Promise<LegacyTokens> {
  return {
    admin: await issueToken(s, ADMIN_ID),
    mod: await issueToken(s, MOD_ID),
    mod2: await issueToken(s, MOD2_ID),
    employee: await issueToken(s, EMPLOYEE_ID),
  };
}

/** The two demo chats employee@example.com takes part in (DESIGN §4). */
export const EMPLOYEE_ASSIGNED = 'web-5e6f';
export const EMPLOYEE_CREATED = 'api-chat-0b7c5a52-9e41-4f0a-8c2b-6a1e5f7d9c10';

export type { Envelope, LegacyChat, LegacyChatMessage, LegacyErrorBody, LegacyListedChat, LegacyMessage, LegacyUser };

/** A chat as `GET /api/chats/{id}` shows it. */
export type ShownChat = LegacyChat & { messages: LegacyChatMessage[] };

export interface Pagination {
  current_page: number;
  last_page: number;
  per_page: number;
  total: number;
}

/** A request in the legacy dialect; `T` is the success body the caller expects (errors are checked with assertLegacyError). */
export function call<T = LegacyErrorBody>(s: TestServer, method: string, path: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) {
  return s.request<T>(method, path, { token, body, headers });
}

/** Asserts the legacy error body: exactly `{status: "error", message}` (+ `errors` on 422). */
export function assertLegacyError(res: ApiResponse<unknown>, status: number, message?: string): LegacyErrorBody {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = res.body as LegacyErrorBody;
  assert.equal(body.status, 'error');
  assert.equal(typeof body.message, 'string');
  if (message !== undefined) assert.equal(body.message, message);
  assert.deepEqual(Object.keys(body).sort(), status === 422 ? ['errors', 'message', 'status'] : ['message', 'status']);
  return body;
}

/** Asserts a legacy 422 whose `errors` has exactly these fields. */
export function assertLegacyInvalid(res: ApiResponse<unknown>, fields: string[]): Record<string, string[]> {
  const errors = assertLegacyError(res, 422).errors ?? {};
  assert.deepEqual(Object.keys(errors).sort(), [...fields].sort(), JSON.stringify(errors));
  return errors;
}

/** Asserts the success envelope of the chats family and returns its `data`. */
export function envelope<T>(res: ApiResponse<Envelope<T>>, status: number, message: string): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), ['data', 'message', 'status']);
  assert.equal(res.body.status, 'success');
  assert.equal(res.body.message, message);
  return res.body.data;
}

export const USER_KEYS = ['id', 'name', 'email', 'phone', 'position', 'avatar', 'role', 'department_id', 'is_active', 'created_at', 'updated_at'].sort();
export const CHAT_KEYS = ['id', 'client_name', 'client_phone', 'client_email', 'status', 'created_at', 'updated_at', 'user', 'assigned_user'].sort();
export const CHAT_MESSAGE_KEYS = ['id', 'message', 'type', 'is_from_client', 'file_path', 'file_name', 'file_size', 'is_hidden', 'created_at', 'user'].sort();
export const MESSAGE_KEYS = [
  'id', 'chat_id', 'user_id', 'content', 'type', 'metadata', 'is_hidden', 'hidden_by', 'hidden_at', 'wazzup_message_id', 'direction', 'status',
  'created_at', 'updated_at', 'user',
].sort();

export function assertUser(user: LegacyUser): void {
  assert.deepEqual(Object.keys(user).sort(), USER_KEYS);
  assert.ok(['admin', 'moderator', 'employee'].includes(user.role));
  assert.equal(typeof user.is_active, 'boolean');
  assert.match(user.created_at, TIMESTAMP);
}

/** A chat of the chats family; `extra` names the keys this endpoint adds (messages_count, last_message, messages). */
export function assertChat(chat: LegacyChat & Partial<LegacyListedChat> & { messages?: LegacyChatMessage[] }, extra: string[] = []): void {
  assert.deepEqual(Object.keys(chat).sort(), [...CHAT_KEYS, ...extra].sort());
  assert.ok(['active', 'closed', 'transferred', 'pending'].includes(chat.status), chat.status);
  assert.match(chat.created_at, TIMESTAMP);
  assert.match(chat.updated_at, TIMESTAMP);
  for (const user of [chat.user, chat.assigned_user]) if (user !== null) assertUser(user);
  if (extra.includes('messages_count')) assert.equal(typeof chat.messages_count, 'number');
  if (chat.last_message) assertChatMessage(chat.last_message);
  for (const message of chat.messages ?? []) assertChatMessage(message);
}

export function assertChatMessage(message: LegacyChatMessage): void {
  assert.deepEqual(Object.keys(message).sort(), CHAT_MESSAGE_KEYS);
  assert.ok(['text', 'file', 'image', 'system'].includes(message.type));
  assert.equal(typeof message.is_from_client, 'boolean');
  assert.match(message.created_at, TIMESTAMP);
  if (message.is_from_client) assert.equal(message.user, null);
  if (message.user !== null) assertUser(message.user);
}

export function assertMessage(message: LegacyMessage): void {
  assert.deepEqual(Object.keys(message).sort(), MESSAGE_KEYS);
  assert.ok(['in', 'out'].includes(message.direction));
  assert.equal(message.status, message.direction === 'in' ? 'delivered' : 'sent');
  assert.equal(typeof message.is_hidden, 'boolean');
  for (const time of [message.created_at, message.updated_at]) assert.match(time, TIMESTAMP);
  if (message.hidden_at !== null) assert.match(message.hidden_at, TIMESTAMP);
  if (message.user !== null) {
    assertUser(message.user);
    assert.equal(message.user.id, message.user_id);
  }
}

let customers = 0;
/** A fresh customer chat on `sourceId`, through the signed webhook: `{chatId, messageId}` of its first message. */
export async function customerChat(s: TestServer, sourceId = 1, text = 'Hello from a customer', name = 'Legacy Customer'): Promise<{ chatId: number; messageId: number }> {
  customers++;
  const res = await webhook(s, sourceId, { external_user_id: `legacy-${customers}-${Date.now()}`, text, user_metadata: { name, phone: '+7 777 123 45 67' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { chatId: res.body.data.chat_id, messageId: res.body.data.message.id };
}

export function demoChat(s: TestServer, external: string): Promise<number> {
  return chatIdOf(s, external);
}

/** A chat and its messages as stored, to prove a refused request changed nothing. */
export async function stored(s: TestServer, chatId: number) {
  const chat = await s.server.store.chats.byId(chatId);
  const messages = (await s.server.store.messages.oldestFirst(chatId, 0, 1000)).map((m) => ({ id: m.id, is_hidden: m.is_hidden, hidden_by: m.hidden_by, text: m.text }));
  return { chat, messages };
}
