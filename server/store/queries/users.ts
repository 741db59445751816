import type { Role } from '../../../common/api';
import type { UserRecord } from '../../domain/records';
import type { NewUser, UserListFilter, UserPatch, UserQueries } from '../contract';
import { containsPattern, sqlFragments, type Binding, type Executor } from '../executor';
import type { UserRow } from '../rows';

type UserWithScopesRow = UserRow & { role_list: string | null; source_list: string | null; department_list: string | null };

const ROLES = new Set<string>(['admin', 'moderator', 'employee']);
const isRole = (value: string): value is Role => ROLES.has(value);
const numbers = (list: string | null) => (list ? list.split(',').map(Number).sort((a, b) => a - b) : []);

export function userQueries(db: Executor): UserQueries {
  const sql = sqlFragments(db.dialect);
  // A user with their roles, sources and departments in one statement: every authenticated request reads one.
  const SELECT_USER = `SELECT u.*,
      ${sql.listOf('r.role', 'FROM user_roles r WHERE r.user_id = u.id')} AS role_list,
      ${sql.listOf('CAST(s.source_id AS TEXT)', 'FROM user_sources s WHERE s.user_id = u.id')} AS source_list,
      ${sql.listOf('CAST(d.department_id AS TEXT)', 'FROM user_departments d WHERE d.user_id = u.id')} AS department_list
    FROM users u`;

  function userRecord(row: UserWithScopesRow | undefined): UserRecord | undefined {
    if (!row) return undefined;
    // Picked one by one: a rest copy of a driver's row object is slow (see chats.ts chatFields).
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      password_hash: row.password_hash,
      phone: row.phone,
      position: row.position,
      avatar: row.avatar,
      created_at: row.created_at,
      updated_at: row.updated_at,
      is_active: row.is_active === 1,
      roles: (row.role_list ? row.role_list.split(',').filter(isRole) : []).sort(),
      source_ids: numbers(row.source_list),
      department_ids: numbers(row.department_list),
    };
  }

  function listWhere(filter: UserListFilter): { where: string; params: Binding[] } {
    const clauses: string[] = [];
    const params: Binding[] = [];
    if (filter.search) {
      const like = containsPattern(filter.search);
      clauses.push(`(${sql.fold('u.name')} LIKE ? ESCAPE '\\' OR ${sql.fold('u.email')} LIKE ? ESCAPE '\\')`);
      params.push(like, like);
    }
    if (filter.role) {
      clauses.push('EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)');
      params.push(filter.role);
    }
    if (filter.isActive !== undefined) {
      clauses.push('u.is_active = ?');
      params.push(filter.isActive ? 1 : 0);
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  return {
    async byId(id) {
      return userRecord(await db.get<UserWithScopesRow>(`${SELECT_USER} WHERE u.id = ?`, [id]));
    },

    async byEmail(email) {
      return userRecord(await db.get<UserWithScopesRow>(`${SELECT_USER} WHERE ${sql.emailMatches}`, [email]));
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

    async setPasswordHash(id, passwordHash, now) {
      await db.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [passwordHash, now, id]);
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

    async list(filter, page, perPage) {
      const { where, params } = listWhere(filter);
      const rows = await db.all<UserWithScopesRow>(`${SELECT_USER} ${where} ORDER BY u.name, u.id LIMIT ? OFFSET ?`, [...params, perPage, (page - 1) * perPage]);
      const total = (await db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM users u ${where}`, params))?.n ?? 0;
      return { rows: rows.flatMap((row) => userRecord(row) ?? []), total: Number(total) };
    },

    async update(id, patch: UserPatch, now) {
      const current = await db.get<{ name: string; email: string }>('SELECT name, email FROM users WHERE id = ?', [id]);
      if (!current) return false;
      await db.run('UPDATE users SET name = ?, email = ?, updated_at = ? WHERE id = ?', [patch.name ?? current.name, patch.email ?? current.email, now, id]);
      if (patch.roles) {
        await db.run('DELETE FROM user_roles WHERE user_id = ?', [id]);
        for (const role of patch.roles) await db.run('INSERT INTO user_roles (user_id, role) VALUES (?, ?)', [id, role]);
      }
      if (patch.sourceIds) {
        await db.run('DELETE FROM user_sources WHERE user_id = ?', [id]);
        for (const sourceId of patch.sourceIds) await db.run('INSERT INTO user_sources (user_id, source_id) VALUES (?, ?)', [id, sourceId]);
      }
      if (patch.departmentIds) {
        await db.run('DELETE FROM user_departments WHERE user_id = ?', [id]);
        for (const departmentId of patch.departmentIds) await db.run('INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)', [id, departmentId]);
      }
      return true;
    },

    async activeAdminCount() {
      const row = await db.get<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM users u WHERE u.is_active = 1 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'admin')`,
      );
      return Number(row?.n ?? 0);
    },

    async operators() {
      const rows = await db.all<UserWithScopesRow>(
        `${SELECT_USER} WHERE u.is_active = 1
         AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('admin', 'moderator'))
         ORDER BY u.name, u.id`,
      );
      return rows.flatMap((row) => userRecord(row) ?? []);
    },
  };
}
