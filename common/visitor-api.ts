import type { VisitorMessage } from './widget-api';

// The website visitor's wire beyond the widget's data (common/widget-api.ts, where the message shape
// lives): what the widget's visitor app sends and receives under /chat/widget/. The widget imports
// only common/, and never an operator type: nothing here names an operator's id or e-mail.

/** The space token travels in this header only, never in a URL (where logs and referrers would keep it). */
export const SPACE_TOKEN_HEADER = 'X-Space-Token';

/** Messages one `GET /chat/widget/messages.json` answers at most (the widget asks again with `after_id`). */
export const VISITOR_MESSAGES_PAGE = 100;

export interface VisitorSpaceCreated {
  space_token: string;
  space_id: number;
}

export interface VisitorUpload {
  /** What `attachments` of `messages.json` names. */
  id: string;
  name: string;
  mime_type: string;
  size: number;
}

/** `open`: the conversation goes on; `closed`: an operator closed it (the visitor writing reopens it). */
export type VisitorSpaceStatus = 'open' | 'closed';

/** The realtime channel of one space, authorised with its space token. */
export function spaceChannel(spaceId: number): string {
  return `private-space.${spaceId}`;
}

export interface VisitorRealtimePayloads {
  NewChatMessage: { message: VisitorMessage };
  UserTyping: { space_id: number; user: { name: string }; typing: boolean };
  SpaceUpdated: { space: { id: number; status: VisitorSpaceStatus } };
  /** The operators read the visitor's messages up to this id. */
  MessagesRead: { space_id: number; up_to_id: number };
  /** An operator edited their message (or added files to it): the message as it now is. */
  MessageUpdated: { message: VisitorMessage };
  /** A message is no longer the visitor's to see (deleted, or hidden by an operator). */
  MessageDeleted: { space_id: number; message_id: number };
  /** The conversation was deleted: the widget starts afresh. */
  ChatDeleted: { space_id: number };
}
