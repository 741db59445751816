/** Formats epoch milliseconds the way Laravel serialises dates: `2026-02-17T10:00:00.000000Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a Laravel timestamp (or any ISO-8601 string) back to epoch milliseconds. */
export function parseTimestamp(value: string): number {
  return Date.parse(value.replace(/\.(\d{3})\d*Z$/, '.$1Z'));
}
