import { BridgeError, REQUEST_NAMES, type Args, type BridgeHandlers, type Handler, type RequestName, type Result } from '../../common/bridge';
import { createAdminHandlers } from './admin-handlers';
import type { DeskEngine } from './engine';
import { toBridgeError } from './engine';
import { catalogHandlers } from './handlers/catalog';
import { chatActionHandlers } from './handlers/chat-actions';
import { chatListHandlers } from './handlers/chat-list';
import type { HandlerContext } from './handlers/context';
import { fileHandlers } from './handlers/files';
import { outboxHandlers } from './handlers/outbox';
import { preferenceHandlers } from './handlers/preferences';
import { sessionHandlers } from './handlers/session';
import { threadHandlers } from './handlers/thread';
import type { DeskWindow } from './windows';

export type EngineHandlers = BridgeHandlers;

/**
 * Every bridge request, for one window, from the features' own maps (main/engine/handlers/*.ts).
 * A new feature is one more line here; `satisfies` fails the build while a request has no handler.
 * Failures reject with a BridgeError.
 */
export function createHandlers(engine: DeskEngine, window: DeskWindow): BridgeHandlers {
  const context: HandlerContext = { engine, window };
  const handlers = {
    ...createAdminHandlers(engine),
    ...sessionHandlers(context),
    ...chatListHandlers(context),
    ...threadHandlers(context),
    ...chatActionHandlers(context),
    ...outboxHandlers(context),
    ...fileHandlers(context),
    ...catalogHandlers(context),
    ...preferenceHandlers(context),
  } satisfies BridgeHandlers;
  for (const name of REQUEST_NAMES) guard(engine, handlers, name);
  return handlers;
}

/**
 * Replaces a handler with one that tells the engine a request came (a restored desk's sync waits for
 * a pause) and whose unexpected failures are logged and reach the UI without internals.
 */
function guard<K extends RequestName>(engine: DeskEngine, handlers: { [P in K]: Handler<P> }, name: K): void {
  const handler: Handler<K> = handlers[name];
  handlers[name] = async (args: Args<K>): Promise<Result<K>> => {
    engine.requestArrived();
    try {
      return await handler(args);
    } catch (error) {
      if (!(error instanceof BridgeError)) engine.logger.error(`request ${name} failed`, error);
      throw toBridgeError(error);
    }
  };
}
