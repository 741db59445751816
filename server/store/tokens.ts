import { sql, type Database } from './database';
import type { AccessTokenRow, DeviceTokenRow } from './rows';
import type { DevicePlatform } from '../../common/api';

export function tokenQueries(db: Database) {
  return {
    create(userId: number, name: string, tokenHash: string, expiresAt: number | null, now: number): number {
      return Number(
        sql(
          db,
          `INSERT INTO access_tokens (user_id, name, token_hash, expires_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(userId, name, tokenHash, expiresAt, now, now).lastInsertRowid,
      );
    },

    byId(id: number): AccessTokenRow | undefined {
      return sql<[number], AccessTokenRow>(db, 'SELECT * FROM access_tokens WHERE id = ?').get(id);
    },

    byHash(tokenHash: string): AccessTokenRow | undefined {
      return sql<[string], AccessTokenRow>(db, 'SELECT * FROM access_tokens WHERE token_hash = ?').get(tokenHash);
    },

    touch(id: number, now: number): void {
      sql(db, 'UPDATE access_tokens SET last_used_at = ? WHERE id = ?').run(now, id);
    },

    revoke(id: number): void {
      sql(db, 'DELETE FROM access_tokens WHERE id = ?').run(id);
    },
  };
}

export function deviceQueries(db: Database) {
  return {
    /** One row per device token: registering a token another user had moves it to this user. */
    upsert(userId: number, token: string, platform: DevicePlatform, now: number): DeviceTokenRow {
      const row = sql<[number, string, string, number, number], DeviceTokenRow>(
        db,
        `INSERT INTO device_tokens (user_id, token, platform, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform, updated_at = excluded.updated_at
         RETURNING *`,
      ).get(userId, token, platform, now, now);
      if (!row) throw new Error('device token upsert returned no row');
      return row;
    },

    removeForUser(userId: number, token: string): boolean {
      return sql(db, 'DELETE FROM device_tokens WHERE user_id = ? AND token = ?').run(userId, token).changes > 0;
    },
  };
}
