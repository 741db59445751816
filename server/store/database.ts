import { foldForSearch } from '../../common/text-search';
import { openSqlite, type Database } from '../../node/sqlite';
import { SQLITE_FOLD_FUNCTION } from './executor';
import { migrate } from './migrate';

export { type Database } from '../../node/sqlite';

/** Opens (creating if needed) a SQLite server database and brings its schema up to date. */
export function openDatabase(file: string): Database {
  const db = openSqlite(file);
  registerFunctions(db);
  migrate(db);
  return db;
}

/**
 * `unicode_fold(text)`: lower case for every script. SQLite's own lower() and LIKE fold ASCII only,
 * and names, messages and templates here are Cyrillic and Polish too.
 */
export function registerFunctions(db: Database): void {
  db.function(SQLITE_FOLD_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldForSearch(value) : value));
}
