import type { Duplex } from 'node:stream';
import type { ApiErrorBody } from '../../common/api';
import { endWithError } from './raw-response';

// Requests Node's HTTP parser refuses never reach Koa: a malformed request line, a method the parser
// does not know, headers over the 16 KB limit. Node's own answer is a bare status line; this one is
// in the documented `{message, code}` format like every other refusal, then the connection closes.

interface ParserError extends Error {
  code?: string;
  /** What the parser had read: the request line tells a HEAD, whose answer carries no body. */
  rawPacket?: Buffer;
}

function answerFor(code: string | undefined): { status: number; body: ApiErrorBody } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, body: { message: 'The request headers are larger than the server accepts (16 KB).', code: 'PAYLOAD_TOO_LARGE' } };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, body: { message: 'The request is larger than the server accepts.', code: 'PAYLOAD_TOO_LARGE' } };
    case 'HPE_INVALID_METHOD':
      // A method the parser does not know at all (PROPFIND and the like reach the routers: 405 with Allow).
      return { status: 400, body: { message: 'The request method is not valid.', code: 'BAD_REQUEST' } };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, body: { message: 'The request took too long to arrive.', code: 'BAD_REQUEST' } };
    default:
      return { status: 400, body: { message: 'The request is not valid HTTP.', code: 'BAD_REQUEST' } };
  }
}

/** The HTTP server's `clientError` listener; it owns the socket from here, so it always ends it. */
export function answerClientError(error: ParserError, socket: Duplex): void {
  // A reset: the client is gone, there is no one to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, body } = answerFor(error.code);
  const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  endWithError(socket, status, body, head);
}
