import type { Context, Middleware } from 'koa';
import type { ApiErrorBody } from '../../../common/api';
import { DomainError, InvalidFieldError, NotAllowedError, NotVisibleError } from '../../domain/errors';
import {
  ForbiddenError,
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../http/errors';
import type { Logger } from '../../logger';

/** Properties that body parsers (co-body, formidable) and http-errors put on their errors. */
interface ParserErrorShape {
  status?: unknown;
  statusCode?: unknown;
  httpCode?: unknown;
  type?: unknown;
}

/** The domain's refusals in v1's words. */
export function domainToHttp(error: DomainError): HttpError | undefined {
  if (error instanceof NotVisibleError) return new NotFoundError();
  if (error instanceof NotAllowedError) return new ForbiddenError(error.message);
  if (error instanceof InvalidFieldError) return new ValidationError(error.errors);
  return undefined;
}

function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return domainToHttp(error);
  if (typeof error !== 'object' || error === null) return undefined;
  const shape: ParserErrorShape = error;
  const status = [shape.status, shape.statusCode, shape.httpCode].find((s): s is number => typeof s === 'number');
  if (status === 413) return new PayloadTooLargeError();
  if (shape.type === 'entity.parse.failed' || status === 400 || error instanceof SyntaxError) {
    return ValidationError.field('body', 'The request body is not valid JSON.');
  }
  if (status === 415) return ValidationError.field('body', 'The request body must be JSON.');
  if (status === 404) return new NotFoundError();
  // A method the router does not implement at all (PROPFIND, …): to a client, just a method not allowed here.
  if (status === 405 || status === 501) return new MethodNotAllowedError();
  return undefined;
}

/** The methods the matched routes answer; @koa/router leaves its matched layers on `ctx.matched`. */
function allowedMethods(ctx: Context): string {
  const matched: unknown = Reflect.get(ctx, 'matched');
  if (!Array.isArray(matched)) return '';
  const methods = new Set<string>();
  for (const layer of matched) {
    const list: unknown = typeof layer === 'object' && layer !== null ? Reflect.get(layer, 'methods') : undefined;
    if (Array.isArray(list)) for (const method of list) if (typeof method === 'string') methods.add(method);
  }
  return [...methods].join(', ');
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
        ctx.status = httpError.status;
        ctx.set(httpError.headers);
        // RFC 9110 (and Laravel) send the allowed methods with a 405.
        if (httpError instanceof MethodNotAllowedError && !ctx.response.get('Allow')) {
          const allow = allowedMethods(ctx);
          if (allow) ctx.set('Allow', allow);
        }
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
