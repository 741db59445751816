import type { Role } from '../../common/api';

/** Roles that may use the operator API (v1) and the desk. */
export function isOperator(user: { roles: readonly Role[] }): boolean {
  return user.roles.includes('admin') || user.roles.includes('moderator');
}

export function isAdmin(user: { roles: readonly Role[] }): boolean {
  return user.roles.includes('admin');
}

/**
 * Who outranks whom when hiding messages (DESIGN §8.1): admin > moderator > employee > customer.
 * A user ranks by their highest role.
 */
export const RANKS = { customer: 0, employee: 1, moderator: 2, admin: 3 } as const;

export function rankOf(user: { roles: readonly Role[] }): number {
  if (user.roles.includes('admin')) return RANKS.admin;
  if (user.roles.includes('moderator')) return RANKS.moderator;
  return RANKS.employee;
}

/** The highest role, as dialects with a single `role` show it. */
export function highestRole(user: { roles: readonly Role[] }): Role {
  if (user.roles.includes('admin')) return 'admin';
  if (user.roles.includes('moderator')) return 'moderator';
  return 'employee';
}
