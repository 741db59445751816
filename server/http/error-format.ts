import type { Middleware } from 'koa';
import { DomainError, InvalidFieldError, NotAllowedError, NotVisibleError } from '../domain/errors';
import type { Logger } from '../logger';
import { applyErrorHead, plumbingToHttp } from './error-mapping';
import { ForbiddenError, HttpError, NotFoundError, ValidationError } from './errors';

// The one error middleware every dialect runs, each with its own wire format: what it catches and
// how it maps it is the same everywhere (domain refusals, body parsers, the router's 404 and 405, a
// 500 that never shows internals); only the body it writes differs.

/** The sentence a dialect says when something is not found, by what it was. */
export type NotFoundSentences = Readonly<Record<NotVisibleError['what'], string>>;

/** The domain's refusals as HTTP errors: not visible → 404, not allowed → 403, invalid → 422. */
export function domainToHttp(error: DomainError, notFound?: NotFoundSentences): HttpError | undefined {
  if (error instanceof NotVisibleError) return notFound ? new HttpError(404, 'NOT_FOUND', notFound[error.what]) : new NotFoundError();
  if (error instanceof NotAllowedError) return new ForbiddenError(error.message);
  if (error instanceof InvalidFieldError) return new ValidationError(error.errors);
  return undefined;
}

export interface ErrorFormat<Body> {
  /** The paths whose failures this format answers; others pass through untouched. All when left out. */
  owns?(path: string): boolean;
  notFound?: NotFoundSentences;
  body(error: HttpError): Body;
  /** What a 500 says. */
  serverError: Body;
}

export function errorFormatMiddleware<Body>(logger: Logger, format: ErrorFormat<Body>): Middleware {
  const asHttpError = (error: unknown) => (error instanceof DomainError ? domainToHttp(error, format.notFound) : plumbingToHttp(error));
  return async (ctx, next) => {
    if (format.owns && !format.owns(ctx.path)) return next();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError();
    } catch (error) {
      const httpError = asHttpError(error);
      if (httpError) {
        applyErrorHead(ctx, httpError);
        ctx.body = format.body(httpError);
        return;
      }
      // The request id (set first in the chain) ties this line to the request's own log line.
      const requestId = ctx.response.get('X-Request-ID');
      logger.error(`${ctx.method} ${ctx.path} failed${requestId ? ` (request ${requestId})` : ''}`, error);
      ctx.status = 500;
      ctx.body = format.serverError;
    }
  };
}
