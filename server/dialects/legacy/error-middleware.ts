import type { Middleware } from 'koa';
import { DomainError, InvalidFieldError, NotAllowedError, NotVisibleError } from '../../domain/errors';
import { applyErrorHead, plumbingToHttp } from '../../http/error-mapping';
import { ForbiddenError, HttpError, NotFoundError, ValidationError } from '../../http/errors';
import type { Logger } from '../../logger';
import { isLegacyPath } from './paths';

/** The legacy error body: `{status: "error", message}`, plus `errors` on a 422 (Laravel's sentences). */
export interface LegacyErrorBody {
  status: 'error';
  message: string;
  errors?: Record<string, string[]>;
}

const NOT_FOUND: Record<NotVisibleError['what'], string> = {
  chat: 'Chat not found.',
  message: 'Message not found.',
  user: 'User not found.',
  resource: 'Resource not found.',
};

function asHttpError(error: unknown): HttpError | undefined {
  // The sentence names what was not found, as the original's `findOrFail` answers did.
  if (error instanceof NotVisibleError) return new HttpError(404, 'NOT_FOUND', NOT_FOUND[error.what]);
  if (error instanceof NotAllowedError) return new ForbiddenError(error.message);
  if (error instanceof InvalidFieldError) return new ValidationError(error.errors);
  if (error instanceof DomainError) return undefined;
  return plumbingToHttp(error);
}

/**
 * Errors of the legacy paths in the legacy format, whatever raised them (its routes, the body
 * parser, the router's 404 and 405). Mounted before the body parser; other paths pass through to
 * v1's error middleware untouched.
 */
export function legacyErrorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    if (!isLegacyPath(ctx.path)) return next();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError();
    } catch (error) {
      const httpError = asHttpError(error);
      if (httpError) {
        applyErrorHead(ctx, httpError);
        const body: LegacyErrorBody = { status: 'error', message: httpError.message };
        if (httpError instanceof ValidationError) body.errors = httpError.errors;
        ctx.body = body;
        return;
      }
      logger.error(`${ctx.method} ${ctx.path} failed`, error);
      ctx.status = 500;
      ctx.body = { status: 'error', message: 'Server Error.' } satisfies LegacyErrorBody;
    }
  };
}
