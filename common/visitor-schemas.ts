import { z } from 'zod';
import { queryInt, messageText } from './schemas';

// What the visitor API accepts, shared with the widget so that its forms refuse what the server
// would. Empty strings of optional fields count as absent: a form sends every input it has.

const blankAsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Digits, spaces and `+ ( ) - .`, with at least five digits: what people type as a phone number. */
const PHONE = /^\+?[\d\s().-]{5,32}$/;
const PHONE_DIGITS_MIN = 5;

export const VISITOR_ATTACHMENTS_MAX = 10;

export const visitorDetailsFields = {
  name: z.preprocess(blankAsAbsent, z.string().trim().max(255).optional()),
  email: z.preprocess(blankAsAbsent, z.string().trim().max(255).email().optional()),
  phone: z.preprocess(
    blankAsAbsent,
    z
      .string()
      .trim()
      .refine((phone) => PHONE.test(phone) && phone.replace(/\D/g, '').length >= PHONE_DIGITS_MIN, {
        message: 'The :attribute field must be a valid phone number.',
      })
      .optional(),
  ),
  locale: z.preprocess(blankAsAbsent, z.string().trim().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/).optional()),
  page_url: z.preprocess(blankAsAbsent, z.string().trim().max(2000).url().optional()),
};

/** `POST /chat/widget/spaces.json`. */
export const startSpaceBody = z.object({
  token: z.string().min(1).max(255),
  ...visitorDetailsFields,
});

const messageFields = z
  .object({
    message: messageText().nullish(),
    client_message_id: z.string().uuid().nullish(),
  })
  .strip();

/**
 * `POST /chat/widget/messages.json`: `{message: {message, client_message_id}, attachments}` as the
 * CRM's Rails habit nests it, or bare (`{message: "text", client_message_id}`).
 */
export const visitorMessageBody = z
  .preprocess(
    (body) => {
      if (typeof body !== 'object' || body === null) return body;
      const nested: unknown = Reflect.get(body, 'message');
      if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) return { ...nested, attachments: Reflect.get(body, 'attachments') };
      return body;
    },
    messageFields.extend({ attachments: z.array(z.string().uuid()).max(VISITOR_ATTACHMENTS_MAX).optional() }),
  )
  .superRefine((body, ctx) => {
    const hasText = typeof body.message === 'string' && body.message.trim() !== '';
    if (!hasText && (body.attachments ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'The :attribute field is required when attachments is not present.' });
    }
  });

/** `GET /chat/widget/messages.json?after_id=`. */
export const visitorMessagesQuery = z.object({
  token: z.string().optional(),
  after_id: queryInt().pipe(z.number().min(0).max(Number.MAX_SAFE_INTEGER)).default(0),
});

export const visitorTypingBody = z.object({ typing: z.boolean().default(true) });

export const visitorReadBody = z.object({ up_to_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export type StartSpaceBody = z.infer<typeof startSpaceBody>;
export type VisitorMessageBody = z.infer<typeof visitorMessageBody>;
