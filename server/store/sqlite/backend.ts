import { sql as statement, sqlValues, type Database } from '../../../node/sqlite';
import type { Store, StoreQueries } from '../contract';
import { openDatabase } from '../database';
import type { Binding, Executor } from '../executor';
import { createQueries } from '../queries';
import { testingQueries } from '../queries/testing';
import { timedExecutor, type QueryObserver } from '../timed-executor';

/**
 * Runs statements on one better-sqlite3 connection. `gate` is the open transaction, if any: one
 * connection has one transaction at a time, and a statement from elsewhere must not land inside it,
 * so everything outside waits for it to end. Statements themselves run synchronously.
 */
class SqliteExecutor implements Executor {
  readonly dialect = 'sqlite';
  gate: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    /** Inside the transaction: its own statements pass the gate. */
    private readonly insideTransaction: boolean,
    private readonly outer?: SqliteExecutor,
  ) {}

  private async ready(): Promise<void> {
    if (this.insideTransaction) return;
    while (this.gate) await this.gate;
  }

  private gated<T>(work: () => T): Promise<T> {
    if (this.insideTransaction || !this.gate) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.ready().then(work);
  }

  all<R>(text: string, params: readonly Binding[] = []): Promise<R[]> {
    return this.gated(() => statement<Binding[], R>(this.db, text).all(...params));
  }

  get<R>(text: string, params: readonly Binding[] = []): Promise<R | undefined> {
    return this.gated(() => statement<Binding[], R>(this.db, text).get(...params));
  }

  values<R extends unknown[]>(text: string, params: readonly Binding[] = []): Promise<R[]> {
    return this.gated(() => sqlValues<Binding[], R>(this.db, text).all(...params));
  }

  run(text: string, params: readonly Binding[] = []): Promise<number> {
    return this.gated(() => statement<Binding[], unknown>(this.db, text).run(...params).changes);
  }

  /** Holds the connection for one transaction; the outer executor's statements wait. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const outer = this.outer;
    if (!outer) throw new Error('transaction on the outer executor');
    while (outer.gate) await outer.gate;
    let open!: () => void;
    outer.gate = new Promise((resolve) => (open = resolve));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      outer.gate = null;
      open();
    }
  }
}

/** The embedded default: one SQLite file (WAL), migrated on open. */
export function openSqliteStore(file: string, onQuery?: QueryObserver): Store {
  const db = openDatabase(file);
  const outer = new SqliteExecutor(db, false);
  const inner = new SqliteExecutor(db, true, outer);
  const queries = createQueries(timedExecutor(outer, onQuery));
  // One transaction at a time on one connection, so one set of transaction queries serves them all.
  const txQueries: StoreQueries = createQueries(timedExecutor(inner, onQuery));
  return {
    ...queries,
    dialect: 'sqlite',
    transaction: (work) => inner.transaction(() => work(txQueries)),
    // One process owns the file; its transactions (BEGIN IMMEDIATE) already serialize writers.
    serialized: (_name, work) => work(),
    async ping() {
      await outer.get('SELECT 1');
    },
    async backup(file) {
      // SQLite's online backup API: pages are copied between statements, so the server keeps answering.
      await db.backup(file);
    },
    testing: testingQueries(outer),
    async close() {
      while (outer.gate) await outer.gate;
      db.close();
    },
  };
}
