// The legacy dialect's two pagination shapes: the chats family's `pagination` block, and the
// messages family's Laravel paginator (`LengthAwarePaginator::toArray()`).

export interface PaginationBlock {
  current_page: number;
  last_page: number;
  per_page: number;
  total: number;
}

export function lastPageOf(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

export function paginationBlock(page: number, perPage: number, total: number): PaginationBlock {
  return { current_page: page, last_page: lastPageOf(total, perPage), per_page: perPage, total };
}

export interface PaginatorLink {
  url: string | null;
  label: string;
  active: boolean;
}

export interface LaravelPaginator<T> {
  current_page: number;
  data: T[];
  first_page_url: string;
  from: number | null;
  last_page: number;
  last_page_url: string;
  links: PaginatorLink[];
  next_page_url: string | null;
  path: string;
  per_page: number;
  prev_page_url: string | null;
  to: number | null;
  total: number;
}

const ON_EACH_SIDE = 3;

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** The page numbers Laravel's UrlWindow shows, with `null` for its "..." gaps. */
function pageWindow(page: number, lastPage: number): (number | null)[] {
  if (lastPage < ON_EACH_SIDE * 2 + 8) return range(1, lastPage);
  const window = ON_EACH_SIDE + 4;
  if (page <= window) return [...range(1, window + ON_EACH_SIDE), null, ...range(lastPage - 1, lastPage)];
  if (page > lastPage - window) return [...range(1, 2), null, ...range(lastPage - (window + (ON_EACH_SIDE - 1)), lastPage)];
  return [...range(1, 2), null, ...range(page - ON_EACH_SIDE, page + ON_EACH_SIDE), null, ...range(lastPage - 1, lastPage)];
}

/** Laravel's paginator over one page of `data`; the URLs keep `per_page` when the client sent it. */
export function laravelPaginator<T>(path: string, page: number, perPage: number, total: number, data: T[], perPageInUrl: boolean): LaravelPaginator<T> {
  const lastPage = lastPageOf(total, perPage);
  const url = (target: number) => {
    const params = new URLSearchParams();
    if (perPageInUrl) params.set('per_page', String(perPage));
    params.set('page', String(target));
    return `${path}?${params.toString()}`;
  };
  const prev = page > 1 ? url(page - 1) : null;
  const next = page < lastPage ? url(page + 1) : null;
  const from = data.length > 0 ? (page - 1) * perPage + 1 : null;
  const links: PaginatorLink[] = [
    { url: prev, label: '&laquo; Previous', active: false },
    ...pageWindow(page, lastPage).map((n) => (n === null ? { url: null, label: '...', active: false } : { url: url(n), label: String(n), active: n === page })),
    { url: next, label: 'Next &raquo;', active: false },
  ];
  return {
    current_page: page,
    data,
    first_page_url: url(1),
    from,
    last_page: lastPage,
    last_page_url: url(lastPage),
    links,
    next_page_url: next,
    path,
    per_page: perPage,
    prev_page_url: prev,
    to: from === null ? null : from + data.length - 1,
    total,
  };
}
