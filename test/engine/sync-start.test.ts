import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { SyncStart } from '../../main/engine/sync-start';
import { waitFor } from './helpers';

describe('when a restored desk starts syncing', () => {
  it('after the first page, once requests pause; not while the operator is still being served', async () => {
    let begun = 0;
    const start = new SyncStart(() => begun++, { fallbackMs: 60_000, idleMs: 150 });
    start.defer();
    await sleep(200);
    assert.equal(begun, 0, 'no page yet: waiting');
    start.served();
    // Requests keep coming (the operator clicks around): still waiting.
    for (let i = 0; i < 5; i++) {
      await sleep(50);
      start.activity();
    }
    assert.equal(begun, 0);
    await waitFor('the start after the pause', () => begun === 1);
    start.now();
    start.served();
    await sleep(200);
    assert.equal(begun, 1, 'once');
    start.cancel();
  });

  it('a window that never stops asking postpones it a few pauses at most, not to the fallback', async () => {
    let begun = 0;
    const start = new SyncStart(() => begun++, { fallbackMs: 60_000, idleMs: 100 });
    start.defer();
    start.served();
    const poll = setInterval(() => start.activity(), 20);
    try {
      await waitFor('the start while requests keep coming', () => begun === 1);
    } finally {
      clearInterval(poll);
      start.cancel();
    }
  });

  it('at the latest after the fallback, and at once when asked', async () => {
    let begun = 0;
    const late = new SyncStart(() => begun++, { fallbackMs: 100, idleMs: 10_000 });
    late.defer();
    await waitFor('the fallback', () => begun === 1);
    const eager = new SyncStart(() => begun++, { fallbackMs: 60_000, idleMs: 60_000 });
    eager.defer();
    eager.now();
    assert.equal(begun, 2);
    assert.equal(eager.started, true);
  });
});
