import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BridgeError } from '../../common/bridge';
import { FileSecretStore } from '../../main/engine';
import type { EngineLogger } from '../../main/engine/logger';
import { accountPaths } from '../../main/engine/paths';
import { startServer, type TestServer } from '../helpers/server';
import { openDesk, waitFor } from './helpers';

function recordingLogger(lines: string[]): EngineLogger {
  return {
    info: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    error: (message, error) => lines.push(`${message} ${error instanceof Error ? error.message : String(error ?? '')}`),
  };
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('desk engine: session', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('refuses a wrong password with the server reason on the email field, and stays signed out', async () => {
    const desk = openDesk();
    try {
      const error = await desk.client.invoke('session.login', { serverUrl: server.url, email: 'mod@example.com', password: 'nope' }).catch((e: unknown) => e);
      assert.ok(error instanceof BridgeError);
      assert.equal(error.code, 'validation');
      assert.deepEqual(error.fields?.email, ['These credentials do not match our records.']);
      assert.equal((await desk.client.invoke('session.get', {})).session, null);
      assert.deepEqual((await desk.client.invoke('desk.status', {})).connection, { kind: 'signed-out' });
    } finally {
      await desk.destroy();
    }
  });

  it('says so when the server address does not answer, or is not a Switchboard server', async () => {
    const desk = openDesk();
    try {
      const offline = await desk.client.invoke('session.login', { serverUrl: 'http://127.0.0.1:9', email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
      assert.ok(offline instanceof BridgeError);
      assert.equal(offline.code, 'offline');
      const empty = await desk.client.invoke('session.login', { serverUrl: ' ', email: '', password: '' }).catch((e: unknown) => e);
      assert.ok(empty instanceof BridgeError);
      assert.deepEqual(Object.keys(empty.fields ?? {}).sort(), ['email', 'password', 'serverUrl']);
    } finally {
      await desk.destroy();
    }
  });

  it('keeps the token only in the secret store (0600), never in the cache or the logs, and restores the session offline', async () => {
    const lines: string[] = [];
    const desk = openDesk({ logger: recordingLogger(lines) });
    const { session } = await desk.client.invoke('session.login', { serverUrl: server.url, email: 'mod@example.com', password: 'password' });
    assert.equal(session.user.email, 'mod@example.com');
    assert.equal(session.serverName, 'Switchboard');
    await desk.engine.settled();
    assert.deepEqual(desk.eventsOf('session.changed').map((event) => event.reason), ['login']);

    const key = accountPaths(desk.dataDir, server.url, session.user.id).key;
    const token = await new FileSecretStore(join(desk.dataDir, 'secrets')).get(key);
    assert.ok(token && /^\d+\|/.test(token));
    const secretFiles = filesUnder(join(desk.dataDir, 'secrets'));
    assert.equal(secretFiles.length, 1);
    assert.equal(statSync(secretFiles[0] ?? '').mode & 0o777, 0o600);
    assert.equal(statSync(join(desk.dataDir, 'secrets')).mode & 0o777, 0o700);
    const secret = token.split('|')[1] ?? '';
    await desk.close();
    for (const file of filesUnder(desk.dataDir).filter((path) => !path.includes('secrets'))) {
      assert.ok(!readFileSync(file).includes(secret), `${file} holds the token`);
    }
    assert.ok(!lines.join('\n').includes(secret));

    // A new engine over the same data dir is signed in at once, with the server down.
    await server.stop();
    const again = openDesk({ dataDir: desk.dataDir });
    try {
      await again.engine.ready;
      assert.equal((await again.client.invoke('session.get', {})).session?.user.id, session.user.id);
      assert.deepEqual(again.eventsOf('session.changed').map((event) => event.reason), ['restored']);
      const list = await again.client.invoke('chats.list', { tab: 'all' });
      assert.ok(list.rows.length > 0);
      await waitFor('offline state', async () => (await again.client.invoke('desk.status', {})).connection.kind === 'offline');
    } finally {
      await again.close();
      await server.restart();
    }
    await openDesk({ dataDir: desk.dataDir }).destroy();
  });

  it('logs out: revokes the token on the server, forgets it here, and the next start is signed out', async () => {
    const desk = openDesk();
    const { session } = await desk.client.invoke('session.login', { serverUrl: server.url, email: 'admin@example.com', password: 'password' });
    const key = accountPaths(desk.dataDir, server.url, session.user.id).key;
    const store = new FileSecretStore(join(desk.dataDir, 'secrets'));
    const token = await store.get(key);
    assert.ok(token);
    await desk.client.invoke('session.logout', {});
    assert.equal(await store.get(key), null);
    assert.equal((await server.request('GET', '/api/v1/auth/me', { token })).status, 401);
    assert.equal((await desk.client.invoke('session.get', {})).session, null);
    const refused = await desk.client.invoke('chats.list', { tab: 'all' }).catch((e: unknown) => e);
    assert.ok(refused instanceof BridgeError && refused.code === 'not_signed_in');
    await desk.close();
    const again = openDesk({ dataDir: desk.dataDir });
    await again.engine.ready;
    assert.equal((await again.client.invoke('session.get', {})).session, null);
    await again.destroy();
  });

  it('ends the session when the server revokes the token, keeping the cache', async () => {
    const desk = openDesk();
    try {
      const { session } = await desk.client.invoke('session.login', { serverUrl: server.url, email: 'mod@example.com', password: 'password' });
      await desk.engine.settled();
      const token = await new FileSecretStore(join(desk.dataDir, 'secrets')).get(accountPaths(desk.dataDir, server.url, session.user.id).key);
      await server.request('POST', '/api/v1/auth/logout', { token: token ?? '' });
      // Any request now meets a 401: opening a chat refreshes it.
      const { rows } = await desk.client.invoke('chats.list', { tab: 'all' });
      await desk.client.invoke('chat.open', { chatId: rows[0]?.id ?? 1 });
      await waitFor('session expired', () => desk.eventsOf('session.changed').some((event) => event.reason === 'expired'));
      assert.equal((await desk.client.invoke('session.get', {})).session, null);
    } finally {
      await desk.destroy();
    }
  });

  it('keeps preferences across restarts and falls back to defaults for nonsense', async () => {
    const desk = openDesk();
    const set = await desk.client.invoke('preferences.set', { notify: 'all', sound: false, theme: 'dark', language: 'pl' });
    assert.deepEqual(set.preferences, { notify: 'all', sound: false, theme: 'dark', language: 'pl' });
    assert.deepEqual(desk.eventsOf('preferences.changed').at(-1), set.preferences);
    await desk.close();
    const again = openDesk({ dataDir: desk.dataDir });
    assert.deepEqual((await again.client.invoke('preferences.get', {})).preferences, set.preferences);
    // A renderer bug sending an unknown theme is refused and does not corrupt the stored preferences.
    await assert.rejects(
      // @ts-expect-error -- the wrong shape on purpose
      again.client.invoke('preferences.set', { theme: 'neon' }),
      (error: unknown) => error instanceof BridgeError && error.code === 'validation' && error.fields?.theme !== undefined,
    );
    assert.equal((await again.client.invoke('preferences.get', {})).preferences.theme, 'dark');
    await again.destroy();
  });
});
