import type { RawRequest } from './wire';

// Malformed HTTP, written to a bare socket: what Node's client refuses to send, and what proxies,
// scanners and broken clients do send. Each template is one way a request can be wrong.

export const RAW_TEMPLATES = [
  'no-host-http10',
  'no-host-http11',
  'unknown-method',
  'lowercase-method',
  'bad-version',
  'garbage-line',
  'header-without-colon',
  'space-in-header-name',
  'bare-lf',
  'length-and-chunked',
  'bad-content-length',
  'two-content-lengths',
  'bad-chunk',
  'short-body',
  'http2-preface',
  'absolute-form',
  'asterisk',
  'no-leading-slash',
  'huge-request-line',
  'nul-in-path',
  'utf8-in-path',
  'websocket-bad-key',
  'websocket-elsewhere',
  'pipelined',
  'expect-continue-silent',
  'folded-header',
  'host-junk',
  'huge-header',
] as const;

export type RawTemplate = (typeof RAW_TEMPLATES)[number];

const CRLF = '\r\n';

function request(lines: string[], body = ''): string {
  return lines.join(CRLF) + CRLF + CRLF + body;
}

/** The bytes of a raw request; `size` and `junk` vary the template (lengths, garbage). */
export function rawRequest(template: RawTemplate, path: string, host: string, size: number, junk: string): RawRequest {
  const h = `Host: ${host}`;
  const text = (value: string, complete = true): RawRequest => ({ bytes: Buffer.from(value, 'latin1'), complete });
  switch (template) {
    case 'no-host-http10':
      return text(request([`GET ${path} HTTP/1.0`]));
    case 'no-host-http11':
      return text(request([`GET ${path} HTTP/1.1`, 'Connection: close']));
    case 'unknown-method':
      return text(request([`FUZZ${junk.replace(/[^A-Z]/gi, '').toUpperCase()} ${path} HTTP/1.1`, h, 'Connection: close']));
    case 'lowercase-method':
      return text(request([`get ${path} HTTP/1.1`, h, 'Connection: close']));
    case 'bad-version':
      return text(request([`GET ${path} HTTP/9.${size % 10}`, h, 'Connection: close']));
    case 'garbage-line':
      return text(request([junk.replace(/[\r\n]/g, '') || '\u0001\u0002']));
    case 'header-without-colon':
      return text(request([`GET ${path} HTTP/1.1`, h, 'X-Broken', 'Connection: close']));
    case 'space-in-header-name':
      return text(request([`GET ${path} HTTP/1.1`, h, 'X Broken: 1', 'Connection: close']));
    case 'bare-lf':
      return text(`GET ${path} HTTP/1.1\n${h}\nConnection: close\n\n`);
    case 'length-and-chunked':
      return text(request([`POST ${path} HTTP/1.1`, h, 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked', 'Connection: close'], '0\r\n\r\n'));
    case 'bad-content-length':
      return text(request([`POST ${path} HTTP/1.1`, h, 'Content-Type: application/json', `Content-Length: ${['abc', '-1', '1, 2', '0x10', ' '][size % 5]}`, 'Connection: close'], '{}'));
    case 'two-content-lengths':
      return text(request([`POST ${path} HTTP/1.1`, h, 'Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 3', 'Connection: close'], '{}'));
    case 'bad-chunk':
      return text(request([`POST ${path} HTTP/1.1`, h, 'Content-Type: application/json', 'Transfer-Encoding: chunked', 'Connection: close'], `zz\r\n{}\r\n0\r\n\r\n`));
    case 'short-body':
      // Announces more than it sends, then waits: the server may wait too, until its timeout.
      return text(request([`POST ${path} HTTP/1.1`, h, 'Content-Type: application/json', `Content-Length: ${size + 10}`], '{"a":'), false);
    case 'http2-preface':
      return text('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    case 'absolute-form':
      return text(request([`GET http://evil.example${path} HTTP/1.1`, h, 'Connection: close']));
    case 'asterisk':
      return text(request(['OPTIONS * HTTP/1.1', h, 'Connection: close']));
    case 'no-leading-slash':
      return text(request([`GET ${path.slice(1) || 'x'} HTTP/1.1`, h, 'Connection: close']));
    case 'huge-request-line':
      return text(request([`GET ${path}?q=${'a'.repeat(size)} HTTP/1.1`, h, 'Connection: close']));
    case 'nul-in-path':
      return text(request([`GET ${path}\u0000x HTTP/1.1`, h, 'Connection: close']));
    case 'utf8-in-path':
      return { bytes: Buffer.concat([Buffer.from(`GET ${path}/`), Buffer.from('чат😀', 'utf8'), Buffer.from(` HTTP/1.1${CRLF}${h}${CRLF}Connection: close${CRLF}${CRLF}`)]), complete: true };
    case 'websocket-bad-key':
      return text(request(['GET /app/switchboard-key?protocol=7 HTTP/1.1', h, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${junk.replace(/[\r\n]/g, '')}`, 'Sec-WebSocket-Version: 13']));
    case 'websocket-elsewhere':
      return text(request([`GET ${path} HTTP/1.1`, h, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13']));
    case 'pipelined':
      return text(request([`GET ${path} HTTP/1.1`, h]) + request([`GET ${path} HTTP/1.1`, h, 'Connection: close']));
    case 'expect-continue-silent':
      // Asks whether it may send a body, then never does.
      return text(request([`POST ${path} HTTP/1.1`, h, 'Content-Type: application/json', 'Content-Length: 10', 'Expect: 100-continue']), false);
    case 'folded-header':
      return text(request([`GET ${path} HTTP/1.1`, h, 'X-Folded: a', '  b', 'Connection: close']));
    case 'host-junk':
      return text(request([`GET ${path} HTTP/1.1`, `Host: ${junk.replace(/[\r\n]/g, '') || '%%%'}`, 'Connection: close']));
    case 'huge-header':
      return text(request([`GET ${path} HTTP/1.1`, h, `X-Fuzz: ${'a'.repeat(size)}`, 'Connection: close']));
    default: {
      const unreachable: never = template;
      throw new Error(`unknown raw template ${String(unreachable)}`);
    }
  }
}
