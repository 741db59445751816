// Customers writing in through the signed source webhook, as a channel (Telegram, …) delivers them:
// straight to the server, each message retried until the server acknowledges it, with the same
// `external_message_id`, so a retry after a lost answer or a SIGKILL must not store it twice.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiMessage } from '../../common/api';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';

export const SOAK_SOURCE_ID = 2;
const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';
const RETRY_MS = 100;
const GIVE_UP_MS = 60_000;

export interface Delivered {
  chatId: number;
  message: ApiMessage;
  /** Attempts it took (more than one: the server was down, or the answer was lost). */
  attempts: number;
}

/** Posts one customer message until the server answers 200/201; any other 4xx is a finding, thrown. */
export async function deliver(serverUrl: string, body: { external_user_id: string; text: string; external_message_id: string; user_metadata?: Record<string, unknown> }): Promise<Delivered> {
  const raw = JSON.stringify(body);
  const deadline = Date.now() + GIVE_UP_MS;
  for (let attempts = 1; ; attempts++) {
    try {
      const response = await fetch(`${serverUrl}/api/v1/webhooks/sources/${SOAK_SOURCE_ID}`, {
        method: 'POST',
        // Signed afresh each attempt: the timestamp is part of the signature.
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...webhookHeaders(DEMO_WEBHOOK_SECRET, raw) },
        body: raw,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status === 200 || response.status === 201) {
        const parsed = JSON.parse(text) as { data: { chat_id: number; message: ApiMessage } };
        return { chatId: parsed.data.chat_id, message: parsed.data.message, attempts };
      }
      if (response.status < 500 && response.status !== 429) throw new Error(`the webhook refused ${body.external_message_id}: ${response.status} ${text}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the webhook refused')) throw error;
      // Refused, reset or timed out: the server is down or restarting; the channel tries again.
    }
    if (Date.now() > deadline) throw new Error(`the webhook did not take ${body.external_message_id} within ${GIVE_UP_MS / 1000} s`);
    await sleep(RETRY_MS);
  }
}
