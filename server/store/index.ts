import type { Store } from './contract';
import { openPostgresStore } from './postgres/backend';
import { openSqliteStore } from './sqlite/backend';

export type * from './contract';

/** `databaseUrl` (postgres://…) chooses PostgreSQL; otherwise the SQLite file. */
export async function openStore(options: { databaseUrl?: string; databaseFile: string }): Promise<Store> {
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) throw new Error('SWITCHBOARD_DATABASE_URL must be a postgres:// URL');
    return openPostgresStore(options.databaseUrl);
  }
  return openSqliteStore(options.databaseFile);
}
