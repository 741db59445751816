import { MESSAGE_MAX_LENGTH } from './api';

/**
 * How long a text is, as every side counts it: in characters (code points), the way Laravel's
 * `max:` (mb_strlen) and an operator count them — 4,000 emoji are 4,000 characters, not the 8,000
 * UTF-16 units `String.length` says.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Whether a message text is over the one limit the server, the engine and the composer share. */
export function isOverMessageLength(text: string, max = MESSAGE_MAX_LENGTH): boolean {
  // A cheap answer first: UTF-16 units are never fewer than code points.
  return text.length > max && characterCount(text) > max;
}
