import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { issueToken, ADMIN_ID } from './support';

// What `npm run fuzz` found after the first round of hardening, each answered in the documented
// format now (one test a finding).

/** Sends raw bytes and returns everything the server wrote before it closed the connection. */
function rawExchange(url: string, request: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${request.slice(0, 40)}`)));
  });
}

function split(answer: string): { status: number; headers: string; body: string } {
  const end = answer.indexOf('\r\n\r\n');
  const headers = answer.slice(0, end);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body: answer.slice(end + 4) };
}

describe('fuzz findings', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('an Expect other than 100-continue is a JSON 417, not Node’s empty one', async () => {
    const { status, headers, body } = split(await rawExchange(s.url, 'GET /api/v1/chats HTTP/1.1\r\nHost: x\r\nExpect: junk\r\n\r\n'));
    assert.equal(status, 417);
    assert.match(headers, /application\/json/);
    assert.deepEqual(JSON.parse(body), { message: 'The Expect header is not supported.', code: 'BAD_REQUEST' });
  });

  it('a 417 on a legacy path is in the legacy format, and the same request with 100-continue is served', async () => {
    const refused = split(await rawExchange(s.url, 'POST /api/chats/1/end HTTP/1.1\r\nHost: x\r\nExpect: junk\r\nContent-Length: 0\r\n\r\n'));
    assert.equal(refused.status, 417);
    assert.deepEqual(JSON.parse(refused.body), { status: 'error', message: 'The Expect header is not supported.' });
    const head = split(await rawExchange(s.url, 'HEAD /api/v1/chats HTTP/1.1\r\nHost: x\r\nExpect: junk\r\n\r\n'));
    assert.equal(head.status, 417);
    assert.equal(head.body, '');
    // Node answers 100 Continue first, then the request is served as usual.
    const served = await rawExchange(s.url, 'GET /api/v1/config HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n');
    assert.match(served, /HTTP\/1\.1 200 OK/);
  });

  it('routes are case-sensitive: an upper-case path is a 404, never an unguarded answer', async () => {
    for (const path of ['/API/V1/OPERATORS', '/Api/V1/operators', '/api/v1/OPERATORS', '/API/V1/CHATS']) {
      const res = await s.request<{ code: string }>('GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.code, 'NOT_FOUND', path);
    }
    assert.equal((await s.request('GET', '/api/v1/operators')).status, 401);
  });

  it('a token whose id part is not an id is refused, even with the right secret', async () => {
    const token = await issueToken(s, ADMIN_ID);
    const secret = token.split('|')[1] ?? '';
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 200);
    for (const id of ['99999999999999999999', 'abc', '', '-1']) {
      const res = await s.request<{ code: string }>('GET', '/api/v1/auth/me', { token: `${id}|${secret}` });
      assert.equal(res.status, 401, id);
    }
  });

  it('a WebSocket upgrade to another path, or with a broken handshake, is answered in JSON', async () => {
    const other = split(await rawExchange(s.url, 'GET /api/v1/config HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
    assert.equal(other.status, 404);
    assert.deepEqual(JSON.parse(other.body), { message: 'Resource not found.', code: 'NOT_FOUND' });
    const broken = split(
      await rawExchange(
        s.url,
        'GET /app/switchboard-key HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: \r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    assert.equal(broken.status, 400);
    assert.match(broken.headers, /application\/json/);
    assert.equal(JSON.parse(broken.body).code, 'BAD_REQUEST');
  });

  it('a HEAD with headers over 16 KB gets its 431 without a body', async () => {
    const { status, headers, body } = split(await rawExchange(s.url, `HEAD /api/v1/config HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`));
    assert.equal(status, 431);
    assert.match(headers, /Content-Length: \d+/);
    assert.equal(body, '');
  });
});
