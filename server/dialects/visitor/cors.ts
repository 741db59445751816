import type { Context, Middleware } from 'koa';
import { SPACE_TOKEN_HEADER } from '../../../common/visitor-api';
import { originAllowed } from '../../domain/visitor-origins';
import { requestOrigin } from '../../http/request-origin';
import type { Widget } from '../../domain/visitor-spaces';
import { HttpError } from '../../http/errors';
import { isVisitorPath } from './paths';

// CORS for the widget's calls: a website's page (or the widget's own frame) calls these paths from
// the browser, so they answer preflights and name the calling origin when its widget allows it. The
// origin is checked again where the widget is known (`refuseForeignOrigin`), so a disallowed site
// gets a 403 that changes nothing, not only a response its page cannot read.

const ALLOWED_HEADERS = ['Content-Type', 'Accept', SPACE_TOKEN_HEADER, 'X-Socket-ID'].join(', ');
const EXPOSED_HEADERS = ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining'].join(', ');
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export const FOREIGN_ORIGIN = 'This website may not use this chat widget.';

/** The widget's own frame is served by this server: its origin is always welcome. */
function ownOrigin(ctx: Context, origin: string, publicUrl: string | undefined): boolean {
  if (publicUrl !== undefined && URL.canParse(publicUrl) && new URL(publicUrl).origin === origin) return true;
  try {
    return requestOrigin(ctx).origin === origin;
  } catch {
    return false;
  }
}

/** Whether the request's page may use this widget: no Origin (not a browser page), the server's own, or an allowed site. */
export function originMayUse(ctx: Context, widget: Widget, publicUrl: string | undefined): boolean {
  const origin = ctx.get('Origin');
  return origin === '' || ownOrigin(ctx, origin, publicUrl) || originAllowed(origin, widget.settings.allowed_domains);
}

/** A 403 for a page of a site the widget does not allow; its answer then carries no CORS grant. */
export function refuseForeignOrigin(ctx: Context, widget: Widget, publicUrl: string | undefined): void {
  if (originMayUse(ctx, widget, publicUrl)) return;
  ctx.remove('Access-Control-Allow-Origin');
  ctx.remove('Access-Control-Expose-Headers');
  throw new HttpError(403, 'FORBIDDEN', FOREIGN_ORIGIN);
}

/**
 * Preflights answered here (204, or 204 without a grant for a site the widget named in `?token=`
 * does not allow); other requests get the grant up front, so that errors are readable too, and
 * lose it in `refuseForeignOrigin`.
 */
export function visitorCors(widgetOf: (token: string) => Promise<Widget | undefined>, publicUrl: string | undefined): Middleware {
  return async (ctx, next) => {
    if (!isVisitorPath(ctx.path)) return next();
    ctx.vary('Origin');
    const origin = ctx.get('Origin');
    if (ctx.method === 'OPTIONS' && origin !== '' && ctx.get('Access-Control-Request-Method') !== '') {
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
      const widget = token === '' ? undefined : await widgetOf(token);
      ctx.status = 204;
      if (widget && !originMayUse(ctx, widget, publicUrl)) return;
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      ctx.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      return;
    }
    if (origin !== '') {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    await next();
  };
}
