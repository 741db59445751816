import type { Middleware } from 'koa';
import { errorFormatMiddleware, type NotFoundSentences } from '../../http/error-format';
import { ValidationError } from '../../http/errors';
import type { Logger } from '../../logger';
import { isLegacyPath } from './paths';

/** The legacy error body: `{status: "error", message}`, plus `errors` on a 422 (Laravel's sentences). */
export interface LegacyErrorBody {
  status: 'error';
  message: string;
  errors?: Record<string, string[]>;
}

const NOT_FOUND: NotFoundSentences = {
  chat: 'Chat not found.',
  message: 'Message not found.',
  user: 'User not found.',
  resource: 'Resource not found.',
};

/**
 * Errors of the legacy paths in the legacy format, whatever raised them (its routes, the body
 * parser, the router's 404 and 405). Mounted before the body parser; other paths pass through to
 * v1's error middleware untouched.
 */
export function legacyErrorMiddleware(logger: Logger): Middleware {
  return errorFormatMiddleware<LegacyErrorBody>(logger, {
    owns: isLegacyPath,
    // The sentence names what was not found, as the original's `findOrFail` answers did.
    notFound: NOT_FOUND,
    body(error) {
      const body: LegacyErrorBody = { status: 'error', message: error.message };
      if (error instanceof ValidationError) body.errors = error.errors;
      return body;
    },
    serverError: { status: 'error', message: 'Server Error.' },
  });
}
