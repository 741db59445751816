import type Router from '@koa/router';
import { pusherPath } from '../../../../common/realtime';
import { formatTimestamp } from '../../../../common/time';
import { SPACE_TOKEN_HEADER, VISITOR_MESSAGES_PAGE } from '../../../../common/visitor-api';
import type { VisitorMessage, WidgetDataResponse } from '../../../../common/widget-api';
import type { AppDeps } from '../../../deps';
import { NotVisibleError } from '../../../domain/errors';
import { openingState } from '../../../domain/opening-hours';
import { ALLOWED_MIME_TYPES } from '../../../files/file-types';
import type { Widget } from '../../../domain/visitor-spaces';
import type { ApiContext, AppState } from '../../../http/context';
import { assertBodyParsed } from '../../../http/malformed-body';
import { realtimeEndpoint } from '../../../http/realtime-endpoint';
import { createRouter } from '../../../http/router';
import { widgetOf, type VisitorAccess } from '../access';
import { presentVisitorMessage } from '../presenters';

/** The visitor's own conversation, when the request carries a space token of this widget; otherwise none. */
async function ownMessages(ctx: ApiContext, access: VisitorAccess, widget: Widget, baseUrl: string): Promise<VisitorMessage[]> {
  const spaceToken = ctx.get(SPACE_TOKEN_HEADER).trim();
  if (spaceToken === '') return [];
  try {
    const space = await access.spaces.space(widget, spaceToken);
    const { messages, readUpTo } = await access.spaces.recent(space, VISITOR_MESSAGES_PAGE);
    return messages.map((message) => presentVisitorMessage(message, { baseUrl, widgetToken: widget.token, readUpTo }));
  } catch (error) {
    // A token of another widget, or of a space deleted meanwhile: a visitor with no conversation yet.
    if (error instanceof NotVisibleError) return [];
    throw error;
  }
}

/** `GET /chat/widget_data.json?token=`: public; what a widget needs to draw itself and connect. */
export function widgetDataRoutes(deps: AppDeps, access: VisitorAccess): Router<AppState> {
  const router = createRouter('/chat');

  router.get('/widget_data.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const widget = await widgetOf(ctx, access);
    const { settings } = widget;
    const state = openingState(settings, deps.clock.now());
    const endpoint = realtimeEndpoint(ctx, deps.config);
    const body: WidgetDataResponse = {
      messages: await ownMessages(ctx, access, widget, deps.baseUrl()),
      title: settings.title,
      description: settings.description,
      active: settings.active,
      open: state.open,
      messages_after_hours: settings.messages_after_hours,
      require_client_data: settings.require_client_data,
      allow_client_attachments: settings.allow_client_attachments,
      theme: settings.theme,
      color: settings.color,
      locale: settings.locale,
      welcome_message: settings.welcome_message,
      offline_message: settings.offline_message,
      client_data_fields: settings.client_data_fields,
      next_open_at: state.nextOpenAt === null ? null : formatTimestamp(state.nextOpenAt),
      time_zone: settings.time_zone,
      upload: { max_bytes: deps.config.uploadMaxBytes, mime_types: [...ALLOWED_MIME_TYPES] },
      realtime: {
        key: deps.config.realtime.key,
        host: endpoint.host,
        port: endpoint.port,
        scheme: endpoint.scheme,
        path: pusherPath(endpoint.prefix, deps.config.realtime.key),
        auth_endpoint: `${endpoint.origin}${endpoint.prefix}/chat/widget/broadcasting/auth`,
      },
    };
    // Settings change; a visitor's messages are theirs alone.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  return router;
}
