import type { Context } from 'koa';
import { HttpError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError, ValidationError } from './errors';

// What every dialect's error middleware shares: the failures of the body parsers and the router as
// HTTP errors, and the methods a 405 names. Each dialect then writes them in its own format.

/** Properties that body parsers (co-body, formidable) and http-errors put on their errors. */
interface ParserErrorShape {
  status?: unknown;
  statusCode?: unknown;
  httpCode?: unknown;
  type?: unknown;
}

/** An error thrown by the body parsers or the router, as the HTTP error it means; undefined for anything else. */
export function plumbingToHttp(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
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

/** Sets the error's status and headers on the response (RFC 9110 and Laravel send `Allow` with a 405). */
export function applyErrorHead(ctx: Context, error: HttpError): void {
  ctx.status = error.status;
  ctx.set(error.headers);
  if (error instanceof MethodNotAllowedError && !ctx.response.get('Allow')) {
    const allow = allowedMethods(ctx);
    if (allow) ctx.set('Allow', allow);
  }
}
