import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { contentTypeOf, deskFilePath } from '../../main/electron/desk-protocol';

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
