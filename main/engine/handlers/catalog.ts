import type { BridgeHandlers } from '../../../common/bridge';
import type { HandlerContext } from './context';

const CANNED_LIMIT = 50;

/** Reference data the desk keeps in its cache: canned responses. */
export function catalogHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, 'canned.search'> {
  return {
    'canned.search': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const items = account.cache.catalog.searchCanned(args.query, args.sourceId, CANNED_LIMIT);
      return { items: items.map((item) => ({ id: item.id, sourceId: item.source_id, code: item.code, title: item.title, text: item.text })) };
    },
  };
}
