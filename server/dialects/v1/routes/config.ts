import type Router from '@koa/router';
import type { ApiConfig } from '../../../../common/api';
import { CHATS_PAGE_MAX, MESSAGE_MAX_LENGTH, MESSAGES_PAGE_MAX } from '../../../../common/api';
import { ALLOWED_MIME_TYPES } from '../../../files/file-types';
import type { AppDeps } from '../../../deps';
import type { AppState } from '../../../http/context';
import { requestOrigin } from '../../../http/request-origin';
import { SERVER_VERSION } from '../../../version';
import { createRouter } from '../../../http/router';

/** Public: everything a client needs to connect, given only the server URL. */
export function configRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.get('/config', (ctx) => {
    // The configured public URL when there is one: then no request header is ever reflected here.
    // Without one, the address this client reached us at is the one it can reach the WebSocket at
    // (the listening address may be 0.0.0.0 or a loopback the desk's machine cannot use), checked
    // to be a host (400 otherwise). Koa 3's `ctx.origin` is the Origin request header, not our origin.
    const { publicUrl } = deps.config;
    if (publicUrl === undefined) ctx.vary(deps.config.trustProxy ? ['Host', 'X-Forwarded-Host', 'X-Forwarded-Proto'] : 'Host');
    const base = publicUrl === undefined ? requestOrigin(ctx) : new URL(publicUrl);
    const { realtime } = deps.config;
    const prefix = base.pathname.replace(/\/+$/, '');
    const scheme = realtime.publicScheme ?? (base.protocol === 'https:' ? 'https' : 'http');
    const defaultPort = scheme === 'https' ? 443 : 80;
    const config: ApiConfig = {
      name: deps.config.name,
      version: SERVER_VERSION,
      realtime: {
        broadcaster: 'reverb',
        app_id: realtime.appId,
        key: realtime.key,
        host: realtime.publicHost ?? base.hostname,
        port: realtime.publicPort ?? (base.port ? Number(base.port) : defaultPort),
        scheme,
        path: `${prefix}/app/${realtime.key}`,
        auth_endpoint: `${base.origin}${prefix}/api/v1/broadcasting/auth`,
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
