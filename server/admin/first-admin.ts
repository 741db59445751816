import type { Logger } from '../logger';
import type { Store } from '../store/contract';
import { AccountProblem, createAccount } from './accounts';

export interface FirstAdminInput {
  email?: string;
  password?: string;
}

const HOW_TO =
  'This database has no users yet. Create the first admin with\n' +
  '  npm run admin -- user:create --email you@example.com --name "Your Name" --role admin\n' +
  '(the password is read from stdin or a prompt), or start the server once with\n' +
  '  SWITCHBOARD_ADMIN_EMAIL=you@example.com SWITCHBOARD_ADMIN_PASSWORD=… npm run server';

/**
 * At start: on a database without users, creates the admin the environment names, or says how to
 * create one. A database with users is left exactly as it is, whatever the environment says, so
 * the variables can stay set across restarts without resetting anyone's password.
 */
export async function ensureFirstAdmin(store: Store, input: FirstAdminInput, logger: Logger, now: number): Promise<void> {
  // Nodes starting together on one empty database: one creates the admin, the others find it.
  await store.serialized('first-admin', async () => {
    if ((await store.users.count()) > 0) return;
    const { email, password } = input;
    if (!email || !password) {
      if (email || password) logger.warn('SWITCHBOARD_ADMIN_EMAIL and SWITCHBOARD_ADMIN_PASSWORD are needed together; no admin was created');
      logger.info(HOW_TO);
      return;
    }
    try {
      await createAccount(store, { email, name: 'Administrator', role: 'admin', sourceIds: [], password }, now);
    } catch (error) {
      if (error instanceof AccountProblem) throw new Error(`SWITCHBOARD_ADMIN_EMAIL/SWITCHBOARD_ADMIN_PASSWORD: ${error.message}`, { cause: error });
      throw error;
    }
    logger.info(`created the first admin, ${email} (from SWITCHBOARD_ADMIN_EMAIL)`);
  });
}
