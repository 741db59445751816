import { foldForSearch } from '../../common/text-search';
import type { Dialect } from './contract';

// The one seam between the SQL in server/store/queries/ and a database driver. Queries are written
// once with `?` placeholders; a backend runs them (the PostgreSQL one numbers the placeholders).

export type Binding = string | number | null;

export interface Executor {
  readonly dialect: Dialect;
  all<R>(text: string, params?: readonly Binding[]): Promise<R[]>;
  get<R>(text: string, params?: readonly Binding[]): Promise<R | undefined>;
  /** Rows as arrays of their column values in SELECT order, for reads of thousands of wide rows (no object per row). */
  values<R extends unknown[]>(text: string, params?: readonly Binding[]): Promise<R[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(text: string, params?: readonly Binding[]): Promise<number>;
}

/** The few places where SQLite's and PostgreSQL's SQL differ, as fragments the queries splice in. */
export interface SqlFragments {
  /** The larger of two values (SQLite's scalar `MAX`, PostgreSQL's `GREATEST`). */
  greatest(a: string, b: string): string;
  /** Lower case in every script, for case-insensitive matching of Cyrillic and Polish as well as ASCII. */
  fold(expression: string): string;
  /** Compares `users.email` to a parameter, ignoring case, with the unique index each side has. */
  emailMatches: string;
  /** A comma-separated list of a subquery's text values (`group_concat` / `string_agg`). */
  listOf(column: string, from: string): string;
  /** Whether message text is matched by a full-text index (SQLite FTS5 trigram) or by LIKE over a trigram index (pg_trgm). */
  messageSearch: 'fts5' | 'like';
  /** A query answering `horizon` for the chat change scans (migration 009 says why each is safe). */
  syncHorizon: string;
}

export const SQLITE_FOLD_FUNCTION = 'unicode_fold';

export function sqlFragments(dialect: Dialect): SqlFragments {
  switch (dialect) {
    case 'sqlite':
      return {
        greatest: (a, b) => `MAX(${a}, ${b})`,
        fold: (expression) => `${SQLITE_FOLD_FUNCTION}(${expression})`,
        emailMatches: 'email = ?',
        listOf: (column, from) => `(SELECT group_concat(${column}, ',') ${from})`,
        messageSearch: 'fts5',
        syncHorizon: 'SELECT value + 1 AS horizon FROM sync_clock WHERE id = 1',
      };
    case 'postgres':
      return {
        greatest: (a, b) => `GREATEST(${a}, ${b})`,
        fold: (expression) => `lower(${expression})`,
        emailMatches: 'lower(email) = lower(?)',
        listOf: (column, from) => `(SELECT string_agg(${column}, ',') ${from})`,
        messageSearch: 'like',
        syncHorizon: 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon',
      };
    default: {
      const unreachable: never = dialect;
      throw new Error(`unknown dialect ${String(unreachable)}`);
    }
  }
}

/** A `LIKE … ESCAPE '\'` pattern matching `text` anywhere, case-folded; `%` and `_` in it are literal. */
export function containsPattern(text: string): string {
  return `%${foldForSearch(text).replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** `?, ?, ?` for a list of values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** A JSON object column as an object (anything else, or broken JSON, reads as `{}`). */
export function parseJsonObject(json: string | null): Record<string, unknown> {
  if (json === null) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
  } catch {
    return {};
  }
}
