import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer } from '../../server/app';
import type { Logger } from '../../server/logger';
import { startServer } from '../helpers/server';

/** A logger that keeps what the server said at start. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(message), warn: (message) => lines.push(message), error: (message) => lines.push(message) };
}

const HOW_TO = /no users yet[\s\S]*npm run admin -- user:create --email you@example\.com --name "Your Name" --role admin[\s\S]*SWITCHBOARD_ADMIN_EMAIL/;

// Starts that must find the previous start's data name the SQLite file: the CLI and the restarts
// here are about one data dir. The rest runs on the backend of the run.
describe('the first admin', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-first-admin-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a server on a database without users says once, at start, how to create the first admin', async () => {
    const logger = recordingLogger();
    const s = await startServer({ demo: false, logger });
    try {
      assert.equal(logger.lines.filter((line) => HOW_TO.test(line)).length, 1, logger.lines.join('\n'));
      await s.request('GET', '/api/v1/auth/me');
      assert.equal(logger.lines.filter((line) => HOW_TO.test(line)).length, 1, 'requests do not repeat it');
      assert.equal(await s.server.store.testing.count('users'), 0);
    } finally {
      await s.close();
    }
  });

  it('the environment creates an active admin on an empty database, and a later start with other values changes nothing', async () => {
    const logger = recordingLogger();
    const first = await startServer({ demo: false, dataDir, databaseFile: join(dataDir, 'switchboard.sqlite'), logger, firstAdmin: { email: 'boss@example.com', password: 'correct horse battery' } });
    try {
      assert.ok(logger.lines.some((line) => line.includes('created the first admin, boss@example.com')), logger.lines.join('\n'));
      assert.ok(!logger.lines.some((line) => HOW_TO.test(line)));
      const token = await first.login('boss@example.com', 'correct horse battery');
      const me = await first.request<{ data: { roles: string[]; email: string } }>('GET', '/api/v1/auth/me', { token });
      assert.deepEqual([me.body.data.email, me.body.data.roles], ['boss@example.com', ['admin']]);
    } finally {
      await first.stop();
    }

    const again = recordingLogger();
    const second = await startServer({ demo: false, dataDir, databaseFile: join(dataDir, 'switchboard.sqlite'), logger: again, firstAdmin: { email: 'boss@example.com', password: 'another long password' } });
    try {
      assert.equal(await second.server.store.testing.count('users'), 1);
      await second.login('boss@example.com', 'correct horse battery');
      const refused = await second.request('POST', '/api/v1/auth/login', { body: { email: 'boss@example.com', password: 'another long password' } });
      assert.equal(refused.status, 422, 'the password of the existing admin is not reset');
      assert.ok(!again.lines.some((line) => /created the first admin|no users yet/.test(line)), again.lines.join('\n'));
    } finally {
      await second.stop();
    }

    const third = await startServer({ demo: false, dataDir, databaseFile: join(dataDir, 'switchboard.sqlite'), firstAdmin: { email: 'other@example.com', password: 'another long password' } });
    try {
      assert.equal(await third.server.store.testing.count('users'), 1, 'no second admin from other values');
      assert.equal(await third.server.store.users.byEmail('other@example.com'), undefined);
    } finally {
      await third.stop();
    }
  });

  it('refuses to start with a weak first-admin password and says why, creating nobody', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-first-admin-weak-'));
    try {
      for (const [password, reason] of [
        ['short', /at least 8 characters/],
        ['password123', /most common/],
      ] as const) {
        await assert.rejects(createServer({ dataDir: dir, logger: recordingLogger(), firstAdmin: { email: 'boss@example.com', password } }), (error: Error) => {
          assert.match(error.message, /SWITCHBOARD_ADMIN_EMAIL\/SWITCHBOARD_ADMIN_PASSWORD/);
          assert.match(error.message, reason);
          return true;
        });
      }
      const s = await startServer({ demo: false, dataDir: dir, databaseFile: join(dir, 'switchboard.sqlite') });
      try {
        assert.equal(await s.server.store.testing.count('users'), 0);
      } finally {
        await s.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a demo database has users, so nothing is said or created', async () => {
    const logger = recordingLogger();
    const s = await startServer({ demo: true, logger, firstAdmin: { email: 'boss@example.com', password: 'correct horse battery' } });
    try {
      assert.equal(await s.server.store.users.byEmail('boss@example.com'), undefined);
      assert.ok(!logger.lines.some((line) => /created the first admin|no users yet/.test(line)));
    } finally {
      await s.close();
    }
  });
});
