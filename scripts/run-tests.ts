// Runs the Node test suites (test/**/*.test.ts) with Node's test runner and tsx, against SQLite, against
// PostgreSQL, or both (the default): `tsx scripts/run-tests.ts [--backend sqlite|postgres|both] [paths...]`,
// e.g. `npm run test:unit -- --backend postgres test/server`. Playwright suites (e2e/) run separately.
//
// The postgres run starts one throwaway cluster (test/helpers/postgres.ts) and gives its admin URL to
// the suites that have a store under them: test/server, test/realtime and test/engine, and runs
// test/postgres (several server nodes on one database), which only that run has. The cluster is
// stopped afterwards whatever happens, Ctrl+C included.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWidgetBuilt } from '../widget/build';
import { BACKEND_ENV, POSTGRES_URL_ENV, startPostgresCluster, type PostgresCluster, type TestBackend } from '../test/helpers/postgres';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const POSTGRES_AREAS = ['test/server', 'test/realtime', 'test/engine', 'test/postgres'].map((area) => join(ROOT, area));
/** Suites about PostgreSQL itself (several nodes on one database): the postgres run only. */
const POSTGRES_ONLY = join(ROOT, 'test/postgres');
const BACKENDS = ['sqlite', 'postgres', 'both'] satisfies (TestBackend | 'both')[];
type BackendChoice = (typeof BACKENDS)[number];
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
// npm and tsx relay a Ctrl+C that the terminal already delivered to us, so a repeat this soon is the
// same Ctrl+C; a later one means the suites ignore it and are killed.
const REPEAT_SIGNAL_MS = 2000;

function parseArgs(argv: string[]): { backend: BackendChoice; roots: string[] } {
  let backend: BackendChoice = 'both';
  const roots: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--backend' || arg.startsWith('--backend=')) {
      const value = arg === '--backend' ? argv[++i] : arg.slice('--backend='.length);
      const choice = BACKENDS.find((name) => name === value);
      if (!choice) throw new Error(`--backend takes ${BACKENDS.join(', ')}; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      backend = choice;
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}; usage: tsx scripts/run-tests.ts [--backend ${BACKENDS.join('|')}] [paths...]`);
    } else {
      roots.push(arg);
    }
  }
  return { backend, roots: roots.length ? roots : ['test'] };
}

function collect(path: string, out: string[]): string[] {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (entry === 'node_modules' || entry === 'e2e') continue;
      collect(join(path, entry), out);
    }
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, resolve(file));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

let child: ChildProcess | null = null;
let interrupted: NodeJS.Signals | null = null;
let interruptedAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  const repeat = interrupted !== null;
  if (repeat && Date.now() - interruptedAt < REPEAT_SIGNAL_MS) return;
  if (!repeat) {
    interrupted = signal;
    interruptedAt = Date.now();
  }
  killTests(repeat ? 'SIGKILL' : signal);
}

// The test runner runs in its own process group (spawn's `detached`), so one kill reaches it and every
// test file's process exactly once, whether the signal came from the terminal or from `kill`.
function killTests(signal: NodeJS.Signals): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has already exited.
  }
}

function runNodeTests(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise) => {
    const started = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
      { stdio: 'inherit', env, detached: true },
    );
    child = started;
    started.once('error', (error) => {
      console.error(`could not start the test runner: ${error.message}`);
      child = null;
      resolvePromise(1);
    });
    started.once('exit', (code, signal) => {
      child = null;
      resolvePromise(code ?? (signal ? 128 + constants.signals[signal] : 1));
    });
  });
}

/** The environment of one backend's run: NODE_ENV=test, the backend, and nothing left over from the shell. */
function testEnv(backend: TestBackend, postgresUrl?: string): NodeJS.ProcessEnv {
  // A SWITCHBOARD_DATABASE_URL from the developer's shell must not point the suites at a real database.
  const { SWITCHBOARD_DATABASE_URL: _database, [POSTGRES_URL_ENV]: _postgres, ...env } = process.env;
  return { ...env, NODE_ENV: 'test', [BACKEND_ENV]: backend, ...(postgresUrl ? { [POSTGRES_URL_ENV]: postgresUrl } : {}) };
}

async function runPostgres(files: string[]): Promise<number> {
  let cluster: PostgresCluster | null = null;
  try {
    const started = Date.now();
    cluster = await startPostgresCluster();
    console.log(`postgres cluster on 127.0.0.1:${cluster.port} (started in ${Date.now() - started} ms)`);
    if (interrupted) return 1;
    return await runNodeTests(files, testEnv('postgres', cluster.adminUrl));
  } catch (error) {
    // A Ctrl+C during initdb or pg_ctl kills them too; that failure is not news.
    if (!interrupted) console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    if (cluster) {
      const stopping = Date.now();
      try {
        await cluster.stop();
        console.log(`postgres cluster stopped (${Date.now() - stopping} ms)`);
      } catch (error) {
        console.error(error instanceof Error ? error.message : error);
      }
    }
  }
}

async function main(): Promise<number> {
  const { backend, roots } = parseArgs(process.argv.slice(2));
  const missing = roots.filter((root) => !existsSync(root));
  if (missing.length) throw new Error(`no such path: ${missing.join(', ')}`);
  const files = roots.flatMap((root) => collect(root, []));
  if (files.length === 0) throw new Error('no test files found');
  const postgresFiles = files.filter((file) => POSTGRES_AREAS.some((area) => isInside(area, file)));

  for (const signal of SIGNALS) process.on(signal, onSignal);
  // Every server a suite starts serves the website widget: build it once here rather than in many processes at once.
  await ensureWidgetBuilt((message) => console.log(message));

  const failed: TestBackend[] = [];
  if (backend !== 'postgres') {
    console.log('== backend: sqlite ==');
    const sqliteFiles = files.filter((file) => !isInside(POSTGRES_ONLY, file));
    if (sqliteFiles.length > 0 && (await runNodeTests(sqliteFiles, testEnv('sqlite'))) !== 0) failed.push('sqlite');
  }
  if (backend !== 'sqlite' && !interrupted) {
    console.log('== backend: postgres ==');
    if (postgresFiles.length === 0) {
      console.log(`no suites under ${POSTGRES_AREAS.map((area) => relative(process.cwd(), area)).join(', ')} in the given paths; nothing to run on postgres`);
      if (backend === 'postgres') failed.push('postgres');
    } else if ((await runPostgres(postgresFiles)) !== 0) {
      failed.push('postgres');
    }
  }

  if (interrupted) return 128 + constants.signals[interrupted];
  if (failed.length) console.error(`tests failed on: ${failed.join(', ')}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
