import { createHmac, timingSafeEqual } from 'node:crypto';

/** The source webhook's signature: `sha256=<hex HMAC-SHA256(source secret, raw body)>`. */
export const SIGNATURE_HEADER = 'X-Switchboard-Signature';

export function signWebhook(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function signatureValid(secret: string, rawBody: string, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, rawBody));
  const actual = Buffer.from(header.trim().toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
