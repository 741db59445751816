import { randomBytes } from 'node:crypto';

// Tokens that travel to browsers: a widget's public token (in the embed snippet) and a space's
// token (which a visitor's browser keeps). 24 random bytes = 192 bits, far past guessing, and
// base64url, so they sit in a URL or a header as they are.

const TOKEN_BYTES = 24;

export function generatePublicToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}
