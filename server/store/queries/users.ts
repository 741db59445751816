import type { Role } from '../../../common/api';
import type { UserRecord } from '../../domain/records';
import type { NewUser, UserQueries } from '../contract';
import { sqlFragments, type Executor } from '../executor';
import type { UserRow } from '../rows';

/** Roles, sources and departments of one user in one round trip. */
const SCOPES = `
  SELECT 'role' AS kind, role AS value FROM user_roles WHERE user_id = ?
  UNION ALL SELECT 'source', CAST(source_id AS TEXT) FROM user_sources WHERE user_id = ?
  UNION ALL SELECT 'department', CAST(department_id AS TEXT) FROM user_departments WHERE user_id = ?`;

export function userQueries(db: Executor): UserQueries {
  const sql = sqlFragments(db.dialect);

  async function withScopes(row: UserRow | undefined): Promise<UserRecord | undefined> {
    if (!row) return undefined;
    const scopes = await db.all<{ kind: string; value: string }>(SCOPES, [row.id, row.id, row.id]);
    const roles: Role[] = [];
    const sourceIds: number[] = [];
    const departmentIds: number[] = [];
    for (const scope of scopes) {
      if (scope.kind === 'role' && (scope.value === 'admin' || scope.value === 'moderator' || scope.value === 'employee')) roles.push(scope.value);
      else if (scope.kind === 'source') sourceIds.push(Number(scope.value));
      else if (scope.kind === 'department') departmentIds.push(Number(scope.value));
    }
    const byNumber = (a: number, b: number) => a - b;
    return {
      ...row,
      is_active: row.is_active === 1,
      roles: roles.sort(),
      source_ids: sourceIds.sort(byNumber),
      department_ids: departmentIds.sort(byNumber),
    };
  }

  return {
    async byId(id) {
      return withScopes(await db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]));
    },

    async byEmail(email) {
      return withScopes(await db.get<UserRow>(`SELECT * FROM users WHERE ${sql.emailMatches}`, [email]));
    },

    async count() {
      return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
    },

    async create(user: NewUser, now) {
      const row = await db.get<{ id: number }>(
        `INSERT INTO users (name, email, password_hash, is_active, phone, position, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [user.name, user.email, user.passwordHash, user.isActive === false ? 0 : 1, user.phone ?? null, user.position ?? null, now, now],
      );
      if (!row) throw new Error('user insert returned no id');
      for (const role of user.roles) await db.run('INSERT INTO user_roles (user_id, role) VALUES (?, ?)', [row.id, role]);
      for (const sourceId of user.sourceIds ?? []) await db.run('INSERT INTO user_sources (user_id, source_id) VALUES (?, ?)', [row.id, sourceId]);
      for (const departmentId of user.departmentIds ?? []) {
        await db.run('INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)', [row.id, departmentId]);
      }
      return row.id;
    },

    async setActive(id, active, now) {
      await db.run('UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?', [active ? 1 : 0, now, id]);
    },

    async viewersOf(chat) {
      // The SQL form of common/visibility.ts: admins; moderators of the source (and department, when
      // they have departments and the chat has one); and everyone who takes part in the chat.
      const department =
        chat.department_id === null
          ? ''
          : `AND (NOT EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id)
                  OR EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.department_id = ?))`;
      const params = chat.department_id === null ? [chat.source_id, chat.id] : [chat.source_id, chat.department_id, chat.id];
      const rows = await db.all<{ id: number }>(
        `SELECT u.id FROM users u
         WHERE u.is_active = 1 AND (
           EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin')
           OR (
             EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'moderator')
             AND EXISTS (SELECT 1 FROM user_sources s WHERE s.user_id = u.id AND s.source_id = ?)
             ${department}
           )
           OR EXISTS (SELECT 1 FROM chat_participants p WHERE p.chat_id = ? AND p.user_id = u.id)
         )
         ORDER BY u.id`,
        params,
      );
      return rows.map((r) => r.id);
    },

    async operators() {
      const rows = await db.all<UserRow>(
        `SELECT u.* FROM users u WHERE u.is_active = 1
         AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('admin', 'moderator'))
         ORDER BY u.name, u.id`,
      );
      const records: UserRecord[] = [];
      for (const row of rows) {
        const record = await withScopes(row);
        if (record) records.push(record);
      }
      return records;
    },
  };
}
