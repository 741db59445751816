import type { SliceCreator } from './types';

export type Dialog = 'transfer' | 'settings' | 'shortcuts';
export type FocusTarget = 'search' | 'composer' | 'list';

export interface UiSlice {
  dialog: Dialog | null;
  /** Bumped to ask a component to take the keyboard focus. */
  focusRequest: { target: FocusTarget; seq: number } | null;
  /** The customer details panel beside the chat. */
  detailsOpen: boolean;
  /** A clock for "waiting 12 min" labels, ticking once a minute for everyone. */
  minute: number;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  requestFocus(target: FocusTarget): void;
  toggleDetails(): void;
  tick(): void;
}

let focusSeq = 0;

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  dialog: null,
  focusRequest: null,
  detailsOpen: true,
  minute: Date.now(),
  openDialog(dialog) {
    set({ dialog });
  },
  closeDialog() {
    set({ dialog: null });
  },
  requestFocus(target) {
    set({ focusRequest: { target, seq: ++focusSeq } });
  },
  toggleDetails() {
    set({ detailsOpen: !get().detailsOpen });
  },
  tick() {
    set({ minute: Date.now() });
  },
});
