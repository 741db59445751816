import type { BridgeHandlers } from '../../../common/bridge';
import type { HandlerContext } from './context';

/** What waits to be delivered, and the operator's say over it. */
export function outboxHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, 'outbox.list' | 'outbox.retry' | 'outbox.discard'> {
  return {
    'outbox.list': async () => {
      await engine.ready;
      return { entries: engine.requireRuntime().account.outboxEntries() };
    },

    'outbox.retry': async (args) => {
      await engine.ready;
      return { entry: engine.requireRuntime().outbox.retry(args.id) };
    },

    'outbox.discard': async (args) => {
      await engine.ready;
      return { ok: await engine.requireRuntime().outbox.discard(args.id) };
    },
  };
}
