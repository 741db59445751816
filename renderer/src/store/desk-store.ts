import { create } from 'zustand';
import { createChatSlice } from './chat-slice';
import { createComposerSlice } from './composer-slice';
import { createConnectionSlice } from './connection-slice';
import { createListSlice } from './list-slice';
import { createOutboxSlice } from './outbox-slice';
import { createPreferencesSlice } from './preferences-slice';
import { createSessionSlice } from './session-slice';
import { createTypingSlice } from './typing-slice';
import type { DeskState } from './types';
import { createUiSlice } from './ui-slice';

export const useDesk = create<DeskState>()((...parts) => ({
  ...createSessionSlice(...parts),
  ...createConnectionSlice(...parts),
  ...createPreferencesSlice(...parts),
  ...createListSlice(...parts),
  ...createChatSlice(...parts),
  ...createComposerSlice(...parts),
  ...createTypingSlice(...parts),
  ...createOutboxSlice(...parts),
  ...createUiSlice(...parts),
}));

export type { DeskState } from './types';
