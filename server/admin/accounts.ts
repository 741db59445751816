import { z } from 'zod';
import { ROLES, type Role } from '../../common/api';
import { passwordProblem } from '../auth/password-rules';
import { hashPassword } from '../auth/passwords';
import { InvalidFieldError } from '../domain/errors';
import type { UserRecord } from '../domain/records';
import { createUser, replacePassword } from '../domain/users';
import type { Store } from '../store/contract';

// Account changes made from a shell (npm run admin) and at first start; an admin API would call
// the same functions, so an account is checked the same way wherever it is made.

/** A refusal to show the person as is: what is wrong with what they asked. */
export class AccountProblem extends Error {}

const emailSchema = z.string().trim().email().max(255);
const nameSchema = z.string().trim().min(1).max(255);

export interface NewAccount {
  email: string;
  name: string;
  role: Role;
  sourceIds: number[];
  password: string;
}

export function roleOf(value: string): Role {
  const role = ROLES.find((candidate) => candidate === value);
  if (!role) throw new AccountProblem(`The role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(value)}.`);
  return role;
}

function checkedPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw new AccountProblem(problem);
  return password;
}

/** Creates an active user with one role; the new user's id. */
export async function createAccount(store: Store, account: NewAccount, now: number): Promise<number> {
  const email = emailSchema.safeParse(account.email);
  if (!email.success) throw new AccountProblem(`${JSON.stringify(account.email)} is not an e-mail address.`);
  const name = nameSchema.safeParse(account.name);
  if (!name.success) throw new AccountProblem('The name must be 1 to 255 characters.');
  const passwordHash = await hashPassword(checkedPassword(account.password));
  try {
    return await createUser(
      store,
      { email: email.data, name: name.data, passwordHash, role: account.role, sourceIds: account.sourceIds, departmentIds: [], isActive: true },
      now,
    );
  } catch (error) {
    // The same checks as the admin API's, told the way a shell user reads them.
    if (error instanceof InvalidFieldError) {
      if (error.errors.email) throw new AccountProblem(`A user with the e-mail ${email.data} already exists.`);
      if (error.errors.source_ids) {
        const missing = [];
        for (const id of account.sourceIds) if (!(await store.catalog.source(id))) missing.push(id);
        throw new AccountProblem(`There is no source ${missing.join(', ')}.`);
      }
      throw new AccountProblem(error.message);
    }
    throw error;
  }
}

export async function accountByEmail(store: Store, email: string): Promise<UserRecord> {
  const user = await store.users.byEmail(email.trim());
  if (!user) throw new AccountProblem(`There is no user with the e-mail ${email}.`);
  return user;
}

/**
 * Sets a new password. The user's logins end (a reset is often because the old one leaked); their
 * personal API tokens, held by integrations, stay.
 */
export async function setAccountPassword(store: Store, email: string, password: string, now: number): Promise<UserRecord> {
  const user = await accountByEmail(store, email);
  const passwordHash = await hashPassword(checkedPassword(password));
  await store.transaction((tx) => replacePassword(tx, user.id, passwordHash, now));
  return user;
}
