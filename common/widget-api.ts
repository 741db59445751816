// Wire types of the website widget: what a browser widget reads from the public
// `GET /chat/widget_data.json` and the visitor API under `/chat/widget/`, and the vocabulary of a
// widget's settings. The widget imports only common/, so everything it must know lives here; it never
// sees operator types.

import type { Timestamp } from './api';

export const WIDGET_THEMES = ['auto', 'light', 'dark'] as const;
export type WidgetTheme = (typeof WIDGET_THEMES)[number];

export const WIDGET_LOCALES = ['auto', 'pl', 'en', 'ru'] as const;
export type WidgetLocale = (typeof WIDGET_LOCALES)[number];

/** What the client-data form may ask a visitor for. */
export const CLIENT_DATA_FIELDS = ['name', 'email', 'phone'] as const;
export type ClientDataField = (typeof CLIENT_DATA_FIELDS)[number];

/** The keys of `opening_hours`, in the order of a week starting on Monday (as in Poland and Russia). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One opening of a day, local wall time in the widget's time zone, `HH:MM` 24-hour. `to` may be
 * `24:00` (until midnight); a `to` earlier than `from` runs past midnight into the next day.
 */
export interface OpeningRange {
  from: string;
  to: string;
}

export type OpeningHours = Record<Weekday, OpeningRange[]>;

export type MessageKind = 'client' | 'operator' | 'system';

export interface VisitorAttachment {
  id: number;
  name: string;
  mime_type: string;
  size: number;
  url: string;
}

/** A message as the visitor sees it: operators by first name only, no internal notes. */
export interface VisitorMessage {
  id: number;
  space_id: number;
  message: string | null;
  kind: MessageKind;
  /** The operator's first name on their messages; null on the visitor's own and on system messages. */
  author: string | null;
  attachments: VisitorAttachment[];
  client_message_id: string | null;
  is_read: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The realtime connection a widget opens (Pusher protocol), for `private-space.{space_id}`. */
export interface WidgetRealtimeSettings {
  key: string;
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** Path of the Pusher endpoint, the key appended: `/app/{key}`, under the server's public prefix. */
  path: string;
  auth_endpoint: string;
}

/** `GET /chat/widget_data.json?token=`: the seed's keys first, then the additive ones. */
export interface WidgetDataResponse {
  messages: VisitorMessage[];
  title: string;
  description: string;
  active: boolean;
  open: boolean;
  messages_after_hours: boolean;
  require_client_data: boolean;
  allow_client_attachments: boolean;
  theme: WidgetTheme;
  color: string;
  locale: WidgetLocale;
  welcome_message: string;
  offline_message: string;
  client_data_fields: ClientDataField[];
  /** When the widget opens next (while closed by its opening hours), else null. */
  next_open_at: Timestamp | null;
  time_zone: string;
  /** What `POST /chat/widget/uploads.json` takes (decided from a file's content); for the widget's picker. */
  upload: { max_bytes: number; mime_types: string[] };
  realtime: WidgetRealtimeSettings;
}

/** Every failure of the CRM and visitor paths: a sentence, plus per-field sentences on a 422. */
export interface CrmErrorBody {
  error: string;
  errors?: Record<string, string[]>;
  /** On a 403 of a widget closed by its opening hours: when it opens next. */
  next_open_at?: Timestamp | null;
}
