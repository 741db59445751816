import type { CannedResponseRecord, DepartmentRecord, SourceRecord } from '../../domain/records';
import type { CannedResponseFilter, CannedResponseInput, CatalogQueries, DepartmentUsage } from '../contract';
import { containsPattern, parseJsonObject, placeholders, sqlFragments, type Binding, type Executor } from '../executor';
import type { CannedResponseRow, SourceRow } from '../rows';

function cannedResponseRecord(row: CannedResponseRow): CannedResponseRecord {
  return { ...row, is_active: row.is_active === 1 };
}

type DepartmentUsageRow = DepartmentRecord & { users_count: number | string; chats_count: number | string };

// Counted in one statement; PostgreSQL answers COUNT as a bigint string.
const SELECT_DEPARTMENT_USAGE = `SELECT d.*,
    (SELECT COUNT(*) FROM user_departments ud WHERE ud.department_id = d.id) AS users_count,
    (SELECT COUNT(*) FROM chats c WHERE c.department_id = d.id) AS chats_count
  FROM departments d`;

function departmentUsage(row: DepartmentUsageRow): DepartmentUsage {
  return { id: row.id, name: row.name, created_at: row.created_at, updated_at: row.updated_at, users_count: Number(row.users_count), chats_count: Number(row.chats_count) };
}

function sourceRecord(row: SourceRow): SourceRecord {
  return { ...row, settings: parseJsonObject(row.settings) };
}

export function catalogQueries(db: Executor): CatalogQueries {
  const sql = sqlFragments(db.dialect);

  async function cannedResponse(id: number): Promise<CannedResponseRecord | undefined> {
    const row = await db.get<CannedResponseRow>('SELECT * FROM canned_responses WHERE id = ?', [id]);
    return row && cannedResponseRecord(row);
  }

  return {
    async source(id) {
      const row = await db.get<SourceRow>('SELECT * FROM sources WHERE id = ?', [id]);
      return row && sourceRecord(row);
    },

    async createSource(source, now) {
      const row = await db.get<{ id: number }>(
        'INSERT INTO sources (name, type, webhook_secret, public_token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
        [source.name, source.type, source.webhookSecret, source.publicToken ?? null, now, now],
      );
      if (!row) throw new Error('source insert returned no id');
      return row.id;
    },

    async sourceOfType(type) {
      const row = await db.get<SourceRow>('SELECT * FROM sources WHERE type = ? ORDER BY id LIMIT 1', [type]);
      return row && sourceRecord(row);
    },

    async sources() {
      const rows = await db.all<SourceRow>('SELECT * FROM sources ORDER BY id');
      return rows.map(sourceRecord);
    },

    async renameSource(id, name, now) {
      return (await db.run('UPDATE sources SET name = ?, updated_at = ? WHERE id = ?', [name, now, id])) > 0;
    },

    async setWebhookSecret(id, secret, now) {
      return (await db.run('UPDATE sources SET webhook_secret = ?, updated_at = ? WHERE id = ?', [secret, now, id])) > 0;
    },

    async departments() {
      const rows = await db.all<DepartmentUsageRow>(`${SELECT_DEPARTMENT_USAGE} ORDER BY d.name, d.id`);
      return rows.map(departmentUsage);
    },

    async departmentUsage(id) {
      const row = await db.get<DepartmentUsageRow>(`${SELECT_DEPARTMENT_USAGE} WHERE d.id = ?`, [id]);
      return row && departmentUsage(row);
    },

    async renameDepartment(id, name, now) {
      return (await db.run('UPDATE departments SET name = ?, updated_at = ? WHERE id = ?', [name, now, id])) > 0;
    },

    async deleteDepartment(id) {
      return (await db.run('DELETE FROM departments WHERE id = ?', [id])) > 0;
    },

    department(id) {
      return db.get<DepartmentRecord>('SELECT * FROM departments WHERE id = ?', [id]);
    },

    async createDepartment(name, now) {
      const row = await db.get<{ id: number }>('INSERT INTO departments (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id', [name, now, now]);
      if (!row) throw new Error('department insert returned no id');
      return row.id;
    },

    cannedResponse,

    async cannedResponses(filter: CannedResponseFilter) {
      const clauses: string[] = [];
      const params: Binding[] = [];
      if (!filter.includeInactive) clauses.push('is_active = 1');
      if (filter.visibleSourceIds !== 'all') {
        const ids = filter.visibleSourceIds;
        clauses.push(ids.length ? `(source_id IS NULL OR source_id IN (${placeholders(ids.length)}))` : 'source_id IS NULL');
        params.push(...ids);
      }
      if (filter.sourceId !== undefined) {
        clauses.push('(source_id IS NULL OR source_id = ?)');
        params.push(filter.sourceId);
      }
      if (filter.q) {
        const like = containsPattern(filter.q);
        clauses.push(`(${['code', 'title', 'text'].map((column) => `${sql.fold(column)} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
        params.push(like, like, like);
      }
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      const rows = await db.all<CannedResponseRow>(`SELECT * FROM canned_responses ${where} ORDER BY code, id`, params);
      return rows.map(cannedResponseRecord);
    },

    async createCannedResponse(input: CannedResponseInput, now) {
      const row = await db.get<{ id: number }>(
        `INSERT INTO canned_responses (source_id, code, title, text, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [input.source_id, input.code, input.title, input.text, input.is_active ? 1 : 0, now, now],
      );
      if (!row) throw new Error('canned response insert returned no id');
      return row.id;
    },

    async updateCannedResponse(id, input, now) {
      const current = await cannedResponse(id);
      if (!current) return;
      const next = {
        source_id: input.source_id === undefined ? current.source_id : input.source_id,
        code: input.code ?? current.code,
        title: input.title ?? current.title,
        text: input.text ?? current.text,
        is_active: (input.is_active ?? current.is_active) ? 1 : 0,
      };
      await db.run('UPDATE canned_responses SET source_id = ?, code = ?, title = ?, text = ?, is_active = ?, updated_at = ? WHERE id = ?', [
        next.source_id,
        next.code,
        next.title,
        next.text,
        next.is_active,
        now,
        id,
      ]);
    },

    async deleteCannedResponse(id) {
      return (await db.run('DELETE FROM canned_responses WHERE id = ?', [id])) > 0;
    },
  };
}
