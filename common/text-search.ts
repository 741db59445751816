import { characterCount } from './text-length';

// How a search box's text matches message text, on the server and in the desk's offline cache
// alike: a case-insensitive substring (any script: Cyrillic, Polish), diacritics significant.
// SQLite's FTS5 trigram tokenizer serves needles of three characters or more; shorter ones are
// matched by scanning the folded text.

/** The shortest needle the trigram index can answer. */
export const TRIGRAM_MIN_LENGTH = 3;

/** Lower case for every script (SQLite's own lower() and LIKE fold ASCII only). */
export function foldForSearch(text: string): string {
  return text.toLowerCase();
}

/** Whether the trigram index answers this needle (else: scan). */
export function searchesByTrigram(needle: string): boolean {
  return characterCount(needle) >= TRIGRAM_MIN_LENGTH;
}

/** The needle as one FTS5 phrase: matched as written, whatever operators or quotes it holds. */
export function trigramPhrase(needle: string): string {
  return `"${needle.replace(/"/g, '""')}"`;
}
