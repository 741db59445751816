import { configFromEnv, resolveConfig } from '../config';

/**
 * Where the server started with this environment keeps its data: SWITCHBOARD_DATABASE_URL
 * (PostgreSQL), else SWITCHBOARD_DATABASE, else `switchboard.sqlite` in DATA_DIR (or `dataDir`).
 * The tools open the store exactly where the server would.
 */
export function storeLocation(env: NodeJS.ProcessEnv, dataDir?: string): { databaseUrl?: string; databaseFile: string } {
  const config = resolveConfig({ ...configFromEnv(env), ...(dataDir ? { dataDir } : {}) });
  return { databaseUrl: config.databaseUrl, databaseFile: config.databaseFile };
}
