import type { Middleware } from 'koa';
import type { ApiErrorBody } from '../../../common/api';
import { DomainError, InvalidFieldError, NotAllowedError, NotVisibleError } from '../../domain/errors';
import { applyErrorHead, plumbingToHttp } from '../../http/error-mapping';
import { ForbiddenError, NotFoundError, ValidationError, type HttpError } from '../../http/errors';
import type { Logger } from '../../logger';

/** The domain's refusals in v1's words. */
export function domainToHttp(error: DomainError): HttpError | undefined {
  if (error instanceof NotVisibleError) return new NotFoundError();
  if (error instanceof NotAllowedError) return new ForbiddenError(error.message);
  if (error instanceof InvalidFieldError) return new ValidationError(error.errors);
  return undefined;
}

function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof DomainError) return domainToHttp(error);
  return plumbingToHttp(error);
}

/** First in the chain: every failure leaves in v1's format, `{message, code}`; a 5xx never shows internals. */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError();
    } catch (error) {
      const httpError = asHttpError(error);
      if (httpError) {
        applyErrorHead(ctx, httpError);
        const body: ApiErrorBody = { message: httpError.message, code: httpError.code };
        if (httpError instanceof ValidationError) body.errors = httpError.errors;
        ctx.body = body;
        return;
      }
      logger.error(`${ctx.method} ${ctx.path} failed`, error);
      ctx.status = 500;
      ctx.body = { message: 'Server Error.', code: 'SERVER_ERROR' } satisfies ApiErrorBody;
    }
  };
}
