import type { ApiErrorBody } from '../../../common/api';

/** The server could not be reached (refused, reset, DNS, timeout): worth retrying later. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** The server answered with an error status. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
    /** From `Retry-After` (429, 503), in milliseconds. */
    readonly retryAfterMs: number | null,
  ) {
    super(body?.message ?? `The server answered ${status}.`);
    this.name = 'HttpStatusError';
  }
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string';
}
