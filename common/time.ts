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
  // 31 April is 1 May here as it is to Date.parse: the day count below runs on past the month's end.
  return (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + millisecond;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): what Date.UTC
 * computes, without a Date for each of the two hundred thousand timestamps of a first sync.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
