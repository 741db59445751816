import type Router from '@koa/router';
import type { ApiConfig } from '../../../../common/api';
import { CHATS_PAGE_MAX, MESSAGE_MAX_LENGTH, MESSAGES_PAGE_MAX } from '../../../../common/api';
import { ALLOWED_MIME_TYPES } from '../../../files/file-types';
import type { AppDeps } from '../../../deps';
import type { AppState } from '../../../http/context';
import { realtimeEndpoint } from '../../../http/realtime-endpoint';
import { pusherPath } from '../../../../common/realtime';
import { SERVER_VERSION } from '../../../version';
import { createRouter } from '../../../http/router';

/** Public: everything a client needs to connect, given only the server URL. */
export function configRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.get('/config', (ctx) => {
    const endpoint = realtimeEndpoint(ctx, deps.config);
    const { realtime } = deps.config;
    const config: ApiConfig = {
      name: deps.config.name,
      version: SERVER_VERSION,
      realtime: {
        broadcaster: 'reverb',
        app_id: realtime.appId,
        key: realtime.key,
        host: endpoint.host,
        port: endpoint.port,
        scheme: endpoint.scheme,
        path: pusherPath(endpoint.prefix, realtime.key),
        auth_endpoint: `${endpoint.origin}${endpoint.prefix}/api/v1/broadcasting/auth`,
        activity_timeout: realtime.activityTimeout,
      },
      limits: {
        message_max_length: MESSAGE_MAX_LENGTH,
        upload_max_bytes: deps.config.uploadMaxBytes,
        upload_mime_types: [...ALLOWED_MIME_TYPES],
        messages_per_minute: deps.config.sendPerMinute,
        messages_page_max: MESSAGES_PAGE_MAX,
        chats_page_max: CHATS_PAGE_MAX,
      },
    };
    ctx.body = { data: config };
  });

  return router;
}
