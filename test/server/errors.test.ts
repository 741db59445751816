import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody, ApiUpload } from '../../common/api';
import type { Logger } from '../../server/logger';
import { startServer, type TestServer } from '../helpers/server';
import { chatIdOf, assertError, assertInvalid, countRows, getChat, loginAll, send, signedHeaders, type Tokens } from './support';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('errors', () => {
  let s: TestServer;
  let t: Tokens;
  const logged: string[] = [];
  const logger: Logger = { info: () => undefined, warn: () => undefined, error: (message, detail) => logged.push(`${message} ${String(detail)}`) };
  const chatOf = (external: string) => chatIdOf(s, external);

  before(async () => {
    s = await startServer({ jsonBodyMaxBytes: 8 * 1024, logger });
    t = await loginAll(s);
  });
  after(() => s.close());

  it('answers unknown routes with a JSON 404, signed in or not', async () => {
    for (const path of ['/api/v1/nope', '/api/v1/chats/1/nope', '/api/v2/chats', '/', '/favicon.ico']) {
      assertError(await s.request('GET', path), 404, 'NOT_FOUND', 'Resource not found.');
      assertError(await s.request('GET', path, { token: t.mod }), 404, 'NOT_FOUND', 'Resource not found.');
    }
    assertError(await s.request('POST', '/api/v1/nope', { token: t.mod, body: { a: 1 } }), 404, 'NOT_FOUND');
  });

  it('answers a known route with the wrong method with 405 and the allowed methods', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/api/v1/chats', 'GET'],
      ['PUT', '/api/v1/auth/me', 'GET'],
      ['GET', '/api/v1/auth/login', 'POST'],
      ['GET', '/api/v1/chats/1/send', 'POST'],
      ['GET', '/api/v1/webhooks/sources/1', 'POST'],
      ['PUT', '/api/v1/canned-responses/1', 'GET'],
    ] as const) {
      const res = await s.request(method, path, { token: t.admin });
      assertError(res, 405, 'METHOD_NOT_ALLOWED');
      assert.ok((res.headers.get('allow') ?? '').includes(allow), `${method} ${path}: Allow ${res.headers.get('allow')}`);
    }
    // A method no route implements is refused the same way, not as a server error.
    assertError(await s.request('PROPFIND', '/api/v1/chats', { token: t.admin }), 405, 'METHOD_NOT_ALLOWED');
    assert.ok(!logged.some((line) => line.includes('PROPFIND')), 'not logged as a failure');
  });

  it('answers OPTIONS on a route with 204 and the allowed methods, and on an unknown path with a JSON 404', async () => {
    for (const [path, allow] of [
      ['/api/v1/chats/1', 'PATCH'],
      ['/api/v1/auth/login', 'POST'],
      ['/api/v1/devices/register-token', 'POST'],
      ['/broadcasting/auth', 'POST'],
    ] as const) {
      const res = await s.request('OPTIONS', path);
      assert.equal(res.status, 204, path);
      assert.equal(res.body, '', path);
      assert.ok((res.headers.get('allow') ?? '').includes(allow), `${path}: Allow ${res.headers.get('allow')}`);
    }
    assertError(await s.request('OPTIONS', '/api/v1/nope'), 404, 'NOT_FOUND', 'Resource not found.');
  });

  it("answers what Node's HTTP parser refuses in the documented form, closes that connection, and serves the next", async () => {
    const port = Number(new URL(s.url).port);
    /** Bytes as written to a fresh connection; the answer as read until the server closes it. */
    const raw = (request: string) =>
      new Promise<{ status: number; type: string; body: unknown }>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString();
          const [head = '', body = ''] = text.split('\r\n\r\n');
          const type = /^content-type: (.*)$/im.exec(head)?.[1] ?? '';
          resolve({ status: Number(head.split(' ')[1]), type, body: body ? JSON.parse(body) : undefined });
        });
      });
    for (const [request, status, body] of [
      ['FOO /api/v1/chats HTTP/1.1\r\nHost: localhost\r\n\r\n', 400, { message: 'The request method is not valid.', code: 'BAD_REQUEST' }],
      ['garbage\r\n\r\n', 400, { message: 'The request method is not valid.', code: 'BAD_REQUEST' }],
      ['GET /api/v1/chats HTTP/1.1\r\nA header without a colon\r\n\r\n', 400, { message: 'The request is not valid HTTP.', code: 'BAD_REQUEST' }],
      [`GET /api/v1/chats HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431, { message: 'The request headers are larger than the server accepts (16 KB).', code: 'PAYLOAD_TOO_LARGE' }],
    ] as const) {
      const answer = await raw(request);
      assert.equal(answer.status, status, request.slice(0, 30));
      assert.match(answer.type, /^application\/json/);
      assert.deepEqual(answer.body, body);
    }
    assert.equal((await s.request('GET', '/api/v1/chats', { token: t.mod })).status, 200);
  });

  it('answers 401 in the documented form without, or with a broken, Authorization header', async () => {
    for (const header of [undefined, 'Bearer', 'Bearer ', 'Basic YWRtaW46cGFzc3dvcmQ=', `Token ${t.mod}`, `Bearer ${t.mod} extra`]) {
      const res = await s.request('GET', '/api/v1/chats', { headers: header === undefined ? {} : { Authorization: header } });
      assertError(res, 401, 'UNAUTHENTICATED', 'Unauthenticated.');
      assert.deepEqual(res.body, { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' });
    }
    assert.equal((await s.request('GET', '/api/v1/chats', { headers: { Authorization: `bearer ${t.mod}` } })).status, 200);
  });

  it('answers a body that is not JSON with 422 and changes nothing', async () => {
    const id = await chatOf('web-0a0b');
    const before = await countRows(s, 'messages');
    for (const body of ['{"text": "hi"', 'text=hi', '"just a string"', 'null', '']) {
      const res = await s.request('POST', `/api/v1/chats/${id}/send`, { token: t.mod, body, headers: { 'Content-Type': 'application/json' } });
      assertError(res, 422, 'VALIDATION_ERROR');
    }
    assertInvalid(await s.request('POST', `/api/v1/chats/${id}/send`, { token: t.mod, body: '{"text": ', headers: { 'Content-Type': 'application/json' } }), ['body']);
    // Not JSON at all: no fields arrive, so the required ones are missing.
    assertInvalid(await s.request('POST', `/api/v1/chats/${id}/send`, { token: t.mod, body: 'hi', headers: { 'Content-Type': 'text/plain' } }), ['text']);
    assertInvalid(await s.request('POST', `/api/v1/chats/${id}/send`, { token: t.mod, body: [1, 2] }), ['body']);
    assert.equal(await countRows(s, 'messages'), before);
    const login = await s.request('POST', '/api/v1/auth/login', { body: '{"email":', headers: { 'Content-Type': 'application/json' } });
    assertError(login, 422, 'VALIDATION_ERROR');
    // A route that reads no body still refuses a garbled one, and does nothing.
    const close = await s.request('POST', `/api/v1/chats/${id}/close`, { token: t.mod, body: '{"x": ', headers: { 'Content-Type': 'application/json' } });
    assertInvalid(close, ['body']);
    assert.notEqual((await getChat(s, t.mod, id)).body.data.status, 'closed');
  });

  it('names every wrong field, Laravel style, with the first message and a count', async () => {
    const res = await s.request<ApiErrorBody>('POST', `/api/v1/chats/${(await chatOf('web-0a0b'))}/transfer`, {
      token: t.mod,
      body: { assigned_to: 'two', note: 7 },
    });
    assert.deepEqual(assertInvalid(res, ['assigned_to', 'note']), {
      assigned_to: ['The assigned to field must be a number.'],
      note: ['The note field must be a string.'],
    });
    assert.equal(res.body.message, 'The assigned to field must be a number. (and 1 more error)');
  });

  it('answers a JSON body over jsonBodyMaxBytes with 413 and stores nothing', async () => {
    const id = await chatOf('web-0a0b');
    const before = await countRows(s, 'messages');
    const res = await send(s, t.mod, id, { text: 'short', padding: 'x'.repeat(9 * 1024) });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE');
    assert.equal(await countRows(s, 'messages'), before);
    const body = JSON.stringify({ external_user_id: 'huge', text: 'y'.repeat(9 * 1024) });
    const hook = await s.request('POST', '/api/v1/webhooks/sources/1', {
      body,
      headers: { 'Content-Type': 'application/json', ...signedHeaders(s, body) },
    });
    assertError(hook, 413, 'PAYLOAD_TOO_LARGE');
    assert.equal(await countRows(s, 'messages'), before);
  });

  describe('server errors', () => {
    const attachmentsDir = (chatId: number) => join(s.dataDir, 'files', 'attachments', String(chatId));
    /** A file where the server expects a folder: the disk refuses the write, as a full or broken disk would. */
    function block(path: string): () => void {
      rmSync(path, { recursive: true, force: true });
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, 'in the way');
      return () => rmSync(path, { force: true });
    }

    it('a failed send answers 500 without internals and leaves no half-written message; a retry then succeeds', async () => {
      const id = await chatOf('web-0a0b');
      const upload = await s.request<{ data: ApiUpload }>('POST', '/api/v1/uploads', { token: t.mod, body: pngForm() });
      assert.equal(upload.status, 201);
      const messagesBefore = await countRows(s, 'messages');
      const attachmentsBefore = await countRows(s, 'attachments');
      const unblock = block(attachmentsDir(id));
      const cmid = randomUUID();
      const failed = await send(s, t.mod, id, { text: 'Screenshot attached', attachments: [upload.body.data.path], client_message_id: cmid });
      assertError(failed, 500, 'SERVER_ERROR', 'Server Error.');
      assert.deepEqual(failed.body, { message: 'Server Error.', code: 'SERVER_ERROR' });
      assert.ok(!JSON.stringify(failed.body).includes(s.dataDir));
      assert.ok(logged.some((line) => line.includes('/send failed')), 'the failure is logged for the operator of the server');
      assert.equal(await countRows(s, 'messages'), messagesBefore);
      assert.equal(await countRows(s, 'attachments'), attachmentsBefore);
      assert.ok(existsSync(join(s.dataDir, 'files', upload.body.data.path)), 'the upload is still pending');
      unblock();
      const retried = await send(s, t.mod, id, { text: 'Screenshot attached', attachments: [upload.body.data.path], client_message_id: cmid });
      assert.equal(retried.status, 201);
      assert.equal(retried.body.data.attachments.length, 1);
    });

    it('a webhook whose attachment cannot be written answers 500 and stores nothing; the channel can retry', async () => {
      const id = await chatOf('web-0a0b');
      const before = { messages: await countRows(s, 'messages'), receipts: await countRows(s, 'source_receipts') };
      const unblock = block(attachmentsDir(id));
      const body = JSON.stringify({
        external_user_id: 'web-0a0b',
        text: 'Zrzut ekranu',
        external_message_id: 'web-retry-1',
        attachments: [{ name: 'ekran.png', content_base64: PNG.toString('base64') }],
      });
      const post = () =>
        s.request('POST', '/api/v1/webhooks/sources/1', {
          body,
          headers: { 'Content-Type': 'application/json', ...signedHeaders(s, body) },
        });
      assertError(await post(), 500, 'SERVER_ERROR', 'Server Error.');
      assert.deepEqual({ messages: await countRows(s, 'messages'), receipts: await countRows(s, 'source_receipts') }, before);
      unblock();
      assert.equal((await post()).status, 201);
    });

    it('an upload the disk refuses answers 500 without internals', async () => {
      const incoming = join(s.dataDir, 'files', 'incoming');
      const uploadsBefore = await countRows(s, 'uploads');
      const unblock = block(incoming);
      try {
        const res = await s.request('POST', '/api/v1/uploads', { token: t.mod, body: pngForm() });
        assertError(res, 500, 'SERVER_ERROR', 'Server Error.');
        assert.ok(!JSON.stringify(res.body).includes('incoming'));
        assert.equal(await countRows(s, 'uploads'), uploadsBefore);
      } finally {
        unblock();
      }
    });
  });
});

function pngForm(): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'screen.png');
  return form;
}
