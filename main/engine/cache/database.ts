import { foldForSearch } from '../../../common/text-search';
import { openSqlite, type Database } from '../../../node/sqlite';
import { migrate } from './migrate';

/** `fold(text)` in the cache's SQL: lower case for every script, as searches fold it. */
export const FOLD_FUNCTION = 'fold';

/** WAL pages between automatic checkpoints (32 MB of 4 KB pages). */
const WAL_CHECKPOINT_PAGES = 8192;

export { sql, type Database } from '../../../node/sqlite';

/** Opens (creating if needed) one account's cache and brings its schema up to date. */
export function openCacheDatabase(file: string): Database {
  // WAL + NORMAL (openSqlite): if an OS crash drops the last commits, the outbox re-sends them safely.
  const db = openSqlite(file);
  // A first sync writes a few thousand pages a second: checkpointing every thousand (SQLite's
  // default) copied them into the database file again while the sync ran. A bigger WAL is checkpointed
  // less often, and is cut back to the limit after each checkpoint.
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_CHECKPOINT_PAGES * 4096}`);
  db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldForSearch(value) : value));
  migrate(db);
  return db;
}

export type Binding = string | number | null;

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
