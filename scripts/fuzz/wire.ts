import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

// Sending what the fuzzer made: through Node's HTTP client when it is a request the client can write,
// over a bare socket when it is malformed HTTP on purpose. Both give back the same Answer.

export interface WireRequest {
  method: string;
  /** Path and query exactly as written on the request line. */
  path: string;
  /** In order; a name may repeat. A `host` entry replaces the one the client would write. */
  headers: [string, string][];
  body?: Buffer;
}

export interface RawRequest {
  /** The bytes written to the socket, as they are. */
  bytes: Buffer;
  /** Whether the bytes are a whole request the server must answer (else it may also wait for more). */
  complete: boolean;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** What came back, or why nothing did. */
export type Outcome = { kind: 'answer'; answer: Answer } | { kind: 'no-answer'; reason: NoAnswer; ms: number };

/** `malformed-response`: bytes came back that are not an HTTP response to what was asked (a body on a HEAD, …). */
export type NoAnswer = 'closed' | 'timeout' | 'reset' | 'malformed-response';

const MAX_BODY = 4 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export class WireClient {
  // One kept-alive connection, as a desk holds one: requests go one after another.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  async send(request: WireRequest): Promise<Outcome> {
    const first = await this.sendOnce(request);
    // A kept-alive socket the server closed as we wrote is the client's race, not the server's answer.
    if (first.kind === 'no-answer' && first.reason === 'reset' && first.reused) return this.sendOnce(request);
    return first;
  }

  private sendOnce(request: WireRequest): Promise<Outcome & { reused?: boolean }> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    return new Promise((resolvePromise) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of request.headers) {
        const existing = headers[name];
        headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
      }
      const hasHost = request.headers.some(([name]) => name.toLowerCase() === 'host');
      // Node frames a body only for methods it expects one on; a GET or HEAD body needs its length said, or it
      // would reach the server as the start of another request.
      if (request.body && !request.headers.some(([name]) => name.toLowerCase() === 'content-length')) headers['Content-Length'] = String(request.body.length);
      const req = httpRequest({
        host: this.host,
        port: this.port,
        method: request.method,
        path: request.path,
        headers,
        setHost: !hasHost,
        agent: this.agent,
        timeout: TIMEOUT_MS,
      });
      let settled = false;
      const settle = (outcome: Outcome & { reused?: boolean }) => {
        if (settled) return;
        settled = true;
        resolvePromise(outcome);
      };
      req.on('timeout', () => {
        settle({ kind: 'no-answer', reason: 'timeout', ms: ms() });
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const reason: NoAnswer = error.code?.startsWith('HPE_') ? 'malformed-response' : error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'closed';
        settle({ kind: 'no-answer', reason, ms: ms(), reused: req.reusedSocket });
      });
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        response.on('error', () => settle({ kind: 'no-answer', reason: 'reset', ms: ms() }));
        response.on('end', () =>
          settle({ kind: 'answer', answer: { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), ms: ms() } }),
        );
      });
      req.end(request.body);
    });
  }

  /** Malformed HTTP, on a fresh connection of its own. */
  sendRaw(request: RawRequest, idleMs = 600): Promise<Outcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    return new Promise((resolvePromise) => {
      const socket = connect({ host: this.host, port: this.port });
      const chunks: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (reason: NoAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        const answer = parseResponse(Buffer.concat(chunks), ms());
        resolvePromise(answer ? { kind: 'answer', answer } : { kind: 'no-answer', reason, ms: ms() });
      };
      // An incomplete request may be waited on forever; a complete one gets the full timeout.
      const arm = (wait: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => finish('timeout'), wait);
      };
      socket.on('connect', () => {
        socket.write(request.bytes);
        arm(request.complete ? TIMEOUT_MS : idleMs);
      });
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (parseResponse(Buffer.concat(chunks), 0)?.complete) finish('closed');
        else arm(idleMs);
      });
      socket.on('error', () => finish('reset'));
      socket.on('close', () => finish('closed'));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The first HTTP/1.x response in `bytes`, if a status line and headers arrived. */
export function parseResponse(bytes: Buffer, ms: number): (Answer & { complete: boolean }) | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
  if (!status) return undefined;
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  const length = Number(headers['content-length'] ?? NaN);
  const code = Number(status[1]);
  if (Number.isInteger(length)) return { status: code, headers, body: rest.subarray(0, length), ms, complete: rest.length >= length };
  if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const body = dechunk(rest);
    return { status: code, headers, body: body ?? rest, ms, complete: body !== undefined };
  }
  // No length: the body runs to the end of the connection (or there is none: 1xx, 204, 304).
  return { status: code, headers, body: rest, ms, complete: code < 200 || code === 204 || code === 304 };
}

function dechunk(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (bytes.length < start + size + 2) return undefined;
    parts.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
}
