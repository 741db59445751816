import type { Middleware } from 'koa';

/**
 * `OPTIONS` on a route answers 204 No Content with `Allow` (RFC 9110 §9.3.7). @koa/router answers
 * it with 200 and an empty body, which no client can read as JSON; a 204 promises no body at all.
 * Unknown paths stay a JSON 404, as for any other method. (No CORS: the API's clients are native.)
 */
export function optionsNoContent(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.response.get('Allow') && !ctx.body) ctx.status = 204;
  };
}
