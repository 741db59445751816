/** Formats epoch milliseconds the way Laravel serialises dates: `2026-02-17T10:00:00.000000Z`. */
export function formatTimestamp(ms: number): string {
  // toISOString always ends in `.mmmZ`; microseconds are three more zeros. (A slice, not a regex:
  // a chat list formats some 140 of these a request.)
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}000Z`;
}

/** Parses a Laravel timestamp (or any ISO-8601 string) back to epoch milliseconds. */
export function parseTimestamp(value: string): number {
  return Date.parse(value.replace(/\.(\d{3})\d*Z$/, '.$1Z'));
}
