import type { ApiChat, ChatCounts, ChatTab } from '../../../common/api';
import type { ChatListQuery } from '../../../common/bridge';
import { parseTimestamp } from '../../../common/time';
import { foldForSearch, searchesByTrigram, trigramPhrase } from '../../../common/text-search';
import { FOLD_FUNCTION, placeholders, sql, type Binding, type Database } from './database';
import type { ChatRecord } from './rows';

export interface ChatListFilter extends Omit<ChatListQuery, 'limit' | 'cursor'> {
  userId: number;
  /** Chats the server found for this search (message text), added to the local matches. */
  serverMatches?: number[];
  /**
   * Scan the cached message text for a needle too short for the index. Only when the server could
   * not be asked (its matches cover message text otherwise): a scan reads every cached message.
   */
  scanMessages?: boolean;
}

interface Where {
  clauses: string[];
  params: Binding[];
}

function time(value: string | null): number | null {
  return value === null ? null : parseTimestamp(value);
}

export function chatTitle(chat: Pick<ApiChat, 'user_metadata' | 'external_user_id'>): string {
  const { name, email, phone } = chat.user_metadata;
  for (const candidate of [name, email, phone]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  return chat.external_user_id;
}

function searchText(chat: ApiChat): string {
  const { name, email, phone } = chat.user_metadata;
  const text = [name, email, phone, chat.external_user_id]
    .filter((part): part is string => typeof part === 'string')
    .join('\n');
  return foldForSearch(text);
}

export function chatRecord(chat: ApiChat): ChatRecord {
  const lastMessageAt = time(chat.last_message_at);
  const createdAt = parseTimestamp(chat.created_at);
  return {
    id: chat.id,
    source_id: chat.source_id,
    source_name: chat.source.name,
    source_type: chat.source.type,
    department_id: chat.department_id,
    department_name: chat.department?.name ?? null,
    external_user_id: chat.external_user_id,
    user_metadata: JSON.stringify(chat.user_metadata),
    title: chatTitle(chat),
    search_text: searchText(chat),
    status: chat.status,
    assigned_to: chat.assigned_to,
    assignee_name: chat.assignee?.name ?? null,
    is_urgent: chat.is_urgent ? 1 : 0,
    unread_count: chat.unread_count,
    waiting_since: time(chat.waiting_since),
    last_message_at: lastMessageAt,
    latest_message_id: chat.latest_message?.id ?? null,
    latest_message: chat.latest_message ? JSON.stringify(chat.latest_message) : null,
    activity_at: parseTimestamp(chat.last_activity_at),
    created_at: createdAt,
    updated_at: parseTimestamp(chat.updated_at),
    closed_at: time(chat.closed_at),
    // An older server sends no contact at all.
    contact: chat.contact ? JSON.stringify(chat.contact) : null,
  };
}

function tabClause(tab: ChatTab, userId: number, where: Where): Where {
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

function filterWhere(filter: ChatListFilter): Where {
  const where: Where = { clauses: [], params: [] };
  if (filter.status === 'open') where.clauses.push(`c.status <> 'closed'`);
  else if (filter.status) {
    where.clauses.push('c.status = ?');
    where.params.push(filter.status);
  }
  if (filter.sourceId !== undefined) {
    where.clauses.push('c.source_id = ?');
    where.params.push(filter.sourceId);
  }
  if (filter.departmentId !== undefined) {
    where.clauses.push('c.department_id = ?');
    where.params.push(filter.departmentId);
  }
  const search = filter.search === undefined ? '' : foldForSearch(filter.search.trim());
  if (search) {
    const parts = ['instr(c.search_text, ?) > 0'];
    const params: Binding[] = [search];
    // Message text, matched as the server matches it (common/text-search.ts), so a search offline
    // finds what it would find online among the messages the cache holds.
    if (searchesByTrigram(search)) {
      parts.push('c.id IN (SELECT m.chat_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)');
      params.push(trigramPhrase(search));
      // Messages not indexed yet (cache/search-index.ts) are scanned: only those, a few pages at most.
      // CROSS JOIN keeps the backlog the outer loop: left to itself SQLite scans every message.
      parts.push(`c.id IN (SELECT m.chat_id FROM messages_fts_backlog b CROSS JOIN messages m ON m.id = b.id WHERE instr(${FOLD_FUNCTION}(m.text), ?) > 0)`);
      params.push(search);
    } else if (filter.scanMessages) {
      parts.push(`c.id IN (SELECT m.chat_id FROM messages m WHERE instr(${FOLD_FUNCTION}(m.text), ?) > 0)`);
      params.push(search);
    }
    if (/^\d+$/.test(search)) {
      parts.push('c.id = ?');
      params.push(Number(search));
    }
    const matches = filter.serverMatches ?? [];
    if (matches.length > 0) {
      parts.push(`c.id IN (${placeholders(matches.length)})`);
      params.push(...matches);
    }
    where.clauses.push(`(${parts.join(' OR ')})`);
    where.params.push(...params);
  }
  return where;
}

function whereSql(where: Where): string {
  return where.clauses.length > 0 ? `WHERE ${where.clauses.join(' AND ')}` : '';
}

/** Keyset cursor of the chat list: the last row's (activity_at, id). */
export function encodeChatCursor(row: Pick<ChatRecord, 'activity_at' | 'id'>): string {
  return `${row.activity_at}:${row.id}`;
}

function decodeChatCursor(cursor: string): { activityAt: number; id: number } | null {
  const match = /^(-?\d+):(\d+)$/.exec(cursor);
  return match ? { activityAt: Number(match[1]), id: Number(match[2]) } : null;
}

export function chatQueries(db: Database) {
  const count = (where: Where): number =>
    sql<Binding[], { n: number }>(db, `SELECT COUNT(*) AS n FROM chats c ${whereSql(where)}`).get(...where.params)?.n ?? 0;

  return {
    byId(id: number): ChatRecord | undefined {
      return sql<[number], ChatRecord>(db, 'SELECT * FROM chats WHERE id = ?').get(id);
    },

    byIds(ids: number[]): ChatRecord[] {
      if (ids.length === 0) return [];
      return db.prepare<number[], ChatRecord>(`SELECT * FROM chats WHERE id IN (${placeholders(ids.length)})`).all(...ids);
    },

    /**
     * Stores the server's view of a chat unless we already hold a newer one (realtime and REST
     * answers can arrive out of order). Returns whether anything changed.
     */
    upsert(chat: ApiChat): boolean {
      const record = chatRecord(chat);
      const result = sql(
        db,
        `INSERT INTO chats (id, source_id, source_name, source_type, department_id, department_name, external_user_id, user_metadata,
           title, search_text, status, assigned_to, assignee_name, is_urgent, unread_count, waiting_since, last_message_at,
           latest_message_id, latest_message, activity_at, created_at, updated_at, closed_at, contact)
         VALUES (@id, @source_id, @source_name, @source_type, @department_id, @department_name, @external_user_id, @user_metadata,
           @title, @search_text, @status, @assigned_to, @assignee_name, @is_urgent, @unread_count, @waiting_since, @last_message_at,
           @latest_message_id, @latest_message, @activity_at, @created_at, @updated_at, @closed_at, @contact)
         ON CONFLICT (id) DO UPDATE SET
           source_id = excluded.source_id, source_name = excluded.source_name, source_type = excluded.source_type,
           department_id = excluded.department_id, department_name = excluded.department_name,
           external_user_id = excluded.external_user_id, user_metadata = excluded.user_metadata, title = excluded.title,
           search_text = excluded.search_text, status = excluded.status, assigned_to = excluded.assigned_to,
           assignee_name = excluded.assignee_name, is_urgent = excluded.is_urgent, unread_count = excluded.unread_count,
           waiting_since = excluded.waiting_since,
           last_message_at = MAX(COALESCE(chats.last_message_at, 0), COALESCE(excluded.last_message_at, 0)),
           latest_message_id = CASE WHEN COALESCE(excluded.latest_message_id, 0) >= COALESCE(chats.latest_message_id, 0)
             THEN excluded.latest_message_id ELSE chats.latest_message_id END,
           latest_message = CASE WHEN COALESCE(excluded.latest_message_id, 0) >= COALESCE(chats.latest_message_id, 0)
             THEN excluded.latest_message ELSE chats.latest_message END,
           activity_at = MAX(chats.activity_at, excluded.activity_at),
           created_at = excluded.created_at, updated_at = excluded.updated_at, closed_at = excluded.closed_at, contact = excluded.contact
         WHERE excluded.updated_at >= chats.updated_at
           AND (chats.status, chats.assigned_to, chats.assignee_name, chats.unread_count, chats.waiting_since, chats.is_urgent,
                chats.department_id, chats.user_metadata, chats.latest_message_id, chats.closed_at, chats.updated_at, chats.contact)
           IS NOT (excluded.status, excluded.assigned_to, excluded.assignee_name, excluded.unread_count, excluded.waiting_since,
                excluded.is_urgent, excluded.department_id, excluded.user_metadata, excluded.latest_message_id, excluded.closed_at,
                excluded.updated_at, excluded.contact)`,
      ).run(record);
      return result.changes > 0;
    },

    /** A message newer than the chat's latest moves the chat's preview and order (before its ChatUpdated arrives). */
    noteMessage(chatId: number, message: { id: number; text: string | null; sender_type: string; created_at: string; is_hidden: boolean }, at: number): boolean {
      return (
        sql(
          db,
          `UPDATE chats SET latest_message_id = @id, latest_message = @json, last_message_at = MAX(COALESCE(last_message_at, 0), @at),
             activity_at = MAX(activity_at, @at)
           WHERE id = @chat AND COALESCE(latest_message_id, 0) < @id`,
        ).run({ id: message.id, json: JSON.stringify(message), at, chat: chatId }).changes > 0
      );
    },

    /** The chat's latest message was hidden: its preview loses the words (views.ts shows it as hidden). */
    hideLatest(chatId: number, messageId: number): boolean {
      return (
        sql(
          db,
          `UPDATE chats SET latest_message = json_set(latest_message, '$.text', NULL, '$.is_hidden', json('true'))
           WHERE id = @chat AND latest_message_id = @id AND latest_message IS NOT NULL AND json_extract(latest_message, '$.is_hidden') IS NOT 1`,
        ).run({ chat: chatId, id: messageId }).changes > 0
      );
    },

    /** Optimistic read: the badge clears at once; the server's answer (or the next sync) confirms it. */
    markReadLocally(chatId: number): boolean {
      return sql(db, 'UPDATE chats SET unread_count = 0 WHERE id = ? AND unread_count > 0').run(chatId).changes > 0;
    },

    list(filter: ChatListFilter, limit: number, cursor: string | null | undefined): { rows: ChatRecord[]; hasMore: boolean } {
      const where = tabClause(filter.tab, filter.userId, filterWhere(filter));
      const after = cursor ? decodeChatCursor(cursor) : null;
      if (after) {
        where.clauses.push('(c.activity_at < ? OR (c.activity_at = ? AND c.id < ?))');
        where.params.push(after.activityAt, after.activityAt, after.id);
      }
      const rows = sql<Binding[], ChatRecord>(
        db,
        `SELECT c.* FROM chats c ${whereSql(where)} ORDER BY c.activity_at DESC, c.id DESC LIMIT ?`,
      ).all(...where.params, limit + 1);
      const hasMore = rows.length > limit;
      return { rows: hasMore ? rows.slice(0, limit) : rows, hasMore };
    },

    counts(filter: ChatListFilter): ChatCounts {
      const base = filterWhere(filter);
      return {
        my: count(tabClause('my', filter.userId, base)),
        unassigned: count(tabClause('unassigned', filter.userId, base)),
        all: count(base),
      };
    },

    /** Chats with unread client messages (the dock/taskbar badge). */
    unreadChats(): number {
      return sql<[], { n: number }>(db, `SELECT COUNT(*) AS n FROM chats WHERE unread_count > 0`).get()?.n ?? 0;
    },

    /**
     * Chats whose newest message (as the server last described it) is newer than what we hold in
     * sync, with their status: the work of a catch-up, read from the cache so that an interrupted
     * round leaves none of it behind.
     */
    behind(): { id: number; status: string; synced_id: number }[] {
      return sql<[], { id: number; status: string; synced_id: number }>(
        db,
        `SELECT c.id, c.status, COALESCE(s.synced_id, 0) AS synced_id FROM chats c LEFT JOIN chat_sync s ON s.chat_id = c.id
         WHERE c.latest_message_id > COALESCE(s.synced_id, 0) ORDER BY c.activity_at DESC, c.id DESC`,
      ).all();
    },

    allIds(): number[] {
      return sql<[], { id: number }>(db, 'SELECT id FROM chats').all().map((row) => row.id);
    },

    /** Forgets chats (and what we held of them) that the server no longer shows us. */
    remove(ids: number[]): void {
      for (const id of ids) {
        sql(db, 'DELETE FROM chats WHERE id = ?').run(id);
        sql(db, 'DELETE FROM messages WHERE chat_id = ? AND id > 0').run(id);
        sql(db, 'DELETE FROM chat_sync WHERE chat_id = ?').run(id);
        sql(db, 'DELETE FROM gaps WHERE chat_id = ?').run(id);
      }
    },
  };
}
