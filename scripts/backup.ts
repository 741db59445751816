// `npm run backup -- <file>`: a consistent copy of the SQLite database while the server keeps
// running (SQLite's online backup). PostgreSQL has its own tool: pg_dump.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { storeLocation } from '../server/admin/store-config';
import { openStore } from '../server/store';

const USAGE = 'Usage: npm run backup -- <file> [--data-dir DIR]   (the database the server uses: DATA_DIR, SWITCHBOARD_DATABASE)';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const location = storeLocation(process.env, values['data-dir']);
  if (location.databaseUrl) {
    console.error('The database is PostgreSQL (SWITCHBOARD_DATABASE_URL): back it up with pg_dump, for example\n  pg_dump --format=custom "$SWITCHBOARD_DATABASE_URL" > switchboard.dump');
    return 1;
  }
  if (!existsSync(location.databaseFile)) {
    console.error(`There is no database at ${location.databaseFile} (set DATA_DIR, SWITCHBOARD_DATABASE or --data-dir).`);
    return 1;
  }
  const target = resolve(file);
  // A backup never replaces a file: an earlier backup may be the only good copy.
  if (existsSync(target)) {
    console.error(`${target} exists already; name a new file.`);
    return 1;
  }
  const store = await openStore(location);
  try {
    await store.backup(target);
  } finally {
    await store.close();
  }
  console.log(`backed up ${location.databaseFile} to ${target}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
