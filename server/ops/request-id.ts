import { randomUUID } from 'node:crypto';

/** An incoming id short and plain enough to put in a header and a log line as it is. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The request's id: the caller's (a proxy's `X-Request-ID`) when it is sane, else a new one. */
export function requestIdOf(incoming: string): string {
  return SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
