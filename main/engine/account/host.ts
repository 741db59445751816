import type { Preferences } from '../../../common/bridge';
import type { EngineEmitter } from '../emitter';
import type { EngineLogger } from '../logger';
import type { Notifier } from '../notifications';
import type { EngineTiming } from '../timing';

/** What the account needs from the engine around it (desk-wide state). */
export interface AccountHost {
  emitter: EngineEmitter;
  logger: EngineLogger;
  timing: EngineTiming;
  notifier: Notifier | null;
  preferences(): Preferences;
  /** Whether a focused window shows the chat (then its messages do not notify). */
  showing(chatId: number): boolean;
  /** Chats some window shows. */
  openChatIds(): ReadonlySet<number>;
  now(): number;
  random(): number;
  /** The server refused our token: the engine ends the session. */
  onUnauthenticated(): void;
}
