import { pino, type DestinationStream, type Level } from 'pino';

/** One answered HTTP request, as the request log records it. */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** The route template the router matched (`/api/v1/chats/:id`), or `unmatched`. */
  route: string;
  /** The path and query (the logger replaces secrets in the query). */
  url: string;
  status: number;
  durationMs: number;
  ip: string;
  /** As received (the logger replaces credentials). */
  headers: Record<string, string | string[] | undefined>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  /** The one line per request; loggers without it (a test's recorder) skip the request log. */
  request?(entry: RequestLogEntry): void;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly (Level | 'silent')[];
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return LOG_LEVELS.some((level) => level === value);
}

/** Query parameters that carry credentials: the CRM's `?api_token=`, visitors' and signed links' tokens. */
const SECRET_QUERY = /^(api_token|token|space_token|access_token|password|secret|auth_signature|signature)$/i;

const REDACTED = '[Redacted]';

/** Request headers that carry credentials: `Authorization`, cookies, webhook signatures, the visitor's `X-Space-Token`, API keys. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|signature|api-key/i;

/**
 * Fields never written out, wherever they appear in a line: credentials in headers, and passwords,
 * tokens and webhook secrets in a logged detail (one or two levels down, as pino's paths go).
 */
const REDACT_PATHS = [
  ...['password', 'current_password', 'password_confirmation', 'token', 'api_token', 'access_token', 'plain_text_token', 'secret', 'webhook_secret'].flatMap((key) => [
    key,
    `*.${key}`,
    `*.*.${key}`,
  ]),
];

/** A request's path and query for the log, with every credential in the query replaced. */
export function redactedUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  for (const key of [...params.keys()]) if (SECRET_QUERY.test(key)) params.set(key, REDACTED);
  return `${url.slice(0, question)}?${params.toString()}`;
}

/** A request's headers for the log, with every credential replaced (whatever the header is called). */
export function redactedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_HEADER.test(name) ? REDACTED : value]));
}

/** Structured JSON lines (pino): one object a line, to stdout unless a destination is given. */
export function jsonLogger(options: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  const log = pino({ level: options.level ?? 'info', redact: { paths: REDACT_PATHS, censor: REDACTED } }, options.destination);
  const withDetail = (detail: unknown) => (detail instanceof Error ? { err: detail } : detail === undefined ? {} : { detail });
  return {
    info: (message) => log.info(message),
    warn: (message, detail) => log.warn(withDetail(detail), message),
    error: (message, detail) => log.error(withDetail(detail), message),
    request: (entry) => {
      const { requestId, durationMs, headers, url, ...rest } = entry;
      log.info({ request_id: requestId, duration_ms: Math.round(durationMs * 1000) / 1000, url: redactedUrl(url), headers: redactedHeaders(headers), ...rest }, 'request');
    },
  };
}

/** For tests and benchmarks: errors still reach stderr, the rest (the request log too) is dropped. */
export function quietLogger(): Logger {
  return {
    info: () => undefined,
    warn: () => undefined,
    error: (message, detail) => console.error(message, detail ?? ''),
  };
}
