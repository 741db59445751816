import type pg from 'pg';
import type { ServerMigration } from '../migrate';

/** Any constant: nodes of one deployment agree on it, so only one of them migrates at a time. */
const MIGRATION_LOCK = 7_310_425_001;

/**
 * Brings a PostgreSQL database to the newest version of the same history SQLite follows. Runs under
 * a session advisory lock, so nodes that boot together apply each step once; each step runs in its
 * own transaction with its row in `schema_migrations`. A database from a newer release is refused.
 */
export async function migratePostgres(client: pg.ClientBase, migrations: readonly ServerMigration[]): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    let current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`the server database has schema version ${current}, newer than this server knows (${migrations.length}); update the server`);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      if (migration.version !== current + 1) throw new Error(`migration ${migration.version} (${migration.name}) does not follow version ${current}`);
      await client.query('BEGIN');
      try {
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      current = migration.version;
    }
    return current;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
