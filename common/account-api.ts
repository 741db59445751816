import { z } from 'zod';

// The wire shapes of a user's own credentials in the v1 API (`/tokens`, `/sessions`): never a
// token's hash, and its secret only in the answer that created it.

export interface ApiPersonalToken {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/** `POST /tokens`: the only time `token` (the secret) is sent. */
export interface ApiCreatedToken extends ApiPersonalToken {
  token: string;
}

export interface ApiSession extends ApiPersonalToken {
  /** The session the request was made with. */
  current: boolean;
  expires_at: string | null;
}

/** `POST /tokens`: a name to tell the token by. */
export const personalTokenBody = z.object({ name: z.string().trim().min(1).max(255) });
