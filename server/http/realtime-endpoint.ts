import type { Context } from 'koa';
import type { ServerConfig } from '../config';
import { requestOrigin } from './request-origin';

// Where a client reaches this server's WebSocket and HTTP API, as the desk's `/config` and the
// widget's `widget_data.json` both tell it.

export interface RealtimeEndpoint {
  /** `scheme://host[:port]` of the HTTP API as this client reaches it. */
  origin: string;
  /** The path prefix the server is mounted under behind a proxy ('' at the root). */
  prefix: string;
  host: string;
  port: number;
  scheme: 'http' | 'https';
}

/**
 * The configured public URL when there is one: then no request header is ever reflected here.
 * Without one, the address this client reached us at is the one it can reach the WebSocket at
 * (the listening address may be 0.0.0.0 or a loopback the client's machine cannot use), checked
 * to be a host (400 otherwise). Koa 3's `ctx.origin` is the Origin request header, not our origin.
 */
export function realtimeEndpoint(ctx: Context, config: Pick<ServerConfig, 'publicUrl' | 'trustProxy' | 'realtime'>): RealtimeEndpoint {
  const { publicUrl, realtime } = config;
  if (publicUrl === undefined) ctx.vary(config.trustProxy ? ['Host', 'X-Forwarded-Host', 'X-Forwarded-Proto'] : 'Host');
  const base = publicUrl === undefined ? requestOrigin(ctx) : new URL(publicUrl);
  const scheme = realtime.publicScheme ?? (base.protocol === 'https:' ? 'https' : 'http');
  const defaultPort = scheme === 'https' ? 443 : 80;
  return {
    origin: base.origin,
    prefix: base.pathname.replace(/\/+$/, ''),
    host: realtime.publicHost ?? base.hostname,
    port: realtime.publicPort ?? (base.port ? Number(base.port) : defaultPort),
    scheme,
  };
}
