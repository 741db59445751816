import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { runScript } from './run-script';

describe('GET /up', () => {
  it('answers 200 {"status":"ok"} while the database answers, without a token', async () => {
    const s = await startServer();
    try {
      const up = await s.request('GET', '/up');
      assert.deepEqual([up.status, up.body], [200, { status: 'ok' }]);
      assert.equal(up.headers.get('cache-control'), 'no-store');
    } finally {
      await s.close();
    }
  });

  it('answers 503 once the database does not', async () => {
    const s = await startServer();
    try {
      await s.server.store.close();
      const down = await s.request('GET', '/up');
      assert.deepEqual([down.status, down.body], [503, { status: 'unavailable' }]);
    } finally {
      await s.close();
    }
  });
});

describe('npm run backup', () => {
  let dir: string;
  let s: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-backup-'));
    // The SQLite file is what this command copies (PostgreSQL has pg_dump), whatever backend the run tests.
    s = await startServer({ dataDir: join(dir, 'data'), databaseFile: join(dir, 'data', 'switchboard.sqlite') });
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies a running server's database to the file, with what was just written in it", async () => {
    const token = await s.login('mod@example.com');
    const created = await s.request('POST', '/api/v1/tokens', { token, body: { name: 'written just before the backup' } });
    assert.equal(created.status, 201);
    const file = join(dir, 'copy.sqlite');
    const run = await runScript('scripts/backup.ts', [file, '--data-dir', join(dir, 'data')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /backed up .*switchboard\.sqlite to .*copy\.sqlite/);
    const copy = new BetterSqlite3(file, { readonly: true });
    try {
      const names = copy.prepare<[], { name: string }>("SELECT name FROM access_tokens WHERE kind = 'personal'").all().map((row) => row.name);
      assert.deepEqual(names, ['written just before the backup']);
      assert.equal(copy.prepare<[], { email: string }>('SELECT email FROM users WHERE id = 2').get()?.email, 'mod@example.com');
    } finally {
      copy.close();
    }
    assert.equal((await s.request('GET', '/up')).status, 200, 'the server kept running');
  });

  it('never overwrites a file, needs a file name, and points PostgreSQL users to pg_dump', async () => {
    const existing = join(dir, 'existing.sqlite');
    writeFileSync(existing, 'an older backup');
    const refused = await runScript('scripts/backup.ts', [existing, '--data-dir', join(dir, 'data')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /exists already/);

    const usage = await runScript('scripts/backup.ts', ['--data-dir', join(dir, 'data')]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Usage: npm run backup -- <file>/);

    const postgres = await runScript('scripts/backup.ts', [join(dir, 'pg.sqlite')], { env: { SWITCHBOARD_DATABASE_URL: 'postgres://127.0.0.1:1/none' } });
    assert.equal(postgres.code, 1);
    assert.match(postgres.stderr, /pg_dump/);

    const missing = await runScript('scripts/backup.ts', [join(dir, 'none.sqlite'), '--data-dir', join(dir, 'nothing-here')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /There is no database at/);
  });
});
