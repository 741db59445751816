import type { AccessTokenRecord, DeviceTokenRecord } from '../../domain/records';
import type { DeviceQueries, TokenQueries } from '../contract';
import { placeholders, type Executor } from '../executor';
import type { AccessTokenRow } from '../rows';

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
    async create(userId, name, tokenHash, expiresAt, now, kind = 'session') {
      const row = await db.get<{ id: number }>(
        `INSERT INTO access_tokens (user_id, name, token_hash, kind, expires_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [userId, name, tokenHash, kind, expiresAt, now, now],
      );
      if (!row) throw new Error('token insert returned no id');
      return row.id;
    },

    async listOf(userId, kind) {
      const rows = await db.all<AccessTokenRow>('SELECT * FROM access_tokens WHERE user_id = ? AND kind = ? ORDER BY id', [userId, kind]);
      return rows.flatMap((row) => tokenRecord(row) ?? []);
    },

    async idsOf(userId) {
      return (await db.all<{ id: number }>('SELECT id FROM access_tokens WHERE user_id = ? ORDER BY id', [userId])).map((row) => row.id);
    },

    async existing(ids) {
      const found = new Set<number>();
      // In slices: a database bounds how many values one statement may bind.
      for (let start = 0; start < ids.length; start += 500) {
        const slice = ids.slice(start, start + 500);
        const rows = await db.all<{ id: number }>(`SELECT id FROM access_tokens WHERE id IN (${placeholders(slice.length)})`, slice);
        for (const row of rows) found.add(Number(row.id));
      }
      return found;
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
    async register(session, token, platform, now) {
      // The conflict branch updates only when the row is the caller's already or no live session
      // holds it; otherwise it changes nothing and returns no row. One statement, so two accounts
      // registering the same token at once cannot both win. "Live" is Authenticator.resolve's rule
      // in SQL: the access token exists, has not expired, and its user is active. A row from before
      // sessions were recorded (access_token_id NULL) is held while its user has any live session.
      return db.get<DeviceTokenRecord>(
        `INSERT INTO device_tokens (user_id, token, platform, access_token_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, platform = excluded.platform,
           access_token_id = excluded.access_token_id, updated_at = excluded.updated_at
         WHERE device_tokens.user_id = excluded.user_id OR NOT EXISTS (
           SELECT 1 FROM access_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.user_id = device_tokens.user_id
             AND (t.id = device_tokens.access_token_id OR device_tokens.access_token_id IS NULL)
             AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.is_active = 1
         )
         RETURNING *`,
        [session.userId, token, platform, session.accessTokenId, now, now, now],
      );
    },

    async removeForUser(userId, token) {
      return (await db.run('DELETE FROM device_tokens WHERE user_id = ? AND token = ?', [userId, token])) > 0;
    },
  };
}
