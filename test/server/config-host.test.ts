import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ApiConfig, ApiErrorBody } from '../../common/api';
import type { Logger } from '../../server/logger';
import { startServer, type TestServer } from '../helpers/server';

// GET /api/v1/config names the address a desk connects to. Without a public URL that address
// comes from the request's Host, which fetch always sets correctly, so these requests are raw.

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET /api/v1/config with exactly these headers (`setHost: false`: no Host unless given). */
function get(port: number, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/config', headers, setHost: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An HTTP/1.0 request without a Host (node:http always speaks 1.1): the status line and the body. */
function getHttp10(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET /api/v1/config HTTP/1.0\r\nAccept: application/json\r\n\r\n'));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), body });
    });
  });
}

function config(answer: RawAnswer): ApiConfig {
  assert.equal(answer.status, 200, answer.body);
  return (JSON.parse(answer.body) as { data: ApiConfig }).data;
}

function assertBadRequest(answer: { status: number; body: string }, message: string): void {
  assert.equal(answer.status, 400, answer.body);
  assert.deepEqual(JSON.parse(answer.body) as ApiErrorBody, { message, code: 'BAD_REQUEST' });
}

const INVALID_HOST = 'The Host header must be a host name or an IP address, with an optional port.';
const MISSING_HOST = 'The Host header is required.';
const NOT_HOSTS = [
  'a b',
  '[::1',
  '::1',
  '[::1]x',
  '[not-v6]:80',
  'evil.example/path',
  'user@evil.example',
  'evil.example:99999',
  'evil.example:0',
  'evil.example:',
  'evil..example',
  '-evil.example',
  `${'a'.repeat(64)}.example`,
  `${'a.'.repeat(130)}example`,
  'x'.repeat(8000),
  'evil.example\\',
  '%65vil.example',
];

describe('GET /api/v1/config and the Host header', () => {
  describe('without a public URL', () => {
    let s: TestServer;
    let port: number;
    const errors: string[] = [];
    const logger: Logger = { info: () => undefined, warn: () => undefined, error: (message, detail) => errors.push(`${message} ${String(detail)}`) };

    before(async () => {
      s = await startServer({ logger });
      port = Number(new URL(s.url).port);
    });
    after(() => s.close());

    it('names the address the client reached, for names, IPv4 and IPv6 with or without a port', async () => {
      const here = config(await get(port, { Host: `127.0.0.1:${port}` }));
      assert.equal(here.realtime.auth_endpoint, `${s.url}/api/v1/broadcasting/auth`);
      assert.equal(here.realtime.host, '127.0.0.1');
      assert.equal(here.realtime.port, port);
      const named = config(await get(port, { Host: 'Desk.Example.com:8443' }));
      assert.equal(named.realtime.auth_endpoint, 'http://desk.example.com:8443/api/v1/broadcasting/auth');
      assert.equal(named.realtime.port, 8443);
      assert.equal(config(await get(port, { Host: 'switchboard_app' })).realtime.port, 80);
      assert.equal(config(await get(port, { Host: '[::1]:8080' })).realtime.auth_endpoint, 'http://[::1]:8080/api/v1/broadcasting/auth');
      // An answer built from Host must not be cached for another Host.
      assert.match(String((await get(port, { Host: 'desk.example.com' })).headers.vary), /\bHost\b/);
    });

    it('answers a Host that is not one with a 400 in the API format, never a 500', async () => {
      for (const host of NOT_HOSTS) assertBadRequest(await get(port, { Host: host }), INVALID_HOST);
      assertBadRequest(await get(port, { Host: '' }), INVALID_HOST);
      assert.deepEqual(errors, [], 'no stack traces in the log');
    });

    it('answers a missing Host with a 400 in the API format: HTTP/1.1 anywhere, HTTP/1.0 where an address is named', async () => {
      assertBadRequest(await get(port, {}), MISSING_HOST);
      assertBadRequest(await get(port, { Accept: 'application/json' }), MISSING_HOST);
      assertBadRequest(await getHttp10(port), INVALID_HOST);
      assert.deepEqual(errors, []);
      // The server is still there for everyone else.
      assert.equal((await s.request('GET', '/api/v1/config')).status, 200);
    });
  });

  describe('with a public URL', () => {
    let s: TestServer;
    let port: number;

    before(async () => {
      s = await startServer({ publicUrl: 'https://chat.example.com/switchboard/' });
      port = Number(new URL(s.url).port);
    });
    after(() => s.close());

    it('names the public URL whatever the Host, and reflects no foreign Host', async () => {
      for (const host of ['evil.example', 'evil.example:8443', `127.0.0.1:${port}`, 'a b', 'x'.repeat(8000)]) {
        const answer = await get(port, { Host: host });
        const { realtime } = config(answer);
        assert.equal(realtime.auth_endpoint, 'https://chat.example.com/switchboard/api/v1/broadcasting/auth', host);
        assert.equal(realtime.host, 'chat.example.com');
        assert.equal(realtime.port, 443);
        assert.equal(realtime.scheme, 'https');
        assert.equal(realtime.path, '/switchboard/app/switchboard-key');
        assert.ok(!answer.body.includes('evil') && !answer.body.includes('xxxx'), answer.body);
      }
      assertBadRequest(await get(port, {}), MISSING_HOST);
    });
  });

  describe('behind a trusted proxy', () => {
    let s: TestServer;
    let port: number;

    before(async () => {
      s = await startServer({ trustProxy: true });
      port = Number(new URL(s.url).port);
    });
    after(() => s.close());

    it('takes the forwarded host and scheme when they are valid, and refuses them with a 400 when not', async () => {
      const forwarded = config(await get(port, { Host: '10.0.0.5:8080', 'X-Forwarded-Host': 'chat.example.com', 'X-Forwarded-Proto': 'https' }));
      assert.equal(forwarded.realtime.auth_endpoint, 'https://chat.example.com/api/v1/broadcasting/auth');
      assertBadRequest(await get(port, { Host: '10.0.0.5', 'X-Forwarded-Host': 'a b' }), INVALID_HOST);
      assertBadRequest(await get(port, { Host: '10.0.0.5', 'X-Forwarded-Proto': 'javascript' }), 'The X-Forwarded-Proto header must be http or https.');
    });
  });

  it('refuses to start with a public URL that is not an absolute http(s) URL', async () => {
    for (const publicUrl of ['chat.example.com', 'ftp://chat.example.com', 'https://']) {
      await assert.rejects(startServer({ publicUrl }), /the public URL must be an absolute http\(s\) URL/, publicUrl);
    }
  });
});
