import type { Store } from './contract';
import { openPostgresStore } from './postgres/backend';
import { openSqliteStore } from './sqlite/backend';
import type { QueryObserver } from './timed-executor';

export type * from './contract';
export type { QueryObserver } from './timed-executor';

/** `databaseUrl` (postgres://…) chooses PostgreSQL; otherwise the SQLite file. `onQuery` times every statement. */
export async function openStore(options: { databaseUrl?: string; databaseFile: string }, onQuery?: QueryObserver): Promise<Store> {
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) throw new Error('SWITCHBOARD_DATABASE_URL must be a postgres:// URL');
    return openPostgresStore(options.databaseUrl, { onQuery });
  }
  return openSqliteStore(options.databaseFile, onQuery);
}
