import { openSqlite, type Database } from '../../../node/sqlite';
import { migrate } from './migrate';

export { sql, type Database } from '../../../node/sqlite';

/** Opens (creating if needed) one account's cache and brings its schema up to date. */
export function openCacheDatabase(file: string): Database {
  // WAL + NORMAL (openSqlite): if an OS crash drops the last commits, the outbox re-sends them safely.
  const db = openSqlite(file);
  migrate(db);
  return db;
}

export type Binding = string | number | null;

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
