import type { SourceRecord } from '../../domain/records';
import type { WidgetQueries } from '../contract';
import { parseJsonObject, placeholders, type Executor } from '../executor';
import type { SourceRow } from '../rows';

// Widgets are sources of type `widget`: the public token is `public_token`, the settings the JSON
// of `settings` (read into settings by server/domain/widget-settings.ts, never trusted as stored).

function widgetRecord(row: SourceRow): SourceRecord {
  return { ...row, settings: parseJsonObject(row.settings) };
}

export function widgetQueries(db: Executor): WidgetQueries {
  async function byId(id: number): Promise<SourceRecord | undefined> {
    const row = await db.get<SourceRow>(`SELECT * FROM sources WHERE id = ? AND type = 'widget'`, [id]);
    return row && widgetRecord(row);
  }

  return {
    byId,

    async byToken(token) {
      const row = await db.get<SourceRow>(`SELECT * FROM sources WHERE public_token = ? AND type = 'widget'`, [token]);
      return row && widgetRecord(row);
    },

    async list(sourceIds, page, perPage) {
      if (sourceIds !== 'all' && sourceIds.length === 0) return { rows: [], total: 0 };
      const where = sourceIds === 'all' ? `type = 'widget'` : `type = 'widget' AND id IN (${placeholders(sourceIds.length)})`;
      const params = sourceIds === 'all' ? [] : [...sourceIds];
      const rows = await db.all<SourceRow>(`SELECT * FROM sources WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`, [...params, perPage, (page - 1) * perPage]);
      const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sources WHERE ${where}`, params))?.n ?? 0;
      return { rows: rows.map(widgetRecord), total: Number(total) };
    },

    async create(widget, now) {
      const row = await db.get<{ id: number }>(
        `INSERT INTO sources (name, type, webhook_secret, public_token, settings, created_at, updated_at) VALUES (?, 'widget', ?, ?, ?, ?, ?) RETURNING id`,
        [widget.name, widget.webhookSecret, widget.publicToken, JSON.stringify(widget.settings), now, now],
      );
      if (!row) throw new Error('widget insert returned no id');
      return row.id;
    },

    async update(id, patch, now) {
      const assignments: string[] = [];
      const params: (string | number)[] = [];
      if (patch.name !== undefined) {
        assignments.push('name = ?');
        params.push(patch.name);
      }
      if (patch.settings !== undefined) {
        assignments.push('settings = ?');
        params.push(JSON.stringify(patch.settings));
      }
      if (patch.publicToken !== undefined) {
        assignments.push('public_token = ?');
        params.push(patch.publicToken);
      }
      if (assignments.length === 0) return (await byId(id)) !== undefined;
      const changed = await db.run(`UPDATE sources SET ${assignments.join(', ')}, updated_at = ? WHERE id = ? AND type = 'widget'`, [...params, now, id]);
      return changed > 0;
    },

    async chatCount(id) {
      return Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM chats WHERE source_id = ?', [id]))?.n ?? 0);
    },

    async delete(id) {
      return (await db.run(`DELETE FROM sources WHERE id = ? AND type = 'widget'`, [id])) > 0;
    },
  };
}
