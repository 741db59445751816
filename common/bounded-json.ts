import { z } from 'zod';

// Free-form JSON a client may send (a customer's `user_metadata`, and every later field of the
// kind): bounded in nesting and size in this one place. Unbounded, a 1,001-deep object broke
// SQLite's JSON functions for every search that read it, and a 5,000-deep one overflowed the
// stack of whatever serialised it next.

export interface JsonBounds {
  /** Levels of objects and arrays: `{"a": 1}` is 1, `{"a": {"b": 1}}` is 2. */
  maxDepth: number;
  /** UTF-8 bytes of the value as compact JSON (as it is stored). */
  maxBytes: number;
}

/** The bounds of every free-form JSON field unless a field documents others. */
export const FREE_FORM_JSON: JsonBounds = { maxDepth: 10, maxBytes: 16 * 1024 };

/** Whether `value` nests deeper than `maxDepth`. Walks without recursion, so no depth can overflow the stack. */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** UTF-8 bytes of a string, without encoding it. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * What is wrong with `value` under `bounds`, as a Laravel-style sentence with an `:attribute`
 * placeholder, or undefined when it fits. Depth is checked first: only a bounded value is serialised.
 */
export function jsonBoundsProblem(value: unknown, bounds: JsonBounds = FREE_FORM_JSON): string | undefined {
  if (nestedDeeperThan(value, bounds.maxDepth)) return `The :attribute field must not be nested more than ${bounds.maxDepth} levels.`;
  const text = JSON.stringify(value) ?? '';
  // Each character is 1 to 4 bytes: the exact count is needed only near the limit.
  if (text.length * 4 > bounds.maxBytes && utf8Bytes(text) > bounds.maxBytes) {
    const size = bounds.maxBytes % 1024 === 0 ? `${bounds.maxBytes / 1024} kilobytes` : `${bounds.maxBytes} bytes`;
    return `The :attribute field must not be greater than ${size}.`;
  }
  return undefined;
}

/** A free-form JSON object field, refused (422 with the sentence above) past `bounds`. */
export function boundedJson(bounds: JsonBounds = FREE_FORM_JSON) {
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = jsonBoundsProblem(value, bounds);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}
