import type { PaginationLinks, PaginationMeta } from '../../../common/api';

/** Laravel's LengthAwarePaginator links and meta; other query parameters are kept in the links. */
export function paginate(path: string, query: Record<string, unknown>, page: number, perPage: number, total: number, count: number) {
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const link = (target: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (key !== 'page' && typeof value === 'string') params.set(key, value);
    }
    params.set('page', String(target));
    return `${path}?${params.toString()}`;
  };
  const from = count > 0 ? (page - 1) * perPage + 1 : null;
  const links: PaginationLinks = {
    first: link(1),
    last: link(lastPage),
    // As Laravel's previousPageUrl(): the page before this one, even beyond the end.
    prev: page > 1 ? link(page - 1) : null,
    next: page < lastPage ? link(page + 1) : null,
  };
  const meta: PaginationMeta = {
    current_page: page,
    from,
    last_page: lastPage,
    path,
    per_page: perPage,
    to: from === null ? null : from + count - 1,
    total,
  };
  return { links, meta };
}
