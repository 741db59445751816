import type { BridgeHandlers, OperatorView } from '../../../common/bridge';
import { NetworkError } from '../api/errors';
import { ALL_OPERATORS } from '../cache/catalog';
import type { DeskEngine } from '../engine';
import type { HandlerContext } from './context';

const CANNED_LIMIT = 50;
/** The operator list is asked of the server at most this often; in between (and offline) the cached one answers. */
const OPERATORS_FRESH_MS = 5 * 60_000;

/** Active operators: the server's list when it answers, else the last one seen. */
function operatorCatalog(engine: DeskEngine) {
  let fetchedAt: number | null = null;
  return async (): Promise<OperatorView[]> => {
    const { account } = engine.requireRuntime();
    const cached = account.cache.catalog.operators(ALL_OPERATORS);
    const fresh = fetchedAt !== null && engine.now() - fetchedAt < OPERATORS_FRESH_MS;
    if ((cached && fresh) || account.reachability === 'unreachable') return cached ?? [];
    try {
      const operators: OperatorView[] = (await account.api.operators(null)).map((operator) => ({ id: operator.id, name: operator.name, roles: operator.roles }));
      account.cache.catalog.saveOperators(ALL_OPERATORS, operators, account.now);
      fetchedAt = engine.now();
      return operators;
    } catch (error) {
      if (error instanceof NetworkError || cached) return cached ?? [];
      throw error;
    }
  };
}

/**
 * Reference data the desk keeps in its cache: canned responses, and what the list's filters offer
 * (sources and departments of the chats held, read from the cache, not from a page of rows).
 */
export function catalogHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, 'canned.search' | 'catalog.get'> {
  const operators = operatorCatalog(engine);
  return {
    'canned.search': async (args) => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      const items = account.cache.catalog.searchCanned(args.query, args.sourceId, CANNED_LIMIT);
      return { items: items.map((item) => ({ id: item.id, sourceId: item.source_id, code: item.code, title: item.title, text: item.text })) };
    },

    'catalog.get': async () => {
      await engine.ready;
      const { account } = engine.requireRuntime();
      return { sources: account.cache.catalog.sources(), departments: account.cache.catalog.departments(), operators: await operators() };
    },
  };
}
