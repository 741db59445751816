// SQLite plumbing shared by the server's store and the desk's cache: opening with the pragmas both
// rely on, a per-database statement cache, and the numbered-migration runner. No SQL of any domain
// lives here; each side keeps all of its own SQL in its store module.
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Database = BetterSqlite3.Database;
type Statement<P extends unknown[], R> = BetterSqlite3.Statement<P, R>;

/**
 * Opens (creating its folder if needed) a database file. WAL + NORMAL: a committed transaction
 * survives a crash of the process (SIGKILL included); only an OS crash or power loss can drop the
 * last commits.
 */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

type StatementCache = WeakMap<Database, Map<string, Statement<unknown[], unknown>>>;
const statementCache: StatementCache = new WeakMap();
const valuesStatementCache: StatementCache = new WeakMap();

function cachedStatement(caches: StatementCache, db: Database, text: string, prepare: () => Statement<unknown[], unknown>): Statement<unknown[], unknown> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = prepare();
    cache.set(text, statement);
  }
  return statement;
}

/**
 * A prepared statement, prepared once per database and SQL text. `Row` is a claim about
 * what the SQL selects; like every row type it is checked by the store's tests, not the compiler.
 */
export function sql<Params extends unknown[] = unknown[], Row = unknown>(db: Database, text: string): Statement<Params, Row> {
  return cachedStatement(statementCache, db, text, () => db.prepare<unknown[], unknown>(text)) as unknown as Statement<Params, Row>;
}

/**
 * The same, answering each row as an array of its column values in SELECT order. Building an object
 * per row costs more than the query on wide rows read by the thousand (a desk's first sync), so the
 * hot read paths take arrays. Its own cache: `raw` is a mode of the prepared statement.
 */
export function sqlValues<Params extends unknown[] = unknown[], Row extends unknown[] = unknown[]>(db: Database, text: string): Statement<Params, Row> {
  return cachedStatement(valuesStatementCache, db, text, () => db.prepare<unknown[], unknown>(text).raw(true)) as unknown as Statement<Params, Row>;
}

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export function schemaVersion(db: Database): number {
  const version: unknown = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') throw new Error('PRAGMA user_version did not return a number');
  return version;
}

/**
 * Brings the schema to `target`. Each migration runs in its own transaction with the
 * `user_version` bump, so a failure leaves the previous version intact. A database written by a
 * newer release is refused rather than guessed at; `owner` names the two in that error
 * (`{database: 'the desk cache', program: 'desk'}`).
 */
export function runMigrations(
  db: Database,
  migrations: readonly Migration[],
  target: number,
  owner: { database: string; program: string },
): number {
  let current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `${owner.database} has schema version ${current}, newer than this ${owner.program} knows (${migrations.length}); update the ${owner.program}`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    if (migration.version !== current + 1) {
      throw new Error(`migration ${migration.version} (${migration.name}) does not follow version ${current}`);
    }
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    current = migration.version;
  }
  return current;
}
