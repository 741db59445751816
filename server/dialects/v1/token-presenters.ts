import { formatTimestamp } from '../../../common/time';
import type { AccessTokenRecord } from '../../domain/records';

// Tokens on the v1 wire: never their hash, and the secret only in the answer that created it.

function maybeTime(ms: number | null): string | null {
  return ms === null ? null : formatTimestamp(ms);
}

export interface ApiPersonalToken {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface ApiSession extends ApiPersonalToken {
  /** The session this request was made with. */
  current: boolean;
  expires_at: string | null;
}

export function presentPersonalToken(token: AccessTokenRecord): ApiPersonalToken {
  return { id: token.id, name: token.name, created_at: formatTimestamp(token.created_at), last_used_at: maybeTime(token.last_used_at) };
}

export function presentSession(session: AccessTokenRecord, currentTokenId: number): ApiSession {
  return { ...presentPersonalToken(session), current: session.id === currentTokenId, expires_at: maybeTime(session.expires_at) };
}
