import { z } from 'zod';
import { isOverMessageLength } from './text-length';
import { CHAT_STATUSES, CHAT_TABS, CHATS_PAGE_MAX, DEVICE_PLATFORMS, MESSAGE_MAX_LENGTH, MESSAGES_BATCH_MAX_CHATS, MESSAGES_PAGE_MAX } from './api';
import { boundedJson } from './bounded-json';

// Request shapes of the v1 API. The server validates with them; clients may use them to
// check what they are about to send.

/** A query-string integer: digits become a number, anything else fails as "must be an integer". */
export function queryInt() {
  return z.preprocess((value) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value), z.number().int());
}

/** A query-string boolean in Laravel's spellings. */
export function queryBool() {
  return z.preprocess((value) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value;
  }, z.boolean());
}

/**
 * A message text of at most `max` characters. Laravel's `max:` counts characters (mb_strlen),
 * not UTF-16 units, so 4000 emoji are 4000 characters, as the operator sees them.
 */
export function messageText(max = MESSAGE_MAX_LENGTH) {
  return z.string().refine((text) => !isOverMessageLength(text, max), {
    message: `The :attribute field must not be greater than ${max} characters.`,
  });
}

export const loginBody = z.object({
  email: z.string().trim().min(1).max(255).email(),
  password: z.string().min(1).max(255),
  device_name: z.string().trim().min(1).max(255).optional(),
});

export const chatListQuery = z.object({
  tab: z.enum(CHAT_TABS).default('all'),
  source_id: queryInt().pipe(z.number().positive()).optional(),
  department_id: queryInt().pipe(z.number().positive()).optional(),
  search: z.string().trim().max(200).optional(),
  status: z.enum(['open', ...CHAT_STATUSES]).optional(),
  per_page: queryInt().pipe(z.number().min(1).max(CHATS_PAGE_MAX)).optional(),
  page: queryInt().pipe(z.number().min(1)).default(1),
  /** A `meta.sync_cursor` of an earlier answer: only what changed since (the server checks the cursor itself). */
  updated_since: z.string().min(1).max(500).optional(),
});

/** `ids=1,2,3`: distinct positive chat ids, at most MESSAGES_BATCH_MAX_CHATS; every problem is one on `ids`. */
const chatIdList = z
  .string()
  .min(1)
  .regex(/^[1-9]\d{0,14}(,[1-9]\d{0,14})*$/, { message: 'The :attribute field must be a comma-separated list of chat ids.' })
  .transform((text) => text.split(',').map(Number))
  .refine((ids) => ids.length <= MESSAGES_BATCH_MAX_CHATS, { message: `The :attribute field must not have more than ${MESSAGES_BATCH_MAX_CHATS} items.` })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'The :attribute field has a duplicate value.' });

export const messagesBatchQuery = z.object({
  ids: chatIdList,
  limit: queryInt().pipe(z.number().min(1).max(MESSAGES_PAGE_MAX)).optional(),
});

export const messagesQuery = z.object({
  before_id: queryInt().pipe(z.number().positive()).optional(),
  limit: queryInt().pipe(z.number().min(1).max(MESSAGES_PAGE_MAX)).optional(),
  per_page: queryInt().pipe(z.number().min(1).max(MESSAGES_PAGE_MAX)).optional(),
});

export const sendBody = z
  .object({
    text: messageText().nullish(),
    attachments: z.array(z.string().min(1).max(255)).max(10).optional(),
    client_message_id: z.string().uuid().optional(),
  })
  .superRefine((body, ctx) => {
    const hasText = typeof body.text === 'string' && body.text.trim() !== '';
    if (!hasText && (body.attachments ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'The :attribute field is required when attachments is not present.' });
    }
  });

export const typingBody = z.object({ typing: z.boolean().default(true) });

export const readBody = z.object({ up_to_id: z.number().int().positive().optional() });

export const transferBody = z.object({
  assigned_to: z.number().int().positive(),
  note: z.string().trim().max(1000).optional(),
});

export const patchChatBody = z
  .object({
    is_urgent: z.boolean().optional(),
    department_id: z.number().int().positive().nullable().optional(),
  })
  .refine((body) => body.is_urgent !== undefined || body.department_id !== undefined, {
    path: ['is_urgent'],
    message: 'The :attribute field is required when department id is not present.',
  });

export const registerDeviceBody = z.object({
  token: z.string().min(1).max(500),
  platform: z.enum(DEVICE_PLATFORMS),
});

export const cannedResponsesQuery = z.object({
  source_id: queryInt().pipe(z.number().positive()).optional(),
  q: z.string().trim().max(200).optional(),
  include_inactive: queryBool().optional(),
});

export const cannedResponseBody = z.object({
  source_id: z.number().int().positive().nullable().default(null),
  code: z.string().trim().min(1).max(64),
  title: z.string().trim().min(1).max(255),
  text: messageText().pipe(z.string().trim().min(1)),
  is_active: z.boolean().default(true),
});

export const cannedResponsePatch = z.object({
  source_id: z.number().int().positive().nullable().optional(),
  code: z.string().trim().min(1).max(64).optional(),
  title: z.string().trim().min(1).max(255).optional(),
  text: messageText().pipe(z.string().trim().min(1)).optional(),
  is_active: z.boolean().optional(),
});

const webhookAttachment = z
  .object({
    url: z.string().url().max(2000).optional(),
    name: z.string().trim().min(1).max(255).optional(),
    mime_type: z.string().max(255).optional(),
    content_base64: z.string().optional(),
  })
  .refine((a) => a.url !== undefined || (a.name !== undefined && a.content_base64 !== undefined), {
    path: ['url'],
    message: 'The :attribute field is required when content base64 is not present.',
  });

export const webhookBody = z
  .object({
    external_user_id: z.string().trim().min(1).max(255),
    // Free-form, so bounded in depth and size (common/bounded-json.ts), like every free-form JSON field.
    user_metadata: boundedJson().optional(),
    text: messageText().nullish(),
    attachments: z.array(webhookAttachment).max(10).optional(),
    external_message_id: z.string().trim().min(1).max(255).optional(),
  })
  .superRefine((body, ctx) => {
    const hasText = typeof body.text === 'string' && body.text.trim() !== '';
    if (!hasText && (body.attachments ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'The :attribute field is required when attachments is not present.' });
    }
  });

/** A channel customer is typing: `{external_user_id, typing}` with no text; nothing is stored. */
export const webhookTypingBody = z.object({
  external_user_id: z.string().trim().min(1).max(255),
  typing: z.boolean(),
});

/** Whether a webhook body is a typing hint rather than a message: `typing` given, and no text or attachments. */
export function isWebhookTyping(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('typing' in body)) return false;
  return !('text' in body && body.text !== null && body.text !== undefined) && !('attachments' in body && body.attachments !== undefined);
}

export type LoginBody = z.infer<typeof loginBody>;
export type ChatListQuery = z.infer<typeof chatListQuery>;
export type SendBody = z.infer<typeof sendBody>;
export type TransferBody = z.infer<typeof transferBody>;
export type PatchChatBody = z.infer<typeof patchChatBody>;
export type WebhookBody = z.infer<typeof webhookBody>;
export type CannedResponseBody = z.infer<typeof cannedResponseBody>;
