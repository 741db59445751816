import type { StoreQueries } from '../contract';
import type { Executor } from '../executor';
import { catalogQueries } from './catalog';
import { chatQueries } from './chats';
import { contactQueries } from './contacts';
import { messageQueries, uploadQueries } from './messages';
import { spaceQueries } from './spaces';
import { deviceQueries, tokenQueries } from './tokens';
import { userQueries } from './users';
import { widgetQueries } from './widgets';

/** Every query of the server over one executor: the whole store, or one transaction of it. */
export function createQueries(db: Executor): StoreQueries {
  return {
    users: userQueries(db),
    tokens: tokenQueries(db),
    devices: deviceQueries(db),
    chats: chatQueries(db),
    messages: messageQueries(db),
    uploads: uploadQueries(db),
    catalog: catalogQueries(db),
    spaces: spaceQueries(db),
    contacts: contactQueries(db),
    widgets: widgetQueries(db),
  };
}
