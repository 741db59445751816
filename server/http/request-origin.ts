import { isIPv6 } from 'node:net';
import { HttpError } from './errors';

// The origin a client reached us at, from its Host header (or, behind a trusted proxy, from
// X-Forwarded-Host/-Proto), for the answers that must name an address the client can use when no
// public URL is configured. A Host that is not a host is refused as HTTP says (RFC 9112 §3.2:
// 400 for a missing or invalid Host), in our format, instead of failing deeper down as a 500.

/** A DNS name or IPv4 address: labels of letters, digits, `-` (and `_`, which Docker and hosts files use). */
const NAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
/** `host`, `host:port`, `[v6]` or `[v6]:port`. */
const HOST_AND_PORT = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/;

export const INVALID_HOST = 'The Host header must be a host name or an IP address, with an optional port.';
export const INVALID_PROTO = 'The X-Forwarded-Proto header must be http or https.';

/** Whether `value` is a valid Host header value: a name, IPv4 or bracketed IPv6 address, and an optional port. */
export function validHost(value: string): boolean {
  const match = HOST_AND_PORT.exec(value);
  if (!match) return false;
  const [, host = '', port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return host.startsWith('[') ? isIPv6(host.slice(1, -1)) : NAME.test(host);
}

interface OriginRequest {
  get(field: string): string;
  app: { proxy: boolean };
  /** Koa's: `https` on TLS, else (behind a trusted proxy) X-Forwarded-Proto's first value, else `http`. */
  protocol: string;
}

/**
 * `scheme://host[:port]` of this request, or a 400 when its Host (or forwarded host or scheme) is
 * not one. The header as sent, not Koa's `ctx.host`, which quietly drops a `user@` and the like.
 */
export function requestOrigin(ctx: OriginRequest): URL {
  // Proxies append to X-Forwarded-Host; the first value is the host the client asked for.
  const forwarded = ctx.app.proxy ? (ctx.get('X-Forwarded-Host').split(',')[0] ?? '').trim() : '';
  const host = forwarded || ctx.get('Host');
  if (!validHost(host)) throw new HttpError(400, 'BAD_REQUEST', INVALID_HOST);
  if (ctx.protocol !== 'http' && ctx.protocol !== 'https') throw new HttpError(400, 'BAD_REQUEST', INVALID_PROTO);
  return new URL(`${ctx.protocol}://${host}`);
}

export const MISSING_HOST = 'The Host header is required.';

/**
 * HTTP/1.1 requests must carry a Host (RFC 9112 §3.2). Node's own check answers a bare 400 with no
 * body, so the server turns it off (`requireHostHeader: false`) and this answers in the format.
 */
export function hostRequired() {
  return async (ctx: { req: { httpVersion: string; headers: { host?: string } } }, next: () => Promise<void>): Promise<void> => {
    if (ctx.req.httpVersion === '1.1' && ctx.req.headers.host === undefined) throw new HttpError(400, 'BAD_REQUEST', MISSING_HOST);
    await next();
  };
}
