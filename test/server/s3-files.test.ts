import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody, ApiMessage, ApiUpload } from '../../common/api';
import { createServer } from '../../server/app';
import type { CrmMessage, CrmSpace } from '../../server/dialects/crm/presenters';
import { quietLogger } from '../../server/logger';
import { startS3, type TestS3 } from '../helpers/s3';
import { startServer, type TestServer } from '../helpers/server';
import type { VisitorUpload } from '../../common/visitor-api';
import { createSpace, crm } from './crm-support';
import { asVisitor, PNG_1X1, pngForm, startSpace, visitorWrites } from './visitor-support';
import { assertError, assertInvalid, loginAll, send, webhook, type Tokens } from './support';

// The server keeping its files in an S3-compatible bucket (an s3rver emulator here) instead of
// DATA_DIR/files: what is uploaded, sent, attached, downloaded and swept is an object in the bucket.

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TEXT = Buffer.from('Zamówienie nr 48213 — проверьте, пожалуйста.\n'.repeat(2000));

type UploadBody = { data: ApiUpload } & Partial<ApiErrorBody>;

function form(content: Buffer, name: string, field = 'file'): FormData {
  const data = new FormData();
  data.append(field, new Blob([new Uint8Array(content)], { type: 'application/octet-stream' }), name);
  return data;
}

describe('files in an S3-compatible bucket', () => {
  let s3: TestS3;
  let s: TestServer;
  let t: Tokens;
  const upload = (token: string, content: Buffer, name: string) => s.request<UploadBody>('POST', '/api/v1/uploads', { token, body: form(content, name) });
  const download = (token: string, url: string) => fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  /** What the server left in DATA_DIR/files: at most the empty folder uploads pass through. */
  const localFiles = () => {
    const dir = join(s.dataDir, 'files');
    return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((entry) => entry !== 'incoming') : [];
  };

  before(async () => {
    s3 = await startS3();
    s = await startServer({ ...s3.config, sendPerMinute: 1000 });
    t = await loginAll(s);
  });
  after(async () => {
    await s.close();
    await s3.close();
  });

  it('keeps an upload as an object, moves it to the attachment on send, and serves its bytes', async () => {
    const uploaded = await upload(t.mod, TEXT, 'zamówienie.txt');
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const pendingKey = uploaded.body.data.path;
    assert.deepEqual(await s3.read(pendingKey), TEXT, 'the upload streamed up byte for byte');

    const sent = await send(s, t.mod, 1, { text: 'W załączniku.', attachments: [pendingKey], client_message_id: randomUUID() });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const [attachment] = sent.body.data.attachments;
    assert.ok(attachment);
    assert.equal(await s3.exists(pendingKey), false, 'the pending object was moved, not copied and left');
    const keys = await s3.keys();
    assert.equal(keys.filter((key) => key.startsWith('attachments/1/')).length, 1, keys.join(', '));

    const res = await download(t.mod, attachment.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(res.headers.get('content-length'), String(TEXT.length));
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), TEXT);
    assert.deepEqual(localFiles(), [], 'nothing was kept on local disk');
  });

  it('stores a webhook’s base64 file and a CRM attach in the bucket too', async () => {
    const hook = await webhook(s, 1, { external_user_id: `s3-${randomUUID()}`, attachments: [{ name: 'zrzut.png', content_base64: PNG.toString('base64') }] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const [png] = hook.body.data.message.attachments;
    assert.ok(png);
    const fromHook = await download(t.mod, png.url);
    assert.equal(fromHook.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await fromHook.arrayBuffer()), PNG);

    const space: CrmSpace = await createSpace(s, t.mod);
    const written = await crm<CrmMessage>(s, 'POST', '/chat/messages.json', { token: t.mod, body: { space_id: space.id, message: 'Dokument' } });
    const attached = await crm<CrmMessage>(s, 'POST', `/chat/messages/${written.body.id}/attach.json`, { token: t.mod, body: form(PNG, 'plik.png', 'attachments[]') });
    assert.equal(attached.status, 200, JSON.stringify(attached.body));
    const keys = await s3.keys();
    assert.ok(keys.some((key) => key.startsWith(`attachments/${space.id}/`)), keys.join(', '));
    assert.deepEqual(localFiles(), []);
  });

  it('keeps a website visitor’s upload in the bucket and serves it to the visitor once sent', async () => {
    const visitor = await startSpace(s);
    const upload = await asVisitor<VisitorUpload>(s, visitor, 'POST', '/chat/widget/uploads.json', { body: pngForm('kot.png') });
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    const pending = (await s3.keys()).filter((key) => key.startsWith(`uploads/spaces/${visitor.spaceId}/`));
    assert.equal(pending.length, 1);
    const sent = await visitorWrites(s, visitor, 'mój kot', randomUUID(), [upload.body.id]);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const [attachment] = sent.body.attachments;
    assert.ok(attachment);
    assert.equal(await s3.exists(pending[0] ?? ''), false, 'moved out of the pending uploads');
    const file = await fetch(attachment.url, { headers: { 'X-Space-Token': visitor.spaceToken } });
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG_1X1);
  });

  it('the sweep deletes an expired upload’s object, and it can no longer be sent', async () => {
    const uploaded = await upload(t.mod, PNG, 'stale.png');
    const key = uploaded.body.data.path;
    assert.equal(await s3.exists(key), true);
    s.clock.advance(s.server.config.uploadTtlMs + 1000);
    assert.equal(await s.server.sweepUploads(), true);
    assert.equal(await s3.exists(key), false, 'swept from the bucket');
    assertInvalid(await send(s, t.mod, 1, { attachments: [key] }), ['attachments.0']);
  });

  it('answers a 404 in the documented format when an attachment’s object is gone', async () => {
    const uploaded = await upload(t.mod, PNG, 'lost.png');
    const before = new Set(await s3.keys());
    const sent = await send(s, t.mod, 1, { attachments: [uploaded.body.data.path], client_message_id: randomUUID() });
    const message: ApiMessage = sent.body.data;
    const [lost] = message.attachments;
    assert.ok(lost);
    const [key, ...others] = (await s3.keys()).filter((k) => !before.has(k));
    assert.ok(key && others.length === 0, 'the send made one object: the attachment');
    await s3.remove(key);
    assertError(await s.request('GET', new URL(lost.url).pathname, { token: t.mod }), 404, 'NOT_FOUND', 'Resource not found.');
  });
});

describe('S3 file storage configuration', () => {
  let s3: TestS3;
  let dataDir: string;
  before(async () => {
    s3 = await startS3();
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-s3-config-'));
  });
  after(async () => {
    await s3.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start with a files URL that is not s3://bucket, or a bucket it cannot reach, and says which', async () => {
    await assert.rejects(createServer({ dataDir, logger: quietLogger(), ...s3.config, filesUrl: 'https://bucket.example.com' }), /SWITCHBOARD_FILES_URL must be s3:\/\/bucket/);
    await assert.rejects(createServer({ dataDir, logger: quietLogger(), ...s3.config, filesUrl: 's3://no-such-bucket' }), /the S3 bucket no-such-bucket cannot be reached/);
  });

  it('keeps the files under a prefix when the URL names one', async () => {
    const s = await startServer({ ...s3.config, filesUrl: `s3://${s3.bucket}/tenant-a/` });
    try {
      const t = await loginAll(s);
      const uploaded = await s.request<UploadBody>('POST', '/api/v1/uploads', { token: t.mod, body: form(PNG, 'a.png') });
      assert.equal(uploaded.status, 201);
      assert.deepEqual(await s3.read(`tenant-a/${uploaded.body.data.path}`), PNG);
    } finally {
      await s.close();
    }
  });
});
