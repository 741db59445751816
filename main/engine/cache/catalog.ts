import type { ApiCannedResponse } from '../../../common/api';
import type { DepartmentView, OperatorView, SourceView } from '../../../common/bridge';
import { sql, type Binding, type Database } from './database';
import type { AttachmentRecord, CannedRecord, UploadRecord } from './rows';

/** The operator list kept for no chat in particular: every active operator. */
export const ALL_OPERATORS = 0;

function operatorsOf(json: string): OperatorView[] | null {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return null;
  return parsed.flatMap((item): OperatorView[] =>
    typeof item === 'object' && item !== null && typeof item.id === 'number' && typeof item.name === 'string'
      ? [{ id: item.id, name: item.name, roles: Array.isArray(item.roles) ? item.roles.filter((role: unknown): role is string => typeof role === 'string') : [] }]
      : [],
  );
}

export function catalogQueries(db: Database) {
  return {
    /** Replaces the canned responses with the server's current list. */
    replaceCanned(items: ApiCannedResponse[]): void {
      sql(db, 'DELETE FROM canned_responses').run();
      for (const item of items.filter((candidate) => candidate.is_active)) {
        sql(
          db,
          'INSERT INTO canned_responses (id, source_id, code, title, text, search_text) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(item.id, item.source_id, item.code, item.title, item.text, `${item.code}\n${item.title}\n${item.text}`.toLowerCase());
      }
    },

    searchCanned(query: string | undefined, sourceId: number | undefined, limit: number): CannedRecord[] {
      const clauses: string[] = [];
      const params: Binding[] = [];
      if (sourceId !== undefined) {
        clauses.push('(source_id IS NULL OR source_id = ?)');
        params.push(sourceId);
      }
      const needle = query?.trim().replace(/^\//, '').toLowerCase();
      if (needle) {
        clauses.push('instr(search_text, ?) > 0');
        params.push(needle);
      }
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
      // Codes that start with what was typed come first: `/he` finds `hello` before `the`.
      return sql<Binding[], CannedRecord>(
        db,
        `SELECT * FROM canned_responses ${where} ORDER BY (instr(lower(code), ?) = 1) DESC, code LIMIT ?`,
      ).all(...params, needle ?? '', limit);
    },

    /** Every source of the cached chats, by the name its newest chat gives it. */
    sources(): SourceView[] {
      return sql<[], SourceView & { newest: number }>(
        db,
        'SELECT source_id AS id, source_name AS name, source_type AS type, MAX(updated_at) AS newest FROM chats GROUP BY source_id ORDER BY name, id',
      )
        .all()
        .map(({ id, name, type }) => ({ id, name, type }));
    },

    /** Every department of the cached chats, by the name its newest chat gives it. */
    departments(): DepartmentView[] {
      return sql<[], DepartmentView & { newest: number }>(
        db,
        `SELECT department_id AS id, department_name AS name, MAX(updated_at) AS newest FROM chats
         WHERE department_id IS NOT NULL AND department_name IS NOT NULL GROUP BY department_id ORDER BY name, id`,
      )
        .all()
        .map(({ id, name }) => ({ id, name }));
    },

    saveOperators(chatId: number, operators: OperatorView[], now: number): void {
      sql(db, 'INSERT OR REPLACE INTO operator_lists (chat_id, operators, fetched_at) VALUES (?, ?, ?)').run(chatId, JSON.stringify(operators), now);
    },

    /** The last operator list saved for the chat (ALL_OPERATORS: every active operator), or null. */
    operators(chatId: number): OperatorView[] | null {
      const json = sql<[number], { operators: string }>(db, 'SELECT operators FROM operator_lists WHERE chat_id = ?').get(chatId)?.operators;
      return json === undefined ? null : operatorsOf(json);
    },

    /** Records the attachments of a stored message (keeps the downloaded file of a known one). */
    noteAttachments(messageId: number, attachments: { id: number; name: string; mime_type: string; size: number; url: string | null }[]): void {
      for (const attachment of attachments) {
        sql(
          db,
          `INSERT INTO attachments (id, message_id, name, mime_type, size, url) VALUES (@id, @message_id, @name, @mime_type, @size, @url)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, mime_type = excluded.mime_type, size = excluded.size, url = excluded.url`,
        ).run({ ...attachment, message_id: messageId });
      }
    },

    attachment(id: number): AttachmentRecord | undefined {
      return sql<[number], AttachmentRecord>(db, 'SELECT * FROM attachments WHERE id = ?').get(id);
    },

    cachedAttachmentIds(ids: number[]): Set<number> {
      if (ids.length === 0) return new Set();
      const rows = db
        .prepare<number[], { id: number }>(`SELECT id FROM attachments WHERE path IS NOT NULL AND id IN (${ids.map(() => '?').join(', ')})`)
        .all(...ids);
      return new Set(rows.map((row) => row.id));
    },

    setAttachmentPath(id: number, path: string | null, now: number): void {
      sql(db, 'UPDATE attachments SET path = ?, fetched_at = ? WHERE id = ?').run(path, path === null ? null : now, id);
    },

    addUpload(record: UploadRecord): void {
      sql(
        db,
        `INSERT INTO uploads (id, name, mime_type, size, local_path, server_path, state, error, created_at)
         VALUES (@id, @name, @mime_type, @size, @local_path, @server_path, @state, @error, @created_at)`,
      ).run(record);
    },

    upload(id: string): UploadRecord | undefined {
      return sql<[string], UploadRecord>(db, 'SELECT * FROM uploads WHERE id = ?').get(id);
    },

    setUpload(id: string, patch: Pick<UploadRecord, 'state' | 'server_path' | 'error'> & { mime_type?: string | null }): void {
      sql(db, 'UPDATE uploads SET state = ?, server_path = ?, error = ?, mime_type = COALESCE(?, mime_type) WHERE id = ?').run(
        patch.state,
        patch.server_path,
        patch.error,
        patch.mime_type ?? null,
        id,
      );
    },

    removeUpload(id: string): UploadRecord | undefined {
      return sql<[string], UploadRecord>(db, 'DELETE FROM uploads WHERE id = ? RETURNING *').get(id);
    },

    /** Uploads interrupted by a crash start over. */
    resetInterruptedUploads(): void {
      sql(db, `UPDATE uploads SET state = 'queued' WHERE state = 'uploading'`).run();
    },
  };
}
