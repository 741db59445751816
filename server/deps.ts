import type { Authenticator } from './auth/authenticator';
import type { Clock } from './clock';
import type { ServerConfig } from './config';
import type { ChatService } from './domain/chat-service';
import type { SpaceService } from './domain/space-service';
import type { WidgetService } from './domain/widgets';
import type { UserService } from './domain/users';
import type { FileStore } from './files/file-store';
import type { AppLimits } from './limits/rate-limiter';
import type { Store } from './store/contract';

/** What every dialect's routes work with; built once in `createServer`. */
export interface AppDeps {
  config: ServerConfig;
  store: Store;
  authenticator: Authenticator;
  chats: ChatService;
  /** The CRM module's spaces and message edits. */
  spaces: SpaceService;
  widgets: WidgetService;
  /** Account changes that end access elsewhere (deactivation). */
  users: UserService;
  files: FileStore;
  /** Shared by every dialect: one send quota per user, one login budget. */
  limits: AppLimits;
  clock: Clock;
  /** Absolute base URL of this server as clients reach it. */
  baseUrl: () => string;
}
