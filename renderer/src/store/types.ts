import type { StateCreator } from 'zustand';
import type { ChatSlice } from './chat-slice';
import type { ComposerSlice } from './composer-slice';
import type { ConnectionSlice } from './connection-slice';
import type { ListSlice } from './list-slice';
import type { OutboxSlice } from './outbox-slice';
import type { PreferencesSlice } from './preferences-slice';
import type { SessionSlice } from './session-slice';
import type { TypingSlice } from './typing-slice';
import type { UiSlice } from './ui-slice';

/** The desk's one store: a slice per concern. Components select single fields of it. */
export type DeskState = SessionSlice & ConnectionSlice & PreferencesSlice & ListSlice & ChatSlice & ComposerSlice & TypingSlice & OutboxSlice & UiSlice;

export type SliceCreator<Slice> = StateCreator<DeskState, [], [], Slice>;

/** A failure shown to the user: the engine's words, and the fields they concern. */
export interface ShownError {
  message: string;
  code: string;
  fields: Record<string, string[]>;
}
