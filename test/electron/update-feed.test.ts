import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';

/** A raw HTTP request, so that paths reach the server exactly as written (fetch would normalise `..`). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('update feed at /updates/', () => {
  let server: TestServer;
  let updatesDir: string;
  let outside: string;
  const latest = 'version: 0.2.0\nfiles:\n  - url: Switchboard-Setup-0.2.0.exe\n    sha512: abc\n    size: 10\npath: Switchboard-Setup-0.2.0.exe\n';
  const installer = Buffer.from('0123456789');

  before(async () => {
    updatesDir = mkdtempSync(join(tmpdir(), 'switchboard-updates-'));
    outside = mkdtempSync(join(tmpdir(), 'switchboard-outside-'));
    writeFileSync(join(updatesDir, 'latest.yml'), latest);
    writeFileSync(join(updatesDir, 'Switchboard-Setup-0.2.0.exe'), installer);
    writeFileSync(join(updatesDir, '.env'), 'SECRET=1');
    mkdirSync(join(updatesDir, 'beta'));
    writeFileSync(join(updatesDir, 'beta', 'latest-linux.yml'), 'version: 0.3.0-beta.1\n');
    writeFileSync(join(outside, 'secret.txt'), 'do not serve');
    symlinkSync(join(outside, 'secret.txt'), join(updatesDir, 'escape.yml'));
    server = await startServer({ updatesDir });
  });

  after(async () => {
    await server.close();
    rmSync(updatesDir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('serves the channel file electron-updater asks for, always revalidated', async () => {
    const response = await fetch(`${server.url}/updates/latest.yml`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), latest);
    assert.match(response.headers.get('content-type') ?? '', /^text\/yaml/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  it('serves installers whole and by range (differential downloads)', async () => {
    const whole = await fetch(`${server.url}/updates/Switchboard-Setup-0.2.0.exe`);
    assert.equal(whole.status, 200);
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), installer);
    assert.equal(whole.headers.get('content-type'), 'application/octet-stream');
    const part = await fetch(`${server.url}/updates/Switchboard-Setup-0.2.0.exe`, { headers: { Range: 'bytes=2-5' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 2-5/10');
    assert.equal(await part.text(), '2345');
    const tail = await fetch(`${server.url}/updates/Switchboard-Setup-0.2.0.exe`, { headers: { Range: 'bytes=-3' } });
    assert.equal(await tail.text(), '789');
    const beyond = await fetch(`${server.url}/updates/Switchboard-Setup-0.2.0.exe`, { headers: { Range: 'bytes=50-' } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), 'bytes */10');
    assert.match(beyond.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await beyond.json(), { message: 'The requested range is not satisfiable.', code: 'BAD_REQUEST' });
  });

  it('answers HEAD with the length and no body', async () => {
    const response = await rawGet(server.url, '/updates/Switchboard-Setup-0.2.0.exe', {}, 'HEAD');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-length'], '10');
    assert.equal(response.body.length, 0);
  });

  it('serves channel subfolders', async () => {
    const response = await fetch(`${server.url}/updates/beta/latest-linux.yml`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'version: 0.3.0-beta.1\n');
  });

  it('answers 404 in the API format for unknown files', async () => {
    const response = await fetch(`${server.url}/updates/latest-mac.yml`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { message: 'Resource not found.', code: 'NOT_FOUND' });
  });

  it('lists no directory', async () => {
    for (const path of ['/updates', '/updates/', '/updates/beta', '/updates/beta/']) {
      const response = await rawGet(server.url, path);
      assert.equal(response.status, 404, path);
      assert.ok(!response.body.toString().includes('latest'), path);
    }
  });

  it('refuses path traversal, hidden files and symlinks out of the folder', async () => {
    for (const path of [
      '/updates/../package.json',
      '/updates/%2e%2e/package.json',
      '/updates/%2E%2E%2Fpackage.json',
      '/updates/beta/../../package.json',
      '/updates/..%5c..%5cpackage.json',
      '/updates/.env',
      '/updates/%2eenv',
      '/updates/latest.yml%00.exe',
      '/updates/escape.yml',
      `/updates/${encodeURIComponent(join(outside, 'secret.txt'))}`,
      '/updates/%E0%A4%A',
    ]) {
      const response = await rawGet(server.url, path);
      assert.equal(response.status, 404, path);
      assert.ok(!response.body.toString().includes('SECRET') && !response.body.toString().includes('do not serve') && !response.body.toString().includes('"name"'), path);
    }
  });

  it('is read-only', async () => {
    const response = await fetch(`${server.url}/updates/latest.yml`, { method: 'PUT', body: 'version: 9.9.9' });
    assert.equal(response.status, 405);
    assert.deepEqual(await response.json(), { message: 'The method is not supported for this route.', code: 'METHOD_NOT_ALLOWED' });
    assert.equal(await (await fetch(`${server.url}/updates/latest.yml`)).text(), latest);
  });
});

describe('update feed when no folder is configured', () => {
  it('does not exist', async () => {
    const server = await startServer();
    try {
      const response = await fetch(`${server.url}/updates/latest.yml`);
      assert.equal(response.status, 404);
    } finally {
      await server.close();
    }
  });
});
