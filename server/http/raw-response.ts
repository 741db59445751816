import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiErrorBody } from '../../common/api';

/**
 * A refusal written straight to a socket, for requests that never reach Koa (the parser refused
 * them, or they asked for a WebSocket upgrade we will not make): the same `{message, code}` body as
 * every other refusal, then the connection closes. `head`: the request was a HEAD, which gets the
 * headers only.
 */
export function endWithError(socket: Duplex, status: number, body: ApiErrorBody, head = false): void {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      'Connection: close\r\n\r\n' +
      (head ? '' : json),
  );
}
