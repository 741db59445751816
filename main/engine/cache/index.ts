import { catalogQueries } from './catalog';
import { chatQueries } from './chats';
import { openCacheDatabase, type Database } from './database';
import { messageQueries } from './messages';
import { metaQueries } from './meta';
import { outboxQueries } from './outbox';
import { searchIndexQueries } from './search-index';
import { syncQueries } from './sync-state';

export type { ChatListFilter } from './chats';
export { chatRecord, chatTitle, encodeChatCursor } from './chats';
export { messageRecord } from './messages';
export * from './rows';

/** Every SQL statement of the desk, grouped by what it reads and writes. */
export function createCache(db: Database) {
  return {
    db,
    meta: metaQueries(db),
    chats: chatQueries(db),
    messages: messageQueries(db),
    sync: syncQueries(db),
    outbox: outboxQueries(db),
    catalog: catalogQueries(db),
    searchIndex: searchIndexQueries(db),
    /** Runs `work` in one transaction: everything or nothing. */
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Cache = ReturnType<typeof createCache>;

export function openCache(file: string): Cache {
  return createCache(openCacheDatabase(file));
}
