import { runMigrations, type Database, type Migration } from '../../../node/sqlite';
import { migration001 } from './migrations/001-chats-messages';
import { migration002 } from './migrations/002-outbox';
import { migration003 } from './migrations/003-catalog-files';
import { migration004 } from './migrations/004-hidden-messages';
import { migration005 } from './migrations/005-chat-contact';
import { migration006 } from './migrations/006-message-search';
import { migration007 } from './migrations/007-search-backlog';

export { schemaVersion, type Migration } from '../../../node/sqlite';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];

/** Brings the cache schema to `target` (default: the newest); see `runMigrations`. */
export function migrate(db: Database, target = MIGRATIONS.length, migrations: readonly Migration[] = MIGRATIONS): number {
  return runMigrations(db, migrations, target, { database: 'the desk cache', program: 'desk' });
}
