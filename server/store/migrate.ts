import { runMigrations, type Database, type Migration } from '../../node/sqlite';
import { migration001 } from './migrations/001-core';
import { migration002 } from './migrations/002-message-search';
import { migration003 } from './migrations/003-participants';
import { migration004 } from './migrations/004-chat-contact';
import { migration005 } from './migrations/005-device-sessions';
import { migration006 } from './migrations/006-crm';
import { migration007 } from './migrations/007-visitor-spaces';
import { migration008 } from './migrations/008-personal-tokens';
import { migration009 } from './migrations/009-chat-sync';

export { schemaVersion, type Migration } from '../../node/sqlite';

/**
 * One numbered step of the server's one migration history: `up` on SQLite, `postgres` on
 * PostgreSQL. Both bodies of a step make the same tables, columns, constraints and indexes; only
 * the spelling differs (types, identity columns, the search index).
 */
export interface ServerMigration extends Migration {
  postgres: string;
}

export const MIGRATIONS: readonly ServerMigration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009];

/** Brings a SQLite server database to `target` (default: the newest); see `runMigrations`. */
export function migrate(db: Database, target = MIGRATIONS.length, migrations: readonly Migration[] = MIGRATIONS): number {
  return runMigrations(db, migrations, target, { database: 'the server database', program: 'server' });
}
