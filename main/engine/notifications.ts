import type { ApiMessage } from '../../common/api';
import type { NotifyScope, Preferences } from '../../common/bridge';

export interface NotificationPayload {
  chatId: number;
  messageId: number;
  title: string;
  body: string;
  sound: boolean;
}

/**
 * Where notifications go. The engine decides *whether* (`shouldNotify`); the Electron shell shows
 * native notifications and sets the dock/taskbar badge; the web desk forwards them to the browser.
 */
export interface Notifier {
  notify(notification: NotificationPayload): void;
  setBadge(unreadChats: number): void;
}

export interface NotifyContext {
  myUserId: number;
  preferences: Pick<Preferences, 'notify'>;
  /** Whether a focused window shows the chat: the operator is reading it (any window of the desk counts). */
  showing(chatId: number): boolean;
}

function inScope(scope: NotifyScope, assignedTo: number | null, me: number): boolean {
  switch (scope) {
    case 'mine':
      return assignedTo === me;
    case 'mine+unassigned':
      return assignedTo === me || assignedTo === null;
    case 'all':
      return true;
    default: {
      const unreachable: never = scope;
      throw new Error(`unknown notify scope ${String(unreachable)}`);
    }
  }
}

/**
 * A new client message raises a notification unless a focused window shows its chat, for the
 * chats the preference covers. Operators' and system messages never notify (our own
 * least of all): the operator who wrote them already knows.
 */
export function shouldNotify(message: Pick<ApiMessage, 'sender_type' | 'sender_id' | 'chat_id'>, chatAssignedTo: number | null, context: NotifyContext): boolean {
  if (message.sender_type !== 'client') return false;
  if (message.sender_id !== null && message.sender_id === context.myUserId) return false;
  if (context.showing(message.chat_id)) return false;
  return inScope(context.preferences.notify, chatAssignedTo, context.myUserId);
}

export function notificationBody(message: Pick<ApiMessage, 'text' | 'attachments'>): string {
  const text = message.text?.trim();
  if (text) return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  const [first] = message.attachments;
  return first ? `📎 ${first.name}` : '';
}
