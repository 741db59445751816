import type { AccessTokenRecord, DeviceTokenRecord } from '../../domain/records';
import type { DeviceQueries, TokenQueries } from '../contract';
import type { Executor } from '../executor';
import type { AccessTokenRow, DeviceTokenRow } from '../rows';

function abilitiesOf(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function tokenRecord(row: AccessTokenRow | undefined): AccessTokenRecord | undefined {
  return row && { ...row, abilities: abilitiesOf(row.abilities) };
}

export function tokenQueries(db: Executor): TokenQueries {
  return {
    async create(userId, name, tokenHash, expiresAt, now) {
      const row = await db.get<{ id: number }>(
        `INSERT INTO access_tokens (user_id, name, token_hash, expires_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
        [userId, name, tokenHash, expiresAt, now, now],
      );
      if (!row) throw new Error('token insert returned no id');
      return row.id;
    },

    async byId(id) {
      return tokenRecord(await db.get<AccessTokenRow>('SELECT * FROM access_tokens WHERE id = ?', [id]));
    },

    async byHash(tokenHash) {
      return tokenRecord(await db.get<AccessTokenRow>('SELECT * FROM access_tokens WHERE token_hash = ?', [tokenHash]));
    },

    async touch(id, now) {
      await db.run('UPDATE access_tokens SET last_used_at = ? WHERE id = ?', [now, id]);
    },

    async revoke(id) {
      await db.run('DELETE FROM access_tokens WHERE id = ?', [id]);
    },
  };
}

export function deviceQueries(db: Executor): DeviceQueries {
  return {
    async upsert(userId, token, platform, now): Promise<DeviceTokenRecord> {
      const row = await db.get<DeviceTokenRow>(
        `INSERT INTO device_tokens (user_id, token, platform, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform, updated_at = excluded.updated_at
         RETURNING *`,
        [userId, token, platform, now, now],
      );
      if (!row) throw new Error('device token upsert returned no row');
      return row;
    },

    async removeForUser(userId, token) {
      return (await db.run('DELETE FROM device_tokens WHERE user_id = ? AND token = ?', [userId, token])) > 0;
    },
  };
}
