import { openSqlite, type Database } from '../../node/sqlite';
import { migrate } from './migrate';

export { sql, type Database } from '../../node/sqlite';

/** Opens (creating if needed) the server database and brings its schema up to date. */
export function openDatabase(file: string): Database {
  const db = openSqlite(file);
  migrate(db);
  return db;
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
