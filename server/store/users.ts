import type { Role } from '../../common/api';
import { sql, type Database } from './database';
import type { UserRecord, UserRow } from './rows';

export interface NewUser {
  name: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  sourceIds?: number[];
  departmentIds?: number[];
  isActive?: boolean;
  phone?: string | null;
  position?: string | null;
}

export function userQueries(db: Database) {
  function withScopes(row: UserRow | undefined): UserRecord | undefined {
    if (!row) return undefined;
    const roles = sql<[number], { role: Role }>(db, 'SELECT role FROM user_roles WHERE user_id = ? ORDER BY role')
      .all(row.id)
      .map((r) => r.role);
    const sourceIds = sql<[number], { source_id: number }>(db, 'SELECT source_id FROM user_sources WHERE user_id = ? ORDER BY source_id')
      .all(row.id)
      .map((r) => r.source_id);
    const departmentIds = sql<[number], { department_id: number }>(
      db,
      'SELECT department_id FROM user_departments WHERE user_id = ? ORDER BY department_id',
    )
      .all(row.id)
      .map((r) => r.department_id);
    return { ...row, roles, source_ids: sourceIds, department_ids: departmentIds };
  }

  return {
    byId(id: number): UserRecord | undefined {
      return withScopes(sql<[number], UserRow>(db, 'SELECT * FROM users WHERE id = ?').get(id));
    },

    byEmail(email: string): UserRecord | undefined {
      return withScopes(sql<[string], UserRow>(db, 'SELECT * FROM users WHERE email = ?').get(email));
    },

    count(): number {
      return sql<[], { n: number }>(db, 'SELECT COUNT(*) AS n FROM users').get()?.n ?? 0;
    },

    create(user: NewUser, now: number): number {
      const id = Number(
        sql(
          db,
          `INSERT INTO users (name, email, password_hash, is_active, phone, position, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(user.name, user.email, user.passwordHash, user.isActive === false ? 0 : 1, user.phone ?? null, user.position ?? null, now, now)
          .lastInsertRowid,
      );
      for (const role of user.roles) sql(db, 'INSERT INTO user_roles (user_id, role) VALUES (?, ?)').run(id, role);
      for (const sourceId of user.sourceIds ?? []) sql(db, 'INSERT INTO user_sources (user_id, source_id) VALUES (?, ?)').run(id, sourceId);
      for (const departmentId of user.departmentIds ?? []) {
        sql(db, 'INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)').run(id, departmentId);
      }
      return id;
    },

    setActive(id: number, active: boolean, now: number): void {
      sql(db, 'UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?').run(active ? 1 : 0, now, id);
    },

    /**
     * Active operators (admin or moderator) who can see a chat of this source and department:
     * the audience of its per-user realtime events.
     */
    viewersOf(sourceId: number, departmentId: number | null): number[] {
      return sql<[{ source: number; department: number | null }], { id: number }>(
        db,
        `SELECT u.id FROM users u
         WHERE u.is_active = 1 AND (
           EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin')
           OR (
             EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'moderator')
             AND EXISTS (SELECT 1 FROM user_sources s WHERE s.user_id = u.id AND s.source_id = @source)
             AND (
               @department IS NULL
               OR NOT EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id)
               OR EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.department_id = @department)
             )
           )
         )
         ORDER BY u.id`,
      )
        .all({ source: sourceId, department: departmentId })
        .map((r) => r.id);
    },

    /** Active admins and moderators, for the transfer picker. */
    operators(): UserRecord[] {
      return sql<[], UserRow>(
        db,
        `SELECT u.* FROM users u WHERE u.is_active = 1
         AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('admin', 'moderator'))
         ORDER BY u.name, u.id`,
      )
        .all()
        .flatMap((row) => {
          const record = withScopes(row);
          return record ? [record] : [];
        });
    },
  };
}
