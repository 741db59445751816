import { sql, type Database } from './database';

/** Small named values of the account: the session (no token), counters. */
export function metaQueries(db: Database) {
  const get = (key: string): string | undefined => sql<[string], { value: string }>(db, 'SELECT value FROM meta WHERE key = ?').get(key)?.value;
  const set = (key: string, value: string): void => {
    sql(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  };
  return {
    get,
    set,
    delete(key: string): void {
      sql(db, 'DELETE FROM meta WHERE key = ?').run(key);
    },
    /** A new local id for a pending message: negative, never reused. */
    nextLocalId(): number {
      const next = Number(get('next_local_id') ?? '-1');
      set('next_local_id', String(next - 1));
      return next;
    },
  };
}
