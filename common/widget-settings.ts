import { z } from 'zod';
import {
  CLIENT_DATA_FIELDS,
  WEEKDAYS,
  WIDGET_LOCALES,
  WIDGET_THEMES,
  type OpeningHours,
} from './widget-api';

// A widget's settings: what its visitors see and when it takes messages. They live as JSON on the
// widget's source (`sources.settings`); this is their one schema and their defaults, in common/ so
// the desk's settings form checks what the server checks (server/domain/widget-settings.ts reads
// stored rows with it).

export const WIDGET_TEXT_MAX = 120;
export const WIDGET_LONG_TEXT_MAX = 1000;
export const ALLOWED_DOMAINS_MAX = 50;
export const OPENING_RANGES_PER_DAY_MAX = 6;

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
// A host name as a site is reached (`shop.example.com`, `localhost`, `127.0.0.1`), or `*.` before one for its subdomains.
const DOMAIN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

/** Whether Intl knows this IANA zone (`Europe/Warsaw`, `UTC`); an unknown one throws a RangeError there. */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM` as minutes after midnight (`24:00` is 1440). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

const openingRange = z
  .object({ from: z.string().regex(TIME), to: z.string().regex(END_TIME) })
  .strict()
  .refine((range) => minutesOf(range.from) !== minutesOf(range.to) % 1440, { message: 'The :attribute must end at another time than it starts.' });

const dayRanges = z.array(openingRange).max(OPENING_RANGES_PER_DAY_MAX);

const WORKDAY = [{ from: '09:00', to: '17:00' }];

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  monday: WORKDAY,
  tuesday: WORKDAY,
  wednesday: WORKDAY,
  thursday: WORKDAY,
  friday: WORKDAY,
  saturday: [],
  sunday: [],
};

// Each day as its own key (no map over WEEKDAYS), so the schema's type is written out, not asserted.
const openingHours = z
  .object({
    monday: dayRanges.optional(),
    tuesday: dayRanges.optional(),
    wednesday: dayRanges.optional(),
    thursday: dayRanges.optional(),
    friday: dayRanges.optional(),
    saturday: dayRanges.optional(),
    sunday: dayRanges.optional(),
  })
  .strict()
  .transform((hours): OpeningHours => {
    const full: OpeningHours = { ...DEFAULT_OPENING_HOURS };
    for (const day of WEEKDAYS) full[day] = hours[day] ?? [];
    return full;
  });

const text = (max: number) => z.string().max(max);

/** Each setting's rule, without defaults: the full settings, a PATCH and the reader all use these. */
const settingFields = {
  title: text(WIDGET_TEXT_MAX),
  description: text(WIDGET_LONG_TEXT_MAX),
  kind: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  responsible_id: z.number().int().positive().nullable(),
  active: z.boolean(),
  theme: z.enum(WIDGET_THEMES),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  locale: z.enum(WIDGET_LOCALES),
  use_opening_hours: z.boolean(),
  opening_hours: openingHours,
  time_zone: z.string().refine(isTimeZone, { message: 'The :attribute must be a valid time zone.' }),
  messages_after_hours: z.boolean(),
  require_client_data: z.boolean(),
  client_data_fields: z
    .array(z.enum(CLIENT_DATA_FIELDS))
    .max(CLIENT_DATA_FIELDS.length)
    .refine((fields) => new Set(fields).size === fields.length, { message: 'The :attribute field has a duplicate value.' }),
  allow_client_attachments: z.boolean(),
  allowed_domains: z
    .array(
      z
        .string()
        .max(253)
        .transform((domain) => domain.trim().toLowerCase())
        .refine((domain) => DOMAIN.test(domain), { message: 'The :attribute must be a host name such as shop.example.com.' }),
    )
    .max(ALLOWED_DOMAINS_MAX),
  welcome_message: text(WIDGET_LONG_TEXT_MAX),
  offline_message: text(WIDGET_LONG_TEXT_MAX),
};

/** Complete settings, every key present. */
export const widgetSettingsSchema = z.object(settingFields).strict();

export type WidgetSettings = z.output<typeof widgetSettingsSchema>;
export type WidgetSettingKey = keyof WidgetSettings;

/** A change to some settings (a PATCH): only the keys given, each validated; unknown keys refused. */
export const widgetSettingsPatchSchema = z.object(settingFields).partial().strict();

export type WidgetSettingsPatch = z.output<typeof widgetSettingsPatchSchema>;

/** The settings of a widget nobody configured. */
export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  title: '',
  description: '',
  kind: 'chat',
  responsible_id: null,
  active: true,
  theme: 'auto',
  color: '#2563eb',
  locale: 'auto',
  use_opening_hours: false,
  opening_hours: DEFAULT_OPENING_HOURS,
  time_zone: 'UTC',
  messages_after_hours: true,
  require_client_data: false,
  client_data_fields: ['name', 'email'],
  allow_client_attachments: true,
  allowed_domains: [],
  welcome_message: '',
  offline_message: '',
};
