import pg from 'pg';
import type { Store } from '../contract';
import type { Binding, Executor } from '../executor';
import { MIGRATIONS } from '../migrate';
import { createQueries } from '../queries';
import { testingQueries } from '../queries/testing';
import { timedExecutor, type QueryObserver } from '../timed-executor';
import { migratePostgres } from './migrate';
import { numberPlaceholders } from './placeholders';

// BIGINT (ids, epoch-ms times, COUNT) as JavaScript numbers: every value here stays far below 2^53.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) satisfies pg.CustomTypesConfig['getTypeParser'],
};

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** Statements are named by their text, so each connection prepares each one once. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `sb${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

class PostgresExecutor implements Executor {
  readonly dialect = 'postgres';

  constructor(private readonly target: Queryable) {}

  private async query<R extends object>(text: string, params: readonly Binding[]): Promise<pg.QueryResult<R>> {
    return this.target.query<R>({ name: statementName(text), text: numberPlaceholders(text), values: [...params] });
  }

  async all<R>(text: string, params: readonly Binding[] = []): Promise<R[]> {
    const result = await this.query<R & object>(text, params);
    return result.rows;
  }

  async get<R>(text: string, params: readonly Binding[] = []): Promise<R | undefined> {
    const result = await this.query<R & object>(text, params);
    return result.rows[0];
  }

  async values<R extends unknown[]>(text: string, params: readonly Binding[] = []): Promise<R[]> {
    const result = await this.target.query<R>({ name: statementName(text), text: numberPlaceholders(text), values: [...params], rowMode: 'array' });
    return result.rows;
  }

  async run(text: string, params: readonly Binding[] = []): Promise<number> {
    const result = await this.query(text, params);
    return result.rowCount ?? 0;
  }
}

export interface PostgresStoreOptions {
  /** Connections per node (default 10). */
  poolSize?: number;
  /** Times every statement (the metrics). */
  onQuery?: QueryObserver;
}

/** PostgreSQL for deployments of several nodes: the same queries, constraints doing what one process did before. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  let closing: Promise<void> | undefined;
  // An idle connection that dies (a database restart) must not take the process with it.
  pool.on('error', () => undefined);
  const client = await pool.connect();
  try {
    await migratePostgres(client, MIGRATIONS);
  } finally {
    client.release();
  }
  const outer = new PostgresExecutor(pool);
  return {
    ...createQueries(timedExecutor(outer, options.onQuery)),
    dialect: 'postgres',
    async transaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        try {
          const result = await work(createQueries(timedExecutor(new PostgresExecutor(connection), options.onQuery)));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK');
          throw error;
        }
      } finally {
        connection.release();
      }
    },
    async serialized(name, work) {
      const connection = await pool.connect();
      try {
        // A session-level advisory lock, keyed by the name's hash, held on its own connection.
        await connection.query('SELECT pg_advisory_lock(hashtext($1))', [`switchboard:${name}`]);
        try {
          return await work();
        } finally {
          await connection.query('SELECT pg_advisory_unlock(hashtext($1))', [`switchboard:${name}`]);
        }
      } finally {
        connection.release();
      }
    },
    async ping() {
      await outer.get('SELECT 1');
    },
    backup() {
      return Promise.reject(new Error('a PostgreSQL database is backed up with pg_dump (for example: pg_dump --format=custom "$SWITCHBOARD_DATABASE_URL" > switchboard.dump)'));
    },
    testing: testingQueries(outer),
    // Once: a second close (a failed start cleaning up, then its caller) finds the pool already ending.
    close: () => (closing ??= pool.end()),
  };
}
