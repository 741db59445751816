const numbered = new Map<string, string>();

/** `… = ? AND … = ?` → `… = $1 AND … = $2`, skipping quoted literals; each text is converted once. */
export function numberPlaceholders(text: string): string {
  let converted = numbered.get(text);
  if (converted !== undefined) return converted;
  let out = '';
  let n = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  converted = out;
  numbered.set(text, converted);
  return converted;
}
