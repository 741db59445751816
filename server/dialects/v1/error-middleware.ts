import type { Middleware } from 'koa';
import type { ApiErrorBody } from '../../../common/api';
import { errorFormatMiddleware } from '../../http/error-format';
import { ValidationError } from '../../http/errors';
import type { Logger } from '../../logger';

/** First in the chain: every failure leaves in v1's format, `{message, code}`; a 5xx never shows internals. */
export function errorMiddleware(logger: Logger): Middleware {
  return errorFormatMiddleware<ApiErrorBody>(logger, {
    body(error) {
      const body: ApiErrorBody = { message: error.message, code: error.code };
      if (error instanceof ValidationError) body.errors = error.errors;
      return body;
    },
    serverError: { message: 'Server Error.', code: 'SERVER_ERROR' },
  });
}
