import type { Database } from 'better-sqlite3';
import { migration001 } from './migrations/001-chats-messages';
import { migration002 } from './migrations/002-outbox';
import { migration003 } from './migrations/003-catalog-files';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003];

/**
 * Brings the cache schema to `target` (default: the newest). Each migration runs in its own
 * transaction with the `user_version` bump, so a failure leaves the previous version intact.
 */
export function migrate(db: Database, target = MIGRATIONS.length, migrations: readonly Migration[] = MIGRATIONS): number {
  let current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(`the desk cache has schema version ${current}, newer than this desk knows (${migrations.length}); update the desk`);
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    if (migration.version !== current + 1) {
      throw new Error(`migration ${migration.version} (${migration.name}) does not follow version ${current}`);
    }
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    current = migration.version;
  }
  return current;
}

export function schemaVersion(db: Database): number {
  const version: unknown = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') throw new Error('PRAGMA user_version did not return a number');
  return version;
}
