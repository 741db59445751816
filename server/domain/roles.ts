import type { Role } from '../../common/api';

/** Roles that may use the operator API (v1) and the desk. */
export function isOperator(user: { roles: readonly Role[] }): boolean {
  return user.roles.includes('admin') || user.roles.includes('moderator');
}

export function isAdmin(user: { roles: readonly Role[] }): boolean {
  return user.roles.includes('admin');
}
