import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;
type Statement<P extends unknown[], R> = BetterSqlite3.Statement<P, R>;
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';


/** Opens (creating if needed) the server database and brings its schema up to date. */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
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
 * what the SQL selects; like every row type it is checked by the store's tests, not the compiler.
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

/**
 * `unicode_fold(text)`: lower case for every script. SQLite's own lower() and LIKE fold ASCII only,
 * and names, messages and templates here are Cyrillic and Polish too.
 */
export const UNICODE_FOLD = 'unicode_fold';

export function registerFunctions(db: Database): void {
  db.function(UNICODE_FOLD, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
}

/** A `LIKE … ESCAPE '\\'` pattern matching `text` anywhere, case-folded; `%` and `_` in it are literal. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
