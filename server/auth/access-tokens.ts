import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The secret part of a Sanctum ≥3.3 token: 40 random `[A-Za-z0-9]` and their crc32b in hex. */
export function generateTokenSecret(): string {
  let random = '';
  for (let i = 0; i < 40; i++) random += ALPHABET[randomInt(ALPHABET.length)];
  return random + crc32(random).toString(16).padStart(8, '0');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Splits `{id}|{secret}`; a token without an id is looked up by its hash alone, as Sanctum does.
 * One with an id part that is not an id is no token at all (undefined), as Sanctum refuses it too.
 */
export function parseBearer(token: string): { id: number | null; secret: string } | undefined {
  const bar = token.indexOf('|');
  if (bar === -1) return { id: null, secret: token };
  const id = token.slice(0, bar);
  return /^\d{1,15}$/.test(id) ? { id: Number(id), secret: token.slice(bar + 1) } : undefined;
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
