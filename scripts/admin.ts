// `npm run admin -- <command>`: accounts and tokens from a shell, on the database the server uses
// (the same environment: DATA_DIR, SWITCHBOARD_DATABASE, SWITCHBOARD_DATABASE_URL, or --data-dir).
import { parseArgs } from 'node:util';
import { AccountProblem, accountByEmail, createAccount, roleOf, setAccountPassword } from '../server/admin/accounts';
import { storeLocation } from '../server/admin/store-config';
import { Authenticator } from '../server/auth/authenticator';
import { systemClock } from '../server/clock';
import { UserService } from '../server/domain/users';
import { openStore } from '../server/store';
import type { Store } from '../server/store/contract';
import { readNewPassword } from './admin/read-password';

const USAGE = `Usage: npm run admin -- <command> [--data-dir DIR]

  user:create --email EMAIL --name NAME --role admin|moderator|employee [--source ID ...]
  user:password --email EMAIL
  user:deactivate --email EMAIL      (revokes the user's logins and API tokens)
  token:create --email EMAIL --name NAME   (prints a personal API token, once)

Passwords are read from stdin when it is piped, else from a hidden prompt; never from an argument.`;

class UsageError extends Error {}

/** Realtime subscriptions live in the server's process; the revoked tokens end them at their next check there. */
const noAccessSink = { accessChanged: () => Promise.resolve() };

type Values = { email?: string; name?: string; role?: string; source?: string[] };

function required(values: Values, key: 'email' | 'name' | 'role'): string {
  const value = values[key];
  if (!value) throw new UsageError(`--${key} is required`);
  return value;
}

function sourceIds(values: Values): number[] {
  return (values.source ?? []).map((text) => {
    if (!/^\d{1,15}$/.test(text)) throw new UsageError(`--source takes a source id, not ${JSON.stringify(text)}`);
    return Number(text);
  });
}

async function run(command: string, values: Values, store: Store): Promise<void> {
  const now = systemClock.now();
  switch (command) {
    case 'user:create': {
      const account = { email: required(values, 'email'), name: required(values, 'name'), role: roleOf(required(values, 'role')), sourceIds: sourceIds(values) };
      const id = await createAccount(store, { ...account, password: await readNewPassword() }, now);
      console.log(`created ${account.role} ${account.email} (user ${id})`);
      return;
    }
    case 'user:password': {
      const email = required(values, 'email');
      await accountByEmail(store, email);
      const user = await setAccountPassword(store, email, await readNewPassword(), now);
      console.log(`set the password of ${user.email}; their logins were signed out`);
      return;
    }
    case 'user:deactivate': {
      const user = await accountByEmail(store, required(values, 'email'));
      const tokens = (await store.tokens.idsOf(user.id)).length;
      await new UserService(store, noAccessSink, systemClock).deactivate(user.id);
      console.log(`deactivated ${user.email}; ${tokens} token(s) revoked`);
      return;
    }
    case 'token:create': {
      const user = await accountByEmail(store, required(values, 'email'));
      if (!user.is_active) throw new AccountProblem(`${user.email} is deactivated.`);
      const token = await new Authenticator(store, null, systemClock, noAccessSink).issue(user.id, required(values, 'name'), 'personal');
      // The token alone on stdout (for `$(npm run -s admin -- token:create …)`), the advice on stderr.
      console.error(`a personal API token for ${user.email}; it is shown only now:`);
      console.log(token);
      return;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        source: { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) {
    console.error(`unexpected ${extra.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  const store = await openStore(storeLocation(process.env, values['data-dir']));
  try {
    await run(command, values, store);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AccountProblem) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
