import type { FieldType, Fields } from './routes';

const text = (max: number) => ({ kind: 'string', max }) as const satisfies FieldType;

// Every widget setting as the fuzzer fills it in: shared by the CRM's widget routes (bare or under
// `widget`) and the Admin API's (under `settings`).

export const widgetSettingFields: Fields = {
  title: { type: text(120) },
  description: { type: text(1000) },
  kind: { type: { kind: 'string', max: 32, examples: ['chat', 'callback'] } },
  responsible_id: { type: { kind: 'ref', entity: 'user' }, nullable: true },
  active: { type: { kind: 'bool' } },
  theme: { type: { kind: 'enum', values: ['auto', 'light', 'dark'] } },
  color: { type: { kind: 'string', max: 7, examples: ['#2563eb', '#000000'] } },
  locale: { type: { kind: 'enum', values: ['auto', 'pl', 'en', 'ru'] } },
  use_opening_hours: { type: { kind: 'bool' } },
  opening_hours: {
    type: {
      kind: 'object',
      fields: {
        monday: { type: { kind: 'array', max: 6, of: { kind: 'object', fields: { from: { type: { kind: 'string', max: 5, examples: ['09:00', '22:00'] }, required: true }, to: { type: { kind: 'string', max: 5, examples: ['17:00', '24:00', '02:00'] }, required: true } } } } },
        saturday: { type: { kind: 'array', max: 6, of: { kind: 'object', fields: { from: { type: { kind: 'string', max: 5, examples: ['10:00'] }, required: true }, to: { type: { kind: 'string', max: 5, examples: ['14:00'] }, required: true } } } } },
      },
    },
  },
  time_zone: { type: { kind: 'string', max: 64, examples: ['Europe/Warsaw', 'UTC', 'America/New_York'] } },
  messages_after_hours: { type: { kind: 'bool' } },
  require_client_data: { type: { kind: 'bool' } },
  client_data_fields: { type: { kind: 'array', max: 3, of: { kind: 'enum', values: ['name', 'email', 'phone'] } } },
  allow_client_attachments: { type: { kind: 'bool' } },
  allowed_domains: { type: { kind: 'array', max: 5, of: { kind: 'string', max: 253, examples: ['shop.example.com', '*.example.pl'] } } },
  welcome_message: { type: text(1000) },
  offline_message: { type: text(1000) },
};
