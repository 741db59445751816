import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { runScript } from './run-script';

/** `npm run admin -- …` on the test's data dir, or on the PostgreSQL database a test server uses. */
function admin(dataDir: string, args: string[], stdin?: string, databaseUrl?: string) {
  return runScript('scripts/admin.ts', [...args, '--data-dir', dataDir], { stdin, env: databaseUrl ? { SWITCHBOARD_DATABASE_URL: databaseUrl } : {} });
}

/** A server on the SQLite file of `dataDir`, where the CLI wrote (whatever backend the run tests). */
function serverOn(dataDir: string) {
  return startServer({ demo: false, dataDir, databaseFile: join(dataDir, 'switchboard.sqlite') });
}

async function loginStatus(s: TestServer, email: string, password: string): Promise<number> {
  return (await s.request('POST', '/api/v1/auth/login', { body: { email, password, device_name: 'test' } })).status;
}

describe('npm run admin (a fresh database)', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-admin-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the first admin with the password from stdin, who then signs in over HTTP', async () => {
    const run = await admin(dataDir, ['user:create', '--email', 'boss@example.com', '--name', 'The Boss', '--role', 'admin'], 'a long secret phrase\n');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /created admin boss@example\.com \(user \d+\)/);
    assert.ok(!run.stdout.includes('a long secret phrase'));

    const s = await serverOn(dataDir);
    try {
      const token = await s.login('boss@example.com', 'a long secret phrase');
      const me = await s.request<{ data: { name: string; roles: string[] } }>('GET', '/api/v1/auth/me', { token });
      assert.deepEqual([me.body.data.name, me.body.data.roles], ['The Boss', ['admin']]);
    } finally {
      await s.stop();
    }
  });

  it('refuses weak passwords, a taken e-mail, a bad role or a missing option with a sentence and an exit code, creating nobody', async () => {
    const cases: [string[], string, number, RegExp][] = [
      [['user:create', '--email', 'a@example.com', '--name', 'A', '--role', 'admin'], 'short\n', 1, /at least 8 characters/],
      [['user:create', '--email', 'a@example.com', '--name', 'A', '--role', 'admin'], 'Password123\n', 1, /most common/],
      [['user:create', '--email', 'a@example.com', '--name', 'A', '--role', 'admin'], '', 1, /at least 8 characters/],
      [['user:create', '--email', 'BOSS@example.com', '--name', 'A', '--role', 'admin'], 'a long secret phrase\n', 1, /already exists/],
      [['user:create', '--email', 'a@example.com', '--name', 'A', '--role', 'root'], 'a long secret phrase\n', 1, /role must be one of admin, moderator, employee/],
      [['user:create', '--email', 'not-an-email', '--name', 'A', '--role', 'admin'], 'a long secret phrase\n', 1, /not an e-mail address/],
      [['user:create', '--email', 'a@example.com', '--name', 'A', '--role', 'moderator', '--source', '99'], 'a long secret phrase\n', 1, /no source 99/],
      [['user:create', '--email', 'a@example.com', '--role', 'admin'], 'a long secret phrase\n', 2, /--name is required/],
      [['user:create', '--email', 'a@example.com', '--name', 'A', '--role', 'admin', '--password', 'x'], '', 2, /Unknown option '--password'/],
      [['user:rename', '--email', 'a@example.com'], '', 2, /unknown command "user:rename"/],
      [[], '', 2, /Usage: npm run admin -- <command>/],
    ];
    for (const [args, stdin, code, message] of cases) {
      const run = await admin(dataDir, args, stdin);
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
    const s = await serverOn(dataDir);
    try {
      assert.equal(await s.server.store.testing.count('users'), 1, 'only the admin of the first test');
    } finally {
      await s.stop();
    }
  });

  it('a server started with SWITCHBOARD_ADMIN_* (read from the environment) creates the admin the CLI then manages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-admin-env-'));
    try {
      const started = await runScript('server/cli.ts', ['--port', '0', '--data-dir', dir], {
        env: { SWITCHBOARD_ADMIN_EMAIL: 'env@example.com', SWITCHBOARD_ADMIN_PASSWORD: 'from the environment' },
        stopAfter: /listening on/,
      });
      assert.equal(started.code, 0, started.stderr);
      assert.match(started.stdout, /created the first admin, env@example\.com/);
      const token = await admin(dir, ['token:create', '--email', 'env@example.com', '--name', 'ci']);
      assert.equal(token.code, 0, token.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unusable database URL is a clear error', async () => {
    const run = await runScript('scripts/admin.ts', ['user:deactivate', '--email', 'a@example.com'], { env: { SWITCHBOARD_DATABASE_URL: 'mysql://db/x' } });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /SWITCHBOARD_DATABASE_URL must be a postgres:\/\/ URL/);
  });
});

describe('npm run admin (beside a running server, on its database: SQLite or PostgreSQL)', () => {
  let s: TestServer;
  let cli: (args: string[], stdin?: string) => ReturnType<typeof admin>;
  before(async () => {
    s = await startServer({ loginPerMinute: 100 });
    cli = (args, stdin) => admin(s.dataDir, args, stdin, s.server.config.databaseUrl);
  });
  after(() => s.close());

  it('creates a moderator of the sources named', async () => {
    const run = await cli(['user:create', '--email', 'new.mod@example.com', '--name', 'New Mod', '--role', 'moderator', '--source', '1', '--source', '3'], 'moderate wisely\n');
    assert.equal(run.code, 0, run.stderr);
    const token = await s.login('new.mod@example.com', 'moderate wisely');
    const me = await s.request<{ data: { roles: string[]; source_ids: number[] } }>('GET', '/api/v1/auth/me', { token });
    assert.deepEqual([me.body.data.roles, me.body.data.source_ids], [['moderator'], [1, 3]]);
  });

  it('sets a new password: the old one stops working and so do the logins made with it', async () => {
    const session = await s.login('mod2@example.com', 'password');
    const run = await cli(['user:password', '--email', 'mod2@example.com'], 'a brand new password\n');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await loginStatus(s, 'mod2@example.com', 'password'), 422);
    assert.equal(await loginStatus(s, 'mod2@example.com', 'a brand new password'), 200);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: session })).status, 401);

    const weak = await cli(['user:password', '--email', 'mod2@example.com'], '1234567\n');
    assert.equal(weak.code, 1);
    assert.equal(await loginStatus(s, 'mod2@example.com', 'a brand new password'), 200, 'a refused password changes nothing');
    const unknown = await cli(['user:password', '--email', 'nobody@example.com'], 'a brand new password\n');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user with the e-mail nobody@example\.com/);
  });

  it('prints a personal token once that works on v1 and as the CRM api_token; deactivating revokes it and every login', async () => {
    const created = await cli(['token:create', '--email', 'mod@example.com', '--name', 'CRM']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /shown only now/);
    const token = created.stdout.trim();
    assert.match(token, /^\d+\|\w{48}$/);
    const session = await s.login('mod@example.com', 'password');
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 200);
    assert.equal((await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(token)}`)).status, 200);
    const listed = await s.request<{ data: { name: string }[] }>('GET', '/api/v1/tokens', { token: session });
    assert.deepEqual(listed.body.data.map((row) => row.name), ['CRM']);

    const run = await cli(['user:deactivate', '--email', 'mod@example.com']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /deactivated mod@example\.com; \d+ token\(s\) revoked/);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token })).status, 401);
    assert.equal((await s.request('GET', `/chat/spaces.json?api_token=${encodeURIComponent(token)}`)).status, 401);
    assert.equal((await s.request('GET', '/api/v1/auth/me', { token: session })).status, 401);
    assert.equal(await loginStatus(s, 'mod@example.com', 'password'), 422);
    const user = await s.server.store.users.byId(2);
    assert.equal(await s.server.store.tokens.idsOf(2).then((ids) => ids.length), 0, 'no token is left to come back on reactivation');
    assert.equal(user?.is_active, false);

    const refused = await cli(['token:create', '--email', 'mod@example.com', '--name', 'again']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is deactivated/);
  });
});
