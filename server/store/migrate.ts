import { runMigrations, type Database, type Migration } from '../../node/sqlite';
import { migration001 } from './migrations/001-core';
import { migration002 } from './migrations/002-message-search';

export { schemaVersion, type Migration } from '../../node/sqlite';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002];

/** Brings the server schema to `target` (default: the newest); see `runMigrations`. */
export function migrate(db: Database, target = MIGRATIONS.length, migrations: readonly Migration[] = MIGRATIONS): number {
  return runMigrations(db, migrations, target, { database: 'the server database', program: 'server' });
}
