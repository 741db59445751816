import { foldForSearch } from '../../../common/text-search';
import { openSqlite, type Database } from '../../../node/sqlite';
import { migrate } from './migrate';

/** `fold(text)` in the cache's SQL: lower case for every script, as searches fold it. */
export const FOLD_FUNCTION = 'fold';

export { sql, type Database } from '../../../node/sqlite';

/** Opens (creating if needed) one account's cache and brings its schema up to date. */
export function openCacheDatabase(file: string): Database {
  // WAL + NORMAL (openSqlite): if an OS crash drops the last commits, the outbox re-sends them safely.
  const db = openSqlite(file);
  db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldForSearch(value) : value));
  migrate(db);
  return db;
}

export type Binding = string | number | null;

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
