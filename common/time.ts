/** Formats epoch milliseconds the way Laravel serialises dates: `2026-02-17T10:00:00.000000Z`. */
export function formatTimestamp(ms: number): string {
  // toISOString always ends in `.mmmZ`; microseconds are three more zeros. (A slice, not a regex:
  // a chat list formats some 140 of these a request.)
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}000Z`;
}

/** Parses a Laravel timestamp (or any ISO-8601 string) back to epoch milliseconds. */
export function parseTimestamp(value: string): number {
  return parseLaravelTimestamp(value) ?? Date.parse(value.replace(/\.(\d{3})\d*Z$/, '.$1Z'));
}

/**
 * The fast path for what our servers send, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (or `.fffZ`): digits read
 * in place, no regex and no string built. A desk's first sync parses two of these per message, some
 * two hundred thousand. Null for anything else (offsets, other precision), left to `Date.parse`.
 */
function parseLaravelTimestamp(value: string): number | null {
  if ((value.length !== 27 && value.length !== 24) || value.charCodeAt(value.length - 1) !== 90 /* Z */) return null;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':' || value[19] !== '.') return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const millisecond = digits(value, 20, 3);
  const micro = value.length === 27 ? digits(value, 23, 3) : 0;
  // Years below 1000 are left to Date.parse: Date.UTC reads 0–99 as 1900–1999.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || millisecond < 0 || micro < 0) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC rolls 31 April over into May; Date.parse refuses it. Keep to what Date.parse does.
  return new Date(ms).getUTCDate() === day ? ms : null;
}

/** The decimal number in `length` characters from `start`, or -1 when one of them is not a digit. */
function digits(value: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const code = value.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    n = n * 10 + code;
  }
  return n;
}
