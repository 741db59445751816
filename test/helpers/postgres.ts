// Throwaway PostgreSQL clusters for the suites' postgres backend. scripts/run-tests.ts starts one
// cluster per run and hands its admin URL to the test processes (SWITCHBOARD_TEST_POSTGRES_URL); each
// suite then takes its own database from it, so parallel test files never see each other's rows.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';

/** The cluster's admin URL, set by scripts/run-tests.ts for the postgres run. */
export const POSTGRES_URL_ENV = 'SWITCHBOARD_TEST_POSTGRES_URL';
/** `sqlite` or `postgres`: which store the suites in this process run against. */
export const BACKEND_ENV = 'SWITCHBOARD_TEST_BACKEND';

export type TestBackend = 'sqlite' | 'postgres';

export interface PostgresCluster {
  /** Superuser URL (trust auth, no password) of the cluster's `postgres` database. */
  adminUrl: string;
  port: number;
  /** Stops the server and deletes its files; safe to call more than once. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  /** Drops the database, closing any connection still open on it; safe to call more than once. */
  drop(): Promise<void>;
}

// Debian installs each major version side by side here (postgresql-15, -16, …), none on PATH.
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
// --locale-provider=icu / --icu-locale (below) exist from PostgreSQL 15 on.
const MIN_MAJOR = 15;
const START_ATTEMPTS = 3;

/** The backend the suites in this process run against, from SWITCHBOARD_TEST_BACKEND (default sqlite). */
export function testBackend(env: NodeJS.ProcessEnv = process.env): TestBackend {
  const value = env[BACKEND_ENV] || 'sqlite';
  if (value === 'sqlite') return 'sqlite';
  if (value === 'postgres') {
    // Failing here, rather than falling back to SQLite, keeps a misconfigured run from passing
    // while testing nothing on PostgreSQL.
    if (!env[POSTGRES_URL_ENV]) {
      throw new Error(
        `${BACKEND_ENV}=postgres needs ${POSTGRES_URL_ENV} (a superuser URL); ` +
          'run the suites through `npm run test:unit -- --backend postgres`, which starts a cluster and sets it',
      );
    }
    return 'postgres';
  }
  throw new Error(`${BACKEND_ENV} must be "sqlite" or "postgres", not ${JSON.stringify(value)}`);
}

/**
 * Starts a private cluster in a fresh temp dir, listening on 127.0.0.1 and a free port only, with
 * trust auth for the `postgres` superuser.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  // initdb and postgres refuse to run as root; as root the cluster belongs to Debian's `postgres`
  // user, otherwise to whoever runs the tests.
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  try {
    if (asRoot) await run('chown', ['postgres', dir]);
    // ICU's root locale ("und") gives the same case folding for every script (Polish, Cyrillic)
    // whatever libc locales the machine has, so lower()/ILIKE behave alike on every machine.
    // Checked on PostgreSQL 15 here: the ICU provider works, so no libc-only fallback is needed.
    // --locale=C.UTF-8 still sets LC_CTYPE/LC_COLLATE, which initdb requires even with ICU.
    await runPostgres(asRoot, join(bin, 'initdb'), [
      '-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8',
      '--locale-provider=icu', '--icu-locale=und', '--locale=C.UTF-8',
    ]);

    // Another process may take the port between freePort() closing it and postgres binding it, so
    // a bind failure is retried on a new port.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        // The Unix socket goes in the cluster's own dir, not /var/run/postgresql (root-owned, and
        // where a system cluster may already have a socket for 5432).
        `-k ${shellQuote(dir)}`,
        // The cluster is deleted after the run, so durability buys nothing: without fsync and the
        // full-page writes, CREATE/DROP DATABASE and commits cost no disk flushes.
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        // Two test files at a time, each with servers holding connection pools.
        '-c max_connections=300',
      ].join(' ');
      try {
        await runPostgres(asRoot, join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
      } catch (error) {
        const logText = readLog(log);
        if (attempt < START_ATTEMPTS && /could not bind|address already in use/i.test(logText)) continue;
        throw new Error(`PostgreSQL did not start: ${errorMessage(error)}\n${logText}`, { cause: error });
      }
      return clusterHandle(asRoot, bin, dir, data, port);
    }
  } catch (error) {
    // pg_ctl may have failed (a timeout, a Ctrl+C) after the server came up: stop it before its
    // files go.
    await stopServer(asRoot, bin, data).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Creates an empty database `sb_<random hex>` on the cluster behind `adminUrl`. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `sb_${randomBytes(8).toString('hex')}`;
  // FILE_COPY copies template1's files instead of WAL-logging every block (PostgreSQL 15's
  // default); its checkpoints are cheap with fsync off. Measured here: ~20 ms against ~45 ms on an
  // idle disk, and never slower when the disk is busy.
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)} STRATEGY FILE_COPY`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | null = null;
  return {
    url: url.toString(),
    drop() {
      // FORCE (PostgreSQL 13+) ends sessions still connected, e.g. a pool a failed test never closed.
      dropped ??= withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
      return dropped;
    },
  };
}

function clusterHandle(asRoot: boolean, bin: string, dir: string, data: string, port: number): PostgresCluster {
  let stopped: Promise<void> | null = null;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      // The dir goes even if the server would not stop: a postmaster whose lock file disappears
      // shuts itself down within a minute.
      stopped ??= stopServer(asRoot, bin, data).finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

/** Stops the server of `data` if one runs there (a fast shutdown: open sessions are ended). */
async function stopServer(asRoot: boolean, bin: string, data: string): Promise<void> {
  if (!existsSync(join(data, 'postmaster.pid'))) return;
  const pgCtl = join(bin, 'pg_ctl');
  try {
    await runPostgres(asRoot, pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
  } catch (error) {
    // Gone meanwhile: fine. Still running: shut it down without a checkpoint, so no postgres
    // process outlives the run on a deleted dir.
    if (!existsSync(join(data, 'postmaster.pid'))) return;
    try {
      await runPostgres(asRoot, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch (immediateError) {
      throw new Error(`could not stop PostgreSQL in ${data}: ${errorMessage(error)}`, { cause: immediateError });
    }
  }
}

function postgresBinDir(): string {
  const majors = existsSync(DEBIAN_POSTGRES_ROOT)
    ? readdirSync(DEBIAN_POSTGRES_ROOT)
        .map(Number)
        .filter((major) => Number.isInteger(major) && major >= MIN_MAJOR)
        .sort((a, b) => b - a)
    : [];
  for (const major of majors) {
    const bin = join(DEBIAN_POSTGRES_ROOT, String(major), 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    `PostgreSQL ${MIN_MAJOR}+ server binaries (initdb, pg_ctl) not found in ${DEBIAN_POSTGRES_ROOT}/<version>/bin; ` +
      'install them with `apt-get install -y postgresql`',
  );
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function runPostgres(asRoot: boolean, file: string, args: string[]): Promise<string> {
  return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${stderr.trim() || stdout.trim() || error.message}`, { cause: error }));
      else resolve(stdout);
    });
  });
}


async function withClient(connectionString: string, use: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** pg_ctl passes -o through /bin/sh, so paths in it are quoted for the shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
