import type { OutboxKind } from '../../../common/bridge';
import { sql, type Database } from './database';
import type { OutboxErrorKind, OutboxRecord } from './rows';

export interface NewOutboxEntry {
  id: string;
  chatId: number;
  kind: OutboxKind;
  payload: Record<string, unknown>;
}

const ACTIVE = `state IN ('pending', 'sending')`;

export function outboxQueries(db: Database) {
  return {
    add(entry: NewOutboxEntry, now: number): OutboxRecord {
      const row = sql<[string, number, string, string, number, number], OutboxRecord>(
        db,
        `INSERT INTO outbox (id, chat_id, kind, payload, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING *`,
      ).get(entry.id, entry.chatId, entry.kind, JSON.stringify(entry.payload), now, now);
      if (!row) throw new Error('outbox insert returned nothing');
      return row;
    },

    byId(id: string): OutboxRecord | undefined {
      return sql<[string], OutboxRecord>(db, 'SELECT * FROM outbox WHERE id = ?').get(id);
    },

    all(): OutboxRecord[] {
      return sql<[], OutboxRecord>(db, 'SELECT * FROM outbox ORDER BY seq').all();
    },

    forChats(chatIds: number[]): OutboxRecord[] {
      if (chatIds.length === 0) return [];
      return db.prepare<number[], OutboxRecord>(`SELECT * FROM outbox WHERE chat_id IN (${chatIds.map(() => '?').join(', ')}) ORDER BY seq`).all(...chatIds);
    },

    /** The first unfinished entry of every chat: per-chat order means only these may go. Failed entries are skipped. */
    heads(): OutboxRecord[] {
      return sql<[], OutboxRecord>(
        db,
        `SELECT * FROM outbox o WHERE ${ACTIVE}
           AND o.seq = (SELECT MIN(seq) FROM outbox i WHERE i.chat_id = o.chat_id AND i.${ACTIVE})
         ORDER BY o.seq`,
      ).all();
    },

    /** A queued mark-read of this chat not yet sent, to fold a newer one into. */
    queuedMarkRead(chatId: number): OutboxRecord | undefined {
      return sql<[number], OutboxRecord>(db, `SELECT * FROM outbox WHERE chat_id = ? AND kind = 'mark-read' AND state = 'pending' ORDER BY seq DESC LIMIT 1`).get(
        chatId,
      );
    },

    setPayload(id: string, payload: Record<string, unknown>, now: number): void {
      sql(db, 'UPDATE outbox SET payload = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(payload), now, id);
    },

    markSending(id: string, now: number): boolean {
      return sql(db, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`).run(now, id).changes > 0;
    },

    /** Back to waiting, until `nextAttemptAt`. */
    reschedule(id: string, nextAttemptAt: number | null, kind: OutboxErrorKind, error: string, status: number | null, now: number): void {
      sql(
        db,
        `UPDATE outbox SET state = 'pending', next_attempt_at = ?, error_kind = ?, error = ?, error_status = ?, updated_at = ? WHERE id = ?`,
      ).run(nextAttemptAt, kind, error, status, now, id);
    },

    fail(id: string, error: string, status: number | null, now: number): void {
      sql(
        db,
        `UPDATE outbox SET state = 'failed', next_attempt_at = NULL, error_kind = 'refused', error = ?, error_status = ?, updated_at = ? WHERE id = ?`,
      ).run(error, status, now, id);
    },

    /** The user asked to try again: now, with a fresh backoff. */
    retry(id: string, now: number): boolean {
      return (
        sql(
          db,
          `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = NULL, error_kind = NULL, error = NULL, error_status = NULL,
             updated_at = ? WHERE id = ? AND state <> 'sending'`,
        ).run(now, id).changes > 0
      );
    },

    remove(id: string): OutboxRecord | undefined {
      return sql<[string], OutboxRecord>(db, 'DELETE FROM outbox WHERE id = ? RETURNING *').get(id);
    },

    /** After a crash: whatever was in flight goes again (client_message_id makes a repeated send harmless). */
    resetInterrupted(now: number): OutboxRecord[] {
      return sql<[number], OutboxRecord>(db, `UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'sending' RETURNING *`).all(now);
    },

    /** The server is reachable again: entries waiting out a network or server failure go now. */
    wakeAfterOutage(now: number): number {
      return sql(
        db,
        `UPDATE outbox SET next_attempt_at = NULL, updated_at = ? WHERE state = 'pending' AND error_kind IN ('network', 'server') AND next_attempt_at IS NOT NULL`,
      ).run(now).changes;
    },
  };
}
