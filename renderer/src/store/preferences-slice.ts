import { DEFAULT_PREFERENCES, type Preferences } from '../../../common/bridge';
import { bridge } from './bridge-ref';
import type { SliceCreator } from './types';

export interface PreferencesSlice {
  preferences: Preferences;
  setPreferences(patch: Partial<Preferences>): Promise<void>;
}

export const createPreferencesSlice: SliceCreator<PreferencesSlice> = (set, get) => ({
  preferences: { ...DEFAULT_PREFERENCES },
  async setPreferences(patch) {
    const before = get().preferences;
    // At once on screen; the engine's answer (and `preferences.changed`) confirms it.
    set({ preferences: { ...before, ...patch } });
    try {
      const { preferences } = await bridge().invoke('preferences.set', patch);
      set({ preferences });
    } catch {
      set({ preferences: before });
    }
  },
});
