import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { attachmentHeaders, contentTypeOf, deskAttachmentId, deskFilePath } from '../../main/electron/desk-protocol';

const root = resolve('/opt/switchboard/out/desk/renderer');

describe('app://desk file resolution', () => {
  it('serves files of the built renderer, index.html at the root', () => {
    assert.equal(deskFilePath(root, 'app://desk/'), join(root, 'index.html'));
    assert.equal(deskFilePath(root, 'app://desk/index.html'), join(root, 'index.html'));
    assert.equal(deskFilePath(root, 'app://desk/assets/index-abc.js?v=1#x'), join(root, 'assets', 'index-abc.js'));
    assert.equal(deskFilePath(root, 'app://desk/assets/my%20font.woff2'), join(root, 'assets', 'my font.woff2'));
  });

  it('never leaves the renderer folder', () => {
    for (const url of [
      'app://desk/../../../etc/passwd',
      'app://desk/%2e%2e/%2e%2e/etc/passwd',
      'app://desk/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://desk/..%5c..%5cwindows%5cwin.ini',
      'app://desk/a%00.js',
      'app://desk/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'https://desk/index.html',
    ]) {
      const file = deskFilePath(root, url);
      assert.ok(file === null || file.startsWith(root + '/'), `${url} → ${file}`);
    }
    assert.equal(deskFilePath(root, 'app://desk/assets/..%2f..%2f..%2fetc%2fpasswd'), null);
    assert.equal(deskFilePath(root, 'app://other/index.html'), null);
  });

  it('names content types for what the renderer loads', () => {
    assert.equal(contentTypeOf('/x/index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeOf('/x/a.JS'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeOf('/x/a.unknown'), 'application/octet-stream');
  });
});

describe('app://desk/attachments/{id}', () => {
  it('names an attachment by id only', () => {
    assert.equal(deskAttachmentId('app://desk/attachments/42'), 42);
    for (const url of ['app://desk/attachments/0', 'app://desk/attachments/42/x', 'app://desk/attachments/../index.html', 'app://desk/attachments/%34%32', 'app://other/attachments/42', 'app://desk/attachments/1234567890123456']) {
      assert.equal(deskAttachmentId(url), null, url);
    }
  });

  it('shows images inline and hands everything else over as a sandboxed download', () => {
    assert.equal(attachmentHeaders('photo.png', 'image/png')['Content-Type'], 'image/png');
    assert.match(attachmentHeaders('photo.png', 'image/png')['Content-Disposition'] ?? '', /^inline;/);
    const html = attachmentHeaders('page.html', 'text/html');
    assert.equal(html['Content-Type'], 'application/octet-stream');
    assert.match(html['Content-Disposition'] ?? '', /^attachment; filename="page.html"/);
    assert.match(html['Content-Security-Policy'] ?? '', /sandbox/);
    assert.equal(attachmentHeaders('отчёт "q".pdf', 'application/pdf')['Content-Disposition'], `attachment; filename="_____ _q_.pdf"; filename*=UTF-8''${encodeURIComponent('отчёт "q".pdf')}`);
  });
});
