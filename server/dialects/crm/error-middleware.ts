import type { Middleware } from 'koa';
import type { CrmErrorBody } from '../../../common/widget-api';
import { DomainError, InvalidFieldError, NotAllowedError, NotVisibleError } from '../../domain/errors';
import { applyErrorHead, plumbingToHttp } from '../../http/error-mapping';
import { ForbiddenError, HttpError, NotFoundError, ValidationError } from '../../http/errors';
import type { Logger } from '../../logger';
import { isCrmPath } from './paths';

// Failures of the CRM paths as Rails answers them: `{"error": sentence}`, plus `"errors": {field:
// [sentences]}` on a 422. The status and headers (Retry-After on a 429, Allow on a 405) are the
// same as every dialect's.

const NOT_FOUND: Record<NotVisibleError['what'], string> = {
  chat: 'Space not found.',
  message: 'Message not found.',
  user: 'User not found.',
  resource: 'Not found.',
};

/** A refusal whose body carries more than the sentence (the visitor API's `next_open_at` while a widget is closed). */
export class CrmForbiddenError extends ForbiddenError {
  constructor(
    message: string,
    readonly details: Omit<CrmErrorBody, 'error' | 'errors'>,
  ) {
    super(message);
  }
}

/** Throws a 403 in the CRM format with these extra keys beside `error`. */
export function forbiddenWith(message: string, details: Omit<CrmErrorBody, 'error' | 'errors'>): never {
  throw new CrmForbiddenError(message, details);
}

function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof NotVisibleError) return new HttpError(404, 'NOT_FOUND', NOT_FOUND[error.what]);
  if (error instanceof NotAllowedError) return new ForbiddenError(error.message);
  if (error instanceof InvalidFieldError) return new ValidationError(error.errors);
  if (error instanceof DomainError) return undefined;
  return plumbingToHttp(error);
}

/** The body of an HTTP error on a CRM path. */
export function crmErrorBody(error: HttpError): CrmErrorBody {
  if (error.status === 401) return { error: 'Unauthorized' };
  if (error instanceof NotFoundError) return { error: 'Not found.' };
  const body: CrmErrorBody = { error: error.message };
  if (error instanceof ValidationError) body.errors = error.errors;
  if (error instanceof CrmForbiddenError) Object.assign(body, error.details, { error: error.message });
  return body;
}

/**
 * Errors of every path under `/chat` in the CRM format, whatever raised them (its routes, the
 * visitor API's, the body parser, the router's 404 and 405). Mounted before the body parser; other
 * paths pass through untouched.
 */
export function crmErrorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    if (!isCrmPath(ctx.path)) return next();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError();
    } catch (error) {
      const httpError = asHttpError(error);
      if (httpError) {
        applyErrorHead(ctx, httpError);
        ctx.body = crmErrorBody(httpError);
        return;
      }
      logger.error(`${ctx.method} ${ctx.path} failed`, error);
      ctx.status = 500;
      ctx.body = { error: 'Internal Server Error' } satisfies CrmErrorBody;
    }
  };
}
