import type { Role } from '../../common/api';
import type { Clock } from '../clock';
import type { Store, StoreQueries } from '../store/contract';
import type { AccessEventSink } from './access-events';
import { InvalidFieldError, NotVisibleError } from './errors';
import type { UserRecord } from './records';
import { isAdmin } from './roles';

// Operator accounts as administrators (the admin API, the CLI) change them. Who sees what follows
// from the stored role, sources and departments (server/domain/visibility.ts reads them on every
// request), so a change here is a change of what the user sees; the realtime side is told through
// the access events, because it holds subscriptions decided under the old scope.

export interface NewUserAccount {
  name: string;
  email: string;
  role: Role;
  /** Already hashed: the password rule is checked where the password is read. */
  passwordHash: string;
  sourceIds: number[];
  departmentIds: number[];
  isActive: boolean;
}

export interface AccountChange {
  name?: string;
  email?: string;
  role?: Role;
  sourceIds?: number[];
  departmentIds?: number[];
  isActive?: boolean;
}

const LAST_ADMIN = 'The last active administrator must stay an active administrator.';

async function userOrMissing(tx: StoreQueries, id: number): Promise<UserRecord> {
  const user = await tx.users.byId(id);
  if (!user) throw new NotVisibleError('user');
  return user;
}

async function checkEmailFree(tx: StoreQueries, email: string, exceptId: number | null): Promise<void> {
  const holder = await tx.users.byEmail(email);
  if (holder && holder.id !== exceptId) throw InvalidFieldError.field('email', 'The email has already been taken.');
}

/** Every id names an existing source and department; else a 422 on that field. */
async function checkScopes(tx: StoreQueries, sourceIds: readonly number[] | undefined, departmentIds: readonly number[] | undefined): Promise<void> {
  const errors: Record<string, string[]> = {};
  for (const id of sourceIds ?? []) {
    if (!(await tx.catalog.source(id))) {
      errors.source_ids = ['The selected source ids is invalid.'];
      break;
    }
  }
  for (const id of departmentIds ?? []) {
    if (!(await tx.catalog.department(id))) {
      errors.department_ids = ['The selected department ids is invalid.'];
      break;
    }
  }
  if (Object.keys(errors).length > 0) throw new InvalidFieldError(errors);
}

/** Checked inside the transaction that made the change, so the change rolls back with the refusal. */
async function keepAnAdmin(tx: StoreQueries, field: string): Promise<void> {
  if ((await tx.users.activeAdminCount()) === 0) throw InvalidFieldError.field(field, LAST_ADMIN);
}

/** Creates an account; its id. The e-mail must be free and every source and department exist. */
export async function createUser(store: Store, account: NewUserAccount, now: number): Promise<number> {
  return store.transaction(async (tx) => {
    await checkEmailFree(tx, account.email, null);
    await checkScopes(tx, account.sourceIds, account.departmentIds);
    return tx.users.create(
      {
        name: account.name,
        email: account.email,
        passwordHash: account.passwordHash,
        roles: [account.role],
        sourceIds: account.sourceIds,
        departmentIds: account.departmentIds,
        isActive: account.isActive,
      },
      now,
    );
  });
}

/**
 * Sets a password hash and ends the user's logins (a reset is often because the old one leaked);
 * their personal API tokens, held by integrations, stay. The revoked login tokens' ids.
 */
export async function replacePassword(tx: StoreQueries, userId: number, passwordHash: string, now: number): Promise<number[]> {
  await tx.users.setPasswordHash(userId, passwordHash, now);
  const sessions = await tx.tokens.listOf(userId, 'session');
  for (const session of sessions) await tx.tokens.revoke(session.id);
  return sessions.map((session) => session.id);
}

/** Changes to operator accounts that end or change access elsewhere; the admin API and the CLI call these. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly access: AccessEventSink,
    private readonly clock: Clock,
  ) {}

  /**
   * Changes an account in one transaction: all of it or, refused, none of it. A change of role,
   * sources or departments changes what the user sees: their realtime sockets reconnect, so that
   * every channel is decided again and their desk reads again what it now sees. Deactivating
   * revokes every token of theirs (logins and personal API tokens; reactivating brings none back)
   * and closes their sockets before this resolves. No change may leave no active administrator.
   */
  async update(id: number, change: AccountChange): Promise<UserRecord> {
    // Two administrators demoting each other at once would each still see the other as active in
    // their own transaction (PostgreSQL's read committed): changes that may remove an admin take turns.
    const mayRemoveAnAdmin = change.isActive === false || change.role !== undefined;
    const apply = () => this.apply(id, change);
    const before = mayRemoveAnAdmin ? await this.store.serialized('admin-accounts', apply) : await apply();
    const after = await userOrMissing(this.store, id);
    const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((value, index) => value === b[index]);
    if (change.isActive === false) {
      await this.access.accessChanged({ type: 'user.deactivated', userId: id });
    } else if (after.is_active && (!same(before.roles, after.roles) || !same(before.source_ids, after.source_ids) || !same(before.department_ids, after.department_ids))) {
      await this.access.accessChanged({ type: 'user.scope_changed', userId: id });
    }
    return after;
  }

  /** The stored part of `update`; the account as it was before. */
  private apply(id: number, change: AccountChange): Promise<UserRecord> {
    return this.store.transaction(async (tx) => {
      const user = await userOrMissing(tx, id);
      if (change.email !== undefined) await checkEmailFree(tx, change.email, id);
      await checkScopes(tx, change.sourceIds, change.departmentIds);
      const now = this.clock.now();
      await tx.users.update(
        id,
        {
          name: change.name,
          email: change.email,
          roles: change.role === undefined ? undefined : [change.role],
          sourceIds: change.sourceIds,
          departmentIds: change.departmentIds,
        },
        now,
      );
      if (change.isActive !== undefined) await tx.users.setActive(id, change.isActive, now);
      // Even when already inactive: a token issued to an inactive account must not outlive a deactivation.
      if (change.isActive === false) for (const tokenId of await tx.tokens.idsOf(id)) await tx.tokens.revoke(tokenId);
      const wasActiveAdmin = user.is_active && isAdmin(user);
      if (wasActiveAdmin && change.isActive === false) await keepAnAdmin(tx, 'is_active');
      else if (wasActiveAdmin && change.role !== undefined && change.role !== 'admin') await keepAnAdmin(tx, 'role');
      return user;
    });
  }

  /** Sets a password (already hashed); the user's logins end, and the subscriptions they authorised. */
  async setPassword(id: number, passwordHash: string): Promise<UserRecord> {
    const revoked = await this.store.transaction(async (tx) => {
      await userOrMissing(tx, id);
      return replacePassword(tx, id, passwordHash, this.clock.now());
    });
    for (const tokenId of revoked) await this.access.accessChanged({ type: 'access.revoked', tokenId });
    return userOrMissing(this.store, id);
  }

  /** Deactivates a user (see `update`). */
  deactivate(userId: number): Promise<UserRecord> {
    return this.update(userId, { isActive: false });
  }

  /** Lets the user sign in again; none of their old tokens comes back. */
  activate(userId: number): Promise<UserRecord> {
    return this.update(userId, { isActive: true });
  }
}
