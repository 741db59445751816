import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretStore } from '../../main/engine';
import { restartDelay } from '../../main/electron/engine-process-policy';
import { answerSecret, parseHostToMain, parseMainToHost, remoteSecretStore } from '../../main/electron/host-channel';
import { parseHostArgs } from '../../main/electron/host-args';
import { notificationContent } from '../../main/electron/notification-content';

describe('main ↔ engine process messages', () => {
  it('accept only the known shapes', () => {
    assert.deepEqual(parseMainToHost({ type: 'connect', role: 'renderer' }), { type: 'connect', role: 'renderer' });
    assert.equal(parseMainToHost({ type: 'connect', role: 'admin' }), null);
    assert.equal(parseMainToHost({ type: 'eval', code: 'process.exit()' }), null);
    assert.equal(parseMainToHost('shutdown'), null);
    assert.deepEqual(parseHostToMain({ type: 'secret', id: 1, op: 'set', account: 'a', secret: 's' }), { type: 'secret', id: 1, op: 'set', account: 'a', secret: 's' });
    assert.equal(parseHostToMain({ type: 'secret', id: 1, op: 'set', account: 'a' }), null);
    assert.equal(parseHostToMain({ type: 'secret', id: 1, op: 'dump', account: 'a' }), null);
  });

  it('carry the token store between the processes, and its failures without the secret', async () => {
    const saved = new Map<string, string>();
    const store: SecretStore = {
      get: async (account) => saved.get(account) ?? null,
      set: async (account, secret) => {
        if (account === 'broken') throw new Error('keychain locked');
        saved.set(account, secret);
      },
      delete: async (account) => {
        saved.delete(account);
      },
    };
    const remote = remoteSecretStore((message) => {
      if (message.type !== 'secret') return;
      void answerSecret(store, message).then((reply) => remote.receive(reply));
    });
    await remote.store.set('server|2', '5|secret-token');
    assert.equal(await remote.store.get('server|2'), '5|secret-token');
    await remote.store.delete('server|2');
    assert.equal(await remote.store.get('server|2'), null);
    await assert.rejects(remote.store.set('broken', 'top-secret'), (error: unknown) => error instanceof Error && error.message === 'keychain locked' && !error.message.includes('top-secret'));
  });

  it('reads the engine process command line', () => {
    assert.deepEqual(parseHostArgs(['/electron', 'engine-host.cjs', '--data-dir', '/u/desk', '--sqlite-binding', '/a/b.node']), { dataDir: '/u/desk', sqliteBinding: '/a/b.node' });
    assert.equal(parseHostArgs(['--sqlite-binding', '/a/b.node']), null);
  });

  it('restarts a crashing engine with growing, capped delays', () => {
    assert.deepEqual([0, 1, 2, 3].map(restartDelay), [500, 1000, 2000, 4000]);
    assert.equal(restartDelay(20), 30_000);
  });
});

describe('notification content', () => {
  it('is one short line each, silent unless sound is on', () => {
    const content = notificationContent({ chatId: 4, messageId: 9, title: 'Ada  Visitor', body: `Hello\nthere ${'x'.repeat(300)}`, sound: false });
    assert.equal(content.title, 'Ada Visitor');
    assert.equal(content.silent, true);
    assert.ok(content.body.length <= 200 && content.body.startsWith('Hello there') && content.body.endsWith('…'));
    assert.equal(notificationContent({ chatId: 4, messageId: 9, title: ' ', body: 'Hi', sound: true }).title, 'Switchboard');
    assert.equal(notificationContent({ chatId: 4, messageId: 9, title: 'A', body: 'Hi', sound: true }).silent, false);
  });
});
