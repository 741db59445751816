import { catalogQueries } from './catalog';
import { chatQueries } from './chats';
import { openDatabase, registerFunctions, type Database } from './database';
import { messageQueries, uploadQueries } from './messages';
import { deviceQueries, tokenQueries } from './tokens';
import { userQueries } from './users';

export type { ChatScope, ChatListFilter } from './chats';

/** Every SQL statement of the server, grouped by what it reads and writes. */
export function createStore(db: Database) {
  registerFunctions(db);
  return {
    db,
    users: userQueries(db),
    tokens: tokenQueries(db),
    devices: deviceQueries(db),
    chats: chatQueries(db),
    messages: messageQueries(db),
    uploads: uploadQueries(db),
    catalog: catalogQueries(db),
    /** Runs `work` in one transaction: everything or nothing. */
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },
    close(): void {
      db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;

export function openStore(file: string): Store {
  return createStore(openDatabase(file));
}
