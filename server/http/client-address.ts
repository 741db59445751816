import type { IncomingMessage } from 'node:http';

/**
 * Koa's options for reading the client's address: behind a trusted proxy, the last `X-Forwarded-For`
 * entry (the address the proxy itself saw; the entries before it are whatever the client sent).
 */
export function koaProxyOptions(trustProxy: boolean): { proxy: boolean; maxIpsCount: number } {
  return { proxy: trustProxy, maxIpsCount: 1 };
}

/**
 * The client's address for a request Koa does not see (a WebSocket upgrade), by the same rule as
 * `ctx.ip` under `koaProxyOptions`, so per-address limits count one client the same everywhere.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined;
  const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  const last = header?.split(',').at(-1)?.trim();
  return last || request.socket.remoteAddress || '';
}
