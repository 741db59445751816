import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';

export type Database = BetterSqlite3.Database;
type Statement<P extends unknown[], R> = BetterSqlite3.Statement<P, R>;

/** Opens (creating if needed) one account's cache and brings its schema up to date. */
export function openCacheDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  // WAL + NORMAL: a committed transaction survives a crash of the process (SIGKILL included);
  // only an OS crash or power loss can drop the last commits, which the outbox then re-sends safely.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

const statementCache = new WeakMap<Database, Map<string, Statement<unknown[], unknown>>>();

/**
 * A prepared statement, prepared once per database and SQL text. `Row` is a claim about
 * what the SQL selects; the cache's tests check it, not the compiler.
 */
export function sql<Params extends unknown[] = unknown[], Row = unknown>(db: Database, text: string): Statement<Params, Row> {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.prepare<unknown[], unknown>(text);
    cache.set(text, statement);
  }
  return statement as unknown as Statement<Params, Row>;
}

export type Binding = string | number | null;

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
