import { z } from 'zod';
import { messageText } from '../../../common/schemas';
import { widgetSettingsPatchSchema } from '../../domain/widget-settings';
import { pageQuery } from './pagination';

// Request shapes of the CRM module. Bodies may come as JSON or as a form, so ids accept digit
// strings too; unknown keys are ignored, as Rails' strong parameters drop what they do not permit.

/** A positive id in a body or query: a JSON number or a string of digits. */
const id = () => z.preprocess((value) => (typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value), z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

const customerText = (max: number) => z.string().trim().max(max).nullish();
const email = z.string().trim().max(255).email().nullish().or(z.literal('').transform(() => null));

export const SPACE_TOKEN_MAX = 100;
const spaceToken = z.string().min(1).max(SPACE_TOKEN_MAX);

export const spacesQuery = z.object({
  ...pageQuery,
  widget_id: id().optional(),
  status: z.enum(['open', 'closed']).optional(),
  search: z.string().trim().max(200).optional(),
});

export const spaceCreateBody = z.object({
  widget_id: id(),
  client_id: id().nullish(),
  responsible_id: id().nullish(),
  name: customerText(255),
  email,
  phone: customerText(50),
});

export const spaceUpdateBody = z.object({
  client_id: id().nullish(),
  name: customerText(255),
  email,
  phone: customerText(50),
});

export const addClientBody = z.object({ client_id: id() });

export const changeResponsibleBody = z.object({ responsible_id: id(), note: z.string().max(500).nullish() });

const spaceRef = {
  space_token: spaceToken.optional(),
  space_id: id().optional(),
};

const oneSpace = (body: { space_token?: string | undefined; space_id?: number | undefined }, ctx: z.RefinementCtx) => {
  if (body.space_token === undefined && body.space_id === undefined) {
    ctx.addIssue({ code: 'custom', path: ['space_token'], message: 'The space token field is required when space id is not present.' });
  }
};

export const messagesQuery = z.object({ ...pageQuery, ...spaceRef }).superRefine(oneSpace);

const nonEmptyText = messageText().refine((text) => text.trim() !== '', { message: 'The :attribute field is required.' });

export const messageCreateBody = z
  .object({
    ...spaceRef,
    message: nonEmptyText,
    user_id: id().optional(),
    widget_id: id().optional(),
    client_message_id: z.string().uuid().optional(),
  })
  .superRefine(oneSpace);

export const messageUpdateBody = z.object({ message: nonEmptyText });

/** Every widget setting, each optional, plus the source's name (and `token: null` on a PATCH). */
const widgetFields = widgetSettingsPatchSchema.strip().extend({ name: z.string().trim().min(1).max(255) });

export const widgetCreateBody = widgetFields;

export const widgetUpdateBody = widgetFields.partial({ name: true }).extend({
  token: z.null({ error: 'The token field must be null (null generates a new token).' }).optional(),
});

export const templateCreateBody = z.object({
  name: z.string().trim().min(1).max(255),
  code: z.string().trim().min(1).max(64),
  content: nonEmptyText,
  widget_id: id().nullish(),
  active: z.boolean().optional(),
});

export const templateUpdateBody = templateCreateBody.partial();

export const clientCreateBody = z.object({
  name: z.string().trim().min(1).max(255),
  email,
  phone: customerText(50),
  company: customerText(255),
  notes: z.string().max(5000).nullish(),
});

export const clientUpdateBody = clientCreateBody.partial();

export const listQuery = z.object({ ...pageQuery, search: z.string().trim().max(200).optional() });
