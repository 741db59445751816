import type { OutboxEntryView } from '../../../common/bridge';
import { bridge } from './bridge-ref';
import { shownError } from './errors';
import type { ShownError, SliceCreator } from './types';

export interface OutboxSlice {
  /** Everything queued: messages and actions, pending or failed. */
  outbox: OutboxEntryView[];
  outboxError: ShownError | null;
  retry(id: string): Promise<void>;
  discard(id: string): Promise<void>;
}

export const createOutboxSlice: SliceCreator<OutboxSlice> = (set) => ({
  outbox: [],
  outboxError: null,
  async retry(id) {
    try {
      set({ outboxError: null });
      await bridge().invoke('outbox.retry', { id });
    } catch (error) {
      set({ outboxError: shownError(error) });
    }
  },
  async discard(id) {
    try {
      set({ outboxError: null });
      await bridge().invoke('outbox.discard', { id });
    } catch (error) {
      set({ outboxError: shownError(error) });
    }
  },
});
