import { ValidationError } from './errors';

// A request body that could not be parsed is remembered here instead of failing at once, so the
// webhook can answer a forged request with 401 before it says anything about the body's syntax.
// Every route that reads a body (`validate`, the webhook) fails it with a 422 when it gets to it.

interface MalformedBody {
  /** What the client sent, as text: the webhook's signature is computed over these bytes. */
  raw: string;
}

const malformed = new WeakMap<object, MalformedBody>();

/** For koa-body's `onError`: keeps a syntax error for later; anything else (413) fails now. */
export function recordMalformedBody(request: object, error: Error): void {
  const status = 'status' in error ? error.status : undefined;
  if (status === 413) throw error;
  const raw = 'body' in error && typeof error.body === 'string' ? error.body : '';
  malformed.set(request, { raw });
}

export function malformedBody(request: object): MalformedBody | undefined {
  return malformed.get(request);
}

export function assertBodyParsed(request: object): void {
  if (malformed.has(request)) throw ValidationError.field('body', 'The request body is not valid JSON.');
}
