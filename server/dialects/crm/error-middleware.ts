import type { Middleware } from 'koa';
import type { CrmErrorBody } from '../../../common/widget-api';
import { errorFormatMiddleware, type NotFoundSentences } from '../../http/error-format';
import { ForbiddenError, NotFoundError, ValidationError, type HttpError } from '../../http/errors';
import type { Logger } from '../../logger';
import { isCrmPath } from './paths';

// Failures of the CRM paths as Rails answers them: `{"error": sentence}`, plus `"errors": {field:
// [sentences]}` on a 422. The status and headers (Retry-After on a 429, Allow on a 405) are the
// same as every dialect's.

const NOT_FOUND: NotFoundSentences = {
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
  return errorFormatMiddleware<CrmErrorBody>(logger, { owns: isCrmPath, notFound: NOT_FOUND, body: crmErrorBody, serverError: { error: 'Internal Server Error' } });
}
