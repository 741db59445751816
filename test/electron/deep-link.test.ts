import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDeepLink, parseDeepLink } from '../../main/electron/deep-link';

describe('deep-link parser', () => {
  it('reads a chat link', () => {
    assert.deepEqual(parseDeepLink('switchboard://chat/42'), { kind: 'chat', chatId: 42 });
    assert.deepEqual(parseDeepLink('switchboard://chat/42/'), { kind: 'chat', chatId: 42 });
    assert.deepEqual(parseDeepLink('SWITCHBOARD://CHAT/7'), { kind: 'chat', chatId: 7 });
    assert.deepEqual(parseDeepLink('switchboard://chat/9007199254740991'), { kind: 'chat', chatId: 9007199254740991 });
  });

  it('refuses malformed links', () => {
    for (const text of [
      'switchboard://chat/',
      'switchboard://chat',
      'switchboard://chat/0',
      'switchboard://chat/007',
      'switchboard://chat/-1',
      'switchboard://chat/1.5',
      'switchboard://chat/abc',
      'switchboard://chat/1e3',
      'switchboard:chat/1',
      'switchboard:/chat/1',
      'switchboard://chat/1?x=2',
      'switchboard://chat/1#frag',
      'switchboard://chat//1',
      '',
      'chat/1',
    ]) {
      assert.equal(parseDeepLink(text), null, text);
    }
    assert.equal(parseDeepLink(undefined), null);
    assert.equal(parseDeepLink(42), null);
  });

  it('refuses hostile links: traversal, encodings, huge ids, other hosts and schemes', () => {
    for (const text of [
      'switchboard://chat/1/../x',
      'switchboard://chat/../../etc/passwd',
      'switchboard://chat/%31',
      'switchboard://chat/1%2F..%2Fx',
      'switchboard://chat/1\u0000',
      'switchboard://chat/1 /evil',
      'switchboard://chat/99999999999999999999',
      'switchboard://chat/9007199254740993',
      `switchboard://chat/${'9'.repeat(400)}`,
      'switchboard://settings/1',
      'switchboard://evil.com/chat/1',
      'switchboard://user@chat/1',
      'javascript:alert(1)//switchboard://chat/1',
      'javascript://chat/1',
      'https://chat/1',
      'file://chat/1',
    ]) {
      assert.equal(parseDeepLink(text), null, text);
    }
  });

  it('finds the link among a second instance command line', () => {
    assert.deepEqual(findDeepLink(['C:\\Program Files\\Switchboard\\Switchboard.exe', '--allow-file-access', 'switchboard://chat/12']), { kind: 'chat', chatId: 12 });
    assert.deepEqual(findDeepLink(['/usr/bin/electron', '.', 'switchboard://chat/1/../2', 'switchboard://chat/3']), { kind: 'chat', chatId: 3 });
    assert.equal(findDeepLink(['/opt/Switchboard/switchboard', '--hidden']), null);
    assert.equal(findDeepLink(['--url=switchboard://chat/5']), null);
  });
});
