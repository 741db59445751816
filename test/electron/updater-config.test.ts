import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeFeedUrl, resolveUpdateFeed, UPDATE_CHECK_INTERVAL_MS } from '../../main/electron/updater-config';

const packaged = { isPackaged: true, env: {}, deskConfig: null, hasBuiltInFeed: true };

describe('updater feed configuration', () => {
  it('is off in development, whatever is configured', () => {
    const feed = resolveUpdateFeed({ ...packaged, isPackaged: false, env: { SWITCHBOARD_UPDATE_URL: 'https://updates.example.com/desk' } });
    assert.equal(feed.enabled, false);
  });

  it('uses the environment first, then desk.json, then the feed built into the app', () => {
    assert.deepEqual(resolveUpdateFeed({ ...packaged, env: { SWITCHBOARD_UPDATE_URL: 'https://updates.example.com/desk' }, deskConfig: { updateUrl: 'https://other.example.com/' } }), {
      enabled: true,
      feedUrl: 'https://updates.example.com/desk/',
      source: 'environment',
      checkIntervalMs: UPDATE_CHECK_INTERVAL_MS,
    });
    assert.deepEqual(resolveUpdateFeed({ ...packaged, deskConfig: { updateUrl: 'https://chat.example.com/updates' } }), {
      enabled: true,
      feedUrl: 'https://chat.example.com/updates/',
      source: 'desk.json',
      checkIntervalMs: UPDATE_CHECK_INTERVAL_MS,
    });
    assert.deepEqual(resolveUpdateFeed(packaged), { enabled: true, feedUrl: null, source: 'built-in', checkIntervalMs: UPDATE_CHECK_INTERVAL_MS });
  });

  it('checks daily', () => {
    assert.equal(UPDATE_CHECK_INTERVAL_MS, 86_400_000);
  });

  it('is off without any feed, and can be turned off', () => {
    assert.equal(resolveUpdateFeed({ ...packaged, hasBuiltInFeed: false }).enabled, false);
    assert.equal(resolveUpdateFeed({ ...packaged, env: { SWITCHBOARD_UPDATES: 'off' } }).enabled, false);
    assert.equal(resolveUpdateFeed({ ...packaged, deskConfig: { updates: false } }).enabled, false);
  });

  it('refuses feeds that are not plain http(s) URLs, saying why', () => {
    const feed = resolveUpdateFeed({ ...packaged, env: { SWITCHBOARD_UPDATE_URL: 'file:///tmp/feed' } });
    assert.deepEqual(feed, { enabled: false, reason: 'SWITCHBOARD_UPDATE_URL is not an http(s) URL: file:///tmp/feed' });
    assert.equal(resolveUpdateFeed({ ...packaged, deskConfig: { updateUrl: 42 } }).enabled, false);
    assert.equal(normalizeFeedUrl('https://user:secret@example.com/u'), null);
    assert.equal(normalizeFeedUrl('https://example.com/u?x=1'), null);
    assert.equal(normalizeFeedUrl('javascript:alert(1)'), null);
    assert.equal(normalizeFeedUrl('http://127.0.0.1:8080/updates//'), 'http://127.0.0.1:8080/updates/');
    assert.equal(normalizeFeedUrl('https://example.com'), 'https://example.com/');
  });
});
