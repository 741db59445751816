// The desk's keyboard: single keys when no text field has the focus (as in Gmail or Linear),
// and a few chords that work everywhere. The shortcuts dialog lists the same keys.
import type { ChatTab } from '../../../common/api';
import { useDesk } from '../store/desk-store';

const TABS: Record<string, ChatTab> = { '1': 'my', '2': 'unassigned', '3': 'all' };

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type);
  return false;
}

function isControl(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || target instanceof HTMLInputElement;
}

export function handleDeskKey(event: KeyboardEvent): void {
  const state = useDesk.getState();
  if (!state.session || state.dialog !== null || event.defaultPrevented) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const chord = event.ctrlKey || event.metaKey;

  if (chord && !event.altKey && key === 'k') {
    event.preventDefault();
    state.requestFocus('search');
    return;
  }
  if (event.altKey && !chord && (key === 'ArrowDown' || key === 'ArrowUp')) {
    event.preventDefault();
    const chatId = state.moveSelection(key === 'ArrowDown' ? 1 : -1);
    if (chatId !== null) void state.openChat(chatId);
    return;
  }
  if (chord || event.altKey || isTextField(event.target)) return;

  const chatOpen = state.openChatId !== null;
  let handled = true;
  switch (key) {
    case 'j':
      state.moveSelection(1);
      break;
    case 'k':
      state.moveSelection(-1);
      break;
    case 'o':
    case 'Enter': {
      if (key === 'Enter' && isControl(event.target)) return;
      const chatId = state.selectedId;
      if (chatId === null || !state.rows.some((row) => row.id === chatId)) return;
      void state.openChat(chatId);
      break;
    }
    case '/':
      state.requestFocus('search');
      break;
    case '1':
    case '2':
    case '3': {
      const tab = TABS[key];
      if (tab) state.setQuery({ tab });
      break;
    }
    case 'r':
      if (!chatOpen) return;
      state.requestFocus('composer');
      break;
    case 'a':
      if (!chatOpen || state.openChatRow?.assignedToMe) return;
      void state.assignMe();
      break;
    case 't':
      if (!chatOpen) return;
      state.openDialog('transfer');
      break;
    case 'c':
      if (!chatOpen || state.openChatRow?.status === 'closed') return;
      void state.closeChat();
      break;
    case 'i':
      state.toggleDetails();
      break;
    case '?':
      state.openDialog('shortcuts');
      break;
    default:
      handled = false;
  }
  if (handled) event.preventDefault();
}
