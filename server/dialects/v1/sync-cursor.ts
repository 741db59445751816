import { z } from 'zod';
import type { SyncState } from '../../domain/chat-sync';
import { ValidationError } from '../../http/errors';

// The v1 wire form of a sync state: opaque to clients (base64url of a versioned tuple), so the
// server may change what it holds without breaking a desk that only passes it back.

const key = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const tuple = z.union([
  z.tuple([z.literal(1), key, z.string().min(1).max(64)]),
  z.tuple([z.literal(1), key, z.string().min(1).max(64), key, key, key]),
]);

export const BAD_CURSOR = 'The updated since field must be a sync cursor this server returned.';

export function encodeSyncCursor(state: SyncState): string {
  const parts = state.scan ? [1, state.floor, state.scope, state.scan.horizon, state.scan.after.key, state.scan.after.id] : [1, state.floor, state.scope];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The state a cursor stands for; anything else is a 422 on `updated_since`. */
export function decodeSyncCursor(cursor: string): SyncState {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ValidationError.field('updated_since', BAD_CURSOR);
  }
  const result = tuple.safeParse(parsed);
  if (!result.success) throw ValidationError.field('updated_since', BAD_CURSOR);
  const [, floor, scope, horizon, afterKey, afterId] = result.data;
  const scan = horizon !== undefined && afterKey !== undefined && afterId !== undefined ? { horizon, after: { key: afterKey, id: afterId } } : null;
  return { floor, scope, scan };
}
