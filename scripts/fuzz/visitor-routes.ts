import { MESSAGE_MAX_LENGTH } from '../../common/api';
import type { Fields, RouteDescription } from './routes';

// The website visitor's routes (`/chat/widget/…`) and the public widget data: the widget token in
// `?token=` (or the body's `token` when starting a space), the space token in `X-Space-Token`
// (auth `visitor`). Failures answer in the CRM format, as every `/chat` path does.

export const FUZZ_OTHER_WIDGET_TOKEN = 'fuzz-other-widget-token';

const widgetToken: Fields = { token: { type: { kind: 'string', max: 255, examples: ['demo-widget-token'] }, required: true } };
const MESSAGE_KEYS = ['id', 'space_id', 'message', 'kind', 'author', 'attachments', 'client_message_id', 'is_read', 'created_at', 'updated_at'];
const WIDGET_DATA_KEYS = [
  'messages',
  'title',
  'description',
  'active',
  'open',
  'messages_after_hours',
  'require_client_data',
  'allow_client_attachments',
  'theme',
  'color',
  'locale',
  'welcome_message',
  'offline_message',
  'client_data_fields',
  'next_open_at',
  'time_zone',
  'upload',
  'realtime',
];

export const VISITOR_ROUTES: RouteDescription[] = [
  {
    name: 'GET /chat/widget_data.json',
    method: 'GET',
    path: '/chat/widget_data.json',
    query: widgetToken,
    auth: 'none',
    success: { kind: 'json-keys', keys: WIDGET_DATA_KEYS },
    errors: 'crm',
  },
  {
    name: 'POST /chat/widget/spaces.json',
    method: 'POST',
    path: '/chat/widget/spaces.json',
    body: {
      encodings: ['json', 'form'],
      fields: {
        ...widgetToken,
        name: { type: { kind: 'string', max: 255, examples: ['Fuzz Visitor', 'Анна'] } },
        email: { type: { kind: 'string', max: 255, format: 'email' } },
        phone: { type: { kind: 'string', max: 32, examples: ['+48 600 100 200', '555-0100'] } },
        locale: { type: { kind: 'string', max: 16, examples: ['pl', 'en-GB', 'ru'] } },
        page_url: { type: { kind: 'string', max: 2000, format: 'url' } },
      },
    },
    auth: 'none',
    success: { kind: 'json-keys', keys: ['space_token', 'space_id'] },
    errors: 'crm',
  },
  {
    name: 'POST /chat/widget/messages.json',
    method: 'POST',
    path: '/chat/widget/messages.json',
    query: widgetToken,
    body: {
      encodings: ['json'],
      fields: {
        message: {
          type: {
            kind: 'object',
            fields: {
              message: { type: { kind: 'string', max: MESSAGE_MAX_LENGTH, examples: ['Hello, is anyone there?', 'Dzień dobry'] }, required: true },
              client_message_id: { type: { kind: 'string', max: 36, format: 'uuid' } },
            },
          },
          required: true,
        },
        attachments: { type: { kind: 'array', max: 10, of: { kind: 'string', max: 36, format: 'uuid' } } },
      },
    },
    auth: 'visitor',
    success: { kind: 'json-keys', keys: MESSAGE_KEYS },
    errors: 'crm',
  },
  {
    name: 'GET /chat/widget/messages.json',
    method: 'GET',
    path: '/chat/widget/messages.json',
    query: { ...widgetToken, after_id: { type: { kind: 'int', min: 0, max: 1_000_000 } } },
    auth: 'visitor',
    success: { kind: 'json-list' },
    errors: 'crm',
  },
  {
    name: 'POST /chat/widget/uploads.json',
    method: 'POST',
    path: '/chat/widget/uploads.json',
    query: widgetToken,
    body: { encodings: ['multipart'], fields: {} },
    auth: 'visitor',
    success: { kind: 'json-keys', keys: ['id', 'name', 'mime_type', 'size'] },
    errors: 'crm',
  },
  {
    name: 'GET /chat/widget/attachments/{id}',
    method: 'GET',
    path: '/chat/widget/attachments/{id}',
    params: { id: { type: { kind: 'ref', entity: 'attachment' }, required: true } },
    query: widgetToken,
    auth: 'visitor',
    success: { kind: 'attachment' },
    errors: 'crm',
  },
  {
    name: 'POST /chat/widget/typing.json',
    method: 'POST',
    path: '/chat/widget/typing.json',
    query: widgetToken,
    body: { encodings: ['json', 'form'], fields: { typing: { type: { kind: 'bool' } } } },
    auth: 'visitor',
    success: { kind: 'json-keys', keys: ['typing'] },
    errors: 'crm',
  },
  {
    name: 'POST /chat/widget/read.json',
    method: 'POST',
    path: '/chat/widget/read.json',
    query: widgetToken,
    body: { encodings: ['json'], fields: { up_to_id: { type: { kind: 'int', min: 1, max: 1_000_000 }, required: true } } },
    auth: 'visitor',
    success: { kind: 'json-keys', keys: ['up_to_id'] },
    errors: 'crm',
  },
  {
    name: 'POST /chat/widget/broadcasting/auth',
    method: 'POST',
    path: '/chat/widget/broadcasting/auth',
    query: widgetToken,
    body: {
      encodings: ['form', 'json'],
      fields: {
        socket_id: { type: { kind: 'string', max: 41, format: 'socket-id' }, required: true },
        channel_name: { type: { kind: 'channel', of: 'space' }, required: true, guard: true },
      },
    },
    auth: 'visitor',
    success: { kind: 'channel-auth' },
    errors: 'crm',
  },
];
