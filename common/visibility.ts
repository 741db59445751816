import type { Role } from './api';

// Who sees which chat. The server applies this (as a predicate and as its SQL scope) and the desk
// applies the same predicate to what it caches, so both agree on when a chat leaves someone's view.
//
// An admin sees every chat. A moderator sees the chats of their sources, narrowed to their
// departments when they have any (a chat with no department stays visible to every moderator of its
// source). Everyone also sees the chats they take part in: chats they created, were assigned,
// wrote in, or transferred or were transferred. An employee has no source rule, so sees exactly
// the chats they take part in.

export interface Viewer {
  id: number;
  roles: readonly Role[];
  source_ids: readonly number[];
  department_ids: readonly number[];
}

export interface ChatPlacement {
  source_id: number;
  department_id: number | null;
}

/** The source rule alone: what an admin or moderator sees without taking part. */
export function seesBySource(viewer: Viewer, chat: ChatPlacement): boolean {
  if (viewer.roles.includes('admin')) return true;
  if (!viewer.roles.includes('moderator') || !viewer.source_ids.includes(chat.source_id)) return false;
  return viewer.department_ids.length === 0 || chat.department_id === null || viewer.department_ids.includes(chat.department_id);
}

/** `participates`: whether the viewer takes part in the chat (the server knows; the desk knows it for chats assigned to it). */
export function canSeeChat(viewer: Viewer, chat: ChatPlacement, participates: boolean): boolean {
  return participates || seesBySource(viewer, chat);
}
