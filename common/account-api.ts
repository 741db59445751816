import { z } from 'zod';
import { adminPassword, ADMIN_NAME_MAX } from './admin-api';
import { PASSWORD_MAX_LENGTH } from './password-rules';

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

/** `PATCH /profile`: what a user changes of their own account (email and role are an administrator's). */
export const profileBody = z.object({ name: z.string().trim().min(1).max(ADMIN_NAME_MAX) });

/** `POST /profile/password`: the current password proves it is the user; the new one follows the one rule. */
export const passwordChangeBody = z.object({
  current_password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  password: adminPassword,
});
