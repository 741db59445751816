import { z } from 'zod';
import { CHATS_PAGE_DEFAULT, MESSAGES_PAGE_DEFAULT } from '../../../common/api';
import { boundedJson } from '../../../common/bounded-json';
import { queryInt } from '../../../common/schemas';
import { characterCount } from '../../../common/text-length';
import { OPERATOR_CHAT_TYPES, SEARCH_MIN_LENGTH } from '../../domain/chat-service';

// Request shapes of the legacy dialect, with the document's rules (spec/chat-api-legacy.ru.md).
// Integers are taken as JSON numbers or as digits, as Laravel's `integer` rule takes form fields.

const PAGE_MAX = 100;

/** A string of at most `max` characters, counted as Laravel's `max:` counts them (mb_strlen). */
function text(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .refine((value) => characterCount(value) <= max, { message: `The :attribute field must not be greater than ${max} characters.` });
}

function optionalText(max: number) {
  return z
    .string()
    .trim()
    .refine((value) => characterCount(value) <= max, { message: `The :attribute field must not be greater than ${max} characters.` })
    .nullish();
}

const perPage = (fallback: number) => queryInt().pipe(z.number().min(1).max(PAGE_MAX)).default(fallback);
const page = queryInt().pipe(z.number().min(1)).default(1);
const id = queryInt().pipe(z.number().positive());

export const chatsQuery = z.object({ per_page: perPage(CHATS_PAGE_DEFAULT), page });
export const messagesQuery = z.object({ per_page: perPage(MESSAGES_PAGE_DEFAULT), page });

export const LEGACY_STATUSES = ['active', 'closed', 'transferred', 'pending'] as const;

export const searchQuery = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .refine((value) => characterCount(value) >= SEARCH_MIN_LENGTH, { message: `The :attribute field must be at least ${SEARCH_MIN_LENGTH} characters.` })
    .refine((value) => characterCount(value) <= 200, { message: 'The :attribute field must not be greater than 200 characters.' }),
  status: z.enum(LEGACY_STATUSES).optional(),
  per_page: perPage(CHATS_PAGE_DEFAULT),
  page,
});

export const createChatBody = z.object({
  title: text(255),
  description: optionalText(5000),
  type: z.enum(OPERATOR_CHAT_TYPES),
  assigned_to: id.nullish(),
  department_id: id.nullish(),
});

export const transferBody = z.object({
  assigned_to: id,
  note: optionalText(1000),
});

export const MESSAGE_TYPES = ['text', 'file', 'image', 'system'] as const;

/** `metadata` (Laravel's `array`): a JSON object, bounded like every free-form field. */
const metadata = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { message: 'The :attribute field must be an array.' })
  .pipe(boundedJson());

/** `POST /api/chats/{id}/send`: `message` ≤ 1000, `type`, and a multipart `file` for file and image messages. */
export const chatSendBody = z.object({
  message: text(1000),
  type: z.enum(MESSAGE_TYPES).optional(),
});

/** `POST /api/messages/chats/{chat}`: `content` ≤ 1000, `type`, `metadata`. */
export const messageSendBody = z.object({
  content: text(1000),
  type: z.enum(MESSAGE_TYPES).optional(),
  metadata: metadata.nullish(),
});

export const systemMessageBody = z.object({ content: text(500) });
