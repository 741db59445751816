import type { Middleware } from 'koa';
import { HttpError } from './errors';

/**
 * An `Expect` other than 100-continue is refused with a 417. Node hands such requests to the
 * server's `checkExpectation` listener instead of answering them; the app takes them there, and
 * this answers after the dialects' error middlewares, so the 417 is in the format of the path's
 * dialect like any other refusal.
 */
export function expectationGuard(): Middleware {
  return async (ctx, next) => {
    const expect = ctx.get('expect');
    if (expect !== '' && expect.trim().toLowerCase() !== '100-continue') {
      throw new HttpError(417, 'BAD_REQUEST', 'The Expect header is not supported.', { Connection: 'close' });
    }
    await next();
  };
}
