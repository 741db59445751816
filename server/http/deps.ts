import type { Authenticator } from '../auth/authenticator';
import type { ServerConfig } from '../config';
import type { ChatService } from '../domain/chat-service';
import type { FileStore } from '../files/file-store';
import type { Store } from '../store';

/** What route handlers work with; built once in `createServer`. */
export interface AppDeps {
  config: ServerConfig;
  store: Store;
  authenticator: Authenticator;
  chats: ChatService;
  files: FileStore;
  /** Absolute base URL of this server as clients reach it. */
  baseUrl: () => string;
  now: () => number;
}
