import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody, ApiMessage, ApiUpload } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { chatIdOf, MOD_ID, assertError, assertInvalid, countRows, loginAll, send, type Tokens } from './support';

type UploadBody = { data: ApiUpload } & Partial<ApiErrorBody>;

// Real files, byte for byte: a 1×1 PNG, a small PDF, an empty zip, executables, markup.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(248)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]);
const HTML = Buffer.from('<!DOCTYPE html>\n<html><body><script>fetch("/api/v1/auth/me")</script></body></html>\n');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="1" height="1"/></svg>\n');
const XML_SVG = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n');
const SCRIPT = Buffer.from('#!/bin/sh\necho pwned\n');
const TEXT = Buffer.from('Zamówienie nr 48213 — проверьте, пожалуйста.\n');

function form(content: Buffer, name: string, field = 'file', type = 'application/octet-stream'): FormData {
  const data = new FormData();
  data.append(field, new Blob([new Uint8Array(content)], { type }), name);
  return data;
}

describe('uploads and attachments', () => {
  let s: TestServer;
  let t: Tokens;
  const upload = (token: string | undefined, body: FormData | object) => s.request<UploadBody>('POST', '/api/v1/uploads', { token, body });
  const chatOf = (external: string) => chatIdOf(s, external);
  const incoming = () => {
    const dir = join(s.dataDir, 'files', 'incoming');
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const download = (token: string | undefined, path: string) =>
    fetch(`${s.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, redirect: 'manual' });

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  describe('POST /uploads', () => {
    it('stores a PNG as a pending upload of the user and answers its path', async () => {
      const res = await upload(t.mod, form(PNG, 'screenshot.png', 'file', 'image/png'));
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.body.data).sort(), ['mime_type', 'original_name', 'path', 'size']);
      assert.match(res.body.data.path, new RegExp(`^uploads/pending/${MOD_ID}/[0-9a-f-]{36}\\.png$`));
      assert.equal(res.body.data.original_name, 'screenshot.png');
      assert.equal(res.body.data.mime_type, 'image/png');
      assert.equal(res.body.data.size, PNG.length);
      assert.deepEqual(readFileSync(join(s.dataDir, 'files', res.body.data.path)), PNG);
      assert.deepEqual(incoming(), [], 'nothing is left in the incoming folder');
    });

    it('decides the type from the content, not the name or the declared type', async () => {
      const cases: [Buffer, string, string][] = [
        [PNG, 'notes.txt', 'image/png'],
        [PDF, 'invoice', 'application/pdf'],
        [ZIP, 'logs.bin', 'application/zip'],
        [TEXT, 'order.png', 'text/plain'],
        [Buffer.from('id;name\n1;Anna\n'), 'export.csv', 'text/csv'],
      ];
      for (const [content, name, mime] of cases) {
        const res = await upload(t.mod, form(content, name, 'file', 'image/png'));
        assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.data.mime_type, mime, name);
        assert.equal(res.body.data.original_name, name);
      }
    });

    it('refuses executables, scripts and markup whatever they are called, keeping nothing', async () => {
      const uploads = await countRows(s, 'uploads');
      const cases: [Buffer, string][] = [
        [ELF, 'photo.png'],
        [EXE, 'setup.pdf'],
        [HTML, 'page.png'],
        [HTML, 'page.txt'],
        [SVG, 'logo.png'],
        [XML_SVG, 'logo.png'],
        [SCRIPT, 'readme.txt'],
        [Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]), 'blob.png'],
      ];
      for (const [content, name] of cases) {
        const res = await upload(t.mod, form(content, name, 'file', 'image/png'));
        const errors = assertInvalid(res, ['file']);
        assert.match(errors.file?.[0] ?? '', /allowed type/, name);
      }
      assert.equal(await countRows(s, 'uploads'), uploads);
      assert.deepEqual(incoming(), []);
      assert.deepEqual(readdirSync(join(s.dataDir, 'files', 'uploads', 'pending', String(MOD_ID))).length, uploads);
    });

    it('requires the file field, and leaves no stray file behind', async () => {
      assert.deepEqual(assertInvalid(await upload(t.mod, form(PNG, 'a.png', 'attachment')), ['file']).file, ['The file field is required.']);
      assertInvalid(await upload(t.mod, new FormData()), ['file']);
      assertInvalid(await upload(t.mod, { file: 'a.png' }), ['file']);
      assertInvalid(await upload(t.mod, form(Buffer.alloc(0), 'empty.txt')), ['file']);
      const two = form(PNG, 'one.png');
      two.append('file', new Blob([new Uint8Array(PNG)]), 'two.png');
      assert.deepEqual(assertInvalid(await upload(t.mod, two), ['file']).file, ['The file field must be a single file.']);
      assert.deepEqual(incoming(), []);
    });

    it('is 401 without a token, before anything is written', async () => {
      assertError(await upload(undefined, form(PNG, 'a.png')), 401, 'UNAUTHENTICATED');
      assert.deepEqual(incoming(), []);
    });
  });

  describe('the size limit', () => {
    let small: TestServer;
    before(async () => {
      small = await startServer({ uploadMaxBytes: 1024 });
    });
    after(() => small.close());

    it('answers 413 PAYLOAD_TOO_LARGE above uploadMaxBytes and keeps nothing, and accepts the limit itself', async () => {
      const token = await small.login('mod@example.com');
      const big = Buffer.concat([PNG, Buffer.alloc(2048 - PNG.length, 0x41)]);
      const res = await small.request('POST', '/api/v1/uploads', { token, body: form(big, 'big.png') });
      assertError(res, 413, 'PAYLOAD_TOO_LARGE');
      const rows = await small.server.store.testing.count('uploads');
      assert.equal(rows, 0);
      assert.deepEqual(readdirSync(join(small.dataDir, 'files', 'incoming')), []);
      const exact = Buffer.concat([Buffer.from('a'.repeat(1023)), Buffer.from('\n')]);
      const ok = await small.request<UploadBody>('POST', '/api/v1/uploads', { token, body: form(exact, 'exact.txt') });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.data.size, 1024);
      const config = await small.request<{ data: { limits: { upload_max_bytes: number } } }>('GET', '/api/v1/config');
      assert.equal(config.body.data.limits.upload_max_bytes, 1024);
    });
  });

  describe('attachments', () => {
    let message: ApiMessage;
    let cmid: string;
    let chatId: number;
    let paths: string[];

    it('attaches pending uploads to a sent message, with or without text', async () => {
      chatId = await chatOf('web-0a0b');
      const png = await upload(t.mod, form(PNG, 'ekran logowania.png'));
      const pdf = await upload(t.mod, form(PDF, 'Instrukcja.pdf'));
      paths = [png.body.data.path, pdf.body.data.path];
      cmid = randomUUID();
      const res = await send(s, t.mod, chatId, { text: 'Zrzut ekranu i instrukcja w załączniku.', attachments: paths, client_message_id: cmid });
      assert.equal(res.status, 201);
      message = res.body.data;
      assert.equal(message.attachments.length, 2);
      const [first, second] = message.attachments;
      assert.ok(first && second);
      assert.deepEqual({ ...first, id: 0, url: '' }, { id: 0, name: 'ekran logowania.png', mime_type: 'image/png', size: PNG.length, url: '' });
      assert.equal(first.url, `${s.url}/api/v1/attachments/${first.id}`);
      assert.equal(second.mime_type, 'application/pdf');
      // The uploads are taken: no longer pending, their files moved out of the pending folder.
      for (const path of paths) assert.ok(!existsSync(join(s.dataDir, 'files', path)), path);

      const onlyFile = await upload(t.mod, form(PNG, 'second.png'));
      const bare = await send(s, t.mod, chatId, { attachments: [onlyFile.body.data.path] });
      assert.equal(bare.status, 201);
      assert.equal(bare.body.data.text, null);
      assert.equal(bare.body.data.attachments.length, 1);
      const listed = await s.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${chatId}/messages?limit=2`, { token: t.mod });
      assert.deepEqual(listed.body.data[1], message);
    });

    it('a repeated send returns the original with its attachments, though the uploads are used', async () => {
      const repeat = await send(s, t.mod, chatId, { text: 'Zrzut ekranu i instrukcja w załączniku.', attachments: paths, client_message_id: cmid });
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body.data, message);
    });

    it('refuses a used path, someone else\'s upload, an expired one and paths that are not uploads', async () => {
      const rows = await countRows(s, 'messages');
      assertInvalid(await send(s, t.mod, chatId, { text: 'again', attachments: paths }), ['attachments.0']);
      const admins = await upload(t.admin, form(PNG, 'admin.png'));
      assert.deepEqual(assertInvalid(await send(s, t.mod, chatId, { attachments: [admins.body.data.path] }), ['attachments.0'])['attachments.0'], [
        'The selected attachments.0 is invalid.',
      ]);
      const stale = await upload(t.mod, form(PNG, 'stale.png'));
      // A day later the stale upload has expired; a fresh one is made after the clock moved.
      s.clock.advance(24 * 60 * 60 * 1000 + 1);
      assertInvalid(await send(s, t.mod, chatId, { attachments: [stale.body.data.path] }), ['attachments.0']);
      const fresh = await upload(t.mod, form(PNG, 'fresh.png'));
      for (const path of ['../../switchboard.sqlite', `uploads/pending/${MOD_ID}/../../../switchboard.sqlite`, '/etc/passwd', `${fresh.body.data.path}/..`]) {
        assertInvalid(await send(s, t.mod, chatId, { text: 'x', attachments: [fresh.body.data.path, path] }), ['attachments.1']);
      }
      assert.equal(await countRows(s, 'messages'), rows);
      // The valid upload of a refused message is still pending and usable.
      assert.equal((await send(s, t.mod, chatId, { attachments: [fresh.body.data.path] })).status, 201);
    });

    it('serves an attachment with the same auth, its type and its bytes', async () => {
      const [png, pdf] = message.attachments;
      assert.ok(png && pdf);
      for (const token of [t.mod, t.admin]) {
        const res = await download(token, new URL(png.url).pathname);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'image/png');
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="ekran logowania.png"/);
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
      }
      const doc = await download(t.mod, new URL(pdf.url).pathname);
      assert.equal(doc.headers.get('content-type'), 'application/pdf');
      assert.deepEqual(Buffer.from(await doc.arrayBuffer()), PDF);
    });

    it('is 401 without a token and 404 for a chat the user cannot see or an attachment that does not exist', async () => {
      const [png] = message.attachments;
      assert.ok(png);
      const path = new URL(png.url).pathname;
      const anonymous = await download(undefined, path);
      assert.equal(anonymous.status, 401);
      assert.deepEqual(await anonymous.json(), { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' });
      const foreign = await download(t.mod2, path);
      assert.equal(foreign.status, 404);
      assert.deepEqual(await foreign.json(), { message: 'Resource not found.', code: 'NOT_FOUND' });
      assert.equal((await download(t.admin, '/api/v1/attachments/999999')).status, 404);
    });

    it('cannot be walked out of the file store', async () => {
      for (const path of [
        '/api/v1/attachments/..%2F..%2Fswitchboard.sqlite',
        '/api/v1/attachments/%2e%2e%2fswitchboard.sqlite',
        '/api/v1/attachments/1%2F..%2F..%2Fswitchboard.sqlite',
        '/api/v1/attachments/1;../../switchboard.sqlite',
        `/api/v1/attachments/${encodeURIComponent(join(s.dataDir, 'switchboard.sqlite'))}`,
      ]) {
        const res = await download(t.admin, path);
        assert.equal(res.status, 404, path);
        assert.deepEqual(await res.json(), { message: 'Resource not found.', code: 'NOT_FOUND' });
      }
    });

    it('answers a JSON 404, not a crash, when an attachment\'s file has gone from disk', async () => {
      const [, pdf] = message.attachments;
      assert.ok(pdf);
      const storagePath = await s.server.store.testing.attachmentStoragePath(pdf.id);
      assert.ok(storagePath);
      rmSync(join(s.dataDir, 'files', storagePath));
      const res = await download(t.mod, new URL(pdf.url).pathname);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { message: 'Resource not found.', code: 'NOT_FOUND' });
      assert.equal((await s.request('GET', '/api/v1/auth/me', { token: t.mod })).status, 200, 'the server is still up');
    });
  });
});
