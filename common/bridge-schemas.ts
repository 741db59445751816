import { z } from 'zod';
import { CHAT_STATUSES, CHAT_TABS, MESSAGE_MAX_LENGTH } from './api';
import { ADMIN_BRIDGE_SCHEMAS } from './bridge-admin-schemas';
import { BridgeError, LANGUAGES, NOTIFY_SCOPES, THEMES, type Args, type RequestName } from './bridge';
import { isOverMessageLength } from './text-length';

// The shape of every bridge request's arguments (the `args` of `BridgeRequests`), checked where a
// request crosses into the engine (the bridge host, the in-process client): a page is not trusted to
// send the right shape, and a wrong one is the caller's mistake (`validation`), not a `server` failure.
// A new request adds its schema here; the map's type fails the build until it does.

/** Page sizes the engine serves (the UI asks for one page of the list or of a thread at a time). */
export const BRIDGE_CHATS_PAGE_MAX = 200;
export const BRIDGE_MESSAGES_PAGE_MAX = 200;
/** A search longer than this is not a search (the server refuses long ones too). */
export const BRIDGE_SEARCH_MAX = 200;
export const TRANSFER_NOTE_MAX = 1000;

const id = () => z.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number');
const limit = (max: number) =>
  z
    .number({ error: `must be a whole number between 1 and ${max}` })
    .int(`must be a whole number between 1 and ${max}`)
    .min(1, `must be a whole number between 1 and ${max}`)
    .max(max, `must be a whole number between 1 and ${max}`);
const text = () => z.string({ error: 'must be text' });
const none = z.object({});
const chatOnly = z.object({ chatId: id() });

/** Each request's schema; its output must be the request's `args`. */
export type BridgeSchemas = { [K in RequestName]: z.ZodType<Args<K>> };

export const BRIDGE_SCHEMAS: BridgeSchemas = {
  'session.login': z.object({ serverUrl: text(), email: text(), password: text() }),
  'session.logout': none,
  'session.get': none,
  'desk.status': none,
  'desk.focus': z.object({ focused: z.boolean({ error: 'must be true or false' }) }),

  'chats.list': z.object({
    tab: z.enum(CHAT_TABS, { error: 'is not a known tab' }),
    status: z.enum(['open', ...CHAT_STATUSES], { error: 'is not a known status' }).optional(),
    sourceId: id().optional(),
    departmentId: id().optional(),
    search: text().max(BRIDGE_SEARCH_MAX, `may not be longer than ${BRIDGE_SEARCH_MAX} characters`).optional(),
    limit: limit(BRIDGE_CHATS_PAGE_MAX).optional(),
    cursor: text().nullable().optional(),
  }),
  'chats.get': chatOnly,

  'chat.open': z.object({ chatId: id(), limit: limit(BRIDGE_MESSAGES_PAGE_MAX).optional() }),
  'chat.leave': chatOnly,
  'chat.loadOlder': z.object({ chatId: id(), beforeId: id(), limit: limit(BRIDGE_MESSAGES_PAGE_MAX).optional() }),
  'chat.send': z.object({
    chatId: id(),
    text: text()
      .refine((value) => !isOverMessageLength(value), `may not be greater than ${MESSAGE_MAX_LENGTH} characters`)
      .optional(),
    uploadIds: z.array(text()).optional(),
  }),
  'chat.assignMe': chatOnly,
  'chat.close': chatOnly,
  'chat.transfer': z.object({ chatId: id(), assignedTo: id(), note: text().optional() }),
  'chat.markRead': z.object({ chatId: id(), upToId: id().optional() }),
  'chat.hideMessage': z.object({ chatId: id(), messageId: id() }),
  'chat.typing': z.object({ chatId: id(), typing: z.boolean({ error: 'must be true or false' }) }),
  'chat.operators': chatOnly,

  'outbox.list': none,
  'outbox.retry': z.object({ id: text() }),
  'outbox.discard': z.object({ id: text() }),

  'uploads.add': z.object({
    name: text(),
    mimeType: text().optional(),
    path: text().optional(),
    bytes: z.instanceof(Uint8Array, { error: 'must be bytes' }).optional(),
  }),

  'canned.search': z.object({ query: text().optional(), sourceId: id().optional() }),
  'catalog.get': none,

  'preferences.get': none,
  'preferences.set': z.object({
    notify: z.enum(NOTIFY_SCOPES, { error: 'is not a known notification scope' }).optional(),
    sound: z.boolean({ error: 'must be true or false' }).optional(),
    theme: z.enum(THEMES, { error: 'is not a known theme' }).optional(),
    language: z.enum(LANGUAGES, { error: 'is not a known language' }).nullable().optional(),
  }),

  'attachments.open': z.object({ attachmentId: id() }),

  ...ADMIN_BRIDGE_SCHEMAS,
};

/** The field name of a zod issue, as the UI knows fields (`chatId`, `search`); the whole request when none. */
function fieldOf(path: readonly PropertyKey[]): string {
  // A Settings request's `body` is checked with the server's schema: its fields are named as the server's 422 names them.
  if (path[0] === 'body' && path.length > 1) return path.slice(1).map(String).join('.');
  const [first] = path;
  return first === undefined ? 'request' : String(first);
}

/**
 * The request's arguments, checked and stripped of keys the request does not take; a wrong shape
 * throws `BridgeError('validation')` whose `fields` name each wrong field, as the server's 422 does.
 */
export function parseBridgeArgs<K extends RequestName>(name: K, args: unknown): Args<K> {
  const schema: z.ZodType<Args<K>> = BRIDGE_SCHEMAS[name];
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    (fields[field] ??= []).push(`The ${field} ${issue.message}.`);
  }
  const first = Object.values(fields)[0]?.[0] ?? `The request ${name} is malformed.`;
  throw new BridgeError('validation', first, fields);
}
