import type { BridgeHandlers } from '../../../common/bridge';
import type { HandlerContext } from './context';

/** The desk's preferences (this machine's, not the account's). */
export function preferenceHandlers({ engine }: HandlerContext): Pick<BridgeHandlers, 'preferences.get' | 'preferences.set'> {
  return {
    'preferences.get': async () => {
      await engine.ready;
      return { preferences: engine.getPreferences() };
    },

    'preferences.set': async (args) => {
      await engine.ready;
      return { preferences: await engine.setPreferences(args) };
    },
  };
}
