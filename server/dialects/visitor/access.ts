import type { Context } from 'koa';
import { SPACE_TOKEN_HEADER } from '../../../common/visitor-api';
import type { Space, VisitorSpaces, Widget } from '../../domain/visitor-spaces';
import { ValidationError } from '../../http/errors';
import { refuseForeignOrigin } from './cors';

// Who is calling: the widget (its public token, `?token=` or a body's `token`) and, for everything
// but starting a space, the space (its token in `X-Space-Token`, never in a URL). A space token of
// another widget's space is no space at all (404), as an unknown one is.

export interface VisitorAccess {
  spaces: VisitorSpaces;
  publicUrl: string | undefined;
}

const SPACE_TOKEN_IN_URL = `The space token must be sent in the ${SPACE_TOKEN_HEADER} header, never in a URL.`;

/** The widget token of the request: `?token=` (preflights and GETs carry only a URL) or the body's `token`. */
export function widgetTokenOf(ctx: Context): string {
  if (typeof ctx.query.token === 'string') return ctx.query.token;
  const body: unknown = ctx.request.body;
  const token: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'token') : undefined;
  return typeof token === 'string' ? token : '';
}

export async function widgetOf(ctx: Context, access: VisitorAccess): Promise<Widget> {
  // A URL is kept in logs, histories and referrers: a space token there is refused, not used.
  if (ctx.query.space_token !== undefined) throw ValidationError.field('space_token', SPACE_TOKEN_IN_URL);
  const widget = await access.spaces.widget(widgetTokenOf(ctx));
  refuseForeignOrigin(ctx, widget, access.publicUrl);
  return widget;
}

export async function spaceOf(ctx: Context, access: VisitorAccess): Promise<Space> {
  const widget = await widgetOf(ctx, access);
  return access.spaces.space(widget, ctx.get(SPACE_TOKEN_HEADER).trim());
}
