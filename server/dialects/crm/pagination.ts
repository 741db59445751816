import { z } from 'zod';
import { queryInt } from '../../../common/schemas';
import type { ApiContext } from '../../http/context';

// Rails API pagination: the list is the body (a bare JSON array); the page is chosen with `page` and
// `per_page`, and told in `X-Total-Count` and an RFC 8288 `Link` header (first, prev, next, last).

export const PER_PAGE_DEFAULT = 25;
export const PER_PAGE_MAX = 100;

export const pageQuery = {
  page: queryInt().pipe(z.number().min(1).max(1_000_000)).default(1),
  per_page: queryInt().pipe(z.number().min(1).max(PER_PAGE_MAX)).default(PER_PAGE_DEFAULT),
};

export interface PageParams {
  page: number;
  per_page: number;
}

/**
 * Sets the headers of one page of `total` items. The links carry the list's own filters as they were
 * validated (`filters`), never the request's other parameters: echoing those would let any client
 * grow the header without bound, and `api_token` does not belong in URLs clients log and pass along.
 */
export function setPageHeaders(ctx: ApiContext, baseUrl: string, params: PageParams, total: number, filters: Record<string, string | number | undefined> = {}): void {
  const last = Math.max(1, Math.ceil(total / params.per_page));
  const link = (page: number, rel: string) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '') query.set(key, String(value));
    query.set('page', String(page));
    query.set('per_page', String(params.per_page));
    return `<${baseUrl}${ctx.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (params.page > 1) links.push(link(Math.min(params.page - 1, last), 'prev'));
  if (params.page < last) links.push(link(params.page + 1, 'next'));
  links.push(link(last, 'last'));
  ctx.set('X-Total-Count', String(total));
  ctx.set('Link', links.join(', '));
}

/** The offset of a page. */
export function offsetOf(params: PageParams): number {
  return (params.page - 1) * params.per_page;
}
