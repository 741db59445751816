import type { SourceType } from '../../common/api';
import { containsPattern, sql, UNICODE_FOLD, type Database } from './database';
import type { CannedResponseRow, DepartmentRow, SourceRow } from './rows';

export interface CannedResponseInput {
  source_id: number | null;
  code: string;
  title: string;
  text: string;
  is_active: boolean;
}

export interface CannedResponseFilter {
  /** 'all' for admins; otherwise templates of these sources plus the ones for every source. */
  visibleSourceIds: number[] | 'all';
  sourceId?: number;
  q?: string;
  includeInactive: boolean;
}

export function catalogQueries(db: Database) {
  return {
    source(id: number): SourceRow | undefined {
      return sql<[number], SourceRow>(db, 'SELECT * FROM sources WHERE id = ?').get(id);
    },

    createSource(source: { name: string; type: SourceType; webhookSecret: string; publicToken?: string | null }, now: number): number {
      return Number(
        sql(
          db,
          'INSERT INTO sources (name, type, webhook_secret, public_token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(source.name, source.type, source.webhookSecret, source.publicToken ?? null, now, now).lastInsertRowid,
      );
    },

    department(id: number): DepartmentRow | undefined {
      return sql<[number], DepartmentRow>(db, 'SELECT * FROM departments WHERE id = ?').get(id);
    },

    createDepartment(name: string, now: number): number {
      return Number(sql(db, 'INSERT INTO departments (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, now, now).lastInsertRowid);
    },

    cannedResponse(id: number): CannedResponseRow | undefined {
      return sql<[number], CannedResponseRow>(db, 'SELECT * FROM canned_responses WHERE id = ?').get(id);
    },

    cannedResponses(filter: CannedResponseFilter): CannedResponseRow[] {
      const clauses: string[] = [];
      const params: (string | number)[] = [];
      if (!filter.includeInactive) clauses.push('is_active = 1');
      if (filter.visibleSourceIds !== 'all') {
        const ids = filter.visibleSourceIds;
        clauses.push(ids.length ? `(source_id IS NULL OR source_id IN (${ids.map(() => '?').join(',')}))` : 'source_id IS NULL');
        params.push(...ids);
      }
      if (filter.sourceId !== undefined) {
        clauses.push('(source_id IS NULL OR source_id = ?)');
        params.push(filter.sourceId);
      }
      if (filter.q) {
        const like = containsPattern(filter.q);
        const fields = ['code', 'title', 'text'].map((column) => `${UNICODE_FOLD}(${column}) LIKE ? ESCAPE '\\'`);
        clauses.push(`(${fields.join(' OR ')})`);
        params.push(like, like, like);
      }
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      return sql<(string | number)[], CannedResponseRow>(db, `SELECT * FROM canned_responses ${where} ORDER BY code, id`).all(...params);
    },

    createCannedResponse(input: CannedResponseInput, now: number): number {
      return Number(
        sql(
          db,
          `INSERT INTO canned_responses (source_id, code, title, text, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(input.source_id, input.code, input.title, input.text, input.is_active ? 1 : 0, now, now).lastInsertRowid,
      );
    },

    updateCannedResponse(id: number, input: Partial<CannedResponseInput>, now: number): void {
      const current = sql<[number], CannedResponseRow>(db, 'SELECT * FROM canned_responses WHERE id = ?').get(id);
      if (!current) return;
      const next = {
        source_id: input.source_id === undefined ? current.source_id : input.source_id,
        code: input.code ?? current.code,
        title: input.title ?? current.title,
        text: input.text ?? current.text,
        is_active: input.is_active === undefined ? current.is_active : input.is_active ? 1 : 0,
      };
      sql(db, 'UPDATE canned_responses SET source_id = ?, code = ?, title = ?, text = ?, is_active = ?, updated_at = ? WHERE id = ?').run(
        next.source_id,
        next.code,
        next.title,
        next.text,
        next.is_active,
        now,
        id,
      );
    },

    deleteCannedResponse(id: number): boolean {
      return sql(db, 'DELETE FROM canned_responses WHERE id = ?').run(id).changes > 0;
    },
  };
}
