import { createHmac, timingSafeEqual } from 'node:crypto';

// The source webhook's signature, as Stripe signs its webhooks: the sender's clock is signed with
// the body, so a captured request is refused once its timestamp is older than the window (a body
// alone would replay for ever). This file is the one place that signs; the simulator, the tests
// and the README's example all use signWebhook.

export const SIGNATURE_HEADER = 'X-Switchboard-Signature';
export const TIMESTAMP_HEADER = 'X-Switchboard-Timestamp';
/** How far a request's timestamp may be from the server's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, the timestamp in Unix seconds. */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** Both headers of a webhook signed now (`nowMs`, epoch milliseconds), for senders. */
export function webhookHeaders(secret: string, rawBody: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(secret, timestamp, rawBody) };
}

/** Whether the timestamp header is Unix seconds within the window around `nowMs` (epoch milliseconds). */
export function timestampFresh(header: string, nowMs: number): boolean {
  return /^\d{1,12}$/.test(header) && Math.abs(nowMs / 1000 - Number(header)) <= WEBHOOK_TOLERANCE_SECONDS;
}

/** Whether `signature` signs this timestamp (the header's text, as sent) and body, compared in constant time. */
export function signatureValid(secret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const actual = Buffer.from(signature.trim().toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
