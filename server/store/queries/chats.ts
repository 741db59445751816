import type { ChatTab } from '../../../common/api';
import { jsonBoundsProblem } from '../../../common/bounded-json';
import { searchesByTrigram, trigramPhrase } from '../../../common/text-search';
import type { ChatRecord, ChatSummary, JsonObject } from '../../domain/records';
import type { ChatAudience, ChatExit, ChatListFilter, ChatPatch, ChatQueries, ChatScope, NewChat } from '../contract';
import { containsPattern, parseJsonObject, placeholders, sqlFragments, type Binding, type Executor, type SqlFragments } from '../executor';
import type { ChatListRow, ChatRow } from '../rows';

const LIST_COLUMNS = `
  c.*, s.name AS source_name, s.type AS source_type, d.name AS department_name, a.name AS assignee_name,
  lm.text AS latest_text, lm.sender_type AS latest_sender_type, lm.created_at AS latest_created_at, lm.is_hidden AS latest_is_hidden,
  ct.name AS contact_ref_name, ct.email AS contact_ref_email, ct.phone AS contact_ref_phone, ct.company AS contact_ref_company`;

const LIST_JOINS = `
  FROM chats c
  JOIN sources s ON s.id = c.source_id
  LEFT JOIN departments d ON d.id = c.department_id
  LEFT JOIN users a ON a.id = c.assigned_to
  LEFT JOIN messages lm ON lm.id = c.last_message_id
  LEFT JOIN contacts ct ON ct.id = c.contact_id`;

/** Columns a patch may set; the SQL names come from here, never from input. */
const PATCH_COLUMNS = ['status', 'assigned_to', 'is_urgent', 'department_id', 'closed_at', 'user_metadata'] as const satisfies readonly (keyof ChatPatch)[];

interface Where {
  clauses: string[];
  params: Binding[];
}

const CONTACT_KEYS = ['name', 'email', 'phone'] as const;

/**
 * The customer's name, e-mail and phone as the chat search matches them: the metadata's
 * top-level string values (as the desk's own search and title take them), written beside the
 * metadata so that no search parses free-form JSON. PostgreSQL text cannot hold U+0000, so it
 * is dropped on both databases alike. Migration 004 filled them for older chats by this rule.
 */
function contactFields(metadata: JsonObject): { contact_name: string | null; contact_email: string | null; contact_phone: string | null } {
  const [name, email, phone] = CONTACT_KEYS.map((key) => {
    const value = metadata[key];
    return typeof value === 'string' ? value.replaceAll('\u0000', '') : null;
  });
  return { contact_name: name ?? null, contact_email: email ?? null, contact_phone: phone ?? null };
}

/**
 * Stored metadata as an object. Text out of today's bounds (a row from before them) reads as `{}`,
 * as broken JSON does: a 4,500-deep object would overflow the stack of the response's serialiser.
 */
function storedMetadata(text: string): JsonObject {
  const metadata = parseJsonObject(text);
  return jsonBoundsProblem(metadata) === undefined ? metadata : {};
}

/**
 * The chat's own fields, picked one by one: rows come from the drivers as dictionary-mode objects,
 * on which a rest/spread copy costs microseconds a row (the chat list's largest cost, measured).
 */
function chatFields(row: ChatRow): Omit<ChatRecord, 'participant_ids'> {
  return {
    id: row.id,
    source_id: row.source_id,
    department_id: row.department_id,
    external_user_id: row.external_user_id,
    user_metadata: storedMetadata(row.user_metadata),
    status: row.status,
    assigned_to: row.assigned_to,
    is_urgent: row.is_urgent === 1,
    token: row.token,
    title: row.title,
    description: row.description,
    type: row.type,
    created_by: row.created_by,
    contact_id: row.contact_id,
    last_message_id: row.last_message_id,
    last_message_at: row.last_message_at,
    last_activity_at: row.last_activity_at,
    unread_count: row.unread_count,
    waiting_since: row.waiting_since,
    closed_at: row.closed_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function chatRecord(row: ChatRow, participantIds: number[]): ChatRecord {
  return { ...chatFields(row), participant_ids: participantIds };
}

export function chatSummary(row: ChatListRow): ChatSummary {
  // Added to the record rather than spread into a new object: one object a row, one shape for all.
  return Object.assign(chatFields(row), {
    source: { id: row.source_id, name: row.source_name, type: row.source_type },
    department: row.department_id === null || row.department_name === null ? null : { id: row.department_id, name: row.department_name },
    assignee: row.assigned_to === null || row.assignee_name === null ? null : { id: row.assigned_to, name: row.assignee_name },
    latest_message:
      row.last_message_id === null || row.latest_sender_type === null || row.latest_created_at === null
        ? null
        : // A hidden message's words stay out of every list preview; the message itself shows collapsed.
          { id: row.last_message_id, text: row.latest_is_hidden === 1 ? null : row.latest_text, sender_type: row.latest_sender_type, created_at: row.latest_created_at, is_hidden: row.latest_is_hidden === 1 },
    contact:
      row.contact_id === null || row.contact_ref_name === null
        ? null
        : { id: row.contact_id, name: row.contact_ref_name, email: row.contact_ref_email, phone: row.contact_ref_phone, company: row.contact_ref_company },
  });
}

/** The SQL form of common/visibility.ts (users.viewersOf is the same rule seen from the chat's side). */
function scopeWhere(scope: ChatScope, where: Where): void {
  switch (scope.kind) {
    case 'everything':
      return;
    case 'limited': {
      const participates = 'EXISTS (SELECT 1 FROM chat_participants p WHERE p.chat_id = c.id AND p.user_id = ?)';
      if (scope.sourceIds.length === 0) {
        where.clauses.push(participates);
        where.params.push(scope.userId);
        return;
      }
      let bySource = `c.source_id IN (${placeholders(scope.sourceIds.length)})`;
      const params: Binding[] = [...scope.sourceIds];
      if (scope.departmentIds.length > 0) {
        bySource += ` AND (c.department_id IS NULL OR c.department_id IN (${placeholders(scope.departmentIds.length)}))`;
        params.push(...scope.departmentIds);
      }
      where.clauses.push(`((${bySource}) OR ${participates})`);
      where.params.push(...params, scope.userId);
      return;
    }
    default: {
      const unreachable: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(unreachable)}`);
    }
  }
}

function searchWhere(sql: SqlFragments, search: string, where: Where): void {
  const like = containsPattern(search);
  // The contact columns, never the metadata text: no stored metadata, however hostile, can fail a search.
  const contact = ['c.contact_name', 'c.contact_email', 'c.contact_phone'].map((column) => `${sql.fold(column)} LIKE ? ESCAPE '\\'`);
  const parts = [`${sql.fold('c.external_user_id')} LIKE ? ESCAPE '\\'`, ...contact];
  const params: Binding[] = [like, like, like, like];
  // SQLite's trigram index needs three characters; shorter needles scan with LIKE. PostgreSQL's
  // pg_trgm index serves LIKE itself. Either way: a case-insensitive substring of the text.
  if (sql.messageSearch === 'fts5' && searchesByTrigram(search)) {
    parts.push(`c.id IN (SELECT m.chat_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)`);
    params.push(trigramPhrase(search));
  } else {
    parts.push(`c.id IN (SELECT m.chat_id FROM messages m WHERE ${sql.fold('m.text')} LIKE ? ESCAPE '\\')`);
    params.push(like);
  }
  if (/^\d{1,15}$/.test(search)) {
    parts.push('c.id = ?');
    params.push(Number(search));
  }
  where.clauses.push(`(${parts.join(' OR ')})`);
  where.params.push(...params);
}

function filterWhere(sql: SqlFragments, filter: Omit<ChatListFilter, 'tab'>): Where {
  const where: Where = { clauses: [], params: [] };
  scopeWhere(filter.scope, where);
  if (filter.status === 'open') where.clauses.push(`c.status <> 'closed'`);
  else if (Array.isArray(filter.status)) {
    where.clauses.push(filter.status.length > 0 ? `c.status IN (${placeholders(filter.status.length)})` : '1 = 0');
    where.params.push(...filter.status);
  } else if (typeof filter.status === 'string') {
    where.clauses.push('c.status = ?');
    where.params.push(filter.status);
  }
  if (filter.sourceId !== undefined) {
    where.clauses.push('c.source_id = ?');
    where.params.push(filter.sourceId);
  }
  if (filter.sourceType !== undefined) {
    where.clauses.push('c.source_id IN (SELECT id FROM sources WHERE type = ?)');
    where.params.push(filter.sourceType);
  }
  if (filter.departmentId !== undefined) {
    where.clauses.push('c.department_id = ?');
    where.params.push(filter.departmentId);
  }
  if (filter.search) searchWhere(sql, filter.search, where);
  return where;
}

function withTab(tab: ChatTab, userId: number, where: Where): Where {
  switch (tab) {
    case 'all':
      return where;
    case 'my':
      return { clauses: [...where.clauses, 'c.assigned_to = ?'], params: [...where.params, userId] };
    case 'unassigned':
      return { clauses: [...where.clauses, 'c.assigned_to IS NULL'], params: where.params };
    default: {
      const unreachable: never = tab;
      throw new Error(`unknown tab ${String(unreachable)}`);
    }
  }
}

function whereSql(where: Where): string {
  return where.clauses.length > 0 ? `WHERE ${where.clauses.join(' AND ')}` : '';
}

export function chatQueries(db: Executor): ChatQueries {
  const sql = sqlFragments(db.dialect);
  const activity = sql.greatest('last_activity_at', '?');

  async function participantsOf(chatId: number): Promise<number[]> {
    const rows = await db.all<{ user_id: number }>('SELECT user_id FROM chat_participants WHERE chat_id = ? ORDER BY user_id', [chatId]);
    return rows.map((r) => r.user_id);
  }

  return {
    async byId(id) {
      const row = await db.get<ChatRow>('SELECT * FROM chats WHERE id = ?', [id]);
      return row && chatRecord(row, await participantsOf(id));
    },

    async summary(id) {
      const row = await db.get<ChatListRow>(`SELECT ${LIST_COLUMNS} ${LIST_JOINS} WHERE c.id = ?`, [id]);
      return row && chatSummary(row);
    },

    async list(filter, page, perPage) {
      const base = filterWhere(sql, filter);
      const where = withTab(filter.tab, filter.userId, base);
      const rows = await db.all<ChatListRow>(
        `SELECT ${LIST_COLUMNS} ${LIST_JOINS} ${whereSql(where)}
         ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ? OFFSET ?`,
        [...where.params, perPage, (page - 1) * perPage],
      );
      // The three tab badges in one pass over the filtered chats.
      const totals = await db.get<{ all_count: number; my_count: number; unassigned_count: number }>(
        `SELECT COUNT(*) AS all_count,
           COUNT(CASE WHEN c.assigned_to = ? THEN 1 END) AS my_count,
           COUNT(CASE WHEN c.assigned_to IS NULL THEN 1 END) AS unassigned_count
         FROM chats c ${whereSql(base)}`,
        [filter.userId, ...base.params],
      );
      const counts = { my: totals?.my_count ?? 0, unassigned: totals?.unassigned_count ?? 0, all: totals?.all_count ?? 0 };
      return { rows: rows.map(chatSummary), total: counts[filter.tab], counts };
    },

    async create(chat: NewChat, now) {
      const contact = contactFields(chat.userMetadata);
      // The partial unique index keeps one open chat per customer and source; a writer that lost the
      // race gets no row back and uses the winner's chat.
      const row = await db.get<{ id: number }>(
        `INSERT INTO chats (source_id, department_id, external_user_id, user_metadata, contact_name, contact_email, contact_phone,
           status, assigned_to, is_urgent, token, created_by, title, description, type, last_activity_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_id, external_user_id) WHERE status <> 'closed' DO NOTHING
         RETURNING id`,
        [
          chat.sourceId,
          chat.departmentId ?? null,
          chat.externalUserId,
          JSON.stringify(chat.userMetadata),
          contact.contact_name,
          contact.contact_email,
          contact.contact_phone,
          chat.status ?? 'new',
          chat.assignedTo ?? null,
          chat.isUrgent ? 1 : 0,
          chat.token ?? null,
          chat.createdBy ?? null,
          chat.title ?? null,
          chat.description ?? null,
          chat.type ?? null,
          now,
          now,
          now,
        ],
      );
      return row?.id;
    },

    async openForExternalUser(sourceId, externalUserId) {
      const row = await db.get<ChatRow>(
        `SELECT * FROM chats WHERE source_id = ? AND external_user_id = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1`,
        [sourceId, externalUserId],
      );
      return row && chatRecord(row, await participantsOf(row.id));
    },

    async update(id, patch, now, guard) {
      const assignments: string[] = [];
      const params: Binding[] = [];
      for (const column of PATCH_COLUMNS) {
        const value = patch[column];
        if (value === undefined) continue;
        assignments.push(`${column} = ?`);
        params.push(typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
      }
      if (patch.user_metadata !== undefined) {
        const contact = contactFields(patch.user_metadata);
        assignments.push('contact_name = ?', 'contact_email = ?', 'contact_phone = ?');
        params.push(contact.contact_name, contact.contact_email, contact.contact_phone);
      }
      if (assignments.length === 0) return false;
      const condition = guard ? ' AND (assigned_to IS NULL OR assigned_to = ?)' : '';
      const changed = await db.run(
        `UPDATE chats SET ${assignments.join(', ')}, updated_at = ?, last_activity_at = ${activity} WHERE id = ?${condition}`,
        guard ? [...params, now, now, id, guard.unassignedOr] : [...params, now, now, id],
      );
      return changed > 0;
    },

    async recordMessage(chatId, message) {
      switch (message.sender_type) {
        case 'client':
          await db.run(
            `UPDATE chats SET last_message_id = ?, last_message_at = ?, last_activity_at = ${activity},
               unread_count = unread_count + ?, waiting_since = COALESCE(waiting_since, ?), updated_at = ? WHERE id = ?`,
            [message.id, message.created_at, message.created_at, message.is_read ? 0 : 1, message.created_at, message.created_at, chatId],
          );
          return;
        case 'operator':
          await db.run(
            `UPDATE chats SET last_message_id = ?, last_message_at = ?, last_activity_at = ${activity},
               waiting_since = NULL, updated_at = ? WHERE id = ?`,
            [message.id, message.created_at, message.created_at, message.created_at, chatId],
          );
          return;
        case 'system':
          await db.run(
            `UPDATE chats SET last_message_id = ?, last_message_at = ?, last_activity_at = ${activity}, updated_at = ? WHERE id = ?`,
            [message.id, message.created_at, message.created_at, message.created_at, chatId],
          );
          return;
        default: {
          const unreachable: never = message.sender_type;
          throw new Error(`unknown sender type ${String(unreachable)}`);
        }
      }
    },

    async markRead(chatId, upToId, now) {
      const changed = await db.run(
        `UPDATE messages SET is_read = 1, updated_at = ? WHERE chat_id = ? AND sender_type = 'client' AND is_read = 0 AND id <= ?`,
        [now, chatId, upToId],
      );
      if (changed > 0) {
        // The chat changed (updated_at), but reading is not activity: the list order stays.
        await db.run(
          `UPDATE chats SET unread_count = (SELECT COUNT(*) FROM messages WHERE chat_id = ? AND sender_type = 'client' AND is_read = 0),
             updated_at = ?
           WHERE id = ?`,
          [chatId, now, chatId],
        );
      }
      return changed;
    },

    async byToken(token) {
      const row = await db.get<ChatRow>('SELECT * FROM chats WHERE token = ?', [token]);
      return row && chatRecord(row, await participantsOf(row.id));
    },

    async delete(id) {
      const files = await db.all<{ storage_path: string }>(
        'SELECT a.storage_path FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.chat_id = ? AND a.storage_path IS NOT NULL',
        [id],
      );
      // Messages, their attachments and receipts, and the participants go with it (ON DELETE CASCADE).
      const deleted = await db.run('DELETE FROM chats WHERE id = ?', [id]);
      return deleted > 0 ? files.map((f) => f.storage_path) : undefined;
    },

    async refreshLatest(chatId, now) {
      // After a message left the chat: the denormalised columns as recordMessage would have left them without it.
      await db.run(
        `UPDATE chats SET
           last_message_id = (SELECT MAX(id) FROM messages WHERE chat_id = ?),
           last_message_at = (SELECT created_at FROM messages WHERE id = (SELECT MAX(id) FROM messages WHERE chat_id = ?)),
           unread_count = (SELECT COUNT(*) FROM messages WHERE chat_id = ? AND sender_type = 'client' AND is_read = 0),
           waiting_since = (SELECT MIN(created_at) FROM messages WHERE chat_id = ? AND sender_type = 'client'
             AND id > COALESCE((SELECT MAX(id) FROM messages WHERE chat_id = ? AND sender_type = 'operator'), 0)),
           updated_at = ?
         WHERE id = ?`,
        [chatId, chatId, chatId, chatId, chatId, now, chatId],
      );
    },

    async idsByContact(contactId) {
      const rows = await db.all<{ id: number }>('SELECT id FROM chats WHERE contact_id = ? ORDER BY id', [contactId]);
      return rows.map((row) => row.id);
    },

    async setContact(chatId, contactId, now) {
      // Linking a contact is bookkeeping, not activity: the chat keeps its place in the list.
      return (await db.run('UPDATE chats SET contact_id = ?, updated_at = ? WHERE id = ?', [contactId, now, chatId])) > 0;
    },

    async syncHorizon() {
      const row = await db.get<{ horizon: number | string }>(sql.syncHorizon);
      return Number(row?.horizon ?? 0);
    },

    async changedSince(scope, floor, after, limit) {
      const where: Where = { clauses: ['c.sync_key >= ?'], params: [floor] };
      if (after) {
        where.clauses.push('(c.sync_key > ? OR (c.sync_key = ? AND c.id > ?))');
        where.params.push(after.key, after.key, after.id);
      }
      scopeWhere(scope, where);
      const rows = await db.all<ChatListRow>(`SELECT ${LIST_COLUMNS} ${LIST_JOINS} ${whereSql(where)} ORDER BY c.sync_key, c.id LIMIT ?`, [...where.params, limit]);
      return rows.map((row) => ({ chat: chatSummary(row), key: Number(row.sync_key) }));
    },

    async exitsSince(floor) {
      const exits = await db.all<{ chat_id: number; source_id: number; department_id: number | null; participant_ids: string }>(
        'SELECT chat_id, source_id, department_id, participant_ids FROM chat_exits WHERE sync_key >= ? ORDER BY sync_key',
        [floor],
      );
      if (exits.length === 0) return [];
      const ids = [...new Set(exits.map((exit) => exit.chat_id))];
      const current = new Map<number, ChatAudience>();
      for (let start = 0; start < ids.length; start += 500) {
        const slice = ids.slice(start, start + 500);
        const rows = await db.all<{ id: number; source_id: number; department_id: number | null }>(
          `SELECT id, source_id, department_id FROM chats WHERE id IN (${placeholders(slice.length)})`,
          slice,
        );
        for (const row of rows) current.set(row.id, { source_id: row.source_id, department_id: row.department_id, participant_ids: [] });
        const participants = await db.all<{ chat_id: number; user_id: number }>(
          `SELECT chat_id, user_id FROM chat_participants WHERE chat_id IN (${placeholders(slice.length)})`,
          slice,
        );
        for (const row of participants) current.get(row.chat_id)?.participant_ids.push(row.user_id);
      }
      return exits.map(
        (exit): ChatExit => ({
          chat_id: exit.chat_id,
          before: { source_id: exit.source_id, department_id: exit.department_id, participant_ids: exit.participant_ids === '' ? [] : exit.participant_ids.split(',').map(Number) },
          now: current.get(exit.chat_id) ?? null,
        }),
      );
    },

    async addParticipants(chatId, userIds) {
      for (const userId of new Set(userIds)) {
        await db.run('INSERT INTO chat_participants (chat_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [chatId, userId]);
      }
    },
  };
}
