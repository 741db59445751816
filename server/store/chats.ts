import type { ChatStatus, ChatTab, SenderType } from '../../common/api';
import { containsPattern, sql, UNICODE_FOLD as FOLD, type Database } from './database';
import type { ChatListRow, ChatRow } from './rows';

/** Which chats a user may see at all (DESIGN §2). */
export type ChatScope =
  | { kind: 'everything' }
  | { kind: 'sources'; sourceIds: number[]; departmentIds: number[] };

export interface ChatListFilter {
  scope: ChatScope;
  userId: number;
  tab: ChatTab;
  /** `open` = every status but `closed`. */
  status?: 'open' | ChatStatus;
  sourceId?: number;
  departmentId?: number;
  search?: string;
}

export interface NewChat {
  sourceId: number;
  departmentId?: number | null;
  externalUserId: string;
  userMetadata: Record<string, unknown>;
  status?: ChatStatus;
  assignedTo?: number | null;
  isUrgent?: boolean;
  token?: string | null;
}

export type ChatPatch = Partial<Pick<ChatRow, 'status' | 'assigned_to' | 'is_urgent' | 'department_id' | 'closed_at' | 'user_metadata'>>;

const LIST_COLUMNS = `
  c.*, s.name AS source_name, s.type AS source_type, d.name AS department_name, a.name AS assignee_name,
  lm.text AS latest_text, lm.sender_type AS latest_sender_type, lm.created_at AS latest_created_at`;

const LIST_JOINS = `
  FROM chats c
  JOIN sources s ON s.id = c.source_id
  LEFT JOIN departments d ON d.id = c.department_id
  LEFT JOIN users a ON a.id = c.assigned_to
  LEFT JOIN messages lm ON lm.id = c.last_message_id`;

type Binding = string | number | null;

interface Where {
  clauses: string[];
  params: Binding[];
}

function scopeWhere(scope: ChatScope, where: Where): void {
  switch (scope.kind) {
    case 'everything':
      return;
    case 'sources': {
      if (scope.sourceIds.length === 0) {
        where.clauses.push('0');
        return;
      }
      where.clauses.push(`c.source_id IN (${scope.sourceIds.map(() => '?').join(',')})`);
      where.params.push(...scope.sourceIds);
      if (scope.departmentIds.length > 0) {
        where.clauses.push(`(c.department_id IS NULL OR c.department_id IN (${scope.departmentIds.map(() => '?').join(',')}))`);
        where.params.push(...scope.departmentIds);
      }
      return;
    }
    default: {
      const unreachable: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(unreachable)}`);
    }
  }
}

function searchWhere(search: string, where: Where): void {
  const like = containsPattern(search);
  const metadata = ['name', 'email', 'phone'].map((key) => `${FOLD}(json_extract(c.user_metadata, '$.${key}')) LIKE ? ESCAPE '\\'`);
  const parts = [`${FOLD}(c.external_user_id) LIKE ? ESCAPE '\\'`, ...metadata];
  const params: Binding[] = [like, like, like, like];
  // The trigram index needs three characters; shorter needles scan with LIKE.
  if ([...search].length >= 3) {
    parts.push(`c.id IN (SELECT m.chat_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?)`);
    params.push(`"${search.replace(/"/g, '""')}"`);
  } else {
    parts.push(`EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id AND ${FOLD}(m.text) LIKE ? ESCAPE '\\')`);
    params.push(like);
  }
  if (/^\d+$/.test(search)) {
    parts.push('c.id = ?');
    params.push(Number(search));
  }
  where.clauses.push(`(${parts.join(' OR ')})`);
  where.params.push(...params);
}

function filterWhere(filter: Omit<ChatListFilter, 'tab'>): Where {
  const where: Where = { clauses: [], params: [] };
  scopeWhere(filter.scope, where);
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
  if (filter.search) searchWhere(filter.search, where);
  return where;
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

function whereSql(where: Where): string {
  return where.clauses.length > 0 ? `WHERE ${where.clauses.join(' AND ')}` : '';
}

export function chatQueries(db: Database) {
  function count(where: Where): number {
    const row = sql<Binding[], { n: number }>(db, `SELECT COUNT(*) AS n FROM chats c ${whereSql(where)}`).get(...where.params);
    return row?.n ?? 0;
  }

  return {
    byId(id: number): ChatRow | undefined {
      return sql<[number], ChatRow>(db, 'SELECT * FROM chats WHERE id = ?').get(id);
    },

    listRow(id: number): ChatListRow | undefined {
      return sql<[number], ChatListRow>(db, `SELECT ${LIST_COLUMNS} ${LIST_JOINS} WHERE c.id = ?`).get(id);
    },

    /** One page of the chat list, newest activity first, with the totals the tab badges need. */
    list(filter: ChatListFilter, page: number, perPage: number) {
      const base = filterWhere(filter);
      const where = tabClause(filter.tab, filter.userId, base);
      const rows = sql<Binding[], ChatListRow>(
        db,
        `SELECT ${LIST_COLUMNS} ${LIST_JOINS} ${whereSql(where)}
         ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ? OFFSET ?`,
      ).all(...where.params, perPage, (page - 1) * perPage);
      const counts = {
        my: count(tabClause('my', filter.userId, base)),
        unassigned: count(tabClause('unassigned', filter.userId, base)),
        all: count(base),
      };
      return { rows, total: counts[filter.tab], counts };
    },

    create(chat: NewChat, now: number): number {
      return Number(
        sql(
          db,
          `INSERT INTO chats (source_id, department_id, external_user_id, user_metadata, status, assigned_to, is_urgent, token,
             last_activity_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          chat.sourceId,
          chat.departmentId ?? null,
          chat.externalUserId,
          JSON.stringify(chat.userMetadata),
          chat.status ?? 'new',
          chat.assignedTo ?? null,
          chat.isUrgent ? 1 : 0,
          chat.token ?? null,
          now,
          now,
          now,
        ).lastInsertRowid,
      );
    },

    /** The newest chat of this customer on this source that is not closed. */
    openForExternalUser(sourceId: number, externalUserId: string): ChatRow | undefined {
      return sql<[number, string], ChatRow>(
        db,
        `SELECT * FROM chats WHERE source_id = ? AND external_user_id = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1`,
      ).get(sourceId, externalUserId);
    },

    update(id: number, patch: ChatPatch, now: number): void {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
      if (entries.length === 0) return;
      // Column names come from the ChatPatch keys, never from input.
      const assignments = entries.map(([column]) => `${column} = ?`).join(', ');
      db.prepare(`UPDATE chats SET ${assignments}, updated_at = ?, last_activity_at = MAX(last_activity_at, ?) WHERE id = ?`).run(
        ...entries.map(([, value]) => value),
        now,
        now,
        id,
      );
    },

    /** Keeps the denormalised columns in step with a message just written to this chat. */
    recordMessage(chatId: number, message: { id: number; sender_type: SenderType; created_at: number; is_read: boolean }): void {
      switch (message.sender_type) {
        case 'client':
          sql(
            db,
            `UPDATE chats SET last_message_id = @message, last_message_at = @at, last_activity_at = MAX(last_activity_at, @at),
               unread_count = unread_count + @unread, waiting_since = COALESCE(waiting_since, @at), updated_at = @at WHERE id = @chat`,
          ).run({ message: message.id, at: message.created_at, chat: chatId, unread: message.is_read ? 0 : 1 });
          return;
        case 'operator':
          sql(
            db,
            `UPDATE chats SET last_message_id = @message, last_message_at = @at, last_activity_at = MAX(last_activity_at, @at),
               waiting_since = NULL, updated_at = @at WHERE id = @chat`,
          ).run({ message: message.id, at: message.created_at, chat: chatId });
          return;
        case 'system':
          sql(
            db,
            `UPDATE chats SET last_message_id = @message, last_message_at = @at, last_activity_at = MAX(last_activity_at, @at),
               updated_at = @at WHERE id = @chat`,
          ).run({ message: message.id, at: message.created_at, chat: chatId });
          return;
        default: {
          const unreachable: never = message.sender_type;
          throw new Error(`unknown sender type ${String(unreachable)}`);
        }
      }
    },

    /** Marks client messages up to `upToId` read; returns how many changed. */
    markRead(chatId: number, upToId: number, now: number): number {
      const changed = sql(
        db,
        `UPDATE messages SET is_read = 1, updated_at = ? WHERE chat_id = ? AND sender_type = 'client' AND is_read = 0 AND id <= ?`,
      ).run(now, chatId, upToId).changes;
      if (changed > 0) {
        // The chat changed (updated_at), but reading is not activity: the list order stays.
        sql(
          db,
          `UPDATE chats SET unread_count = (SELECT COUNT(*) FROM messages WHERE chat_id = @chat AND sender_type = 'client' AND is_read = 0),
             updated_at = @now
           WHERE id = @chat`,
        ).run({ chat: chatId, now });
      }
      return changed;
    },
  };
}
