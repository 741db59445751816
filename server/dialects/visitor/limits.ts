import type { Context } from 'koa';
import type { AppState } from '../../http/context';
import { HttpError } from '../../http/errors';
import type { Limiter } from '../../limits/rate-limiter';

// The widget's abuse limits answer 429 with Retry-After, as every limit does, and with a sentence
// the widget shows its visitor as it is (the visitor has no documentation to look the code up in).

/** "45 seconds", "12 minutes", "3 hours": a wait as a visitor reads it. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

export const LIMIT_SENTENCES = {
  spaces: (wait: string) => `Too many conversations were started from your network. Please try again in ${wait}.`,
  messages: (wait: string) => `You are sending messages too quickly. Please wait ${wait} and try again.`,
  uploads: (wait: string) => `Too many files were sent in this conversation. Please try again in ${wait}.`,
} as const;

/** Counts one attempt: a 429 with the sentence when over the limit, else the `X-RateLimit-*` headers. */
export async function visitorLimit(ctx: Context & { state: AppState }, limiter: Limiter, key: string, sentence: (wait: string) => string): Promise<void> {
  const result = await limiter.consume(key);
  if (!result.allowed) {
    ctx.state.limitedBy = limiter;
    throw new HttpError(429, 'TOO_MANY_REQUESTS', sentence(waitText(result.retryAfterSeconds)), {
      'Retry-After': String(result.retryAfterSeconds),
      'X-RateLimit-Limit': String(limiter.limit),
      'X-RateLimit-Remaining': '0',
    });
  }
  ctx.set('X-RateLimit-Limit', String(limiter.limit));
  ctx.set('X-RateLimit-Remaining', String(result.remaining));
}
